// The painting surface: one <contact-guard-root> in the top document of the tree this script
// watches (trees.js), with an open shadow root, fixed at the viewport origin with pointer-events:
// none, so the page's layout and the editors' DOM are never touched. Per composer a layer
// [data-cg-for] holds the underline boxes (.cg-mark, clipped to the composer's visible box, which
// for a composer in a same-origin frame is also cut to the frame) and the card/dialogs; one quiet
// chip (.cg-status) shows the connection. Cards, dialogs and the chip are placed where they cover
// none of the page's controls (lib/placement.js); what shows while the user is not looking at it (a
// collapsed card's marker, the chip) covers no text of the page either. In contenteditable editors the CSS Custom
// Highlight API paints the text itself where available (per document, and per shadow root for its
// styles).

import { clipRect, intersects, placeMarker, placePanel } from '../lib/placement.js';
import { HIGHLIGHT_CSS, OVERLAY_CSS } from './overlay-style.js';
import { TextareaMirror } from './textarea-mirror.js';
import { viewportOf } from './trees.js';

const HOST_TAG = 'contact-guard-root';
const SEVERITY_ORDER = ['info', 'warn', 'block'];
const PANELS = '.cg-banner, .cg-paste-dialog, .cg-send-confirm, .cg-status';

/**
 * What a person can click, type in or tab to: the page's controls that nothing may cover. A label
 * counts too: clicking it works its field, and a card over it hides what the field is for.
 */
export const FOCUSABLE = [
  'label', 'a[href]', 'area[href]', 'button', 'input:not([type="hidden" i])', 'select', 'textarea', 'iframe', 'embed',
  'object', 'summary', 'audio[controls]', 'video[controls]', '[contenteditable]:not([contenteditable="false" i])',
  '[tabindex]:not([tabindex^="-"])', '[role="button"]', '[role="link"]', '[role="tab"]', '[role="menuitem"]',
  '[role="checkbox"]', '[role="radio"]', '[role="switch"]', '[role="textbox"]', '[role="combobox"]',
].join(', ');

/** A placed panel is checked again at most this often when nothing moved (the page may have). */
export const RECHECK_MS = 300;

/** Elements whose text nodes are never drawn as text of the page. */
const UNDRAWN = new Set(['script', 'style', 'template', 'noscript', 'textarea', 'title', 'option', 'optgroup']);

/** How far from its composer the chip may go (px, above or below): further away it hints at nothing. */
const CHIP_REACH = 40;

export class Overlay {
  #host;
  #root;
  #trees;
  #layers = new Map(); // key -> {layer, clip, rects: [{left, top, right, bottom, start, end}]}
  #chip;
  #live;
  #highlights = new Map(); // Document -> {severity-theme name -> Highlight} (null: API missing)
  #sheets = new Map(); // Document | ShadowRoot -> adopted CSSStyleSheet
  #highlightRanges = new Map(); // key -> {doc, spans: [{name, range}]}
  #controls = null; // page control rects, for the current task
  mirror;

