"""A page whose CSP forbids connections (connect-src 'self') still gets warnings, in Chromium and
Firefox: the socket to the companion lives in the extension's background, not in the page."""

from harness import STRICT_CSP, open_mock

CSP_VIOLATION_JS = """port => new Promise(resolve => {
  document.addEventListener("securitypolicyviolation", e => resolve(e.effectiveDirective), {once: true});
  try { new WebSocket(`ws://127.0.0.1:${port}`); } catch (e) { resolve(`threw ${e.name}`); }
  setTimeout(() => resolve("allowed"), 5000);
})"""

HEADER_JS = """url => fetch(url, {method: "HEAD"}).then(r => r.headers.get("content-security-policy"))"""


def test_strict_csp_page_cannot_connect_yet_gets_warnings(cg_page, cg_companion, site):
    page = open_mock(cg_page, site, "secure-chat")
    assert page.evaluate(HEADER_JS, site.order_page("secure-chat.html")) == STRICT_CSP
    # The control: the page itself really cannot reach the companion.
    page.tab.console.provoke(r"violates the following Content Security Policy directive: \"connect-src"
                             r"|Content-Security-Policy.*connect-src|blocked the loading of a resource")
    assert page.evaluate(CSP_VIOLATION_JS, cg_companion.port) in (
        "connect-src", "threw SecurityError", "threw NS_ERROR_CONTENT_BLOCKED")  # Firefox throws

    page.type("Sure, write to ana.souza@gmail.com with the files.")
    marks = page.wait_for_marks(
        lambda marks: any(m.text == "ana.souza@gmail.com" and m.severity == "block" for m in marks),
        "the address underlined on the strict-CSP page",
    )
    assert [p for m in marks for p in page.underline_problems(m)] == []
