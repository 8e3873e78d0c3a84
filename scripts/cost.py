"""Instruction cost of the engine on the corpus, before and after a change: the figure an engine
change is landed by ("cost ≤ 1.01 of its base"). Counted by valgrind's callgrind, which counts
instructions, not seconds, so the ratio holds on a shared, loaded machine (the same binary, inputs
and environment give the same count twice).

    .venv/bin/python scripts/cost.py BEFORE [AFTER] [--sample N]

BEFORE and AFTER are git revisions (AFTER: the working tree when left out). Each revision's
`companion/` is exported to a temporary directory and its compiled lexicon written by a first
import; then, in a fresh interpreter under callgrind, every N-th text of the dev and outside corpus
(default every 2nd, in the corpus order) is analyzed once, and the instructions of the import alone
(counted the same way) are subtracted. Prints both counts and the ratio after/before.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
from bench_ab import export  # noqa: E402  (a revision's companion/, as the timed A/B exports it)

CHILD = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
import companion.engine
companion.engine.analyze("add me on whatsapp +44 20 7946 0958")
if sys.argv[2] != "import":
    for text in json.load(open(sys.argv[2])):
        companion.engine.analyze(text)
"""


def _export(rev: str | None, into: Path) -> Path:
    """`companion/` of a revision (None: the working tree) in its own directory, lexicon compiled."""
    if rev is None:  # a copy, not the checkout itself: both counts then run from the same kind of path
        into.mkdir(parents=True)
        shutil.copytree(REPO / "companion", into / "companion", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    else:
        export(rev, into)
    subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {str(into)!r}); import companion.engine as e; e.analyze('x')"], check=True)
    return into


def _texts(sample: int) -> list[str]:
    sys.path[:0] = [str(REPO), str(REPO / "tests")]
    from corpus import load_cases, load_outside

    texts = [c.text for c in [*load_cases(), *load_outside()]]
    return texts[::sample]


def _instructions(tree: Path, work: str, out: Path) -> int:
    env = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1"}
    subprocess.run(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable, "-c", CHILD, str(tree), work],
        check=True, env=env, capture_output=True)
    match = re.search(r"^(?:summary|totals): (\d+)", out.read_text(), re.M)
    assert match, f"no instruction total in {out}"
    return int(match.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before")
    parser.add_argument("after", nargs="?")
    parser.add_argument("--sample", type=int, default=2, help="analyze every N-th corpus text (default 2)")
    args = parser.parse_args()
    if not shutil.which("valgrind"):
        sys.exit("cost: valgrind is not installed (apt-get install valgrind)")
    with tempfile.TemporaryDirectory(prefix="cg-cost-") as tmp:
        work = Path(tmp) / "texts.json"
        import json

        texts = _texts(args.sample)
        work.write_text(json.dumps(texts))
        counts = {}
        for label, rev in (("before", args.before), ("after", args.after)):
            tree = _export(rev, Path(tmp) / label)
            total = _instructions(tree, str(work), Path(tmp) / f"{label}.all")
            base = _instructions(tree, "import", Path(tmp) / f"{label}.import")
            counts[label] = total - base
            print(f"{label:<7}{rev or 'working tree':<14}{counts[label]:>16,} instructions for {len(texts)} texts"
                  f" ({counts[label] / len(texts):,.0f} per text)", flush=True)
        print(f"cost after/before: {counts['after'] / counts['before']:.4f}")


if __name__ == "__main__":
    main()
