"""The page helper: one small API, the same in Chromium and Firefox, that types, pastes and sends
like a person in a page's composer and reads back what Contact Guard painted.

    page = cg_page.open("http://127.0.0.1:8000/inbox.html", composer="#message", send="#send")
    page.type("write to ana.souza@gmail.com")
    page.wait_for_marks(lambda marks: any(m.kind == "email" for m in marks), "the address")
    assert page.verdict() == "block"
    page.press("Enter")                       # or page.send(): clicks the send control
    assert page.send_dialog() is not None
    page.choose("send-cancel")

Everything the extension paints lives in the open shadow root of <contact-guard-root>: per composer
a layer [data-cg-for=<the composer's id, else its name>] with the marks (.cg-mark), the card
(.cg-banner), the paste dialog (.cg-paste-dialog) and the send confirmation (.cg-send-confirm); one
status chip (.cg-status). The helper reads them in one round trip per call.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

CONNECT_TIMEOUT_S = 10.0
# How long the extension gets to answer: debounce + companion round trip + paint, with room for a
# loaded 2-core machine. Positive waits end as soon as the condition holds.
PAINT_TIMEOUT_S = 5.0
UNDERLINE_SETTLE_S = 1.0  # a scroll's re-placement takes a frame or two; under load a few hundred ms
# Window in which nothing may be painted for a benign text (a negative can only be observed for a
# while); far above the extension's p95 latency (scripts/bench-e2e).
QUIET_WINDOW_S = 1.2


@dataclass(frozen=True)
class Mark:
    """One underline: what it says and the composer's characters under it."""

    severity: str  # block | warn | info
    kind: str  # email | phone | handle | link | offplatform_request | payment | filter_risk
    rule: str
    start: int  # UTF-16 offsets in the composer's text, as the extension has them
    end: int
    text: str
    rect: dict = field(compare=False)  # the first box; a wrapped span has one box per line
    lines: int = field(default=1, compare=False)

    def __str__(self) -> str:
        return f"{self.severity}/{self.kind} {self.text!r} [{self.start}:{self.end}] ({self.rule})"


@dataclass(frozen=True)
class CardFinding:
    kind: str
    severity: str
    text: str  # what the card says about it (excerpt, reason, suggestion)
    actions: tuple[str, ...]  # mask, ignore, rule


@dataclass(frozen=True)
class Card:
    verdict: str
    visible: bool  # on screen and not collapsed to its title line
    findings: tuple[CardFinding, ...]
    rect: dict


@dataclass(frozen=True)
class Dialog:
    """The paste dialog or the send confirmation: its choices (data-action values)."""

    actions: tuple[str, ...]
    text: str
    rect: dict


# Everything painted for one composer: the tail of a reading script that has `text` (the composer's
# text) and `key` (its layer's key, or null for the only one) in scope. Shared with the e2e layout
# helper, which finds its composers through frames and shadow roots.
PAINTED_JS = """
  const shadow = document.querySelector("contact-guard-root")?.shadowRoot;
  const box = (node) => { const r = node.getBoundingClientRect();
    return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; };
  const shown = (node) => { const r = node.getBoundingClientRect(); const s = getComputedStyle(node);
    return r.width > 0 && r.height > 0 && s.visibility !== "hidden" && s.display !== "none"; };
  const status = shadow?.querySelector(".cg-status")?.dataset.status ?? null;
  let layer = null;
  if (shadow) {
    const layers = Array.from(shadow.querySelectorAll("[data-cg-for]"));
    layer = layers.find(l => l.dataset.cgFor === key) ?? (key === null && layers.length === 1 ? layers[0] : null);
  }
  const result = {text, status, layer: layer?.dataset.cgFor ?? null, marks: [], card: null, paste: null, send: null};
  if (!layer) return result;
  result.marks = Array.from(layer.querySelectorAll(".cg-mark"), m => ({
    severity: m.dataset.severity, kind: m.dataset.kind, rule: m.dataset.rule,
    start: Number(m.dataset.start), end: Number(m.dataset.end), rect: box(m)}));
  const actions = (node) => Array.from(node.querySelectorAll("[data-action]"), b => b.dataset.action);
  const banner = layer.querySelector(".cg-banner");
  if (banner) result.card = {
    verdict: banner.dataset.verdict, visible: shown(banner) && banner.dataset.collapsed === undefined,
    rect: box(banner),
    findings: Array.from(banner.querySelectorAll(".cg-finding"), f => ({
      kind: f.dataset.kind, severity: f.dataset.severity, text: f.innerText.trim(), actions: actions(f)}))};
  for (const [name, css] of [["paste", ".cg-paste-dialog"], ["send", ".cg-send-confirm"]]) {
    const dialog = layer.querySelector(css);
    if (dialog && shown(dialog)) result[name] = {actions: actions(dialog), text: dialog.innerText.trim(), rect: box(dialog)};
  }
  return result;
"""

