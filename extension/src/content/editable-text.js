// The text of a contenteditable editor and the way back from text offsets to DOM positions.
// Text nodes contribute their data; <br> and the edges of block elements between content
// contribute "\n" (as the user sees lines), so rich editors that nest paragraphs and spans read
// as plain text. Offsets are UTF-16 units, like the wire's.

import { diffEdit } from '../lib/spans.js';

const BLOCKS = new Set([
  'ADDRESS', 'ARTICLE', 'ASIDE', 'BLOCKQUOTE', 'DD', 'DIV', 'DL', 'DT', 'FIELDSET', 'FIGCAPTION', 'FIGURE',
  'FOOTER', 'FORM', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HEADER', 'HR', 'LI', 'MAIN', 'NAV', 'OL', 'P',
  'PRE', 'SECTION', 'TABLE', 'TR', 'UL',
]);
const SKIPPED = new Set(['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT']);

/**
 * {text, segments, indexOf, edit, touched}: each segment maps a text node to where its data starts
 * in `text` (and how long it was when read); indexOf finds a node's segment. `edit` and `touched`
 * are kept by updateEditable (null and [] in a fresh read).
 */
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
          segments.push({ node: child, start: text.length, length: child.data.length });
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
  return { text, segments, indexOf: new Map(segments.map((segment, i) => [segment.node, i])), edit: null, touched: [] };
}

/**
 * `model` brought up to date with the editor's DOM after the mutation `records` (a
 * MutationObserver's, childList + characterData + subtree on the editor), without walking the
 * editor: typing into an existing text node only changes that node's data, and an editor that
 * re-renders a run of text puts one new text node in place of the old one (Slate, on punctuation).
 * Returns false when the records need a full readEditable (any other element or text node added or
 * removed, a node emptied or filled, a line end typed or removed at a node's end: anything that may
 * move the line breaks), so the model never disagrees with a fresh read. Updates `model` in place,
 * and grows `model.edit` (lib/spans.js diffEdit's form; null: no change) to cover each change since
 * it was last reset, and lists the text nodes changed or replaced in `model.touched`: the caller
 * learns what moved without diffing the whole text.
 */
export function updateEditable(model, records) {
  for (const record of records) {
    if (record.type === 'childList') {
      if (!replacedTextNode(model, record)) return false;
      continue;
    }
    if (record.type !== 'characterData') return false;
    const node = record.target;
    const index = model.indexOf.get(node);
    if (index === undefined) {
      if (node.data === '') continue; // empty before and now (or inside a skipped element): no text
      return false;
    }
    if (!newData(model, index, node)) return false;
  }
  return true;
}

/**
 * A childList record that put one text node in place of one the model holds, in the same spot
 * (one record: the same siblings): the segment passes to the new node, whose data is then taken as
 * typed. False for anything else.
 */
function replacedTextNode(model, { target, removedNodes, addedNodes }) {
  if (removedNodes.length !== 1 || addedNodes.length !== 1) return false;
  const [old] = removedNodes;
  const [now] = addedNodes;
  if (old.nodeType !== Node.TEXT_NODE || now.nodeType !== Node.TEXT_NODE || now.parentNode !== target) return false;
  const index = model.indexOf.get(old);
  if (index === undefined || model.indexOf.has(now)) return false;
  model.indexOf.delete(old);
  model.indexOf.set(now, index);
  model.segments[index].node = now;
  model.touched.push(old);
  return newData(model, index, now);
}

/** The segment `index` takes `node`'s data now; false when that may move a line break. */
function newData(model, index, node) {
  const segment = model.segments[index];
  const data = node.data;
  if (data.length === segment.length && model.text.startsWith(data, segment.start)) return true;
  // Whether a block edge after this node adds a "\n" depends on the node's last character.
  const endedLine = model.text.charCodeAt(segment.start + segment.length - 1) === 10;
  if (!data || endedLine !== data.endsWith('\n')) return false;
  // Only the node's own data is compared (diffEdit: a paragraph, not the whole text).
  const local = diffEdit(model.text.slice(segment.start, segment.start + segment.length), data);
  model.edit = grownEdit(model.edit, model.text.length, segment.start, local, data.length - segment.length);
  model.touched.push(node);
  model.text = model.text.slice(0, segment.start) + data + model.text.slice(segment.start + segment.length);
  const delta = data.length - segment.length;
  segment.length = data.length;
  if (delta) for (let i = index + 1; i < model.segments.length; i++) model.segments[i].start += delta;
  return true;
}

/**
 * `edit` (from the text before to the text `length` long now, null: none yet) followed by a change
 * of one node at text offset `at`: `local` (diffEdit of the node's old and new data) growing it by
 * `delta`. Outside both changes the text is untouched, so the union keeps the shorter common
 * prefix and the shorter common suffix.
 */
function grownEdit(edit, length, at, local, delta) {
  if (!local) return edit;
  const after = length + delta;
  const start = at + local.start;
  const suffix = after - (at + local.insertedEnd); // untouched after this change, in the new text
  if (!edit) return { start, removedEnd: length - suffix, insertedEnd: after - suffix };
  const before = length - (edit.insertedEnd - edit.removedEnd);
  const kept = Math.min(suffix, length - edit.insertedEnd);
  return { start: Math.min(edit.start, start), removedEnd: before - kept, insertedEnd: after - kept };
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
    const index = model.indexOf.get(node);
    if (index !== undefined) return model.segments[index].start + offset;
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