  constructor(signal, { trees }) {
    this.#trees = trees;
    this.#host = document.createElement(HOST_TAG);
    this.#host.style.cssText =
      'all:initial;position:fixed;top:0;left:0;width:0;height:0;z-index:2147483647;pointer-events:none';
    this.#root = this.#host.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent = OVERLAY_CSS;
    this.#chip = document.createElement('div');
    this.#chip.className = 'cg-status';
    this.#chip.hidden = true;
    this.#chip.setAttribute('role', 'status');
    // New findings are announced here (never the typed text: the kind and the way to the card).
    this.#live = document.createElement('div');
    this.#live.className = 'cg-live';
    this.#live.setAttribute('role', 'status');
    this.#live.setAttribute('aria-live', 'polite');
    this.#root.append(style, this.#chip, this.#live);
    this.mirror = new TextareaMirror(this.#root);
    document.documentElement.append(this.#host);
    signal.addEventListener('abort', () => this.#destroy(), { once: true });
  }

  get root() {
    return this.#root;
  }

  /** Whether contenteditable text in `doc` is painted by CSS highlights (else the boxes paint it). */
  paintsHighlights(doc) {
    return this.#registry(doc) !== null;
  }

  /** Whether `node` belongs to the overlay (its host or anything inside it). */
  owns(node) {
    return node === this.#host || (node?.nodeType === Node.ELEMENT_NODE && this.#host.contains(node)) ||
      node?.getRootNode?.() === this.#root;
  }

  /** The key of the layer holding the keyboard focus (a panel's button), or null. */
  focusedLayerKey() {
    return this.#root.activeElement?.closest('[data-cg-for]')?.dataset.cgFor ?? null;
  }

  layerOf(key) {
    let entry = this.#layers.get(key);
    if (!entry) {
      const layer = document.createElement('div');
      layer.className = 'cg-layer';
      layer.dataset.cgFor = key;
      const clip = document.createElement('div');
      clip.className = 'cg-clip';
      layer.append(clip);
      this.#root.append(layer);
      entry = { layer, clip, rects: [] };
      this.#layers.set(key, entry);
    }
    return entry.layer;
  }

  /** Light or dark panels and marks for one composer (null: follow prefers-color-scheme). */
  setTheme(key, theme) {
    setData(this.layerOf(key), 'theme', theme ?? undefined);
  }

  /**
   * Draws the marks of one composer. `box` is the composer's visible content box (this viewport's
   * px, already cut to its frame); each mark is {finding, rects, painted?} with rects in the same px.
   */
  paintMarks(key, box, marks) {
    this.layerOf(key);
    const entry = this.#layers.get(key);
    const { clip } = entry;
    // Moved by transform, never left/top: a box moved in layout counts as a layout shift of the
    // page (Layout Instability API, CLS), a transformed one does not.
    setStyle(clip, `transform:${translate(box.left, box.top)};width:${box.right - box.left}px;height:${box.bottom - box.top}px`);
    // Existing boxes are reused and only changed attributes are written: typing next to a
    // finding then costs no node churn and no style invalidation.
    let index = 0;
    entry.rects = [];
    for (const { finding, rects, painted } of marks) {
      for (const rect of rects) {
        const mark = clip.children[index++] ?? clip.appendChild(createMark());
        setData(mark, 'severity', finding.severity);
        setData(mark, 'kind', finding.kind);
        setData(mark, 'rule', finding.rule);
        setData(mark, 'start', String(finding.start));
        setData(mark, 'end', String(finding.end));
        setData(mark, 'painted', painted);
        setStyle(mark,
          `transform:${translate(rect.left - box.left, rect.top - box.top)};width:${rect.width}px;height:${rect.height}px`);
        const visible = clipRect({ left: rect.left, top: rect.top, right: rect.left + rect.width, bottom: rect.top + rect.height }, box);
        if (visible) entry.rects.push({ ...visible, start: finding.start, end: finding.end });
      }
    }
    while (clip.children.length > index) clip.lastElementChild.remove();
  }

  /** The painted mark under the point (this viewport's px): {key, start, end}, or null. */
  markAt(x, y) {
    for (const [key, { layer, rects }] of this.#layers) {
      // A little slack below the line: the underline itself is what the pointer is aimed at.
      const hit = rects.find((r) => x >= r.left && x <= r.right && y >= r.top && y <= r.bottom + 3);
      if (hit) return { key, start: hit.start, end: hit.end };
      // A collapsed card's marker opens the card like its marks do; its spot keeps counting while
      // the card it opened shows (else the card would close and the marker reopen it, over and over).
      const marker = layer.querySelector(':scope > .cg-banner:not([hidden])')?.cgMarker;
      if (marker && x >= marker.left && x <= marker.right && y >= marker.top && y <= marker.bottom) {
        return { key, start: null, end: null };
      }
    }
    return null;
  }

  /**
   * Paints contenteditable spans with CSS highlights: `spans` is [{severity, range}] in the
   * composer `element`'s document; `theme` picks the dark colours.
   */
  setHighlights(key, element, spans, theme) {
    const doc = element.ownerDocument;
    if (!this.#registry(doc)) return;
    if (spans.length) {
      this.#adoptSheet(element.getRootNode(), doc);
      const suffix = theme === 'dark' ? '-dark' : '';
      this.#highlightRanges.set(key, { doc, spans: spans.map(({ severity, range }) => ({ name: `cg-${severity}${suffix}`, range })) });
    } else if (!this.#highlightRanges.delete(key)) {
      return;
    }
    this.#repaintHighlights(doc);
  }

  #repaintHighlights(doc) {
    const registry = this.#registry(doc);
    for (const highlight of Object.values(registry)) highlight.clear();
    for (const entry of this.#highlightRanges.values()) {
      if (entry.doc !== doc) continue;
      for (const { name, range } of entry.spans) registry[name].add(range);
    }
  }

  clearLayer(key) {
    const entry = this.#layers.get(key);
    if (!entry) return;
    entry.clip.replaceChildren();
    entry.rects = [];
    // Open confirmations stay: they wait for the user's answer whatever the text does meanwhile.
    entry.layer.querySelector(':scope > .cg-banner')?.remove();
    this.#clearHighlights(key);
  }

  removeLayer(key) {
    const entry = this.#layers.get(key);
    if (!entry) return;
    this.#clearHighlights(key);
    entry.layer.remove();
    this.#layers.delete(key);
  }

  /** Says `text` to screen readers (a polite live region). */
  announce(text) {
    // Cleared first so that the same words said twice are announced twice.
    this.#live.textContent = '';
    requestAnimationFrame(() => {
      this.#live.textContent = text;
    });
  }

  /**
   * The quiet status chip, above the right end of `anchor` (a composer's box), else near it, where
   * it covers no control and no text of the page; left out when no such spot is close by.
   */
  showStatus(status, label, anchor, theme) {
    const chip = this.#chip;
    if (chip.dataset.status !== status) {
      chip.dataset.status = status;
      chip.textContent = `Contact Guard: ${label}`;
      this.replace(chip);
    }
    setData(chip, 'theme', theme ?? undefined);
    if (!anchor || (anchor.right - anchor.left <= 0 && anchor.bottom - anchor.top <= 0)) {
      chip.hidden = true;
      return;
    }
    chip.hidden = false;
    const bounds = { left: anchor.left - CHIP_REACH, top: anchor.top - CHIP_REACH, right: anchor.right + CHIP_REACH, bottom: anchor.bottom + CHIP_REACH };
    const { free } = this.place(chip, anchor, { prefer: 'above', align: 'end', gap: 2, bounds, avoidText: true });
    // The chip is only a hint: where it would cover a control or the page's text, it is left out.
    chip.style.visibility = free ? '' : 'hidden';
  }

  /**
   * Puts `panel` next to `anchor` where it covers none of the page's controls nor the overlay's
   * other panels. Returns {free}: false when no such spot exists (it then covers the least).
   * A panel whose anchor and size did not change keeps its spot while that stays free.
   */
  place(panel, anchor, { prefer = 'below', align = 'start', gap = 6, bounds = null, avoidText = false } = {}) {
    const size = this.#sizeOf(panel);
    const place = [anchor.left, anchor.top, anchor.right, anchor.bottom, innerWidth, innerHeight, size.width, size.height]
      .join('|');
    const now = performance.now();
    const same = panel.cgPlace === place;
    if (same && now - panel.cgCheckedAt < RECHECK_MS) return { free: panel.cgFree };
    // The viewport without its scrollbars: a panel never sits over them either.
    const root = document.documentElement;
    const viewport = { width: root.clientWidth || innerWidth, height: root.clientHeight || innerHeight };
    const obstacles = [...this.controlRects(), ...this.#panelRects(panel)];
    if (avoidText) obstacles.push(...this.textRects(bounds));
    const spot = placePanel({
      anchor, size, viewport, prefer, align, gap, bounds, obstacles,
      keep: same ? panel.cgSpot : null,
    });
    panel.cgPlace = place;
    panel.cgCheckedAt = now;
    panel.cgSpot = { left: spot.left, top: spot.top };
    panel.cgFree = spot.free;
    panel.style.transform = translate(spot.left, spot.top);
    return { free: spot.free };
  }

  /**
   * Puts `panel` (a collapsed card: a small marker) in a corner of `field` (its composer's visible
   * border box) where it meets no other control, no text of the page and none of `fieldText()`
   * (the composer's own text lines, measured only when the marker is placed). Returns {free}: false
   * when every corner is taken (the caller leaves the marker out).
   */
  placeMarker(panel, field, fieldText) {
    const size = this.#sizeOf(panel);
    const place = ['marker', field.left, field.top, field.right, field.bottom, innerWidth, innerHeight, size.width, size.height]
      .join('|');
    const now = performance.now();
    const same = panel.cgPlace === place;
    if (same && now - panel.cgCheckedAt < RECHECK_MS) return { free: panel.cgFree };
    const root = document.documentElement;
    const spot = placeMarker({
      field,
      size: panel.cgSize,
      viewport: { width: root.clientWidth || innerWidth, height: root.clientHeight || innerHeight },
      // The composer itself and what holds it (a wrapping label) are where the marker belongs.
      obstacles: [
        ...this.controlRects().filter((r) => !contains(r, field)), ...this.#panelRects(panel),
        ...this.textRects(field), ...fieldText(),
      ],
      keep: same ? panel.cgSpot : null,
    });
    panel.cgPlace = place;
    panel.cgCheckedAt = now;
    panel.cgFree = Boolean(spot);
    if (spot) {
      panel.cgSpot = { left: spot.left, top: spot.top };
      panel.cgMarker = { left: spot.left, top: spot.top, right: spot.left + panel.cgSize.width, bottom: spot.top + panel.cgSize.height };
      panel.style.transform = translate(spot.left, spot.top);
    } else {
      panel.cgMarker = null;
    }
    return { free: panel.cgFree };
  }

  /**
   * `panel`'s size, read once per content (a read here forces the layout of what was just
   * written): a panel whose content changed is a new element, or was told so (replace(), resized(),
   * restyled()). Part of the key of a placed spot, checked before any other layout is read.
   */
  #sizeOf(panel) {
    if (!panel.cgSize?.width) panel.cgSize = { width: panel.offsetWidth, height: panel.offsetHeight };
    return panel.cgSize;
  }

  /** Forgets where `panel` was placed and its size, so the next place() looks again. */
  replace(panel) {
    panel.cgPlace = null;
    this.resized(panel);
  }

  /** `panel`'s content changed in place: its size is read again, its spot kept if that did not change. */
  resized(panel) {
    panel.cgSize = null;
    panel.cgSizes?.clear();
  }

  /**
   * `panel` switched from one look of the same content to another (a card open or shrunk to its
   * marker): the next place() looks again, with the size the new look had (read only the first time).
   */
  restyled(panel, from, to) {
    panel.cgSizes ??= new Map();
    if (panel.cgSize) panel.cgSizes.set(from, panel.cgSize);
    panel.cgSize = panel.cgSizes.get(to) ?? null;
    panel.cgPlace = null;
  }

  /**
   * The rects (this viewport's px) of the page's visible controls, in every watched tree; a
   * same-origin frame counts by its controls, a cross-origin frame as a whole. Computed once per task.
   */
  controlRects() {
    if (this.#controls) return this.#controls;
    this.#controls = this.#collect((root, offset, rects) => {
      for (const element of root.querySelectorAll(FOCUSABLE)) {
        if (this.#trees.watchesFrame(element) && element.contentDocument) continue;
        const rect = offset(element.getBoundingClientRect());
        if (!rect) continue;
        if (element.checkVisibility && !element.checkVisibility({ visibilityProperty: true })) continue;
        rects.push(rect);
      }
    });
    queueMicrotask(() => {
      this.#controls = null;
    });
    return this.#controls;
  }

  /**
   * The line boxes (this viewport's px) of the page's text that meet `bounds`, in every watched
   * tree, read with Ranges (an element's box says nothing of where its words are). Subtrees whose
   * box lies away from `bounds` and draws nothing outside itself are skipped, so a long page costs
   * little more than the elements near `bounds`.
   */
  textRects(bounds) {
    return this.#collect((root, offset, rects, { x, y }) => {
      const near = { left: bounds.left - x, top: bounds.top - y, right: bounds.right - x, bottom: bounds.bottom - y };
      const doc = root.ownerDocument ?? root;
      const range = doc.createRange();
      const walker = doc.createTreeWalker(root, 1 | 4 /* NodeFilter.SHOW_ELEMENT | SHOW_TEXT */, {
        acceptNode: (node) => {
          if (node.nodeType === Node.TEXT_NODE) return node.data.trim() ? 1 /* ACCEPT */ : 3 /* SKIP */;
          if (UNDRAWN.has(node.localName)) return 2; // REJECT: the subtree draws no text
          return drawsAway(node, near) ? 2 : 3;
        },
      });
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        range.selectNodeContents(node);
        for (const r of range.getClientRects()) {
          const rect = offset(r);
          if (rect && intersects(rect, bounds)) rects.push(rect);
        }
      }
    });
  }

