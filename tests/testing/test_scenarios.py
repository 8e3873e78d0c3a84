"""The scenario format (companion.testing.scenarios): what a QA engineer may write, what is refused
with a message naming the file and the scenario, and how painted marks are compared."""

import json

import pytest

from companion.testing.page import Mark
from companion.testing.scenarios import ScenarioError, load_scenarios, painting_problems

EMAIL = {"text": "ana@gmail.com", "severity": "block", "kind": "email"}


def write(folder, name, entries):
    (folder / name).write_text(json.dumps(entries))


def scenario(**fields):
    return {"id": "s1", "url": "/inbox.html", "composer": "#reply", "text": "mail ana@gmail.com",
            "expect": {"verdict": "block", "marks": [EMAIL]}} | fields


def mark(text, severity="block", kind="email", start=0):
    return Mark(severity, kind, f"{kind}.rule", start, start + len(text), text, rect={})


def test_a_url_scenario_with_every_optional_key(tmp_path):
    write(tmp_path, "inbox.json", [scenario(send="#send", surface="requirements", browsers=["firefox"],
                                            input="paste", allow=["zoom"], about="why")])
    [loaded] = load_scenarios(tmp_path)
    assert (loaded.url, loaded.composer, loaded.send, loaded.surface) == ("/inbox.html", "#reply", "#send", "requirements")
    assert (loaded.browsers, loaded.input, loaded.allow) == (("firefox",), "paste", ("zoom",))
    assert loaded.file is None and loaded.page is None


def test_a_saved_file_is_resolved_next_to_the_scenario_file(tmp_path):
    (tmp_path / "saved").mkdir()
    (tmp_path / "saved" / "inbox.html").write_text("<textarea id=reply></textarea>")
    write(tmp_path, "saved.json", [scenario(url=None) | {"file": "saved/inbox.html"}])
    with pytest.raises(ScenarioError, match="exactly one of"):
        load_scenarios(tmp_path)  # url: null still counts as given
    write(tmp_path, "saved.json", [{k: v for k, v in scenario(file="saved/inbox.html").items() if k != "url"}])
    [loaded] = load_scenarios(tmp_path)
    assert loaded.file == (tmp_path / "saved" / "inbox.html").resolve() and loaded.url is None


def test_named_pages_and_the_legacy_bare_composer_id(tmp_path):
    write(tmp_path, "pages.json", {"chat": {"url": "/chat.html", "composer": "#chat-input", "send": "[data-cg-send]"}})
    plain = {k: v for k, v in scenario(page="chat").items() if k not in ("url", "composer")}
    write(tmp_path, "chat.json", [plain, plain | {"id": "s2", "composer": "req-business"},
                                  plain | {"id": "s3", "composer": "form .field"}])
    first, second, third = load_scenarios(tmp_path)  # pages.json itself is not a scenario file
    assert (first.url, first.composer, first.send) == ("/chat.html", "#chat-input", "[data-cg-send]")
    assert second.composer == "#req-business"  # a bare name on a named page is an element id
    assert third.composer == "form .field"


@pytest.mark.parametrize(("change", "problem"), [
    ({"url": None, "composer": "#x"}, "exactly one of"),
    ({"file": "missing.html", "url": None}, "does not exist next to bad.json"),
    ({"page": "nowhere", "url": None}, "'page' must be one of"),
    ({"composer": None}, "needs a 'composer'"),
    ({"composer": ""}, "non-empty string"),
    ({"surface": "email"}, "'surface' must be one of"),
    ({"browsers": ["safari"]}, "'browsers' is a list of"),
    ({"input": "dictate"}, "'input' is 'type' or 'paste'"),
    ({"expect": {"verdict": "warn", "marks": [EMAIL]}}, "highest severity"),
    ({"expect": {"verdict": "ok", "marks": [EMAIL]}}, "verdict 'ok' has no marks"),
    ({"expect": {"verdict": "block", "marks": [EMAIL | {"text": "bob@gmail.com"}]}}, "is not in 'text'"),
    ({"expect": {"verdict": "block", "marks": [EMAIL], "send_confirm": "yes"}}, "true or false"),
    ({"colour": "red"}, "unknown keys"),
])
def test_malformed_scenarios_are_refused_with_where_and_why(tmp_path, change, problem):
    entry = {k: v for k, v in (scenario() | change).items() if v is not None}
    write(tmp_path, "bad.json", [entry])
    with pytest.raises(ScenarioError, match=problem) as refused:
        load_scenarios(tmp_path)
    assert str(refused.value).startswith("bad.json")


def test_duplicate_ids_and_broken_json_are_refused(tmp_path):
    write(tmp_path, "a.json", [scenario()])
    write(tmp_path, "b.json", [scenario()])
    with pytest.raises(ScenarioError, match="duplicate scenario id 's1'"):
        load_scenarios(tmp_path)
    (tmp_path / "b.json").write_text("[{")
    with pytest.raises(ScenarioError, match="b.json: not valid JSON"):
        load_scenarios(tmp_path)


def test_painting_problems_name_what_is_missing_and_what_is_unexpected(tmp_path):
    write(tmp_path, "a.json", [scenario(expect={"verdict": "block", "marks": [EMAIL], "tolerate": ["filter_risk"]})])
    [loaded] = load_scenarios(tmp_path)
    assert painting_problems(loaded, [mark("ana@gmail.com")]) == []
    assert painting_problems(loaded, [mark("ana@gmail.com"), mark("mail", "info", "filter_risk")]) == []
    problems = painting_problems(loaded, [mark("gmail.com"), mark("mail", "warn", "offplatform_request")])
    assert [p.category for p in problems] == ["missing email", "unexpected email", "unexpected offplatform_request"]
    assert str(problems[0]) == "missing block/email 'ana@gmail.com'"
