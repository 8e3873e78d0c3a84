"""Scenario files: browser checks written as data, so a QA engineer adds cases without Python.

A scenario folder holds `*.json` files, each a JSON list of scenarios, and optionally `pages.json`
naming the pages they target. One scenario:

    {
      "id": "inbox-plain-email",              unique across the folder; the test id
      "about": "why this case matters",        optional
      -- where (exactly one of) --
      "url": "/inbox.html",                    absolute, or relative to --cg-base-url
      "file": "saved/inbox.html",              a saved page, relative to this JSON file; served
                                               from its folder on 127.0.0.1 (so the extension runs)
      "page": "chat",                          a page named in pages.json
      -- on that page --
      "composer": "#message",                  CSS selector of the composer (default: the named
                                               page's; with "page", a bare name is an element id)
      "send": "button.send",                   optional: the send control (else Enter sends)
      "surface": "message",                    optional: message | requirements | delivery | offer |
                                               other; sets data-cg-surface on the composer, which
                                               the extension honours first (leave out to test the
                                               page's own detection)
      "browsers": ["chromium", "firefox"],     optional: where it may run (default: every browser)
      -- what happens --
      "input": "type",                         type (real keystrokes, default) | paste (real
                                               clipboard + Ctrl+V)
      "text": "write to ana.souza@gmail.com",
      "allow": ["zoom"],                       optional: channels approved for this order
      "expect": {
        "verdict": "block",                    block | warn | info | ok (the card's verdict)
        "marks": [                             every underline that must be painted; nothing else may be
          {"text": "ana.souza@gmail.com", "severity": "block", "kind": "email"},
          {"covers": "skype", "severity": "warn", "kind": "offplatform_request"}
        ],
        "tolerate": ["filter_risk"],           optional: info marks of these kinds may also be painted
        "other_marks": false,                  optional: true lets more be painted (not above verdict)
        "send_confirm": true                   optional: send, and a confirmation must (true) or must
                                               not (false) appear; the runner then cancels it
      }
    }

"text" must equal the underlined characters; "covers" only needs to lie inside the underline.
A guarded paste (verdict block) must first show the paste dialog and land nothing; the runner then
chooses "paste anyway" and checks the painting on the landed text.

pages.json maps names to {"url", "composer", "send"?, "surface"?}, e.g.
    {"chat": {"url": "/orders/FO81C2D5E7/chat.html", "composer": "#chat-input", "send": "[data-cg-send]"}}
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

SEVERITIES = ("info", "warn", "block")
VERDICTS = ("ok", *SEVERITIES)
KINDS = ("email", "phone", "handle", "link", "offplatform_request", "payment", "filter_risk")
SURFACES = ("message", "requirements", "delivery", "offer", "other")
BROWSERS = ("chromium", "firefox")
PAGES_FILE = "pages.json"
_BARE_ID = re.compile(r"^[A-Za-z][\w-]*$")


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
class Mismatch:
    """One way the page differed from the scenario; `category` feeds the summary table."""

    category: str  # "missing <kind>", "unexpected <kind>", "verdict", "card", "paste dialog", ...
    detail: str

    def __str__(self) -> str:
        return self.detail


@dataclass(frozen=True)
class Scenario:
    id: str
    text: str
    verdict: str
    source: Path  # the JSON file
    composer: str  # CSS selector
    url: str | None = None  # absolute or relative to the base URL
    file: Path | None = None  # a saved page (absolute path)
    page: str | None = None  # the pages.json name it came from, if any
    send: str | None = None
    surface: str | None = None
    browsers: tuple[str, ...] = BROWSERS
    input: str = "type"
    allow: tuple[str, ...] = ()
    marks: tuple[ExpectedMark, ...] = ()
    tolerate: tuple[str, ...] = ()
    other_marks: bool = False
    send_confirm: bool | None = None
    about: str = ""


def load_pages(folder: Path) -> dict[str, dict]:
    path = folder / PAGES_FILE
    if not path.exists():
        return {}
    pages = _read_json(path)
    if not isinstance(pages, dict) or not all(isinstance(v, dict) and isinstance(v.get("url"), str)
                                               and isinstance(v.get("composer"), str) for v in pages.values()):
        raise ScenarioError(f"{path}: an object of page names to {{\"url\", \"composer\", \"send\"?}}")
    return pages


def scenario_files(folder: Path) -> list[Path]:
    return sorted(p for p in Path(folder).glob("*.json") if p.name != PAGES_FILE)


def load_file(path: Path, pages: dict[str, dict] | None = None) -> list[Scenario]:
    path = Path(path)
    pages = load_pages(path.parent) if pages is None else pages
    entries = _read_json(path)
    if not isinstance(entries, list):
        raise ScenarioError(f"{path.name}: expected a JSON list of scenarios")
    return [_parse(entry, path, index, pages) for index, entry in enumerate(entries)]


def load_scenarios(folder: Path) -> list[Scenario]:
    """Every scenario of a folder, ids checked unique across its files."""
    pages = load_pages(Path(folder))
    scenarios = [s for path in scenario_files(folder) for s in load_file(path, pages)]
    seen: set[str] = set()
    for scenario in scenarios:
        if scenario.id in seen:
            raise ScenarioError(f"{scenario.source.name}: duplicate scenario id {scenario.id!r}")
        seen.add(scenario.id)
    return scenarios


def _read_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as problem:
        raise ScenarioError(f"{path.name}: not valid JSON: {problem}") from None


def _parse(entry: object, path: Path, index: int, pages: dict[str, dict]) -> Scenario:
    where = f"{path.name}[{index}]"

    def need(condition: bool, problem: str) -> None:
        if not condition:
            raise ScenarioError(f"{where}: {problem}")

    need(isinstance(entry, dict), "a scenario is a JSON object")
    known = {"id", "about", "page", "url", "file", "composer", "send", "surface", "browsers", "input",
             "text", "allow", "expect"}
    need(not set(entry) - known, f"unknown keys {sorted(set(entry) - known)}")
    need(isinstance(entry.get("id"), str) and entry["id"], "needs an 'id' string")
    where = f"{path.name}:{entry['id']}"
    targets = [key for key in ("page", "url", "file") if key in entry]
    need(len(targets) == 1, "needs exactly one of 'url', 'file' or 'page'")
    named = {}
    if "page" in entry:
        need(entry["page"] in pages, f"'page' must be one of {sorted(pages)} (from {PAGES_FILE})")
        named = pages[entry["page"]]
    for key in ("url", "file", "composer", "send", "surface"):
        need(key not in entry or isinstance(entry[key], str) and entry[key], f"'{key}' is a non-empty string")
    composer = entry.get("composer")
    if composer is not None and "page" in entry and _BARE_ID.match(composer):
        composer = f"#{composer}"  # on a named page, a bare name is an element id
    composer = composer or named.get("composer")
    need(composer is not None, "needs a 'composer' (CSS selector)")
    file = None
    if "file" in entry:
        file = (path.parent / entry["file"]).resolve()
        need(file.is_file(), f"'file' {entry['file']!r} does not exist next to {path.name}")
    surface = entry.get("surface", named.get("surface"))
    need(surface is None or surface in SURFACES, f"'surface' must be one of {SURFACES}")
    browsers = entry.get("browsers", list(BROWSERS))
    need(isinstance(browsers, list) and browsers and set(browsers) <= set(BROWSERS),
         f"'browsers' is a list of {BROWSERS}")
    need(isinstance(entry.get("text"), str) and entry["text"], "needs a non-empty 'text'")
    need(entry.get("input", "type") in ("type", "paste"), "'input' is 'type' or 'paste'")
    allow = entry.get("allow", [])
    need(isinstance(allow, list) and all(isinstance(a, str) for a in allow), "'allow' is a list of strings")
    expected = entry.get("expect")
    need(isinstance(expected, dict), "needs an 'expect' object")
    need(not set(expected) - {"verdict", "marks", "tolerate", "other_marks", "send_confirm"},
         "unknown keys in 'expect'")
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
    send_confirm = expected.get("send_confirm")
    need(send_confirm is None or isinstance(send_confirm, bool), "'expect.send_confirm' is true or false")
    return Scenario(
        id=entry["id"], text=entry["text"], verdict=verdict, source=path, composer=composer,
        url=entry.get("url", named.get("url")) if "file" not in entry else None, file=file,
        page=entry.get("page"), send=entry.get("send", named.get("send")), surface=surface,
        browsers=tuple(browsers), input=entry.get("input", "type"), allow=tuple(allow),
        marks=tuple(marks), tolerate=tuple(tolerate), other_marks=bool(expected.get("other_marks", False)),
        send_confirm=send_confirm, about=entry.get("about", ""),
    )


def painting_problems(scenario: Scenario, marks: list) -> list[Mismatch]:
    """What is wrong with the painted marks for this scenario (empty when it is as expected).

    `marks` are page.Mark values: severity, kind and the text under the mark.
    """
    problems = []
    unmatched = list(marks)
    for expected in scenario.marks:
        hit = next((m for m in unmatched if _fits(expected, m)), None)
        if hit is None:
            problems.append(Mismatch(f"missing {expected.kind}", f"missing {expected.describe()}"))
        else:
            unmatched.remove(hit)
    ceiling = SEVERITIES.index(scenario.verdict) if scenario.verdict != "ok" else -1
    for mark in unmatched:
        tolerated = mark.severity == "info" and mark.kind in scenario.tolerate
        within_verdict = scenario.other_marks and SEVERITIES.index(mark.severity) <= ceiling
        if not (tolerated or within_verdict):
            problems.append(Mismatch(f"unexpected {mark.kind}", f"unexpected {mark}"))
    return problems


def _fits(expected: ExpectedMark, mark) -> bool:
    if (mark.severity, mark.kind) != (expected.severity, expected.kind):
        return False
    return mark.text == expected.text if expected.text is not None else expected.covers in mark.text
