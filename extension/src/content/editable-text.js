// The text of a contenteditable editor and the way back from text offsets to DOM positions.
// Text nodes contribute their data; <br> and the edges of block elements between content
// contribute "\n" (as the user sees lines), so rich editors that nest paragraphs and spans read
// as plain text. Offsets are UTF-16 units, like the wire's.

const BLOCKS = new Set([
  'ADDRESS', 'ARTICLE', 'ASIDE', 'BLOCKQUOTE', 'DD', 'DIV', 'DL', 'DT', 'FIELDSET', 'FIGCAPTION', 'FIGURE',
  'FOOTER', 'FORM', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HEADER', 'HR', 'LI', 'MAIN', 'NAV', 'OL', 'P',
  'PRE', 'SECTION', 'TABLE', 'TR', 'UL',
]);
const SKIPPED = new Set(['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT']);

/** {text, segments}: each segment maps a text node to where its data starts in `text`. */
export function readEditable(root) {
  const segments = [];
  let text = '';
  // A block edge is a line break only between two pieces of content (as innerText has it).
  let breakPending = false;
  const beforeContent = () => {
    if (breakPending && text && !text.endsWith('\n')) text += '\n';
    breakPending = false;
  };
  const visit = (node) => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === Node.TEXT_NODE) {
        if (child.data) {
          beforeContent();
          segments.push({ node: child, start: text.length });
          text += child.data;
        }
      } else if (child.nodeType === Node.ELEMENT_NODE && !SKIPPED.has(child.nodeName)) {
        if (child.nodeName === 'BR') {
          beforeContent();
          text += '\n';
          continue;
        }
        const block = BLOCKS.has(child.nodeName);
        if (block) breakPending = true;
        visit(child);
        if (block) breakPending = true;
      }
    }
  };
  visit(root);
  return { text, segments };
}

/** The DOM position (text node + offset) of text offset `offset`, or null for an empty editor. */
export function positionAt(model, offset) {
  const { segments } = model;
  if (!segments.length) return null;
  let low = 0;
  let high = segments.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (segments[middle].start <= offset) low = middle;
    else high = middle - 1;
  }
  const segment = segments[low];
  const within = Math.min(Math.max(0, offset - segment.start), segment.node.data.length);
  // An offset on a synthetic "\n" after this node lands at its end; before the first node, at its start.
  return { node: segment.node, offset: within };
}

/**
 * A Range over text offsets [start, end), or null when the editor has no text there. `range`, when
 * given (and of the editor's document), is moved there and returned instead of a new one: a Range
 * stays live until collected, and each live Range costs every later edit of its document.
 */
export function rangeAt(model, start, end, range = null) {
  const from = positionAt(model, start);
  const to = positionAt(model, end);
  if (!from || !to) return null;
  const doc = from.node.ownerDocument; // the editor's document (it may be a frame's)
  if (!range || (range.startContainer.ownerDocument ?? range.startContainer) !== doc) range = doc.createRange();
  // Set only where it differs: a boundary set again is a change for the highlights holding it.
  if (range.startContainer !== from.node || range.startOffset !== from.offset) range.setStart(from.node, from.offset);
  if (range.endContainer !== to.node || range.endOffset !== to.offset) range.setEnd(to.node, to.offset);
  return range;
}

/** The text offset of a DOM position inside the editor (for saving and restoring the caret). */
export function offsetOf(model, node, offset) {
  if (node && node.nodeType === Node.TEXT_NODE) {
    const segment = model.segments.find((s) => s.node === node);
    if (segment) return segment.start + offset;
  }
  if (node && node.nodeType === Node.ELEMENT_NODE) {
    // A caret between children: the text offset of the first text node at or after that child.
    const anchor = node.childNodes[offset];
    if (anchor) {
      const segment = model.segments.find((s) => anchor === s.node || anchor.contains(s.node));
      if (segment) return segment.start;
    }
  }
  return model.text.length;
}
