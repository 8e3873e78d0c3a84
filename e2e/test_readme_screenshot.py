"""A message with two findings gets one banner explaining both; with CG_UPDATE_SCREENSHOT=1 the
page is saved as e2e/screenshots/order-page-warning.png, the picture shown in the README."""

import os

from playwright.sync_api import expect

from harness import E2E_DIR
from order_page import OrderPage

SCREENSHOT = E2E_DIR / "screenshots" / "order-page-warning.png"
TEXT = "Thanks Ana! Files are ready. Add me on Skype or just write to ana.souza@gmail.com"


def test_one_banner_explains_every_finding(extension, page, site):
    order = OrderPage(page, site, "chat").open()
    order.type(TEXT)
    order.wait_for_marks(
        lambda marks: {(m.kind, m.severity) for m in marks} >= {("email", "block"), ("offplatform_request", "warn")},
        "the address (block) and the request (warn) underlined",
    )
    expect(order.banner).to_have_attribute("data-verdict", "block")
    for kind in ("email", "offplatform_request"):
        finding = order.banner.locator(f".cg-finding[data-kind='{kind}']").first
        expect(finding).to_be_visible()
        expect(finding.locator("button[data-action='mask'], button[data-action='ignore']").first).to_be_visible()
    if os.environ.get("CG_UPDATE_SCREENSHOT") == "1":
        page.mouse.move(0, 0)
        page.screenshot(path=str(SCREENSHOT), clip={"x": 0, "y": 0, "width": 1280, "height": 740})
