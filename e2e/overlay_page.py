"""The overlay's layout pages (e2e/site/orders/<order>/layouts/) on the QA kit's page helper, in
Chromium and Firefox, and a geometry oracle for what the extension paints over them.

The composer of a layout page may sit in an open shadow root or a same-origin frame: LayoutPage
finds it by id wherever it is (the page helper's own reads stop at the document), and measures its
characters where the frame shows them.

The oracle is written apart from the extension's own placement code: it walks the page itself (open
shadow roots and same-origin frames included, frames offset to the top viewport and cut to their
box) for everything a person can click, type in or tab to and for every line of its text (Range
rects of its text nodes, not element boxes), and reports each painted panel (card, paste dialog,
send confirmation, status chip) whose rectangle meets one of those controls or another panel,
leaves the viewport, or lives in a frame instead of the top document. What is painted while the
user is not looking at it (a collapsed card's marker, the chip) must also cover no text of the page;
a marker must lie inside its own composer's box and off the composer's own text.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from companion.testing.firefox import pointer_click
from companion.testing.page import PAINTED_JS, SPAN_RECTS_JS, ComposerPage
from harness import E2E_DIR, SiteServer

SCREENSHOT_DIR = E2E_DIR / "results" / "screens"

# page name -> (file under e2e/site/orders/<order>/, id of its main composer)
LAYOUTS = {
    "send-below": ("layouts/send-below.html", "chat-input"),
    "bottom": ("layouts/bottom.html", "chat-input"),
    "dark": ("layouts/dark.html", "chat-input"),
    "shadow": ("layouts/shadow.html", "shadow-input"),
    "iframe": ("layouts/iframe.html", "frame-input"),
    "srcdoc": ("layouts/iframe.html", "notes-input"),
    "cross-origin": ("layouts/cross-origin.html", "top-input"),
    "scheme": ("layouts/scheme.html", "chat-input"),
    "requirements": ("requirements.html", "req-brief"),
}

# Finds an element by id in the document, its open shadow roots and same-origin frames (deep), and
# the offset of its frame's viewport in the top one. Prefix of the scripts below.
_DEEP = """
const deep = (id) => {
  const visit = (root, dx, dy) => {
    const hit = root.getElementById(id);
    if (hit) return {el: hit, dx, dy};
    for (const el of root.querySelectorAll('*')) {
      if (el.shadowRoot) { const found = visit(el.shadowRoot, dx, dy); if (found) return found; }
      let doc = null;
      try { doc = el.localName === 'iframe' ? el.contentDocument : null; } catch (e) { doc = null; }
      if (doc && doc.documentElement) {
        const r = el.getBoundingClientRect(), cs = getComputedStyle(el);
        const found = visit(doc, dx + r.left + el.clientLeft + parseFloat(cs.paddingLeft),
                            dy + r.top + el.clientTop + parseFloat(cs.paddingTop));
        if (found) return found;
      }
    }
    return null;
  };
  return visit(document, 0, 0);
};
const textOf = (el) => el.isContentEditable ? el.innerText.replace(/\\n$/, '') : el.value;
const selectionOf = (el) => {
  const root = el.getRootNode();
  return root.host && root.getSelection ? root.getSelection() : el.ownerDocument.getSelection();
};
"""

# What the page helper's _read() returns, for a composer found by id anywhere.
_READ_JS = "([id]) => {" + _DEEP + """
  const key = id;
  const found = deep(id);
  const text = found ? textOf(found.el) : null;""" + PAINTED_JS + "}"

# Where the characters [start, end) of the composer are drawn in the top viewport, measured apart
# from the extension: a Range for contenteditable, a styled mirror (in the composer's own document)
# for textarea/input.
_SPAN_RECTS_JS = "([id, start, end]) => {" + _DEEP + """
  const {el, dx, dy} = deep(id);""" + SPAN_RECTS_JS + "}"

_FOCUS_JS = "([id]) => {" + _DEEP + " deep(id).el.focus(); }"

_BOX_JS = "([id]) => {" + _DEEP + """
  const {el, dx, dy} = deep(id); const r = el.getBoundingClientRect();
  return {left: r.left + dx, top: r.top + dy, right: r.right + dx, bottom: r.bottom + dy};
}"""

_SELECTION_JS = "([id]) => {" + _DEEP + """
  const {el} = deep(id);
  if (!el.isContentEditable) return [el.selectionStart, el.selectionEnd];
  const sel = selectionOf(el);
  const offsetOf = (node, off) => {
    const r = el.ownerDocument.createRange(); r.selectNodeContents(el); r.setEnd(node, off);
    return r.toString().length;
  };
  return [offsetOf(sel.anchorNode, sel.anchorOffset), offsetOf(sel.focusNode, sel.focusOffset)].sort((a, b) => a - b);
}"""

_SET_CARET_JS = "([id, offset]) => {" + _DEEP + """
  const {el} = deep(id);
  el.focus();
  if (!el.isContentEditable) { el.setSelectionRange(offset, offset); return; }
  const walker = el.ownerDocument.createTreeWalker(el, 4);
  let node, seen = 0;
  while ((node = walker.nextNode())) {
    if (offset <= seen + node.data.length) { selectionOf(el).collapse(node, offset - seen); return; }
    seen += node.data.length;
  }
  selectionOf(el).collapse(el, el.childNodes.length);
}"""

# Texts of elements matching a selector in the document, its open shadow roots and same-origin frames.
_DEEP_TEXTS_JS = """([selector]) => {
  const out = [];
  const visit = (root) => {
    for (const el of root.querySelectorAll(selector)) out.push(el.textContent.trim());
    for (const el of root.querySelectorAll('*')) {
      if (el.shadowRoot) visit(el.shadowRoot);
      let doc = null;
      try { doc = el.localName === 'iframe' ? el.contentDocument : null; } catch (e) { doc = null; }
      if (doc && doc.documentElement) visit(doc);
    }
  };
  visit(document);
  return out;
}"""

_GEOMETRY_JS = "() => {" + _DEEP + """
  const spanRects = (el, dx, dy, start, end) => {""" + SPAN_RECTS_JS + """};
  // What a person can click, type in or tab to (the oracle's own list, not the extension's), and
  // labels: clicking one works its field, and a panel over it hides what the field is for.
  const CONTROLS = 'label, a[href], area[href], button, input:not([type="hidden" i]), select, textarea, iframe, embed, ' +
    'object, summary, [contenteditable]:not([contenteditable="false" i]), [tabindex]:not([tabindex^="-"]), ' +
    '[role="button"], [role="link"], [role="textbox"]';
  const PANELS = '.cg-banner, .cg-paste-dialog, .cg-send-confirm, .cg-status';
  const vw = document.documentElement.clientWidth, vh = document.documentElement.clientHeight;
  const box = (r, dx = 0, dy = 0) => ({left: r.left + dx, top: r.top + dy, right: r.right + dx, bottom: r.bottom + dy});
  const cut = (a, b) => {
    const r = {left: Math.max(a.left, b.left), top: Math.max(a.top, b.top), right: Math.min(a.right, b.right), bottom: Math.min(a.bottom, b.bottom)};
    return r.right > r.left && r.bottom > r.top ? r : null;
  };
  const visible = (el) => {
    const s = el.ownerDocument.defaultView.getComputedStyle(el);
    return s.visibility !== 'hidden' && s.display !== 'none';
  };
  const name = (el) => {
    let text = el.localName + (el.id ? '#' + el.id : '');
    const words = (el.getAttribute('aria-label') || el.textContent || el.value || '').trim().replace(/\\s+/g, ' ');
    if (words && el.localName !== 'textarea') text += ` "${words.slice(0, 24)}"`;
    return text;
  };
  const controls = [], overlays = [], chips = [], texts = [];
  // Text drawn on the page, line by line (a Range's rects: an element's box says nothing of where
  // its words are); text of elements that draw none of it (script, a textarea's default value) is not.
  const UNDRAWN = new Set(['script', 'style', 'template', 'noscript', 'textarea', 'title', 'option', 'optgroup']);
  const readTexts = (root, dx, dy, clip) => {
    const doc = root.ownerDocument || root;
    const walker = doc.createTreeWalker(root, 4 /* SHOW_TEXT */);
    const range = doc.createRange();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const words = node.data.trim().replace(/\\s+/g, ' ');
      if (!words || UNDRAWN.has(node.parentNode.localName) || !visible(node.parentNode)) continue;
      range.selectNodeContents(node);
      for (const r of range.getClientRects()) {
        const rect = r.width > 0 && r.height > 0 ? cut(clip, box(r, dx, dy)) : null;
        if (rect) texts.push({name: `text "${words.slice(0, 24)}"`, rect});
      }
    }
  };
  const walk = (root, dx, dy, clip, where) => {
    readTexts(root, dx, dy, clip);
    for (const el of root.querySelectorAll('*')) {
      if (el.localName === 'contact-guard-root') {
        overlays.push(where);
        for (const chip of el.shadowRoot.querySelectorAll('.cg-status')) {
          const r = chip.getBoundingClientRect();
          if (r.width > 0 && r.height > 0 && visible(chip)) chips.push(where);
        }
        continue;
      }
      if (el.shadowRoot) walk(el.shadowRoot, dx, dy, clip, `${where} > ${name(el)}::shadow`);
      let doc = null;
      try { doc = el.localName === 'iframe' ? el.contentDocument : null; } catch (e) { doc = null; }
      if (doc && doc.documentElement) {
        const r = el.getBoundingClientRect(), cs = getComputedStyle(el);
        const x = dx + r.left + el.clientLeft + parseFloat(cs.paddingLeft);
        const y = dy + r.top + el.clientTop + parseFloat(cs.paddingTop);
        const inner = {left: x, top: y,
          right: x + el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight),
          bottom: y + el.clientHeight - parseFloat(cs.paddingTop) - parseFloat(cs.paddingBottom)};
        const seen = cut(clip, inner);
        if (seen) walk(doc, x, y, seen, `${where} > ${name(el)}`);
        continue;
      }
      if (!el.matches(CONTROLS)) continue;
      const r = el.getBoundingClientRect();
      if (r.width <= 0 || r.height <= 0 || !visible(el)) continue;
      const rect = cut(clip, box(r, dx, dy));
      if (rect) controls.push({name: `${where} ${name(el)}`, rect});
    }
  };
  walk(document, 0, 0, {left: 0, top: 0, right: vw, bottom: vh}, 'page');
  const root = document.querySelector('contact-guard-root')?.shadowRoot;
  const painted = Array.from(root ? root.querySelectorAll(PANELS) : [])
    .filter((el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0 && visible(el); })
    .map((el) => {
      const key = el.closest('[data-cg-for]')?.dataset.cgFor ?? null;
      const collapsed = el.dataset.collapsed !== undefined;
      const panel = {
        name: `${el.className}${el.dataset.verdict ? '[' + el.dataset.verdict + ']' : ''}` +
          `${collapsed ? '[collapsed]' : ''} for ${key ?? 'the chip'}`,
        rect: box(el.getBoundingClientRect()),
        theme: el.closest('[data-theme]')?.dataset.theme ?? el.dataset.theme ?? null,
        background: el.ownerDocument.defaultView.getComputedStyle(el).backgroundColor,
        // Shown while the user is not looking at it: it must cover no text either.
        quiet: collapsed || el.classList.contains('cg-status'),
        field: null,
      };
      // A marker belongs in its composer: its box, and where its own text is drawn.
      const found = collapsed && key ? deep(key) : null;
      if (found) {
        const fieldBox = box(found.el.getBoundingClientRect(), found.dx, found.dy);
        panel.field = {box: fieldBox, texts: spanRects(found.el, found.dx, found.dy, 0, textOf(found.el).length)
          .map((r) => cut(fieldBox, r)).filter(Boolean)};
      }
      return panel;
    });
  return {viewport: {width: vw, height: vh}, controls, painted, overlays, chips, texts};
}"""

# The overlay's keyboard focus and what the live region says.
_OVERLAY_FOCUS_JS = """() => {
  const root = document.querySelector('contact-guard-root').shadowRoot;
  const active = root.activeElement;
  const banner = root.querySelector('.cg-banner');
  const byId = (id) => root.getElementById(id);
  return {
    action: active ? (active.dataset.action ?? active.localName) : null,
    live: root.querySelector('[aria-live]')?.textContent ?? '',
    role: banner?.getAttribute('role') ?? null,
    title: banner ? byId(banner.getAttribute('aria-labelledby'))?.textContent ?? null : null,
    described: banner ? Array.from(banner.querySelectorAll('button[aria-describedby]')).every(b =>
      b.getAttribute('aria-describedby').split(' ').every(id => byId(id))) : false,
  };
}"""


def _intersects(a: dict, b: dict) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def _contains(outer: dict, inner: dict) -> bool:
    return (outer["left"] <= inner["left"] and outer["top"] <= inner["top"] and outer["right"] >= inner["right"]
            and outer["bottom"] >= inner["bottom"])


def _fmt(rect: dict) -> str:
    return f"({rect['left']:.0f},{rect['top']:.0f})-({rect['right']:.0f},{rect['bottom']:.0f})"


@dataclass
class Geometry:
    viewport: dict
    controls: list[dict]
    painted: list[dict]
    overlays: list[str]
    chips: list[str]
    texts: list[dict]

    def panel(self, prefix: str) -> dict | None:
        return next((p for p in self.painted if p["name"].startswith(prefix)), None)

    def problems(self) -> list[str]:
        found = []
        if self.overlays != ["page"]:
            found.append(f"overlay roots must be exactly one, in the top document: {self.overlays}")
        if len(self.chips) > 1:
            found.append(f"{len(self.chips)} status chips shown (one per tab): {self.chips}")
        width, height = self.viewport["width"], self.viewport["height"]
        for panel in self.painted:
            rect = panel["rect"]
            if rect["left"] < 0 or rect["top"] < 0 or rect["right"] > width or rect["bottom"] > height:
                found.append(f"{panel['name']} {_fmt(rect)} is not fully inside the {width}x{height} viewport")
            field = panel["field"]
            for control in self.controls:
                # A marker sits on its own composer (and on what holds it: a wrapping label).
                if field and _contains(control["rect"], field["box"]):
                    continue
                if _intersects(rect, control["rect"]):
                    found.append(f"{panel['name']} {_fmt(rect)} covers {control['name']} {_fmt(control['rect'])}")
            if panel["quiet"]:
                for text in self.texts:
                    if _intersects(rect, text["rect"]):
                        found.append(f"{panel['name']} {_fmt(rect)} covers the page's {text['name']} {_fmt(text['rect'])}")
            if "[collapsed]" in panel["name"]:
                if field is None:
                    found.append(f"{panel['name']} {_fmt(rect)}: its composer was not found")
                    continue
                if not _contains(field["box"], rect):
                    found.append(f"{panel['name']} {_fmt(rect)} is not inside its composer {_fmt(field['box'])}")
                for line in field["texts"]:
                    if _intersects(rect, line):
                        found.append(f"{panel['name']} {_fmt(rect)} covers its composer's text {_fmt(line)}")
        for i, a in enumerate(self.painted):
            for b in self.painted[i + 1:]:
                if _intersects(a["rect"], b["rect"]):
                    found.append(f"{a['name']} {_fmt(a['rect'])} overlaps {b['name']} {_fmt(b['rect'])}")
        return found


def geometry(page: ComposerPage) -> Geometry:
    """Everything painted and every control of the page, from the page itself (either browser)."""
    return Geometry(**page.evaluate(_GEOMETRY_JS))


class LayoutPage(ComposerPage):
    """The page helper on a layout page, its composer found by id in shadow roots and frames too."""

    def __init__(self, cg_page: ComposerPage, site: SiteServer, name: str, composer_id: str | None = None) -> None:
        super().__init__(cg_page.tab)
        file, default_id = LAYOUTS[name]
        self.name = name
        self.url = site.order_page(file)
        self.composer_id = composer_id or default_id
        self.selector = f"#{self.composer_id}"
        self._key = self.composer_id

    def open(self, *, expect_status: str | None = "connected") -> LayoutPage:
        self.tab.goto(self.url)
        self.focus()
        if expect_status:
            self.expect_status(expect_status)
        return self

    def switch(self, composer_id: str) -> LayoutPage:
        """Another composer of the same page (found anywhere), focused."""
        self.composer_id = composer_id
        self.selector = f"#{composer_id}"
        self._key = composer_id
        self.focus()
        return self

    # --- the page helper's reads, deep --------------------------------------------------------------
    def _read(self) -> dict:
        state = self.tab.evaluate(_READ_JS, [self.composer_id])
        if state["text"] is None:
            raise AssertionError(f"no composer #{self.composer_id} on {self.tab.url} (document, shadow roots, frames)")
        return state

    def focus(self) -> None:
        self.tab.evaluate(_FOCUS_JS, [self.composer_id])

    def span_rects(self, start: int, end: int) -> list[dict]:
        return self.tab.evaluate(_SPAN_RECTS_JS, [self.composer_id, start, end])

    def selection(self) -> tuple[int, int]:
        return tuple(self.tab.evaluate(_SELECTION_JS, [self.composer_id]))

    def set_caret(self, offset: int) -> None:
        self.tab.evaluate(_SET_CARET_JS, [self.composer_id, offset])

    def composer_box(self) -> dict:
        return self.tab.evaluate(_BOX_JS, [self.composer_id])

    def deep_texts(self, selector: str) -> list[str]:
        return self.tab.evaluate(_DEEP_TEXTS_JS, [selector])

    def overlay_focus(self) -> dict:
        return self.tab.evaluate(_OVERLAY_FOCUS_JS)

    def geometry(self) -> Geometry:
        return geometry(self)

    # --- a cross-origin frame: its own document, its own copy of the extension --------------------
    def in_frame(self, selector: str, script: str, arg=None):
        """Runs `script` (a function of one argument) in the document of the frame `selector`."""
        if self.browser_name == "chromium":
            return self.tab.page.locator(selector).element_handle().content_frame().evaluate(script, arg)
        client = self.tab.client
        client.switch_to_frame(client.find_element("css selector", selector))
        try:
            return client.execute_script(f"return ({script})(arguments[0]);", script_args=[arg])
        finally:
            client.switch_to_frame()

    def keys_in_frame(self, selector: str, *, click: str | None = None, text: str = "", press: str = "") -> None:
        """Real input inside the frame `selector`: a click on `click` (CSS), then `text` typed and
        `press` (keys like "Alt+ArrowDown") pressed there."""
        if self.browser_name == "chromium":
            if click:
                self.tab.page.frame_locator(selector).locator(click).click()
            self._keys(text, press)
            return
        # Marionette sends input to its current browsing context: the frame's, meanwhile.
        client = self.tab.client
        client.switch_to_frame(client.find_element("css selector", selector))
        try:
            if click:
                pointer_click(client, client.find_element("css selector", click))
            self._keys(text, press)
        finally:
            client.switch_to_frame()

    def _keys(self, text: str, press: str) -> None:
        if text:
            self.tab.type(text)
        if press:
            self.tab.press(press)

    def read_in_frame(self, selector: str, composer_id: str) -> dict:
        """What the frame's own overlay painted for its composer (the page helper's _read shape)."""
        return self.in_frame(selector, _READ_JS, [composer_id])

    def geometry_in_frame(self, selector: str) -> Geometry:
        return Geometry(**self.in_frame(selector, _GEOMETRY_JS))

    # --- the pointer (the page helper has none) -------------------------------------------------------
    def hover(self, x: float, y: float) -> None:
        """Moves the mouse to (x, y) of the viewport."""
        if self.browser_name == "chromium":
            self.tab.page.mouse.move(x, y)
            return
        pointer = self.tab.client.actions.sequence("pointer", "mouse", {"pointerType": "mouse"})
        pointer.pointer_move(int(x), int(y), origin="viewport").perform()

    def shoot(self, name: str) -> Path:
        """Saves the page to <artifacts>/screens/<browser>/<name>.png to look at (the artifacts folder
        is e2e/results/, git-ignored, unless --cg-artifacts names another)."""
        return self.screenshot(SCREENSHOT_DIR / self.browser_name / f"{name}.png")


def update_docs_screenshots() -> bool:
    """CG_UPDATE_SCREENSHOT=1 also rewrites the pictures in docs/ (see docs/overlay.md)."""
    return os.environ.get("CG_UPDATE_SCREENSHOT") == "1"
