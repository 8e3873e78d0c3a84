"""`pytest tests e2e` runs in one command. Test folders have no __init__.py, so pytest imports each
test module under its bare file name (rootdir-relative "prepend" import mode): two test modules with
the same file name anywhere under tests/ and e2e/ stop the whole run at collection ("import file
mismatch"). e2e modules are named for what they drive in the browser (test_options_pairing.py
beside tests/test_pairing.py)."""

from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def unpackaged_test_modules() -> dict[str, list[str]]:
    """Test module file name -> where it is, for every test module imported by its bare name."""
    found = defaultdict(list)
    for root in ("tests", "e2e"):
        for path in (REPO / root).rglob("test_*.py"):
            if "node_modules" in path.parts or (path.parent / "__init__.py").exists():
                continue
            found[path.name].append(str(path.relative_to(REPO)))
    return found


def test_no_two_test_modules_share_a_file_name():
    modules = unpackaged_test_modules()
    assert "test_options_pairing.py" in modules and "test_pairing.py" in modules  # both suites seen
    clashes = {name: places for name, places in modules.items() if len(places) > 1}
    assert clashes == {}, f"rename one of each (pytest tests e2e would fail collection): {clashes}"
