// Measures where text spans of a <textarea>/<input> are drawn, with a hidden mirror element that
// copies the field's text layout (fonts, padding, borders, wrapping). The field itself is never
// touched. Rects come back in the overlay's viewport coordinates, scrolled like the field (a field
// in a same-origin frame is measured where the frame shows it: `offset` is its viewport's origin).

const COPIED = [
  'boxSizing', 'fontFamily', 'fontSize', 'fontStyle', 'fontVariant', 'fontWeight', 'fontStretch',
  'fontKerning', 'fontFeatureSettings', 'letterSpacing', 'wordSpacing', 'lineHeight', 'textTransform',
  'textIndent', 'textAlign', 'tabSize', 'direction', 'paddingTop', 'paddingRight', 'paddingBottom',
  'paddingLeft', 'borderTopWidth', 'borderRightWidth', 'borderBottomWidth', 'borderLeftWidth',
  'wordBreak', 'overflowWrap', 'hyphens',
];

/**
 * A field's computed style is read again after this long (or at once when its box changes size):
 * reading some 30 properties on every paint while typing cost more than the measuring itself in
 * Firefox, and a page restyling a field without resizing it is rare (the marks then follow within this).
 */
const STYLE_TRUST_MS = 1000;

export class TextareaMirror {
  #box;
  #text;
  #range = new Range(); // one for every measure (see trees.js scratchRange)
  #applied = new Map();
  #styles = new WeakMap(); // field -> {size, at, copied}: its text layout, as last read

  constructor(container) {
    this.#box = document.createElement('div');
    this.#box.className = 'cg-mirror';
    this.#box.setAttribute('aria-hidden', 'true');
    this.#text = document.createTextNode('');
    this.#box.append(this.#text);
    container.append(this.#box);
  }

  /** For each span, the list of its line boxes ({left, top, width, height}, viewport px). */
  measure(field, text, spans, offset = { x: 0, y: 0 }) {
    if (!spans.length) return [];
    this.#lay(field, text, offset);
    const range = this.#range;
    return spans.map(({ start, end }) => {
      range.setStart(this.#text, Math.min(start, text.length));
      range.setEnd(this.#text, Math.min(end, text.length));
      return [...range.getClientRects()]
        .filter((r) => r.width > 0)
        .map((r) => ({ left: r.left, top: r.top, width: r.width, height: r.height }));
    });
  }

  /**
   * Line boxes ({left, top, right, bottom}, viewport px) of `field`'s text that may meet `spots`
   * (viewport rects, each with a `corner`: 'top-…' or 'bottom-…'): the text is measured from its
   * start until past the top spots and from its end until above the bottom ones, in growing pieces,
   * not whole (a collapsed card's marker keeps off it).
   */
  linesNear(field, text, spots, offset = { x: 0, y: 0 }) {
    if (!text || !spots.length) return [];
    this.#lay(field, text, offset);
    const range = this.#range;
    const lines = [];
    const measure = (start, end) => {
      range.setStart(this.#text, start);
      range.setEnd(this.#text, end);
      const rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0)
        .map((r) => ({ left: r.left, top: r.top, right: r.right, bottom: r.bottom }));
      lines.push(...rects);
      return rects;
    };
    const top = spots.filter((s) => s.corner.startsWith('top'));
    const bottom = spots.filter((s) => !s.corner.startsWith('top'));
    if (top.length) {
      const below = Math.max(...top.map((s) => s.bottom));
      for (let end = Math.min(text.length, 64); ; end = Math.min(text.length, end * 4)) {
        const rects = measure(0, end);
        if (end === text.length || rects.some((r) => r.top >= below)) break;
      }
    }
    if (bottom.length) {
      const above = Math.min(...bottom.map((s) => s.top));
      for (let size = 64; ; size *= 4) {
        const start = Math.max(0, text.length - size);
        const rects = measure(start, text.length);
        if (start === 0 || rects.some((r) => r.bottom <= above)) break;
      }
    }
    return lines;
  }

  /** Lays the mirror out like `field` holding `text` (only what changed is written). */
  #lay(field, text, offset) {
    const rect = field.getBoundingClientRect();
    const single = field.nodeName === 'INPUT';
    const { copied, widthExtra, verticalPadding } = this.#layoutOf(field, rect, single);
    const wanted = { ...copied };
    // clientWidth excludes a vertical scrollbar, which also narrows the wrapping width.
    wanted.width = `${field.clientWidth + widthExtra}px`;
    if (single) {
      // An input centres its one line vertically in its content box.
      wanted.lineHeight = `${field.clientHeight - verticalPadding}px`;
    }
    wanted.left = `${rect.left + offset.x - field.scrollLeft}px`;
    wanted.top = `${rect.top + offset.y - field.scrollTop}px`;
    // Only changed properties are written, so an unchanged field costs no style recalculation.
    const box = this.#box.style;
    for (const [property, value] of Object.entries(wanted)) {
      if (this.#applied.get(property) === value) continue;
      this.#applied.set(property, value);
      box[property] = value;
    }
    if (this.#text.data !== text) this.#text.data = text;
  }

  /** What the mirror copies of `field`'s computed style (see STYLE_TRUST_MS), and the sizes it adds. */
  #layoutOf(field, rect, single) {
    const size = `${rect.width}x${rect.height}`;
    const now = performance.now();
    const known = this.#styles.get(field);
    if (known && known.size === size && now - known.at < STYLE_TRUST_MS) return known;
    // The field's own window: a field in a frame is styled by that frame's sheets.
    const style = field.ownerDocument.defaultView.getComputedStyle(field);
    const copied = { borderStyle: 'solid', borderColor: 'transparent' };
    for (const property of COPIED) copied[property] = style[property];
    copied.whiteSpace = single || style.whiteSpace === 'nowrap' ? 'pre' : 'pre-wrap';
    const borders = parseFloat(style.borderLeftWidth) + parseFloat(style.borderRightWidth);
    const horizontalPadding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
    const layout = {
      size, at: now, copied,
      widthExtra: style.boxSizing === 'border-box' ? borders : -horizontalPadding,
      verticalPadding: parseFloat(style.paddingTop) + parseFloat(style.paddingBottom),
    };
    this.#styles.set(field, layout);
    return layout;
  }

  /** Frees the mirror's copy of the text once nothing needs measuring. */
  clear() {
    if (this.#text.data) this.#text.data = '';
  }
}
