"""A message with two findings gets one banner explaining both, in Chromium and Firefox; with
CG_UPDATE_SCREENSHOT=1 the Chromium page is saved as e2e/screenshots/order-page-warning.png, the
picture shown in the README."""

import os

from harness import E2E_DIR, open_mock

SCREENSHOT = E2E_DIR / "screenshots" / "order-page-warning.png"
TEXT = "Thanks Ana! Files are ready. Add me on Skype or just write to ana.souza@gmail.com"


def test_one_banner_explains_every_finding(cg_page, site):
    open_mock(cg_page, site, "chat")
    cg_page.type(TEXT)
    cg_page.wait_for_marks(
        lambda marks: {(m.kind, m.severity) for m in marks} >= {("email", "block"), ("offplatform_request", "warn")},
        "the address (block) and the request (warn) underlined",
    )
    card = cg_page.wait_for(lambda: (card := cg_page.card()) and card.visible and card, "the card")
    assert card.verdict == "block"
    for kind in ("email", "offplatform_request"):
        finding = next((f for f in card.findings if f.kind == kind), None)
        assert finding is not None, f"the card does not explain the {kind} finding: {card.findings}"
        assert finding.text, f"the {kind} finding says nothing"
        assert {"mask", "ignore"} & set(finding.actions), f"the {kind} finding offers {finding.actions}"
    assert cg_page.covered_controls() == []
    if os.environ.get("CG_UPDATE_SCREENSHOT") == "1" and cg_page.browser_name == "chromium":
        page = cg_page.tab.page
        page.mouse.move(0, 0)
        page.screenshot(path=str(SCREENSHOT), clip={"x": 0, "y": 0, "width": 1280, "height": 740})
