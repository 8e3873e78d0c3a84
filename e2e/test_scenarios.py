"""Runs every case of e2e/scenarios/*.json (format: e2e/scenarios.py) against the real stack."""

import pytest
from playwright.sync_api import expect

from harness import ORDER_PATH
from order_page import PAGES, OrderPage
from overlay_page import geometry
from scenarios import load_scenarios, painting_problems

SCENARIOS = load_scenarios()


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.id for s in SCENARIOS])
def test_scenario(scenario, extension, page, site):
    if scenario.allow:
        extension.set_settings({"allow": {ORDER_PATH + PAGES[scenario.page][0]: list(scenario.allow)}})
    order = OrderPage(page, site, scenario.page, scenario.composer).open()

    if scenario.input == "paste":
        order.paste(scenario.text)
        if scenario.verdict == "block":
            expect(order.paste_dialog).to_be_visible()
            assert order.text() == "", "a guarded paste landed before the user chose"
            order.action("paste-anyway").click()
    else:
        order.type(scenario.text)
    order.wait_for_text(scenario.text)

    if not scenario.marks:
        assert painting_problems(scenario, order.wait_quiet()) == []
        expect(order.alarming_banner).to_have_count(0)
        assert geometry(page).problems() == [], "a panel covers a control of the page"
        return

    marks = order.wait_for_marks(lambda m: not painting_problems(scenario, m), f"scenario {scenario.id}")
    assert [p for m in marks for p in order.underline_problems(m)] == []
    if scenario.verdict in ("block", "warn"):
        expect(order.banner).to_be_visible()
        expect(order.banner).to_have_attribute("data-verdict", scenario.verdict)
        for mark in scenario.marks:
            finding = order.banner.locator(
                f".cg-finding[data-kind='{mark.kind}'][data-severity='{mark.severity}']"
            ).first
            expect(finding).to_be_visible()
            assert finding.inner_text().strip(), "the banner must explain the finding"
    else:
        expect(order.alarming_banner).to_have_count(0)
    # Whatever was painted covers no control of the page and stays inside the viewport.
    assert geometry(page).problems() == [], "a panel covers a control of the page"
