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

import { clipRect, intersects, markerCorners, placeMarker, placePanel, rectAt, tallestFree } from '../lib/placement.js';
import { withinReach } from '../lib/reach.js';
import { HIGHLIGHT_CSS, OVERLAY_CSS } from './overlay-style.js';
import { TextareaMirror } from './textarea-mirror.js';
import { scratchRange, viewportOf } from './trees.js';

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

/**
 * The page's controls and text, once read, are trusted this long after a change of the page's DOM
 * outside its editors (seen by the trees' MutationObserver); a scroll, a resize or a composer
 * changing size makes them read again at once.
 */
export const RECHECK_MS = 300;
/**
 * What no event shows (a style or attribute change, an image loading, a transition ending, text
 * changing in place) is seen when the reading is this old: typing that changes nothing else reads
 * the page once a second, not on every third keystroke.
 */
export const UNSEEN_CHANGE_MS = 1000;

/** Elements whose text nodes are never drawn as text of the page. */
const UNDRAWN = new Set(['script', 'style', 'template', 'noscript', 'textarea', 'title', 'option', 'optgroup', 'head']);
/** An editor's own DOM: its text is the composer's (a control), not the page's. */
const EDITOR = '[contenteditable]:not([contenteditable="false" i])';

/** How far from its composer the chip may go (px, above or below): further away it hints at nothing. */
const CHIP_REACH = 40;

export class Overlay {
  #host;
  #root;
  #trees;
  #controls; // FOCUSABLE and the site's send controls (a page may send from a plain span)
  #layers = new Map(); // key -> {layer, clip, marks: [its .cg-mark elements], rects: [{left, top, right, bottom, start, end}]}
  #chip;
  #live;
  #highlights = new Map(); // Document -> {severity-theme name -> Highlight} (null: API missing)
  #sheets = new Map(); // Document | ShadowRoot -> adopted CSSStyleSheet
  #highlightRanges = new Map(); // key -> {doc, spans: [{name, range}]}
  #geometry = null; // {controls, text, id, at}: what placing avoids, read by #pageGeometry()
  #geometryId = 0;
  #markerSize = null; // a collapsed card's size: the same for every card
  mirror;