  /**
   * Rects collected by `collect(root, offset, rects, origin)` from every watched tree: `offset(r)`
   * moves a client rect of that tree into this viewport, cut to what its frame shows (null when
   * empty or unseen); `origin` is {x, y}, where the tree's viewport lies in this one.
   */
  #collect(collect) {
    const viewport = { left: 0, top: 0, right: innerWidth, bottom: innerHeight };
    const rects = [];
    for (const root of [...this.#trees.roots, ...this.#trees.unseenShadowRoots()]) {
      const doc = root.nodeType === Node.DOCUMENT_NODE ? root : root.ownerDocument;
      const { x, y, clip } = viewportOf(doc);
      const visibleArea = clipRect(viewport, clip);
      if (!visibleArea) continue;
      collect(root, (r) => (r.width > 0 && r.height > 0
        ? clipRect({ left: r.left + x, top: r.top + y, right: r.right + x, bottom: r.bottom + y }, visibleArea)
        : null), rects, { x, y });
    }
    return rects;
  }

  /** The overlay's own visible panels other than `except`, which must not overlap each other. */
  #panelRects(except) {
    const rects = [];
    for (const panel of this.#root.querySelectorAll(PANELS)) {
      if (panel === except || panel.hidden || panel.style.visibility === 'hidden') continue;
      const r = panel.getBoundingClientRect();
      if (r.width > 0 && r.height > 0) rects.push({ left: r.left, top: r.top, right: r.right, bottom: r.bottom });
    }
    return rects;
  }

  /** The highlight registry of `doc` ({name -> Highlight}), made on first use; null without the API. */
  #registry(doc) {
    if (this.#highlights.has(doc)) return this.#highlights.get(doc);
    let registry = null;
    try {
      const view = doc.defaultView;
      if (view?.CSS?.highlights && typeof view.Highlight === 'function' && this.#adoptSheet(doc, doc)) {
        registry = {};
        for (const theme of ['', '-dark']) {
          for (const severity of SEVERITY_ORDER) {
            const highlight = new view.Highlight();
            highlight.priority = SEVERITY_ORDER.indexOf(severity);
            view.CSS.highlights.set(`cg-${severity}${theme}`, highlight);
            registry[`cg-${severity}${theme}`] = highlight;
          }
        }
      }
    } catch {
      registry = null; // boxes paint instead
    }
    this.#highlights.set(doc, registry);
    return registry;
  }

  /**
   * Adopts the highlight styles into `scope` (a document, or the shadow root holding an editor:
   * ::highlight() rules only reach text in their own tree). An adopted sheet adds no node to the
   * page. Returns false where a content script cannot adopt sheets (the boxes then paint).
   */
  #adoptSheet(scope, doc) {
    if (this.#sheets.has(scope)) return true;
    if (scope.nodeType !== Node.DOCUMENT_NODE && !scope.host) return false;
    try {
      // A constructed sheet can only be adopted in the document it was made for.
      const sheet = new doc.defaultView.CSSStyleSheet();
      sheet.replaceSync(HIGHLIGHT_CSS);
      scope.adoptedStyleSheets = [...scope.adoptedStyleSheets, sheet];
      if (!scope.adoptedStyleSheets.includes(sheet)) return false;
      this.#sheets.set(scope, sheet);
      return true;
    } catch {
      return false;
    }
  }

  #clearHighlights(key) {
    const entry = this.#highlightRanges.get(key);
    if (!entry) return;
    this.#highlightRanges.delete(key);
    this.#repaintHighlights(entry.doc);
  }

  #destroy() {
    for (const [doc, registry] of this.#highlights) {
      if (!registry) continue;
      try {
        for (const name of Object.keys(registry)) doc.defaultView?.CSS.highlights.delete(name);
      } catch {
        // the frame is gone
      }
    }
    for (const [scope, sheet] of this.#sheets) {
      try {
        scope.adoptedStyleSheets = scope.adoptedStyleSheets.filter((s) => s !== sheet);
      } catch {
        // the frame is gone
      }
    }
    this.#host.remove();
    this.#layers.clear();
  }
}

