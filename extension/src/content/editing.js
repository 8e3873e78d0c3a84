// What the composer adapters (adapters.js) share to change text on the user's behalf (Mask, a
// guarded paste) through the page editor's own input path: the selection as text offsets, putting
// it back so that the editor notices, waiting for the editor, and the synthetic input events
// (beforeinput, paste) that editors handle like the browser's own. Nothing here writes the page's
// DOM itself; native editing (execCommand) is only used where the browser is the editor.

import { hasLineBreak, plainTextMarkup } from '../lib/plain-markup.js';
import { offsetOf, rangeAt, readEditable } from './editable-text.js';

/** How long to wait for the `selectionchange` that a new selection queues. */
const SELECTION_WAIT_MS = 100;

/**
 * The selection that holds `element`'s text: its own document's (a composer may sit in a
 * same-origin frame), or in Chromium its shadow root's, which alone reports nodes inside the root.
 */
function selectionOf(element) {
  const root = element.getRootNode();
  if (root.host && typeof root.getSelection === 'function') return root.getSelection();
  return element.ownerDocument.getSelection();
}

export function isTextControl(element) {
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

const nextTask = () => new Promise((resolve) => { setTimeout(resolve, 0); });

/**
 * Lets the page's editor finish what an event started: re-rendering (React, Lexical: a microtask or
 * a task later) and selection handlers that defer themselves by a task (Slate).
 */
export async function settle() {
  await nextTask();
  await nextTask();
}

function selectionChanged(doc) {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      doc.removeEventListener('selectionchange', done);
      resolve();
    };
    const timer = setTimeout(done, SELECTION_WAIT_MS);
    doc.addEventListener('selectionchange', done);
  });
}

/**
 * Puts the selection at text offsets [start, end) of the composer and waits until the page's editor
 * has taken it in: editors read the DOM selection on `selectionchange` (some a task later), and the
 * next edit goes where their model's selection is.
 */
export async function select(element, { start, end }) {
  let refocused = false;
  // The focus as the composer's own tree sees it (its shadow root's, its frame's document's).
  const active = element.getRootNode().activeElement;
  if (active !== element && !element.contains(active)) {
    element.focus({ preventScroll: true });
    refocused = true;
    if (!isTextControl(element)) await settle(); // editors re-apply their own selection on focus
  }
  if (isTextControl(element)) {
    if (element.selectionStart !== null) element.setSelectionRange(start, end);
    return;
  }
  // After a focus change the DOM may show the right caret while the editor's model holds another
  // one (it re-applies its own shortly): set it anyway so that the editor reads it back.
  const current = captureSelection(element);
  if (!refocused && current && current.start === start && current.end === end) return;
  const range = rangeAt(readEditable(element), start, end);
  if (!range) return;
  const changed = selectionChanged(element.ownerDocument);
  const selection = selectionOf(element);
  selection.removeAllRanges();
  selection.addRange(range);
  await changed;
  await settle();
}

// Events this extension dispatched (here, or through the page's world): the paste guard lets them
// through to the editor.
const dispatched = new WeakSet();

export function isOwnEvent(event) {
  return dispatched.has(event);
}

/** The element the browser would target: the one holding the selection's start, inside the composer. */
function selectionTarget(element) {
  const node = selectionOf(element)?.anchorNode;
  const target = node && (node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement);
  return target && element.contains(target) ? target : element;
}

/** How long the page's world gets to dispatch a requested event (a task of its own: normally at once). */
const PAGE_DISPATCH_TIMEOUT_MS = 3000;
let requests = 0;

/**
 * Has page-world.js build and dispatch a `paste` or `beforeinput` insertFromPaste carrying
 * `clipboard` at `target` (Firefox lets the page read only a DataTransfer made in its own world), in
 * a task of the page's own (so a long paste is the editor's task, not one inside the extension's).
 * Resolves true/false: whether the page's editor took it; null when there is no helper in this page
 * (or files, which cannot be passed) and the caller dispatches from here instead.
 */
function dispatchThroughPage(target, kind, clipboard) {
  if (clipboard.files.length) return null;
  const type = kind === 'paste' ? 'paste' : 'beforeinput';
  // The composer's own window and document: one in a same-origin frame has its own page-world helper.
  const doc = target.ownerDocument;
  const view = doc.defaultView;
  const id = ++requests;
  const request = new CustomEvent('contact-guard:dispatch', {
    detail: JSON.stringify({ kind, types: clipboard.types, id, deadline: performance.now() + PAGE_DISPATCH_TIMEOUT_MS }),
    bubbles: true, composed: true, cancelable: true,
  });
  // The helper's event is ours (the paste guard lets it through): a synthetic one at the target
  // while the request is open. A user's own paste is trusted, so it is never taken for ours.
  const seen = (event) => {
    if (!event.isTrusted && event.composedPath()[0] === target) dispatched.add(event);
  };
  view.addEventListener(type, seen, { capture: true });
  return new Promise((resolve) => {
    const finish = (taken) => {
      clearTimeout(timer);
      view.removeEventListener(type, seen, { capture: true });
      doc.removeEventListener('contact-guard:dispatched', onAnswer);
      resolve(taken);
    };
    const onAnswer = (answer) => {
      let reply;
      try {
        reply = JSON.parse(answer.detail);
      } catch {
        return;
      }
      if (reply?.id === id) finish(reply.taken === true);
    };
    const timer = setTimeout(() => finish(false), PAGE_DISPATCH_TIMEOUT_MS);
    doc.addEventListener('contact-guard:dispatched', onAnswer);
    target.dispatchEvent(request);
    if (!request.defaultPrevented) finish(null); // no helper in this page
  });
}