  constructor(signal, { trees, sendControls = [] }) {
    this.#trees = trees;
    this.#controls = [FOCUSABLE, ...sendControls].join(', ');
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
    // What the page's controls and text look like is kept until something says it changed.
    trees.each((root, rootSignal) => this.#watch(root, rootSignal));
    trees.changes((records) => this.#domChanged(records));
    signal.addEventListener('abort', () => this.#destroy(), { once: true });
  }

  /** Listens for what moves the page's controls and text in one watched tree (a new one: it changed). */
  #watch(root, signal) {
    if (this.#geometry) this.#geometry.changed = true;
    // A composer scrolling its own text (a textarea as it fills up) moves nothing of the page.
    const moved = (event) => {
      if (!scrollsOnlyItself(event.target)) this.#invalidate();
    };
    root.addEventListener('scroll', moved, { capture: true, passive: true, signal });
    if (root.nodeType !== Node.DOCUMENT_NODE) return;
    root.defaultView?.addEventListener('resize', moved, { passive: true, signal });
  }

  /** The page moved (scrolled, resized, a composer grew): the next placement reads it again. */
  #invalidate() {
    const geometry = this.#geometry;
    if (geometry && !geometry.current) geometry.at = -Infinity;
  }

  /**
   * The page's DOM changed (MutationRecords of the trees' own observer, childList only: no second
   * observer, no characterData — reading those cost more than the placing they saved, round 5):
   * outside the editors, whose DOM changes on every keystroke, the reading is renewed once it is
   * RECHECK_MS old.
   */
  #domChanged(records) {
    const geometry = this.#geometry;
    if (!geometry || geometry.changed) return;
    let last = null;
    for (const { target } of records) {
      if (target === last) continue;
      last = target;
      if (!target.isConnected || target === this.#host || target.closest?.(EDITOR)) continue;
      geometry.changed = true;
      return;
    }
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
      entry = { layer, clip, marks: [], rects: [] };
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
    // finding then costs no node churn and no style invalidation. The boxes are kept in a list of
    // the layer's own (no DOM collection read per box), each with what it was last given.
    let index = 0;
    entry.rects = [];
    for (const { finding, rects, painted } of marks) {
      const data = `${finding.severity}|${finding.kind}|${finding.rule}|${finding.start}|${finding.end}|${painted}`;
      for (const rect of rects) {
        let mark = entry.marks[index++];
        if (!mark) {
          mark = clip.appendChild(createMark());
          entry.marks.push(mark);
        }
        if (mark.cgFinding !== data) {
          mark.cgFinding = data;
          setData(mark, 'severity', finding.severity);
          setData(mark, 'kind', finding.kind);
          setData(mark, 'rule', finding.rule);
          setData(mark, 'start', String(finding.start));
          setData(mark, 'end', String(finding.end));
          setData(mark, 'painted', painted);
        }
        setStyle(mark,
          `transform:${translate(rect.left - box.left, rect.top - box.top)};width:${rect.width}px;height:${rect.height}px`);
        const visible = clipRect({ left: rect.left, top: rect.top, right: rect.left + rect.width, bottom: rect.top + rect.height }, box);
        if (visible) entry.rects.push({ ...visible, start: finding.start, end: finding.end });
      }
    }
    while (entry.marks.length > index) entry.marks.pop().remove();
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
   * Paints contenteditable spans with CSS highlights: `spans` is [{severity, range, rects}] in the
   * composer `element`'s document (rects: where the span is drawn, this viewport's px); `reach` is
   * lib/reach.js's highlightReach of the composer, read with the rects; `theme` picks the dark
   * colours. Only spans on or near the screen are registered (every highlighted text node costs on
   * each keystroke). Returns whether some were left out (to be looked at again when the page may
   * have moved).
   */
  setHighlights(key, element, spans, reach, theme) {
    const doc = element.ownerDocument;
    if (!this.#registry(doc)) return false;
    const near = spans.filter((span) => withinReach(span.rects, reach));
    const suffix = theme === 'dark' ? '-dark' : '';
    const next = near.map(({ severity, range }) => ({ name: `cg-${severity}${suffix}`, range, at: boundariesOf(range) }));
    const before = this.#highlightRanges.get(key);
    // The same ranges where they were registered (a repaint that moved nothing): registering them
    // anew would only make the browser rebuild its markers once more. The Ranges are the field's
    // own, moved in place (fields.js), so where each was registered is kept beside it.
    if (before ? sameHighlights(before.spans, next) : !next.length) return near.length < spans.length;
    if (next.length) {
      this.#adoptSheet(element.getRootNode(), doc);
      this.#highlightRanges.set(key, { doc, spans: next });
    } else {
      this.#highlightRanges.delete(key);
    }
    this.#register(before, { doc, spans: next });
    return near.length < spans.length;
  }

  /**
   * Registers one composer's highlight spans `after` ({doc, spans}) in place of `before` (the same
   * shape, or undefined): only the Ranges that came, went, moved or changed name are deleted and
   * added — the others stay registered (each call reaches into the page's Highlight objects, across
   * an Xray in Firefox; a repaint while typing changes one or two of them).
   */
  #register(before, after) {
    const kept = new Set();
    if (before) {
      const wanted = new Map(after.doc === before.doc ? after.spans.map((span) => [span.range, span]) : []);
      const registry = this.#registry(before.doc);
      for (const span of before.spans) {
        const now = wanted.get(span.range);
        if (now && now.name === span.name && now.at.every((boundary, i) => boundary === span.at[i])) kept.add(span.range);
        else registry[span.name].delete(span.range);
      }
    }
    const registry = this.#registry(after.doc);
    for (const span of after.spans) if (!kept.has(span.range)) registry[span.name].add(span.range);
  }

  clearLayer(key) {
    const entry = this.#layers.get(key);
    if (!entry) return;
    entry.clip.replaceChildren();
    entry.marks = [];
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
    // Called on every paint: what it writes is compared with what it last wrote, not read back.
    if (chip.cgStatus !== status) {
      chip.cgStatus = status;
      chip.dataset.status = status;
      chip.textContent = `Contact Guard: ${label}`;
      this.replace(chip);
    }
    setData(chip, 'theme', theme ?? undefined);
    const hidden = !anchor || (anchor.right - anchor.left <= 0 && anchor.bottom - anchor.top <= 0);
    if (chip.cgHidden !== hidden) {
      chip.cgHidden = hidden;
      chip.hidden = hidden;
    }
    if (hidden) return;
    const bounds = { left: anchor.left - CHIP_REACH, top: anchor.top - CHIP_REACH, right: anchor.right + CHIP_REACH, bottom: anchor.bottom + CHIP_REACH };
    const { free } = this.place(chip, anchor, { prefer: 'above', align: 'end', gap: 2, bounds, avoidText: true });
    // The chip is only a hint: where it would cover a control or the page's text, it is left out.
    const visibility = free ? '' : 'hidden';
    if (chip.cgVisibility !== visibility) {
      chip.cgVisibility = visibility;
      chip.style.visibility = visibility;
    }
  }

  /**
   * Puts `panel` next to `anchor` where it covers none of the page's controls nor the overlay's
   * other panels. Returns {free}: false when no such spot exists (it then covers the least).
   * A panel whose anchor, size and surroundings (the page's controls and text, the other panels) did
   * not change keeps its spot without looking again: typing costs no placement.
   */
  place(panel, anchor, { prefer = 'below', align = 'start', gap = 6, bounds = null, avoidText = false } = {}) {
    const size = this.#sizeOf(panel);
    const panels = this.#panelRects(panel);
    const geometry = this.#pageGeometry(panel, anchor);
    const { viewport } = geometry;
    const place = `${anchorKey(anchor, size, viewport)}|${geometry.id}|${rectsKey(panels)}`;
    if (panel.cgPlace === place) {
      moveTo(panel, panel.cgSpot); // the spot this look was placed at (restyled() brings it back)
      return { free: panel.cgFree };
    }
    const obstacles = [...geometry.controls, ...panels];
    if (avoidText) obstacles.push(...(bounds ? geometry.text.filter((r) => intersects(r, bounds)) : geometry.text));
    const kept = panel.cgPlace?.startsWith(`${anchorKey(anchor, size, viewport)}|`);
    const spot = placePanel({
      anchor, size, viewport, prefer, align, gap, bounds, obstacles,
      keep: kept ? panel.cgSpot : null,
    });
    panel.cgPlace = place;
    panel.cgSpot = { left: spot.left, top: spot.top };
    panel.cgFree = spot.free;
    moveTo(panel, panel.cgSpot);
    return { free: spot.free };
  }

  /**
   * The tallest `panel` (at its width) that place() finds a spot for clear of the page's controls
   * and the other panels, between `min` and `max` px; null when not even `min` has one. Geometry
   * only: the panel is not laid out at the heights tried.
   */
  tallestFree(panel, anchor, { min, max, gap = 6 }) {
    const { width } = this.#sizeOf(panel);
    const geometry = this.#pageGeometry(panel, anchor);
    const obstacles = [...geometry.controls, ...this.#panelRects(panel)];
    return tallestFree({ anchor, width, min, max, gap, viewport: geometry.viewport, obstacles });
  }

  /**
   * Puts `panel` (a collapsed card: a small marker) in a corner of `field` (its composer's visible
   * border box) where it meets no other control, no text of the page and none of the composer's own
   * text: `fieldText(corners)` gives its line boxes that may meet `corners` (the spots tried), and is
   * called only when the marker is placed. Returns {free}: false when every corner is taken (the
   * caller leaves the marker out).
   */
  placeMarker(panel, field, fieldText) {
    const size = this.#sizeOf(panel);
    const panels = this.#panelRects(panel);
    const geometry = this.#pageGeometry(panel, field);
    const { viewport } = geometry;
    const place = `marker|${anchorKey(field, size, viewport)}|${geometry.id}|${rectsKey(panels)}`;
    if (panel.cgPlace === place) {
      if (panel.cgFree) moveTo(panel, panel.cgSpot);
      return { free: panel.cgFree };
    }
    const kept = panel.cgPlace?.startsWith(`marker|${anchorKey(field, size, viewport)}|`);
    // A control holding the composer (a wrapping label) is read as far as it is on screen.
    const seen = clipRect(field, { left: 0, top: 0, right: viewport.width, bottom: viewport.height }) ?? field;
    // The composer itself and what holds it (a wrapping label) are where the marker belongs.
    const around = [
      ...geometry.controls.filter((r) => !contains(r, seen)), ...panels, ...geometry.text.filter((r) => intersects(r, field)),
    ];
    const marker = { field, size, viewport, keep: kept ? panel.cgSpot : null };
    // The composer's own text is measured (a forced layout while it is typed in) only when some
    // corner is free of everything else: a composer taller than the window has none.
    let spot = placeMarker({ ...marker, obstacles: around });
    if (spot) spot = placeMarker({ ...marker, obstacles: [...around, ...fieldText(markerCorners(field, size))] });
    panel.cgPlace = place;
    panel.cgFree = Boolean(spot);
    if (spot) {
      panel.cgSpot = { left: spot.left, top: spot.top };
      panel.cgMarker = { left: spot.left, top: spot.top, right: spot.left + panel.cgSize.width, bottom: spot.top + panel.cgSize.height };
      moveTo(panel, panel.cgSpot);
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
    if (panel.hasAttribute('data-collapsed')) {
      // A marker's size is set by the style sheet alone: read once, not after every change of its card.
      if (!this.#markerSize?.width) this.#markerSize = { width: panel.offsetWidth, height: panel.offsetHeight };
      panel.cgSize = this.#markerSize;
    }
    if (!panel.cgSize?.width) panel.cgSize = { width: panel.offsetWidth, height: panel.offsetHeight };
    return panel.cgSize;
  }

  /** Forgets where `panel` was placed and its size, so the next place() looks again. */
  replace(panel) {
    panel.cgPlace = null;
    panel.cgPlaces?.clear();
    this.resized(panel);
  }

  /** `panel`'s content changed in place: its size is read again, its spot kept if that did not change. */
  resized(panel) {
    panel.cgSize = null;
    panel.cgSizes?.clear();
  }

  /**
   * `panel` switched from one look of the same content to another (a card open or shrunk to its
   * marker): the new look comes back with the size it had (read only the first time) and where it
   * was placed, kept while nothing around it moved. An open card tried again and shrunk back to its
   * marker while the user types then costs no layout and no measuring of the composer's text.
   */
  restyled(panel, from, to) {
    panel.cgSizes ??= new Map();
    panel.cgPlaces ??= new Map();
    if (panel.cgSize) panel.cgSizes.set(from, panel.cgSize);
    panel.cgPlaces.set(from, { place: panel.cgPlace, spot: panel.cgSpot, free: panel.cgFree });
    panel.cgSize = panel.cgSizes.get(to) ?? null;
    const placed = panel.cgPlaces.get(to);
    panel.cgPlace = placed?.place ?? null;
    panel.cgSpot = placed?.spot ?? null;
    panel.cgFree = placed?.free;
  }

  /**
   * What a panel keeps clear of: {controls, text, id} — the rects (this viewport's px) of the page's
   * visible controls and of its text's line boxes, in every watched tree (a same-origin frame counts
   * by its controls, a cross-origin frame as a whole). Read again only when something may have
   * moved them (see #watch; `anchor`, the box `panel` is placed by, changing size moves what
   * follows it), for a DOM change at most every RECHECK_MS, else every UNSEEN_CHANGE_MS; `id` names
   * one reading.
   */
  #pageGeometry(panel, anchor) {
    const before = panel.cgAnchor;
    const seen = rectsKey([anchor]);
    panel.cgAnchor = anchor;
    const now = performance.now();
    const fresh = (reading) => reading && now - reading.at < (reading.changed ? RECHECK_MS : UNSEEN_CHANGE_MS);
    // A composer that changed size since this panel was placed may have moved the page below it,
    // unless the page was read with it at this size already (for another panel by the same composer).
    if (before && !this.#geometry?.anchors.has(seen) && (before.right - before.left !== anchor.right - anchor.left ||
        before.bottom - before.top !== anchor.bottom - anchor.top)) {
      // A rich editor growing a line moves only what lies beside or below it: that part is measured
      // again, the rest of the reading kept (not the whole page walked again on every new line).
      if (grewDown(before, anchor) && fresh(this.#geometry) && !this.#geometry.current) {
        this.#geometry = this.#remeasured(this.#geometry, before, seen);
      } else {
        this.#invalidate();
      }
    }
    const geometry = this.#geometry;
    if (fresh(geometry)) {
      geometry.anchors.add(seen);
      return geometry;
    }
    const controls = [];
    const text = [];
    const sources = [];
    for (const [root, area] of this.#visibleTrees()) readPage(root, area, this.#trees, this.#host, this.#controls, { controls, text, sources });
    // The viewport without its scrollbars (a panel never sits over them either), read with the page
    // (a resize reads it again): read on every placement it would lay out the page each time.
    const root = document.documentElement;
    const viewport = { width: root.clientWidth || innerWidth, height: root.clientHeight || innerHeight };
    this.#geometry = this.#reading({ controls, text, sources, viewport, at: now, changed: false }, seen);
    return this.#geometry;
  }

  /** A new reading of the page ({controls, text, sources, viewport, at, changed}), named by a new id. */
  #reading(read, seen) {
    Object.assign(read, { id: ++this.#geometryId, current: true, anchors: new Set([seen]) });
    // Nothing of the page moves within the task that read it (a second panel anchored to a composer
    // that grew need not read it again).
    queueMicrotask(() => {
      read.current = false;
    });
    return read;
  }

  /**
   * `geometry` after its composer grew downwards from `before`: what lay wholly above the
   * composer's top stays where it was read; everything else (beside or below it, or around it) is
   * measured again, node by node, without walking the page. Its age stays that of the walk it
   * came from (the page is walked again as often as before).
   */
  #remeasured(geometry, before, seen) {
    const read = { controls: [], text: [], sources: [], viewport: geometry.viewport, at: geometry.at, changed: geometry.changed };
    for (const source of geometry.sources) {
      const above = source.rects.every((r) => r.bottom <= before.top);
      if (!above && !source.node.isConnected) continue;
      const next = above ? source : { ...source, rects: measureSource(source) };
      if (!next.rects.length) continue;
      (next.control ? read.controls : read.text).push(...next.rects);
      read.sources.push(next);
    }
    return this.#reading(read, seen);
  }

  /**
   * Every watched tree with the part of this viewport it shows, in its own client px
   * ({left, top, right, bottom, x, y}: x, y is where its viewport lies in this one).
   */
  #visibleTrees() {
    const viewport = { left: 0, top: 0, right: innerWidth, bottom: innerHeight };
    const trees = [];
    for (const root of this.#trees.roots) {
      const doc = root.nodeType === Node.DOCUMENT_NODE ? root : root.ownerDocument;
      const { x, y, clip } = viewportOf(doc);
      const area = clipRect(viewport, clip);
      if (area) trees.push([root, { left: area.left - x, top: area.top - y, right: area.right - x, bottom: area.bottom - y, x, y }]);
    }
    return trees;
  }

  /**
   * The overlay's own visible panels other than `except`, which must not overlap each other: where
   * they were placed (no layout is read), or their box for one that never was.
   */
  #panelRects(except) {
    const rects = [];
    for (const panel of this.#root.querySelectorAll(PANELS)) {
      if (panel === except || panel.hidden || panel.style.visibility === 'hidden') continue;
      const spot = panel.hasAttribute('data-collapsed') ? panel.cgMarker : panel.cgSpot;
      if (panel.cgSize && spot) {
        rects.push(rectAt(spot.left, spot.top, panel.cgSize));
        continue;
      }
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
    this.#register(entry, { doc: entry.doc, spans: [] });
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
 * Reads the page's visible controls and text line boxes in one walk of `root` (a watched tree),
 * into `controls` and `text` (this viewport's px). `area` is the part of this viewport the tree
 * shows, in its own client px. A subtree whose box lies outside what is seen of it and draws
 * nothing outside itself is skipped, a box that clips what overflows it (a scrolled conversation)
 * narrows what is seen of its content, and of a long list of stacked boxes only those on screen
 * are looked at (childrenOnScreen): a long page costs little more than what is on screen.
 * Editors' text is not read (they are controls), nor is the overlay (`host`). `controlSelector`
 * names the controls (FOCUSABLE and the site's send controls).
 */
function readPage(root, area, trees, host, controlSelector, { controls, text, sources }) {
  const visit = (parent, seen) => {
    const only = childrenOnScreen(parent, seen);
    for (let node = parent.firstChild; node; node = node.nextSibling) {
      if (only && !only.has(node) && node.nodeType === Node.ELEMENT_NODE) continue;
      if (node.nodeType === Node.TEXT_NODE) {
        if (!node.data.trim()) continue;
        const source = { node, seen, area, control: false };
        source.rects = measureSource(source);
        if (!source.rects.length) continue;
        text.push(...source.rects);
        sources.push(source);
        continue;
      }
      if (node.nodeType !== Node.ELEMENT_NODE || node === host) continue;
      const name = node.localName;
      if (name === 'script' || name === 'style' || name === 'template' || name === 'head') continue;
      const r = node.getBoundingClientRect();
      const boxed = r.width > 0 || r.height > 0;
      const meets = boxed && r.left < seen.right && seen.left < r.right && r.top < seen.bottom && seen.top < r.bottom;
      if (meets && node.matches(controlSelector) && !(trees.watchesFrame(node) && node.contentDocument)) {
        const rect = placeSeen(r, seen, area);
        if (rect && (!node.checkVisibility || node.checkVisibility({ visibilityProperty: true }))) {
          controls.push(rect);
          sources.push({ node, seen, area, control: true, rects: [rect] });
        }
      }
      const shadow = node.shadowRoot;
      // Nothing inside to read (most of a page's elements: no overflow to measure either).
      if (UNDRAWN.has(name) || (!node.firstChild && !shadow) || node.matches(EDITOR)) continue;
      const overflows = boxed && (node.scrollWidth > node.clientWidth + 1 || node.scrollHeight > node.clientHeight + 1);
      const clips = overflows && clipsOverflow(node);
      if (boxed && !meets && (!overflows || clips)) continue; // draws only inside a box that is not seen
      const inside = clips ? clipRect(seen, r) ?? seen : seen;
      // A shadow root attached silently (no event, no DOM change shows it): read it here, watched from now on.
      if (shadow && !trees.watches(shadow)) {
        trees.adopt(shadow);
        visit(shadow, inside);
      }
      visit(node, inside);
    }
  };
  visit(root, area);
}

/**
 * Where a node read by readPage is drawn now ({node, seen, area, control}): a control's box, or a
 * text node's line boxes, cut to what is seen of them (`seen`, its tree's client px) and moved into
 * this viewport's px (`area`'s x, y).
 */
function measureSource({ node, seen, area, control }) {
  if (control) {
    const rect = placeSeen(node.getBoundingClientRect(), seen, area);
    return rect ? [rect] : [];
  }
  const range = scratchRange(node.ownerDocument);
  range.selectNodeContents(node);
  const rects = [];
  for (const r of range.getClientRects()) {
    const rect = r.width > 0 && r.height > 0 ? placeSeen(r, seen, area) : null;
    if (rect) rects.push(rect);
  }
  return rects;
}

/** `r` (a tree's client px) cut to `seen` and moved into this viewport's px, or null where nothing of it is seen. */
function placeSeen(r, seen, area) {
  const visible = clipRect({ left: r.left, top: r.top, right: r.right, bottom: r.bottom }, seen);
  return visible && visible.right > visible.left && visible.bottom > visible.top
    ? { left: visible.left + area.x, top: visible.top + area.y, right: visible.right + area.x, bottom: visible.bottom + area.y }
    : null;
}

/** Whether a composer's box went from `before` to `after` by growing at its bottom only (a new line). */
function grewDown(before, after) {
  return before.left === after.left && before.right === after.right && before.top === after.top && after.bottom > before.bottom;
}

/** Below this many children a box's children are each looked at (see childrenOnScreen). */
const MANY_CHILDREN = 64;

/**
 * Of an element `parent` with many children stacked top to bottom (block flow, a flex column),
 * the ones that may be on screen (`seen`, its document's client px): found by bisection on their
 * boxes, so a conversation of thousands of messages costs a few dozen reads. The first four and
 * the last eight children always count (a pinned header, a "jump to the end" button, the fixed
 * widgets pages append to their body). Null: look at every child (few of them, or not stacked in
 * document order).
 */
function childrenOnScreen(parent, seen) {
  const children = parent.children;
  const count = children?.length ?? 0;
  if (count < MANY_CHILDREN || parent.nodeType !== Node.ELEMENT_NODE) return null;
  const { display, flexDirection } = parent.ownerDocument.defaultView.getComputedStyle(parent);
  const column = display === 'flex' || display === 'inline-flex';
  if (!(display === 'block' || display === 'flow-root' || display === 'list-item' || (column && flexDirection.startsWith('column')))) {
    return null;
  }
  const reversed = column && flexDirection === 'column-reverse';
  const at = (i) => children[reversed ? count - 1 - i : i];
  let low = 0;
  let high = count;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (at(middle).getBoundingClientRect().bottom <= seen.top) low = middle + 1;
    else high = middle;
  }
  const only = new Set();
  for (let i = 0; i < 4; i++) only.add(children[i]);
  for (let i = count - 8; i < count; i++) only.add(children[i]);
  for (let i = low; i < count; i++) {
    const child = at(i);
    only.add(child);
    if (child.getBoundingClientRect().top >= seen.bottom) break;
  }
  return only;
}

/** Whether a scroll event's target is a composer scrolling its own text (nothing of the page moves). */
function scrollsOnlyItself(target) {
  if (target?.nodeType !== Node.ELEMENT_NODE) return false;
  return target.localName === 'textarea' || target.localName === 'input' || Boolean(target.closest(EDITOR));
}

/** Whether `element` clips what overflows its box on both axes (a scroll box). */
function clipsOverflow(element) {
  const { overflowX, overflowY } = element.ownerDocument.defaultView.getComputedStyle(element);
  return overflowX !== 'visible' && overflowY !== 'visible';
}

/** Whether two lists of {name, range, at} hold the same Ranges with the same names and boundaries. */
function sameHighlights(a, b) {
  return a.length === b.length && a.every(({ name, range, at }, i) => name === b[i].name && range === b[i].range &&
    at.every((boundary, j) => boundary === b[i].at[j]));
}

/** A Range's boundaries as they are now (a live Range moves with edits and with rangeAt). */
function boundariesOf(range) {
  return [range.startContainer, range.startOffset, range.endContainer, range.endOffset];
}

/** A key of placed rects (to see whether another panel moved). */
function rectsKey(rects) {
  return rects.map((r) => `${r.left},${r.top},${r.right},${r.bottom}`).join(';');
}

/** The beginning of a placement's key: the anchor, the viewport and the panel's size (the spot may be kept while they stay). */
function anchorKey(anchor, size, viewport) {
  return [anchor.left, anchor.top, anchor.right, anchor.bottom, viewport.width, viewport.height, size.width, size.height].join('|');
}

function contains(outer, inner) {
  return outer.left <= inner.left && outer.top <= inner.top && outer.right >= inner.right && outer.bottom >= inner.bottom;
}

function translate(x, y) {
  return `translate(${x}px, ${y}px)`;
}

/** Moves a panel to `spot` ({left, top}), writing its transform only when it changes. */
function moveTo(panel, spot) {
  if (!spot) return;
  const transform = translate(spot.left, spot.top);
  if (panel.cgTransform === transform) return;
  panel.cgTransform = transform;
  panel.style.transform = transform;
}

function createMark() {
  const mark = document.createElement('div');
  mark.className = 'cg-mark';
  return mark;
}

/**
 * Writes a (one-word) data attribute only when it differs from the last one written here, known
 * without reading the DOM: in Firefox each `dataset` read crosses an Xray, and the marks' six
 * attributes were read on every paint (0.12 s per 600 chars in Quill).
 */
function setData(node, name, value) {
  const written = (node.cgData ??= new Map());
  if (written.has(name) && written.get(name) === value) return;
  written.set(name, value);
  if (value === undefined) node.removeAttribute(`data-${name}`);
  else node.setAttribute(`data-${name}`, value);
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
