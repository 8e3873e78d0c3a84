// One adapter per kind of composer, chosen by detecting the editor from the DOM: textarea/input,
// plain contenteditable, and the rich editors (ProseMirror/TipTap, Lexical, Draft.js, Slate, Quill,
// CKEditor 5). Each changes text only through its editor's own input path — a `beforeinput` the
// editor handles, or a synthetic `paste` carrying a DataTransfer — so the editor's model, its DOM,
// its undo history and the caret stay in step; none writes the page's DOM behind the editor's back.
// Measured per editor (e2e/test_editors.py): which path each one takes as its own.
//
// An adapter is {kind, matches(element), replace(element, span, text), paste(element, span, data)}:
// `replace` swaps the text at [span.start, span.end) for `text` (Mask); `paste` pastes `clipboard`
// (editing.js snapshotClipboard) over the span as the user's paste would have (a held paste let through).
// Both resolve once the editor has applied the edit. Placing the caret afterwards is the caller's.

import { remapSpan } from '../lib/spans.js';
import { readEditable } from './editable-text.js';
import {
  captureSelection, dispatchBeforeInput, dispatchPaste, insertNatively, isTextControl, plainClipboard, plainTextOf,
  select, settle,
} from './editing.js';

/** Editing steps, each resolving true when the composer took the edit. */
const byReplacementInput = (element, text) => dispatchBeforeInput(element, 'insertReplacementText', { data: text });
const byPasteOf = (element, clipboard) => dispatchPaste(element, clipboard);
const byPasteInput = (element, clipboard) => dispatchBeforeInput(element, 'insertFromPaste', { clipboard });
const byPlainPaste = (element, text) => dispatchPaste(element, plainClipboard(text));

/**
 * An adapter that selects the span, then tries its editor's input paths in order (the browser's own
 * sequence: paste, then beforeinput, then native editing where the browser is the editor).
 */
function adapter(kind, matches, { replace, paste, native = false }) {
  const run = async (element, span, steps, value, text) => {
    await select(element, span);
    for (const step of steps) {
      if (!(await step(element, value))) continue;
      await settle(); // the page's editor applies the edit (and re-renders) in its own time
      return true;
    }
    // Native editing is done when it returns (the browser is the editor): the caller can put the
    // caret back in this same task, so no state between the edit and the caret is ever seen.
    return native && insertNatively(element, text, span);
  };
  return Object.freeze({
    kind,
    matches,
    replace: (element, span, text) => run(element, span, replace, text, text),
    paste: (element, span, clipboard) => run(element, span, paste, clipboard, plainTextOf(clipboard)),
  });
}

const hasClass = (name) => (element) => element.classList.contains(name);

export const ADAPTERS = Object.freeze([
  // The browser is the editor: native editing (fires input, keeps the browser's undo); a paste is
  // offered to the page first, as the browser would.
  adapter('text-control', isTextControl, { replace: [], paste: [byPasteOf], native: true }),
  // ProseMirror and TipTap (class ProseMirror): their model takes pastes (parsed into the document
  // as one transaction); synthetic beforeinput is ignored there.
  adapter('prosemirror', hasClass('ProseMirror'), { replace: [byPlainPaste], paste: [byPasteOf] }),
  // Lexical handles beforeinput (insertReplacementText) and paste commands in its model.
  adapter('lexical', (element) => element.hasAttribute('data-lexical-editor'), {
    replace: [byReplacementInput], paste: [byPasteOf],
  }),
  // Draft.js reads React's onPaste, not native beforeinput.
  adapter('draft', hasClass('public-DraftEditor-content'), { replace: [byPlainPaste], paste: [byPasteOf] }),
  // Slate handles every native beforeinput (its onPaste only takes plain-text pastes).
  adapter('slate', (element) => element.hasAttribute('data-slate-editor'), {
    replace: [byReplacementInput], paste: [byPasteInput, byPasteOf],
  }),
  // Quill 2: beforeinput for replacements (its input module), its clipboard module for pastes.
  adapter('quill', hasClass('ql-editor'), { replace: [byReplacementInput], paste: [byPasteOf] }),
  // CKEditor 5: its typing observer takes insertReplacementText, its clipboard pipeline pastes.
  adapter('ckeditor5', hasClass('ck-editor__editable'), { replace: [byReplacementInput], paste: [byPasteOf] }),
  // Any other contenteditable: whatever editor may sit on it gets the browser's sequence of events;
  // when none takes them, the browser edits natively.
  adapter('contenteditable', () => true, {
    replace: [byReplacementInput, byPlainPaste], paste: [byPasteOf, byPasteInput], native: true,
  }),
]);

/** The adapter for a composer, detected from its DOM now (editors may mark their root late). */
export function adapterFor(element) {
  return ADAPTERS.find((candidate) => candidate.matches(element));
}

/**
 * Replaces [start, end) of the composer's text with `replacement` through its adapter, then puts
 * the caret back where the user had it (moved by the length change when it was after the span).
 * Resolves with whether the editor took the edit.
 *
 * After a native edit the caret goes back in the edit's own task (the adapter resolves without
 * waiting, and select() sets the selection before it waits): nobody sees the caret after the
 * replacement in between. A page script that re-renders a contenteditable after its `input` may
 * still lose the caret, so it is put back once more when the page has settled.
 */
export async function replaceSpan(element, start, end, replacement) {
  const caret = captureSelection(element);
  const taken = await adapterFor(element).replace(element, { start, end }, replacement);
  if (!taken || !caret) return taken;
  const edit = { start, removedEnd: end, insertedEnd: start + replacement.length };
  const moved = remapSpan({ start: caret.start, end: Math.max(caret.end, caret.start) }, edit);
  const target = moved ?? { start: edit.insertedEnd, end: edit.insertedEnd };
  await select(element, target);
  if (isTextControl(element)) return true;
  const text = readEditable(element).text;
  await settle();
  // Unless the user typed on meanwhile (then the caret is theirs).
  if (readEditable(element).text === text) await select(element, target);
  return true;
}

/** Pastes `clipboard` (editing.js snapshotClipboard) over `span` through the composer's adapter. */
export function pasteInto(element, span, clipboard) {
  return adapterFor(element).paste(element, span, clipboard);
}
