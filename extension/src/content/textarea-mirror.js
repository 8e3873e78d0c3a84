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

export class TextareaMirror {
  #box;
  #text;
  #applied = new Map();

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
    // The field's own window: a field in a frame is styled by that frame's sheets.
    const style = field.ownerDocument.defaultView.getComputedStyle(field);
    const rect = field.getBoundingClientRect();
    const single = field.nodeName === 'INPUT';
    const wanted = { borderStyle: 'solid', borderColor: 'transparent' };
    for (const property of COPIED) wanted[property] = style[property];
    wanted.whiteSpace = single || style.whiteSpace === 'nowrap' ? 'pre' : 'pre-wrap';
    const borders = parseFloat(style.borderLeftWidth) + parseFloat(style.borderRightWidth);
    const horizontalPadding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
    // clientWidth excludes a vertical scrollbar, which also narrows the wrapping width.
    wanted.width = `${field.clientWidth + (style.boxSizing === 'border-box' ? borders : -horizontalPadding)}px`;
    if (single) {
      // An input centres its one line vertically in its content box.
      wanted.lineHeight = `${field.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom)}px`;
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

    const range = new Range();
    return spans.map(({ start, end }) => {
      range.setStart(this.#text, Math.min(start, text.length));
      range.setEnd(this.#text, Math.min(end, text.length));
      return [...range.getClientRects()]
        .filter((r) => r.width > 0)
        .map((r) => ({ left: r.left, top: r.top, width: r.width, height: r.height }));
    });
  }

  /** Frees the mirror's copy of the text once nothing needs measuring. */
  clear() {
    if (this.#text.data) this.#text.data = '';
  }
}