/**
 * Whether `element` (a box of its own document) draws all of its subtree inside its box and that
 * box misses `near` (the same document's client px): then none of its text can meet `near`. An
 * element with no box (display: contents) or with content overflowing a box that does not clip it
 * is looked into.
 */
function drawsAway(element, near) {
  const r = element.getBoundingClientRect();
  if (r.width <= 0 && r.height <= 0) return false;
  if (r.left < near.right && near.left < r.right && r.top < near.bottom && near.top < r.bottom) return false;
  if (element.scrollWidth <= element.clientWidth + 1 && element.scrollHeight <= element.clientHeight + 1) return true;
  const { overflowX, overflowY } = element.ownerDocument.defaultView.getComputedStyle(element);
  return overflowX !== 'visible' && overflowY !== 'visible';
}

function contains(outer, inner) {
  return outer.left <= inner.left && outer.top <= inner.top && outer.right >= inner.right && outer.bottom >= inner.bottom;
}

function translate(x, y) {
  return `translate(${x}px, ${y}px)`;
}

function createMark() {
  const mark = document.createElement('div');
  mark.className = 'cg-mark';
  return mark;
}

function setData(node, name, value) {
  if (value === undefined) {
    if (name in node.dataset) delete node.dataset[name];
  } else if (node.dataset[name] !== value) {
    node.dataset[name] = value;
  }
}

/** Writes an inline style only when it differs from the last one written. */
function setStyle(node, css) {
  if (node.cgStyle === css) return;
  node.cgStyle = css;
  node.style.cssText = css;
}

export function init(signal, dependencies) {
  return new Overlay(signal, dependencies);
}