# One read of everything painted for one composer (a function of [composerSelector, layerKey]).
_READ_JS = """([selector, key]) => {
  const el = document.querySelector(selector);
  const text = !el ? null : (el.isContentEditable ? el.innerText.replace(/\\n$/, "") : el.value);""" + PAINTED_JS + "}"

# Focusable controls of the page covered by a visible panel of the extension (card or dialog).
_COVERED_JS = """(sendControl) => {
  const shadow = document.querySelector("contact-guard-root")?.shadowRoot;
  if (!shadow) return [];
  const panels = Array.from(shadow.querySelectorAll(".cg-banner, .cg-paste-dialog, .cg-send-confirm"))
    .filter(p => { const r = p.getBoundingClientRect(); return r.width > 0 && r.height > 0 &&
                   getComputedStyle(p).visibility !== "hidden" && p.dataset.collapsed === undefined; })
    .map(p => [p.className, p.getBoundingClientRect()]);
  const controls = document.querySelectorAll(
    "button, input:not([type=hidden]), textarea, select, a[href], [contenteditable=''], [contenteditable=true], [tabindex]" +
    (sendControl ? `, ${sendControl}` : ""));
  const covered = [];
  for (const control of controls) {
    const c = control.getBoundingClientRect();
    if (c.width === 0 || c.height === 0) continue;
    for (const [name, p] of panels) {
      const dx = Math.min(c.right, p.right) - Math.max(c.left, p.left);
      const dy = Math.min(c.bottom, p.bottom) - Math.max(c.top, p.top);
      if (dx > 1 && dy > 1) {
        const label = control.id ? `#${control.id}` : control.tagName.toLowerCase() +
          (control.textContent.trim() ? ` "${control.textContent.trim().slice(0, 30)}"` : "");
        covered.push(`${label} under .${name.split(" ")[0]}`);
      }
    }
  }
  return covered;
}"""

