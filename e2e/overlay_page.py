"""The overlay's layout pages (e2e/site/orders/<order>/layouts/) and a geometry oracle for what the
extension paints over them.

The oracle is written apart from the extension's own placement code: it walks the page itself (open
shadow roots and same-origin frames included, frames offset to the top viewport and cut to their
box) for everything a person can click, type in or tab to, and reports each painted panel (card,
paste dialog, send confirmation, status chip) whose rectangle meets one of those controls, leaves the
viewport, or lives in a frame instead of the top document.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import FrameLocator, Locator, Page

from harness import E2E_DIR, SiteServer
from order_page import OrderPage

SCREENSHOT_DIR = E2E_DIR / "results" / "screens"

# page name -> (file under e2e/site/orders/<order>/, id of its main composer, frame selector or None)
LAYOUTS = {
    "send-below": ("layouts/send-below.html", "chat-input", None),
    "bottom": ("layouts/bottom.html", "chat-input", None),
    "dark": ("layouts/dark.html", "chat-input", None),
    "shadow": ("layouts/shadow.html", "shadow-input", None),
    "iframe": ("layouts/iframe.html", "frame-input", "#chat-frame"),
    "srcdoc": ("layouts/iframe.html", "notes-input", "#notes-frame"),
}

_GEOMETRY_JS = """
() => {
  // What a person can click, type in or tab to (the oracle's own list, not the extension's).
  const CONTROLS = 'a[href], area[href], button, input:not([type="hidden" i]), select, textarea, iframe, embed, ' +
    'object, summary, [contenteditable]:not([contenteditable="false" i]), [tabindex]:not([tabindex^="-"]), ' +
    '[role="button"], [role="link"], [role="textbox"]';
  const PANELS = '.cg-banner, .cg-paste-dialog, .cg-send-confirm, .cg-status';
  const vw = document.documentElement.clientWidth, vh = document.documentElement.clientHeight;
  const box = (r, dx = 0, dy = 0) => ({left: r.left + dx, top: r.top + dy, right: r.right + dx, bottom: r.bottom + dy});
  const cut = (a, b) => {
    const r = {left: Math.max(a.left, b.left), top: Math.max(a.top, b.top), right: Math.min(a.right, b.right), bottom: Math.min(a.bottom, b.bottom)};
    return r.right > r.left && r.bottom > r.top ? r : null;
  };
  const name = (el) => {
    let text = el.localName + (el.id ? '#' + el.id : '');
    const words = (el.getAttribute('aria-label') || el.textContent || el.value || '').trim().replace(/\\s+/g, ' ');
    if (words && el.localName !== 'textarea') text += ` "${words.slice(0, 24)}"`;
    return text;
  };
  const controls = [], overlays = [], chips = [];
  const walk = (root, dx, dy, clip, where) => {
    for (const el of root.querySelectorAll('*')) {
      if (el.localName === 'contact-guard-root') {
        overlays.push(where);
        for (const chip of el.shadowRoot.querySelectorAll('.cg-status')) {
          if (chip.checkVisibility({visibilityProperty: true})) chips.push(where);
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
        const visible = cut(clip, inner);
        if (visible) walk(doc, x, y, visible, `${where} > ${name(el)}`);
        continue;
      }
      if (!el.matches(CONTROLS)) continue;
      const r = el.getBoundingClientRect();
      if (r.width <= 0 || r.height <= 0 || !el.checkVisibility({visibilityProperty: true})) continue;
      const rect = cut(clip, box(r, dx, dy));
      if (rect) controls.push({name: `${where} ${name(el)}`, rect});
    }
  };
  walk(document, 0, 0, {left: 0, top: 0, right: vw, bottom: vh}, 'page');
  const root = document.querySelector('contact-guard-root')?.shadowRoot;
  const painted = [...(root ? root.querySelectorAll(PANELS) : [])]
    .filter((el) => el.checkVisibility({visibilityProperty: true}))
    .map((el) => ({
      name: `${el.className}${el.dataset.verdict ? '[' + el.dataset.verdict + ']' : ''}` +
        `${el.hasAttribute('data-collapsed') ? '[collapsed]' : ''} for ${el.closest('[data-cg-for]')?.dataset.cgFor ?? 'the chip'}`,
      rect: box(el.getBoundingClientRect()),
    }));
  return {viewport: {width: vw, height: vh}, controls, painted, overlays, chips};
}
"""


def _intersects(a: dict, b: dict) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def _fmt(rect: dict) -> str:
    return f"({rect['left']:.0f},{rect['top']:.0f})-({rect['right']:.0f},{rect['bottom']:.0f})"


@dataclass
class Geometry:
    viewport: dict
    controls: list[dict]
    painted: list[dict]
    overlays: list[str]
    chips: list[str]

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
            for control in self.controls:
                if _intersects(rect, control["rect"]):
                    found.append(f"{panel['name']} {_fmt(rect)} covers {control['name']} {_fmt(control['rect'])}")
        for i, a in enumerate(self.painted):
            for b in self.painted[i + 1:]:
                if _intersects(a["rect"], b["rect"]):
                    found.append(f"{a['name']} {_fmt(a['rect'])} overlaps {b['name']} {_fmt(b['rect'])}")
        return found


def geometry(page: Page) -> Geometry:
    return Geometry(**page.evaluate(_GEOMETRY_JS))


def screenshot(page: Page, name: str) -> Path:
    """Saves the viewport to e2e/results/screens/<name>.png (git-ignored) for a person to look at."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=str(path))
    return path


class LayoutPage(OrderPage):
    """An OrderPage for the layout pages; the composer may sit in a shadow root or a same-origin frame."""

    def __init__(self, page: Page, site: SiteServer, name: str) -> None:
        file, composer_id, frame = LAYOUTS[name]
        self.page = page
        self.name = name
        self.url = site.order_page(file)
        self.composer_id = composer_id
        self.frame_selector = frame

    @property
    def scope(self) -> Page | FrameLocator:
        return self.page.frame_locator(self.frame_selector) if self.frame_selector else self.page

    @property
    def composer(self) -> Locator:
        # Playwright's CSS selectors pierce open shadow roots.
        return self.scope.locator(f"#{self.composer_id}")

    @property
    def chip(self) -> Locator:
        return self.page.locator("contact-guard-root .cg-status")

    def frame_offset(self) -> tuple[float, float]:
        if not self.frame_selector:
            return 0.0, 0.0
        return tuple(self.page.locator(self.frame_selector).evaluate("""el => {
          const r = el.getBoundingClientRect(), cs = getComputedStyle(el);
          return [r.left + el.clientLeft + parseFloat(cs.paddingLeft), r.top + el.clientTop + parseFloat(cs.paddingTop)];
        }"""))

    def span_rects(self, start: int, end: int) -> list[dict]:
        dx, dy = self.frame_offset()
        return [{"left": r["left"] + dx, "right": r["right"] + dx, "top": r["top"] + dy, "bottom": r["bottom"] + dy}
                for r in super().span_rects(start, end)]

    def composer_box(self) -> dict:
        dx, dy = self.frame_offset()
        r = self.composer.evaluate("el => { const r = el.getBoundingClientRect(); return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; }")
        return {"left": r["left"] + dx, "right": r["right"] + dx, "top": r["top"] + dy, "bottom": r["bottom"] + dy}

    def geometry(self) -> Geometry:
        return geometry(self.page)

    def screenshot(self, name: str) -> Path:
        return screenshot(self.page, name)


def update_docs_screenshots() -> bool:
    """CG_UPDATE_SCREENSHOT=1 also rewrites the pictures in docs/ (see docs/overlay.md)."""
    return os.environ.get("CG_UPDATE_SCREENSHOT") == "1"
