// Text changes made on the user's behalf (Mask, a guarded paste), done the way typing is done so
// the page's editor, the caret and the undo history all follow: select the span, then
// execCommand('insertText'), which fires the normal beforeinput/input events. Where that is not
// available, setRangeText (textarea/input) or a Range edit plus a synthetic input event.

import { offsetOf, rangeAt, readEditable } from './editable-text.js';
import { remapSpan } from '../lib/spans.js';

/**
 * The selection that holds `element`'s text: its own document's (a composer may sit in a
 * same-origin frame), or in Chromium its shadow root's, which alone reports nodes inside the root.
 */
function selectionOf(element) {
  const root = element.getRootNode();
  if (root.host && typeof root.getSelection === 'function') return root.getSelection();
  return element.ownerDocument.getSelection();
}

function isTextControl(element) {
  return element.nodeName === 'TEXTAREA' || element.nodeName === 'INPUT';
}

/** The selection inside the composer as text offsets, or null when it is elsewhere. */
export function captureSelection(element) {
  if (isTextControl(element)) {
    if (element.selectionStart === null) return null; // e.g. type=email has no selection API
    return { start: element.selectionStart, end: element.selectionEnd };
  }
  const selection = selectionOf(element);
  if (!selection || !selection.rangeCount || !element.contains(selection.anchorNode)) return null;
  const model = readEditable(element);
  const range = selection.getRangeAt(0);
  const start = offsetOf(model, range.startContainer, range.startOffset);
  const end = offsetOf(model, range.endContainer, range.endOffset);
  return { start: Math.min(start, end), end: Math.max(start, end) };
}

/** Puts the selection back at text offsets [start, end). */
export function restoreSelection(element, { start, end }) {
  element.focus({ preventScroll: true });
  if (isTextControl(element)) {
    if (element.selectionStart !== null) element.setSelectionRange(start, end);
    return;
  }
  const range = rangeAt(readEditable(element), start, end);
  if (!range) return;
  const selection = selectionOf(element);
  selection.removeAllRanges();
  selection.addRange(range);
}

function dispatchInput(element, data) {
  element.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertReplacementText', data }));
}

/** Replaces the selected [start, end) of the focused composer with `text`. */
function insertAtSelection(element, text, start, end) {
  if (isTextControl(element) && element.selectionStart === null) {
    // No selection API (type=email): the value is all there is to edit.
    element.value = element.value.slice(0, start) + text + element.value.slice(end);
    dispatchInput(element, text);
    return;
  }
  if (element.ownerDocument.execCommand('insertText', false, text)) return;
  if (isTextControl(element)) {
    element.setRangeText(text, start, end, 'end');
  } else {
    const range = rangeAt(readEditable(element), start, end);
    if (!range) return;
    range.deleteContents();
    range.insertNode(element.ownerDocument.createTextNode(text));
  }
  dispatchInput(element, text);
}

/**
 * Replaces [start, end) of the composer's text with `replacement`, keeping the caret where the
 * user had it (moved by the length change when it was after the span).
 */
export function replaceSpan(element, start, end, replacement) {
  const caret = captureSelection(element);
  restoreSelection(element, { start, end });
  insertAtSelection(element, replacement, start, end);
  if (!caret) return;
  const edit = { start, removedEnd: end, insertedEnd: start + replacement.length };
  const moved = remapSpan({ start: caret.start, end: Math.max(caret.end, caret.start) }, edit);
  const at = moved ?? { start: edit.insertedEnd, end: edit.insertedEnd };
  restoreSelection(element, at);
}

/** Inserts `text` where the selection was ([start, end)), as a paste would have. */
export function insertText(element, { start, end }, text) {
  restoreSelection(element, { start, end });
  insertAtSelection(element, text, start, end);
}
