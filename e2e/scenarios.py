"""Data-driven scenarios: e2e/scenarios/*.json, so QA can add cases without writing Python.

Each file holds a JSON list of scenarios:

    {
      "id": "chat-plain-email",              unique across files; the test id
      "about": "why this case matters",      optional
      "page": "chat",                        chat | chat-rich | requirements | delivery | secure-chat
      "composer": "req-business",            optional: id of another field on that page
      "input": "type",                       type (keystrokes, default) | paste (real clipboard, Ctrl+V)
      "text": "write to ana.souza@gmail.com",
      "allow": ["zoom"],                     optional: channels allowlisted for this order
      "expect": {
        "verdict": "block",                  block | warn | info | ok (the banner's data-verdict)
        "marks": [                           every mark that must be painted; by default nothing else may be
          {"text": "ana.souza@gmail.com", "severity": "block", "kind": "email"},
          {"covers": "skype", "severity": "warn", "kind": "offplatform_request"}
        ],
        "tolerate": ["filter_risk"],         optional: info marks of these kinds may also be painted
        "other_marks": false                 optional: true lets the engine paint more (still not above verdict)
      }
    }

"text" must equal the underlined characters; "covers" only needs to lie inside the underline.
A guarded paste (verdict block) must first show the paste dialog and land nothing; the runner then
chooses "paste anyway" and checks the painting on the landed text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from order_page import PAGES

SCENARIO_DIR = Path(__file__).resolve().parent / "scenarios"
SEVERITIES = ("info", "warn", "block")
VERDICTS = ("ok", *SEVERITIES)
KINDS = ("email", "phone", "handle", "link", "offplatform_request", "payment", "filter_risk")


class ScenarioError(ValueError):
    """A scenario file is malformed; the message names the file, the scenario and the problem."""


@dataclass(frozen=True)
class ExpectedMark:
    severity: str
    kind: str
    text: str | None = None
    covers: str | None = None

    def describe(self) -> str:
        what = f"{self.text!r}" if self.text is not None else f"covering {self.covers!r}"
        return f"{self.severity}/{self.kind} {what}"


@dataclass(frozen=True)
class Scenario:
    id: str
    page: str
    text: str
    verdict: str
    source: str
    input: str = "type"
    composer: str | None = None
    allow: tuple[str, ...] = ()
    marks: tuple[ExpectedMark, ...] = ()
    tolerate: tuple[str, ...] = ()
    other_marks: bool = False
    about: str = ""


def load_scenarios(folder: Path = SCENARIO_DIR) -> list[Scenario]:
    scenarios: list[Scenario] = []
    for path in sorted(folder.glob("*.json")):
        try:
            entries = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as problem:
            raise ScenarioError(f"{path.name}: not valid JSON: {problem}") from None
        if not isinstance(entries, list):
            raise ScenarioError(f"{path.name}: expected a JSON list of scenarios")
        scenarios.extend(_parse(entry, path.name, index) for index, entry in enumerate(entries))
    seen: set[str] = set()
    for scenario in scenarios:
        if scenario.id in seen:
            raise ScenarioError(f"{scenario.source}: duplicate scenario id {scenario.id!r}")
        seen.add(scenario.id)
    return scenarios


def _parse(entry: object, file: str, index: int) -> Scenario:
    where = f"{file}[{index}]"

    def need(condition: bool, problem: str) -> None:
        if not condition:
            raise ScenarioError(f"{where}: {problem}")

    need(isinstance(entry, dict), "a scenario is a JSON object")
    known = {"id", "about", "page", "composer", "input", "text", "allow", "expect"}
    need(not set(entry) - known, f"unknown keys {sorted(set(entry) - known)}")
    need(isinstance(entry.get("id"), str) and entry["id"], "needs an 'id' string")
    where = f"{file}:{entry['id']}"
    need(entry.get("page") in PAGES, f"'page' must be one of {sorted(PAGES)}")
    need(isinstance(entry.get("text"), str) and entry["text"], "needs a non-empty 'text'")
    need(entry.get("input", "type") in ("type", "paste"), "'input' is 'type' or 'paste'")
    allow = entry.get("allow", [])
    need(isinstance(allow, list) and all(isinstance(a, str) for a in allow), "'allow' is a list of strings")
    expected = entry.get("expect")
    need(isinstance(expected, dict), "needs an 'expect' object")
    need(not set(expected) - {"verdict", "marks", "tolerate", "other_marks"}, "unknown keys in 'expect'")
    verdict = expected.get("verdict")
    need(verdict in VERDICTS, f"'expect.verdict' must be one of {VERDICTS}")
    marks = []
    for raw in expected.get("marks", []):
        need(isinstance(raw, dict), "each mark is an object")
        need(raw.get("severity") in SEVERITIES, f"mark severity must be one of {SEVERITIES}")
        need(raw.get("kind") in KINDS, f"mark kind must be one of {KINDS}")
        need(("text" in raw) != ("covers" in raw), "a mark has exactly one of 'text' or 'covers'")
        probe = raw.get("text", raw.get("covers"))
        need(isinstance(probe, str) and probe in entry["text"], f"mark text {probe!r} is not in 'text'")
        marks.append(ExpectedMark(raw["severity"], raw["kind"], raw.get("text"), raw.get("covers")))
    need((verdict == "ok") == (not marks), "verdict 'ok' has no marks; any other verdict lists its marks")
    need(verdict == "ok" or max(SEVERITIES.index(m.severity) for m in marks) == SEVERITIES.index(verdict),
         "the verdict is the highest severity among the marks")
    tolerate = expected.get("tolerate", [])
    need(isinstance(tolerate, list) and set(tolerate) <= set(KINDS), "'tolerate' is a list of kinds")
    return Scenario(
        id=entry["id"], page=entry["page"], text=entry["text"], verdict=verdict, source=file,
        input=entry.get("input", "type"), composer=entry.get("composer"), allow=tuple(allow),
        marks=tuple(marks), tolerate=tuple(tolerate), other_marks=bool(expected.get("other_marks", False)),
        about=entry.get("about", ""),
    )


def painting_problems(scenario: Scenario, marks: list) -> list[str]:
    """What is wrong with the painted marks for this scenario (empty when it is as expected).

    `marks` are order_page.Mark values: severity, kind and the text under the mark.
    """
    problems = []
    unmatched = list(marks)
    for expected in scenario.marks:
        hit = next((m for m in unmatched if _fits(expected, m)), None)
        if hit is None:
            problems.append(f"missing {expected.describe()}")
        else:
            unmatched.remove(hit)
    ceiling = SEVERITIES.index(scenario.verdict) if scenario.verdict != "ok" else -1
    for mark in unmatched:
        tolerated = mark.severity == "info" and mark.kind in scenario.tolerate
        within_verdict = scenario.other_marks and SEVERITIES.index(mark.severity) <= ceiling
        if not (tolerated or within_verdict):
            problems.append(f"unexpected {mark}")
    return problems


def _fits(expected: ExpectedMark, mark) -> bool:
    if (mark.severity, mark.kind) != (expected.severity, expected.kind):
        return False
    return mark.text == expected.text if expected.text is not None else expected.covers in mark.text