# Where the characters [start, end) of a composer are drawn, computed independently of the
# extension (a Range for contenteditable; a styled mirror, in the composer's own document or shadow
# root, for textarea/input): the tail of a script with `el` and its frame's offset `dx`, `dy` in the
# top viewport in scope. Shared with the e2e layout helper, whose composers sit in frames and shadow roots.
SPAN_RECTS_JS = """
  const doc = el.ownerDocument, view = doc.defaultView;
  const rects = (list) => Array.from(list, r => ({left: r.left + dx, right: r.right + dx, top: r.top + dy, bottom: r.bottom + dy}))
    .filter(r => r.right > r.left);
  if (el.isContentEditable) {
    const walker = doc.createTreeWalker(el, 4 /* NodeFilter.SHOW_TEXT */);
    const range = doc.createRange();
    let offset = 0, node, startSet = false;
    while ((node = walker.nextNode())) {
      const len = node.data.length;
      if (!startSet && start <= offset + len) { range.setStart(node, start - offset); startSet = true; }
      if (end <= offset + len) { range.setEnd(node, end - offset); break; }
      offset += len;
    }
    return rects(range.getClientRects());
  }
  const style = view.getComputedStyle(el);
  const box = el.getBoundingClientRect();
  const mirror = doc.createElement('div');
  for (const prop of ['boxSizing', 'width', 'height', 'paddingTop', 'paddingRight', 'paddingBottom',
      'paddingLeft', 'borderTopWidth', 'borderRightWidth', 'borderBottomWidth', 'borderLeftWidth',
      'borderTopStyle', 'borderRightStyle', 'borderBottomStyle', 'borderLeftStyle', 'fontFamily',
      'fontSize', 'fontWeight', 'fontStyle', 'fontVariant', 'fontStretch', 'letterSpacing', 'lineHeight',
      'textTransform', 'wordSpacing', 'textIndent', 'tabSize', 'wordBreak', 'textAlign', 'direction']) {
    mirror.style[prop] = style[prop];
  }
  const single = el.localName === 'input';
  Object.assign(mirror.style, {
    position: 'absolute', left: `${box.left + view.scrollX}px`, top: `${box.top + view.scrollY}px`,
    visibility: 'hidden', overflow: 'hidden', margin: '0',
    whiteSpace: single ? 'pre' : 'pre-wrap', overflowWrap: single ? 'normal' : 'break-word',
  });
  if (!single) {
    // A vertical scrollbar narrows a textarea's lines; the mirror gets the same width for them
    // (its border box as the textarea's, the scrollbar's width added to its right padding).
    const scrollbar = el.offsetWidth - el.clientWidth - parseFloat(style.borderLeftWidth) - parseFloat(style.borderRightWidth);
    Object.assign(mirror.style, {boxSizing: 'border-box', width: `${el.offsetWidth}px`, height: `${el.offsetHeight}px`,
      paddingRight: `${parseFloat(style.paddingRight) + Math.max(0, scrollbar)}px`});
  }
  const span = doc.createElement('span');
  span.textContent = el.value.slice(start, end);
  mirror.append(el.value.slice(0, start), span, el.value.slice(end));
  (el.getRootNode().host ? el.getRootNode() : doc.body).append(mirror);
  mirror.scrollTop = el.scrollTop;
  mirror.scrollLeft = el.scrollLeft;
  const found = rects(span.getClientRects());
  mirror.remove();
  return found;
"""

_SPAN_RECTS_JS = """([selector, start, end]) => {
  const el = document.querySelector(selector), dx = 0, dy = 0;""" + SPAN_RECTS_JS + "}"

_SELECTION_JS = """(selector) => {
  const el = document.querySelector(selector);
  if (!el.isContentEditable) return [el.selectionStart, el.selectionEnd];
  const sel = getSelection();
  const offsetOf = (node, off) => {
    const r = document.createRange(); r.selectNodeContents(el); r.setEnd(node, off);
    return r.toString().length;
  };
  return [offsetOf(sel.anchorNode, sel.anchorOffset), offsetOf(sel.focusNode, sel.focusOffset)].sort((a, b) => a - b);
}"""

_SET_CARET_JS = """([selector, offset]) => {
  const el = document.querySelector(selector);
  el.focus();
  if (!el.isContentEditable) { el.setSelectionRange(offset, offset); return; }
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  let node, seen = 0;
  while ((node = walker.nextNode())) {
    if (offset <= seen + node.data.length) { getSelection().collapse(node, offset - seen); return; }
    seen += node.data.length;
  }
  getSelection().collapse(el, el.childNodes.length);
}"""

# The extension keys a composer's layer by its id, else its name (else a counter: then the helper
# takes the page's only layer).
_KEY_JS = """(selector) => { const el = document.querySelector(selector);
  return el ? (el.id || el.getAttribute("name") || null) : null; }"""


