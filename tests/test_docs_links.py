"""The repository's docs stand on their own: every relative Markdown link (and image) points to a
file or folder inside the repository that exists, and no document refers to files outside it (the
team's shared notes, ../shared/…, absolute paths of one machine)."""

import re
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# [text](target) and ![alt](target); the target ends at whitespace or ')'.
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE = re.compile(r"^\s*\[[^\]]+\]:\s*(\S+)", re.MULTILINE)
OUTSIDE = re.compile(r"\.\./shared/|(?<![\w/])shared/(?:DESIGN|E2E|FIREFOX)\.md|/work/|notes/extension-contract")


def markdown_files() -> list[Path]:
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "*.md"], cwd=REPO,
                            capture_output=True, text=True, check=True).stdout.split()
    return sorted(REPO / name for name in listed if "node_modules" not in name and (REPO / name).is_file())


def link_problems(path: Path, text: str) -> list[str]:
    problems = []
    for target in LINK.findall(text) + REFERENCE.findall(text):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE) or target.startswith("#"):
            continue  # a web address or an anchor in the same page
        file_part = target.split("#", 1)[0].split("?", 1)[0]
        resolved = (REPO / file_part.lstrip("/")) if file_part.startswith("/") else (path.parent / file_part)
        resolved = resolved.resolve()
        if not resolved.is_relative_to(REPO):
            problems.append(f"{target}: leaves the repository")
        elif not resolved.exists():
            problems.append(f"{target}: no such file")
    problems += [f"refers to {m.group(0)!r}, outside the repository" for m in OUTSIDE.finditer(text)]
    return problems


DOCS = markdown_files()


@pytest.mark.parametrize("path", DOCS, ids=[str(p.relative_to(REPO)) for p in DOCS])
def test_links_stay_inside_the_repository_and_exist(path):
    assert link_problems(path, path.read_text(encoding="utf-8")) == []


def test_the_checker_catches_what_it_guards(tmp_path):
    """The cases the test above exists for, on a document that has them all."""
    page = REPO / "docs" / "example.md"
    text = ("[contract](../../shared/DESIGN.md) [gone](missing.md) [ok](qa.md) [web](https://example.org/x) "
            "[anchor](#top) ![pic](../e2e/screenshots/none.png) see `../shared/E2E.md`")
    problems = link_problems(page, text)
    assert problems == [
        "../../shared/DESIGN.md: leaves the repository",
        "missing.md: no such file",
        "../e2e/screenshots/none.png: no such file",
        "refers to '../shared/', outside the repository",
        "refers to '../shared/', outside the repository",
    ]
