// The painting surface: one <contact-guard-root> per document with an open shadow root, fixed at
// the viewport origin with pointer-events: none, so the page's layout and the editors' DOM are
// never touched. Per composer a layer [data-cg-for] holds the underline boxes (.cg-mark, clipped to
// the composer's box) and the banner/dialogs; one quiet chip (.cg-status) shows the connection.
// In contenteditable editors the CSS Custom Highlight API paints the text itself where available.

import { HIGHLIGHT_CSS, OVERLAY_CSS } from './overlay-style.js';
import { TextareaMirror } from './textarea-mirror.js';

const HOST_TAG = 'contact-guard-root';
const SEVERITY_ORDER = ['info', 'warn', 'block'];

export class Overlay {
  #host;
  #root;
  #layers = new Map(); // key -> {layer, clip}
  #chip;
  #highlights = null; // severity -> Highlight, when the API exists
  #highlightRanges = new Map(); // key -> [{severity, range}]
  #pageSheet = null;
  mirror;

  constructor(signal) {
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
    this.#root.append(style, this.#chip);
    this.mirror = new TextareaMirror(this.#root);
    document.documentElement.append(this.#host);
    this.#setUpHighlights();
    signal.addEventListener('abort', () => this.#destroy(), { once: true });
  }

  get root() {
    return this.#root;
  }

  /** Whether contenteditable text is painted by CSS highlights (else the boxes paint it). */
  get paintsHighlights() {
    return this.#highlights !== null;
  }

  /** Whether `node` belongs to the overlay (its host or anything inside it). */
  owns(node) {
    return node === this.#host || (node instanceof Node && this.#host.contains(node));
  }

  /** The key of the layer holding the keyboard focus (a banner button), or null. */
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
      entry = { layer, clip };
      this.#layers.set(key, entry);
    }
    return entry.layer;
  }

  /**
   * Draws the marks of one composer. `box` is the composer's client box (viewport px); each mark
   * is {finding, rects, painted?} with rects in viewport px.
   */
  paintMarks(key, box, marks) {
    this.layerOf(key);
    const { clip } = this.#layers.get(key);
    setStyle(clip, `left:${box.left}px;top:${box.top}px;width:${box.width}px;height:${box.height}px`);
    // Existing boxes are reused and only changed attributes are written: typing next to a
    // finding then costs no node churn and no style invalidation.
    let index = 0;
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
          `left:${rect.left - box.left}px;top:${rect.top - box.top}px;width:${rect.width}px;height:${rect.height}px`);
      }
    }
    while (clip.children.length > index) clip.lastElementChild.remove();
  }

  /** Paints contenteditable spans with CSS highlights: `spans` is [{severity, range}]. */
  setHighlights(key, spans) {
    if (!this.#highlights) return;
    if (spans.length) this.#highlightRanges.set(key, spans);
    else if (!this.#highlightRanges.delete(key)) return;
    for (const highlight of Object.values(this.#highlights)) highlight.clear();
    for (const list of this.#highlightRanges.values()) {
      for (const { severity, range } of list) this.#highlights[severity].add(range);
    }
  }

  clearLayer(key) {
    const entry = this.#layers.get(key);
    if (!entry) return;
    entry.clip.replaceChildren();
    // Open confirmations stay: they wait for the user's answer whatever the text does meanwhile.
    entry.layer.querySelector(':scope > .cg-banner')?.remove();
    this.setHighlights(key, []);
  }

  removeLayer(key) {
    const entry = this.#layers.get(key);
    if (!entry) return;
    this.setHighlights(key, []);
    entry.layer.remove();
    this.#layers.delete(key);
  }

  /** The quiet status chip, above the right end of `anchor` (a composer's rect). */
  showStatus(status, label, anchor) {
    const chip = this.#chip;
    if (chip.dataset.status !== status) {
      chip.dataset.status = status;
      chip.textContent = `Contact Guard: ${label}`;
    }
    if (!anchor || (anchor.width === 0 && anchor.height === 0)) {
      chip.hidden = true;
      return;
    }
    const place = `${status}|${anchor.top}|${anchor.right}|${anchor.bottom}|${innerWidth}`;
    if (!chip.hidden && chip.cgPlace === place) return;
    chip.hidden = false;
    chip.cgPlace = place;
    const width = chip.offsetWidth;
    const height = chip.offsetHeight || 18;
    const left = Math.max(4, Math.min(anchor.right - width, innerWidth - width - 4));
    const top = anchor.top - height - 2 >= 0 ? anchor.top - height - 2 : anchor.bottom + 2;
    setStyle(chip, `left:${left}px;top:${top}px`);
  }

  #setUpHighlights() {
    if (typeof CSS === 'undefined' || !CSS.highlights || typeof Highlight === 'undefined') return;
    try {
      this.#pageSheet = new CSSStyleSheet();
      this.#pageSheet.replaceSync(HIGHLIGHT_CSS);
      // An adopted sheet adds no node to the page; ::highlight() only styles the page's own text.
      document.adoptedStyleSheets = [...document.adoptedStyleSheets, this.#pageSheet];
      // Where a content script cannot adopt sheets into the page (the highlights would be unstyled,
      // so invisible), the boxes keep painting.
      if (!document.adoptedStyleSheets.includes(this.#pageSheet)) throw new Error('sheet not adopted');
      this.#highlights = {};
      for (const severity of SEVERITY_ORDER) {
        const highlight = new Highlight();
        highlight.priority = SEVERITY_ORDER.indexOf(severity);
        CSS.highlights.set(`cg-${severity}`, highlight);
        this.#highlights[severity] = highlight;
      }
    } catch {
      this.#highlights = null; // boxes paint instead
    }
  }

  #destroy() {
    if (this.#highlights) {
      for (const severity of SEVERITY_ORDER) CSS.highlights.delete(`cg-${severity}`);
    }
    if (this.#pageSheet) {
      document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== this.#pageSheet);
    }
    this.#host.remove();
    this.#layers.clear();
  }
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

export function init(signal) {
  return new Overlay(signal);
}