class ComposerPage:
    """One tab, one composer in it. Built by the `cg_page` fixture; `open()` points it at a page."""

    def __init__(self, tab) -> None:
        self.tab = tab  # ChromiumTab (.page: Playwright Page) or FirefoxTab (.client: Marionette)
        self.browser = tab.browser
        self.selector = "textarea"  # the composer, a CSS selector
        self.send_control: str | None = None
        self._key: str | None = None

    @property
    def browser_name(self) -> str:
        return self.browser.name

    # --- opening ------------------------------------------------------------------------------------
    def open(self, url: str, *, composer: str | None = None, send: str | None = None,
             surface: str | None = None, expect_status: str | None = "connected") -> ComposerPage:
        """Loads `url`, clicks into the composer (a CSS selector) and waits for the extension's
        status. `surface` (message, requirements, delivery, offer, other) sets data-cg-surface on
        the composer, which the extension honours before its own guess."""
        self.tab.goto(url)
        self.use(composer or self.selector, send=send)
        if surface:
            self.tab.evaluate("([s, v]) => document.querySelector(s).setAttribute('data-cg-surface', v)",
                              [self.selector, surface])
        self.tab.click(self.selector)
        if expect_status:
            self.expect_status(expect_status)
        return self

    def use(self, composer: str, *, send: str | None = None) -> ComposerPage:
        """Switches to another composer of the same page (CSS selector), and its send control."""
        key = self.tab.evaluate(_KEY_JS, composer)
        self.selector, self.send_control, self._key = composer, send, key
        return self

    # --- driving, like a person -----------------------------------------------------------------------
    def focus(self) -> None:
        self.tab.focus(self.selector)

    def type(self, text: str) -> None:
        """Real key events into the composer (focused first; the caret stays where it is)."""
        self.focus()
        self.tab.type(text)

    def paste(self, text: str) -> None:
        """A trusted paste: the text goes to the real clipboard, then Ctrl+V in the composer."""
        self.focus()
        self.tab.paste(text)

    def press(self, keys: str) -> None:
        """Keys like "Enter", "Shift+Enter", "Control+Z", "Escape" in the focused element."""
        self.tab.press(keys)

    def compose(self, text: str) -> None:
        """An input method (IME) shows `text` as its candidate in the focused composer: real
        composition events (Chromium: CDP; Firefox: nsITextInputProcessor), nothing committed yet."""
        self.tab.compose(text)

    def commit(self, text: str) -> None:
        """The input method commits `text` in place of its candidate (compositionend)."""
        self.tab.commit(text)

    def press_composing(self, key: str) -> None:
        """`key` (e.g. "Enter") pressed while the input method's composition is open."""
        self.tab.press_composing(key)

    def send(self) -> None:
        """Sends like a person: clicks the send control given to open(), else presses Enter."""
        if self.send_control:
            self.tab.click(self.send_control)
        else:
            self.focus()
            self.tab.press("Enter")

    def click(self, selector: str) -> None:
        """A real click on an element of the page."""
        self.tab.click(selector)

    def choose(self, action: str, *, kind: str | None = None) -> None:
        """Clicks a button of the card or of a dialog by its action: mask, ignore (of the finding of
        `kind`, else the first), paste-masked, paste-anyway, paste-cancel, send-anyway, send-cancel."""
        scope = f"[data-cg-for=\"{self._layer_key()}\"]"
        finding = f" .cg-finding[data-kind=\"{kind}\"]" if kind else ""
        self.tab.click_overlay(f"{scope}{finding} [data-action=\"{action}\"]")

    def set_caret(self, offset: int) -> None:
        """Puts the caret at a UTF-16 offset of the composer's text."""
        self.tab.evaluate(_SET_CARET_JS, [self.selector, offset])

    def wait(self, seconds: float) -> None:
        self.tab.wait(seconds * 1000)

    # --- reading what is there -----------------------------------------------------------------------
    def _read(self) -> dict:
        state = self.tab.evaluate(_READ_JS, [self.selector, self._key])
        if state["text"] is None:
            raise AssertionError(f"no composer matches {self.selector!r} on {self.tab.url}")
        return state

    def _layer_key(self) -> str:
        key = self._key or self._read()["layer"]
        if key is None:
            raise AssertionError(f"the composer {self.selector!r} has no id or name and the page has "
                                 "several watched composers: give it an id")
        return key

    def text(self) -> str:
        return self._read()["text"]

    def selection(self) -> tuple[int, int]:
        """Caret/selection as UTF-16 offsets into the composer's text."""
        return tuple(self.tab.evaluate(_SELECTION_JS, self.selector))

    def status(self) -> str | None:
        """The status chip: connected | offline | unpaired | too_long | disabled (None: no chip)."""
        return self._read()["status"]

    def marks(self) -> list[Mark]:
        """One Mark per painted finding (the extension draws one box per line of a wrapped span)."""
        state = self._read()
        found: dict[tuple, Mark] = {}
        for m in state["marks"]:
            identity = (m["severity"], m["kind"], m["rule"], m["start"], m["end"])
            if identity in found:
                found[identity] = replace(found[identity], lines=found[identity].lines + 1)
            else:
                found[identity] = Mark(text=utf16_slice(state["text"], m["start"], m["end"]), **m)
        return list(found.values())

    def card(self) -> Card | None:
        raw = self._read()["card"]
        if raw is None:
            return None
        findings = tuple(CardFinding(f["kind"], f["severity"], f["text"], tuple(f["actions"]))
                         for f in raw["findings"])
        return Card(raw["verdict"], raw["visible"], findings, raw["rect"])

    def verdict(self) -> str:
        """The card's verdict: block | warn | info, or ok when there is no card."""
        card = self.card()
        return card.verdict if card else "ok"

    def paste_dialog(self) -> Dialog | None:
        raw = self._read()["paste"]
        return Dialog(tuple(raw["actions"]), raw["text"], raw["rect"]) if raw else None

    def send_dialog(self) -> Dialog | None:
        raw = self._read()["send"]
        return Dialog(tuple(raw["actions"]), raw["text"], raw["rect"]) if raw else None

    def texts(self, selector: str) -> list[str]:
        """The visible text of every element of the page matching `selector` (e.g. sent messages)."""
        return self.tab.evaluate(
            "(s) => Array.from(document.querySelectorAll(s), e => e.innerText.trim())", selector)

    def evaluate(self, script: str, arg=None):
        """Runs a JavaScript function of one argument in the page and returns its JSON result."""
        return self.tab.evaluate(script, arg)

    def covered_controls(self) -> list[str]:
        """The page's focusable controls that an open card or dialog of the extension covers,
        by geometry (a card over the send button passes every DOM assertion). The composer's send
        control counts even when it is not focusable (a page may send from a plain span)."""
        return self.tab.evaluate(_COVERED_JS, self.send_control)

    def screenshot(self, path: str | Path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.tab.screenshot(path)
        return path

    # --- waiting ------------------------------------------------------------------------------------------
    def poll(self, read: Callable, accept: Callable, timeout_s: float, explain: Callable):
        """Calls read() until accept(value); fails with explain(last value) after timeout_s."""
        deadline = time.monotonic() + timeout_s
        while True:
            value = read()
            if accept(value):
                return value
            if time.monotonic() > deadline:
                raise AssertionError(explain(value))
            self.tab.wait(40)

    def expect_status(self, status: str, timeout_s: float = CONNECT_TIMEOUT_S) -> None:
        self.poll(self.status, lambda s: s == status, timeout_s,
                  lambda s: f"status is {s!r}, expected {status!r} within {timeout_s} s")

    def wait_for_marks(self, accept: Callable[[list[Mark]], bool], describe: str,
                       timeout_s: float = PAINT_TIMEOUT_S) -> list[Mark]:
        """Polls until accept(marks) is true; fails with what was painted last."""
        return self.poll(self.marks, accept, timeout_s,
                         lambda marks: f"{describe}: not painted within {timeout_s} s; "
                                       f"painted: {[str(m) for m in marks] or 'nothing'}")

    def wait_for_text(self, text: str, timeout_s: float = PAINT_TIMEOUT_S) -> None:
        self.poll(self.text, lambda current: current == text, timeout_s,
                  lambda current: f"composer text is {current!r}, expected {text!r}")

    def wait_for(self, read: Callable, describe: str, timeout_s: float = PAINT_TIMEOUT_S):
        """Polls read() until it returns something truthy (e.g. page.paste_dialog)."""
        return self.poll(read, bool, timeout_s, lambda value: f"{describe}: not within {timeout_s} s")

    def wait_gone(self, read: Callable, describe: str, timeout_s: float = PAINT_TIMEOUT_S) -> None:
        self.poll(read, lambda value: not value, timeout_s, lambda value: f"{describe} still there: {value}")

    def wait_quiet(self, window_s: float = QUIET_WINDOW_S) -> list[Mark]:
        """Marks painted at the end of a quiet window (for texts where nothing is expected)."""
        self.tab.wait(window_s * 1000)
        return self.marks()

    # --- geometry ------------------------------------------------------------------------------------------
    def span_rects(self, start: int, end: int) -> list[dict]:
        return self.tab.evaluate(_SPAN_RECTS_JS, [self.selector, start, end])

    def underline_problems(self, mark: Mark, tolerance: float = 2.5,
                           settle_s: float = UNDERLINE_SETTLE_S) -> list[str]:
        """Whether the mark's box sits under the characters it claims (an independent measure).

        The mark and the characters are read at two moments; a composer that scrolls to its caret
        in between (Firefox does so on its next reflow, after the input event) moves the characters
        first and the underline on the scroll event after. So a mismatch is read again, with the
        mark as painted now, until it settles or settle_s passes: an underline that stays off fails.
        """
        deadline = time.monotonic() + settle_s
        while True:
            problems = self._underline_problems_now(mark, tolerance)
            if not problems or time.monotonic() >= deadline:
                return problems
            time.sleep(0.1)
            mark = next((m for m in self.marks() if m == mark), mark)

    def _underline_problems_now(self, mark: Mark, tolerance: float) -> list[str]:
        lines = _merge_lines(self.span_rects(mark.start, mark.end))
        if not lines:
            return [f"{mark}: its characters are not on screen"]
        box = mark.rect
        if box["right"] - box["left"] <= 0 or box["bottom"] - box["top"] <= 0:
            return [f"{mark}: the mark has no size"]
        if len(lines) > 1 or mark.lines > 1:
            return []  # a wrapped span: its first box's edges say nothing precise
        line = lines[0]
        problems = []
        if abs(box["left"] - line["left"]) > tolerance or abs(box["right"] - line["right"]) > tolerance:
            problems.append(f"{mark}: underline spans x {box['left']:.0f}..{box['right']:.0f}, "
                            f"the characters x {line['left']:.0f}..{line['right']:.0f}")
        if box["top"] < line["top"] - tolerance or box["bottom"] > line["bottom"] + 1.5 * tolerance:
            problems.append(f"{mark}: underline spans y {box['top']:.0f}..{box['bottom']:.0f}, "
                            f"the characters y {line['top']:.0f}..{line['bottom']:.0f}")
        return problems


def _merge_lines(rects: list[dict]) -> list[dict]:
    """Client rects of a span merged per text line (a Range can give one rect per text node)."""
    lines: list[dict] = []
    for rect in sorted(rects, key=lambda r: (r["top"], r["left"])):
        same = next((line for line in lines if abs(line["top"] - rect["top"]) < 2), None)
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
