"""A mock order page as the tests see it: its composer, and what the extension painted over it.

Everything the extension paints lives in the open shadow root of <contact-guard-root>; Playwright's
CSS selectors pierce open shadow roots, so `[data-cg-for="chat-input"] .cg-mark` finds the marks of
the composer whose id is chat-input (see notes in extension/README.md for the DOM contract).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from playwright.sync_api import Locator, Page, expect

from harness import SiteServer

# page name -> (file under e2e/site/orders/<order>/, id of its main composer)
PAGES = {
    "chat": ("chat.html", "chat-input"),
    "chat-rich": ("chat-rich.html", "rich-input"),
    "requirements": ("requirements.html", "req-brief"),
    "delivery": ("delivery.html", "delivery-note"),
    "secure-chat": ("secure-chat.html", "chat-input"),
}

CONNECT_TIMEOUT_MS = 10_000
# How long the extension gets to answer: debounce + companion round trip + paint, with room for a
# loaded 2-core machine. Positive waits end as soon as the condition holds.
PAINT_TIMEOUT_S = 5.0
# Window in which nothing may be painted for a benign text (a negative can only be observed for a
# while); far above the extension's p95 latency measured by scripts/bench-e2e.
QUIET_WINDOW_S = 1.2

# Geometry oracle: where the characters [start, end) of a composer are drawn on screen, computed
# independently of the extension (a Range for contenteditable; a styled mirror for textarea/input).
_SPAN_RECTS_JS = """
([el, start, end]) => {
  const rects = (list) => Array.from(list, r => ({left: r.left, right: r.right, top: r.top, bottom: r.bottom}))
    .filter(r => r.right > r.left);
  if (el.isContentEditable) {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    let offset = 0, node, startSet = false;
    while ((node = walker.nextNode())) {
      const len = node.data.length;
      if (!startSet && start <= offset + len) { range.setStart(node, start - offset); startSet = true; }
      if (end <= offset + len) { range.setEnd(node, end - offset); break; }
      offset += len;
    }
    return rects(range.getClientRects());
  }
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  const mirror = document.createElement("div");
  for (const prop of ["boxSizing", "width", "height", "paddingTop", "paddingRight", "paddingBottom",
      "paddingLeft", "borderTopWidth", "borderRightWidth", "borderBottomWidth", "borderLeftWidth",
      "borderTopStyle", "borderRightStyle", "borderBottomStyle", "borderLeftStyle", "fontFamily",
      "fontSize", "fontWeight", "fontStyle", "fontVariant", "fontStretch", "letterSpacing", "lineHeight",
      "textTransform", "wordSpacing", "textIndent", "tabSize", "wordBreak", "textAlign", "direction"]) {
    mirror.style[prop] = style[prop];
  }
  const singleLine = el.tagName === "INPUT";
  Object.assign(mirror.style, {
    position: "absolute", left: `${box.left + scrollX}px`, top: `${box.top + scrollY}px`,
    visibility: "hidden", overflow: "hidden", margin: "0",
    whiteSpace: singleLine ? "pre" : "pre-wrap", overflowWrap: singleLine ? "normal" : "break-word",
  });
  const span = document.createElement("span");
  span.textContent = el.value.slice(start, end);
  mirror.append(el.value.slice(0, start), span, el.value.slice(end));
  document.body.append(mirror);
  mirror.scrollTop = el.scrollTop;
  mirror.scrollLeft = el.scrollLeft;
  const found = rects(span.getClientRects());
  mirror.remove();
  return found;
}
"""

_MARKS_JS = """
(key) => {
  const root = document.querySelector("contact-guard-root");
  const layer = root && root.shadowRoot && root.shadowRoot.querySelector(`[data-cg-for="${CSS.escape(key)}"]`);
  return Array.from(layer ? layer.querySelectorAll(".cg-mark") : [], m => {
  const r = m.getBoundingClientRect();
  return {
    severity: m.dataset.severity, kind: m.dataset.kind, rule: m.dataset.rule,
    start: Number(m.dataset.start), end: Number(m.dataset.end),
    rect: {left: r.left, right: r.right, top: r.top, bottom: r.bottom},
  };
  });
}
"""


@dataclass(frozen=True)
class Mark:
    severity: str
    kind: str
    rule: str
    start: int
    end: int
    text: str  # the composer's text under the mark (UTF-16 offsets sliced in the page)
    rect: dict

    def __str__(self) -> str:
        return f"{self.severity}/{self.kind} {self.text!r} [{self.start}:{self.end}] ({self.rule})"


class OrderPage:
    def __init__(self, page: Page, site: SiteServer, name: str, composer_id: str | None = None) -> None:
        file, default_composer = PAGES[name]
        self.page = page
        self.name = name
        self.url = site.order_page(file)
        self.composer_id = composer_id or default_composer

    # --- locators -------------------------------------------------------------------------------
    @property
    def composer(self) -> Locator:
        return self.page.locator(f"#{self.composer_id}")

    @property
    def layer(self) -> Locator:
        return self.page.locator(f'contact-guard-root [data-cg-for="{self.composer_id}"]')

    @property
    def banner(self) -> Locator:
        return self.layer.locator(".cg-banner")

    @property
    def status(self) -> Locator:
        return self.page.locator("contact-guard-root .cg-status").first

    @property
    def paste_dialog(self) -> Locator:
        return self.layer.locator(".cg-paste-dialog")

    @property
    def send_confirm(self) -> Locator:
        return self.layer.locator(".cg-send-confirm")

    @property
    def thread_messages(self) -> Locator:
        return self.page.locator("#thread li.mine .text")

    def action(self, name: str) -> Locator:
        return self.layer.locator(f'[data-action="{name}"]')

    # --- driving ----------------------------------------------------------------------------------
    def open(self, *, expect_status: str | None = "connected") -> OrderPage:
        self.page.goto(self.url)
        self.composer.click()
        if expect_status:
            self.expect_status(expect_status)
        return self

    def expect_status(self, status: str, timeout_ms: int = CONNECT_TIMEOUT_MS) -> None:
        expect(self.status).to_have_attribute("data-status", status, timeout=timeout_ms)

    def type(self, text: str) -> None:
        self.composer.focus()
        self.page.keyboard.type(text)

    def paste(self, text: str) -> None:
        """A trusted paste: the text goes to the real clipboard, then Ctrl+V in the composer."""
        self.page.evaluate("t => navigator.clipboard.writeText(t)", text)
        self.composer.focus()
        self.page.keyboard.press("Control+V")

    def text(self) -> str:
        return self.composer.evaluate(
            "el => el.isContentEditable ? el.innerText.replace(/\\n$/, '') : el.value"
        )

    def selection(self) -> tuple[int, int]:
        """Caret/selection as UTF-16 offsets into the composer's text."""
        return tuple(self.composer.evaluate("""el => {
          if (!el.isContentEditable) return [el.selectionStart, el.selectionEnd];
          const sel = getSelection();
          const offsetOf = (node, off) => {
            const r = document.createRange(); r.selectNodeContents(el); r.setEnd(node, off);
            return r.toString().length;
          };
          return [offsetOf(sel.anchorNode, sel.anchorOffset), offsetOf(sel.focusNode, sel.focusOffset)].sort((a, b) => a - b);
        }"""))

    def set_caret(self, offset: int) -> None:
        self.composer.evaluate("""(el, offset) => {
          el.focus();
          if (!el.isContentEditable) { el.setSelectionRange(offset, offset); return; }
          const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
          let node, seen = 0;
          while ((node = walker.nextNode())) {
            if (offset <= seen + node.data.length) { getSelection().collapse(node, offset - seen); return; }
            seen += node.data.length;
          }
          getSelection().collapse(el, el.childNodes.length);
        }""", offset)

    # --- reading what was painted -----------------------------------------------------------------
    def marks(self) -> list[Mark]:
        text = self.text()
        raw = self.page.evaluate(_MARKS_JS, self.composer_id)
        return [Mark(text=utf16_slice(text, m["start"], m["end"]), **m) for m in raw]

    def span_rects(self, start: int, end: int) -> list[dict]:
        return self.composer.evaluate(
            "(el, [start, end]) => (" + _SPAN_RECTS_JS + ")([el, start, end])", [start, end]
        )

    def underline_problems(self, mark: Mark, tolerance: float = 2.5) -> list[str]:
        """Whether the mark's box sits under the characters it claims (see _SPAN_RECTS_JS)."""
        lines = _merge_lines(self.span_rects(mark.start, mark.end))
        if not lines:
            return [f"{mark}: its characters are not on screen"]
        box = mark.rect
        if box["right"] - box["left"] <= 0 or box["bottom"] - box["top"] <= 0:
            return [f"{mark}: the mark has no size"]
        if len(lines) > 1:
            return []  # a wrapped span has one box per finding; its edges say nothing precise
        line = lines[0]
        problems = []
        if abs(box["left"] - line["left"]) > tolerance or abs(box["right"] - line["right"]) > tolerance:
            problems.append(
                f"{mark}: underline spans x {box['left']:.0f}..{box['right']:.0f}, "
                f"the characters x {line['left']:.0f}..{line['right']:.0f}"
            )
        if box["top"] < line["top"] - tolerance or box["bottom"] > line["bottom"] + 1.5 * tolerance:
            problems.append(
                f"{mark}: underline spans y {box['top']:.0f}..{box['bottom']:.0f}, "
                f"the characters y {line['top']:.0f}..{line['bottom']:.0f}"
            )
        return problems

    def wait_for_marks(self, accept, describe: str, timeout_s: float = PAINT_TIMEOUT_S) -> list[Mark]:
        """Polls until accept(marks) is true; fails with what was painted last."""
        return self.poll(self.marks, accept, timeout_s,
                          lambda marks: f"{describe}: not painted within {timeout_s} s; "
                                        f"painted: {[str(m) for m in marks] or 'nothing'}")

    def wait_for_text(self, text: str, timeout_s: float = PAINT_TIMEOUT_S) -> None:
        self.poll(self.text, lambda current: current == text, timeout_s,
                   lambda current: f"composer text is {current!r}, expected {text!r}")

    def poll(self, read, accept, timeout_s: float, explain):
        deadline = time.monotonic() + timeout_s
        while True:
            value = read()
            if accept(value):
                return value
            if time.monotonic() > deadline:
                raise AssertionError(explain(value))
            self.page.wait_for_timeout(40)

    @property
    def alarming_banner(self) -> Locator:
        """A banner asking for attention (block or warn), which info-only text must never get."""
        return self.layer.locator(".cg-banner[data-verdict='block'], .cg-banner[data-verdict='warn']")

    def wait_quiet(self, window_s: float = QUIET_WINDOW_S) -> list[Mark]:
        """Marks painted at the end of a quiet window (for texts where nothing is expected)."""
        self.page.wait_for_timeout(window_s * 1000)
        return self.marks()


def _merge_lines(rects: list[dict]) -> list[dict]:
    """Client rects of a span merged per text line (a Range can give one rect per text node)."""
    lines: list[dict] = []
    for rect in sorted(rects, key=lambda r: (r["top"], r["left"])):
        same = next((l for l in lines if abs(l["top"] - rect["top"]) < 2), None)
        if same is None:
            lines.append(dict(rect))
        else:
            same["left"], same["right"] = min(same["left"], rect["left"]), max(same["right"], rect["right"])
            same["bottom"] = max(same["bottom"], rect["bottom"])
    return lines


def utf16_slice(text: str, start: int, end: int) -> str:
    """Slices by UTF-16 code units, as the extension's offsets are (JavaScript string indices)."""
    units = text.encode("utf-16-le", errors="surrogatepass")
    return units[start * 2:end * 2].decode("utf-16-le", errors="replace")
