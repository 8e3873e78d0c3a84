"""A page whose CSP forbids connections (connect-src 'self') still gets warnings: the socket to the
companion lives in the extension's background, not in the page."""

from harness import STRICT_CSP
from order_page import OrderPage

CSP_VIOLATION_JS = """port => new Promise(resolve => {
  document.addEventListener("securitypolicyviolation", e => resolve(e.effectiveDirective), {once: true});
  try { new WebSocket(`ws://127.0.0.1:${port}`); } catch (e) { resolve(`threw ${e.name}`); }
  setTimeout(() => resolve("allowed"), 5000);
})"""


def test_strict_csp_page_cannot_connect_yet_gets_warnings(extension, companion, page, site, console):
    order = OrderPage(page, site, "secure-chat")
    response = page.goto(order.url)
    assert response.headers["content-security-policy"] == STRICT_CSP
    # The control: the page itself really cannot reach the companion.
    console.provoke(r"violates the following Content Security Policy directive: \"connect-src")
    assert page.evaluate(CSP_VIOLATION_JS, companion.port) in ("connect-src", "threw SecurityError")

    order.composer.click()
    order.expect_status("connected")
    order.type("Sure, write to ana.souza@gmail.com with the files.")
    marks = order.wait_for_marks(
        lambda marks: any(m.text == "ana.souza@gmail.com" and m.severity == "block" for m in marks),
        "the address underlined on the strict-CSP page",
    )
    assert [p for m in marks for p in order.underline_problems(m)] == []