/**
 * A synthetic `paste` carrying `clipboard` (see snapshotClipboard) at the selection, as the browser
 * sends one; resolves true when the page's editor took it (called preventDefault).
 */
export async function dispatchPaste(element, clipboard) {
  const target = selectionTarget(element);
  const viaPage = await dispatchThroughPage(target, 'paste', clipboard);
  if (viaPage !== null) return viaPage;
  const event = new ClipboardEvent('paste', {
    clipboardData: dataTransferOf(clipboard), bubbles: true, cancelable: true, composed: true,
  });
  dispatched.add(event);
  target.dispatchEvent(event);
  return event.defaultPrevented;
}

/**
 * A synthetic `beforeinput` of `inputType` over the current selection (its target range), with
 * `data` (text) or `clipboard` (insertFromPaste); resolves true when the page's editor took it.
 */
export async function dispatchBeforeInput(element, inputType, { data = null, clipboard = null } = {}) {
  if (clipboard) {
    const viaPage = await dispatchThroughPage(element, inputType, clipboard);
    if (viaPage !== null) return viaPage;
  }
  const selection = selectionOf(element);
  const targetRanges = selection?.rangeCount ? [new StaticRange(selection.getRangeAt(0))] : [];
  const event = new InputEvent('beforeinput', {
    inputType, data, dataTransfer: clipboard && dataTransferOf(clipboard), targetRanges,
    bubbles: true, cancelable: true, composed: true,
  });
  dispatched.add(event);
  element.dispatchEvent(event);
  return event.defaultPrevented;
}

/** Clipboard content holding only `text` as plain text. */
export function plainClipboard(text) {
  return { types: [['text/plain', text]], files: [] };
}

/**
 * What a paste event carried, copied while the event is dispatched (its clipboardData is
 * unreadable afterwards): every string type (plain text, HTML, editors' own formats) and the files.
 */
export function snapshotClipboard(clipboardData) {
  const types = [];
  for (const type of clipboardData.types) {
    if (type !== 'Files') types.push([type, clipboardData.getData(type)]);
  }
  return { types, files: [...clipboardData.files] };
}

/** The plain text of copied clipboard content. */
export function plainTextOf(clipboard) {
  return clipboard.types.find(([type]) => type === 'text/plain')?.[1] ?? '';
}

/** A fresh DataTransfer with the copied content. */
function dataTransferOf({ types, files }) {
  const data = new DataTransfer();
  for (const [type, value] of types) data.setData(type, value);
  for (const file of files) data.items.add(file);
  return data;
}

// Blink's `insertText` inserts a text with line breaks one line at a time: an editing command, a
// layout and an `input` event per line and per line break (a 250-line paste: 500 `input` events,
// 300-550 ms in a textarea, 1.6 s in a watched contenteditable). Its `insertHTML` inserts the same
// text as one command: one `input`, one undo step, the caret after it (8-24 ms). Gecko inserts
// either text in one step, does not take `insertHTML` in a text control and places the caret
// wrongly after it in a pre-wrap editor, so there `insertText` stays. The extension's own URL
// tells the engine: Blink's extensions are chrome-extension://.
const insertsLineByLine = globalThis.chrome?.runtime?.getURL?.('').startsWith('chrome-extension:') ?? false;

const PRESERVED_WHITE_SPACE = new Set(['pre', 'pre-wrap', 'break-spaces']);

function preservesWhiteSpace(element) {
  if (element.nodeName === 'TEXTAREA') return true;
  const style = getComputedStyle(selectionTarget(element));
  if (style.whiteSpaceCollapse) return style.whiteSpaceCollapse === 'preserve' || style.whiteSpaceCollapse === 'break-spaces';
  return PRESERVED_WHITE_SPACE.has(style.whiteSpace);
}

/**
 * A multi-line text inserted as markup in one native edit where `insertText` would edit line by
 * line (see insertsLineByLine); false when this browser or composer does not take it that way (a
 * one-line input, a page whose Trusted Types policy refuses markup), and insertText does it.
 */
function insertLinesAtOnce(element, text) {
  if (!insertsLineByLine || element.nodeName === 'INPUT' || !hasLineBreak(text)) return false;
  const markup = plainTextMarkup(text, { preservesWhiteSpace: preservesWhiteSpace(element) });
  try {
    return element.ownerDocument.execCommand('insertHTML', false, markup);
  } catch {
    return false; // require-trusted-types-for 'script': a string is refused
  }
}

/**
 * Native editing at the current selection, as typing does: the browser changes the DOM, fires
 * `input` and keeps its own undo history. Only for composers where the browser is the editor
 * (textarea/input, plain contenteditable) or where the editor reads the DOM back (ProseMirror).
 */
export function insertNatively(element, text, { start, end }) {
  if (isTextControl(element) && element.selectionStart === null) {
    // No selection API (type=email): the value is all there is to edit.
    element.value = element.value.slice(0, start) + text + element.value.slice(end);
    element.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: text }));
    return true;
  }
  if (insertLinesAtOnce(element, text)) return true;
  if (element.ownerDocument.execCommand('insertText', false, text)) return true;
  if (!isTextControl(element)) return false;
  element.setRangeText(text, element.selectionStart, element.selectionEnd, 'end');
  element.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: text }));
  return true;
}
