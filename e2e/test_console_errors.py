"""The console check itself, in Chromium and Firefox: a console.error of the page and one of an
extension page reach the test's console log as errors (which fail a test unless it provoked them).
Without this, a browser whose collector went blind would pass every "no console error" check."""

import pytest

from harness import open_mock

# The page's own script (an inline <script>, the page's world, not the test driver's).
_PAGE_ERROR_JS = """(text) => { const script = document.createElement("script");
  script.textContent = `console.error(${JSON.stringify(text)})`; document.head.append(script); }"""


def wait_for_error(cg_page, text: str) -> None:
    cg_page.poll(lambda: cg_page.tab.console.errors, lambda errors: any(text in e for e in errors), 5.0,
                 lambda errors: f"{text!r} not in the console errors: {errors}")


@pytest.mark.parametrize("where", ["page", "extension page"])
def test_a_console_error_is_seen_and_would_fail_the_test(cg_page, site, where):
    text = f"cg-console-probe: {where}"
    if where == "page":
        open_mock(cg_page, site, "chat")
        cg_page.evaluate(_PAGE_ERROR_JS, text)
    else:
        cg_page.tab.goto(cg_page.browser.extension_url("options/options.html"))
        cg_page.evaluate("(text) => console.error(text)", text)
    wait_for_error(cg_page, text)
    assert any(text in e for e in cg_page.tab.console.unexpected_errors()), "it would not fail the test"
    cg_page.tab.console.provoke("cg-console-probe")  # on purpose: this test passes
