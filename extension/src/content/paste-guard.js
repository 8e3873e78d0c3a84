// Paste guard: a paste into a watched composer is held (capture phase, before the page sees it)
// while the companion checks the pasted text. Clean text is inserted as typed text (the undo
// history keeps it); text with a block finding waits for the user: paste anyway, paste with the
// contact details masked, or cancel. Without a paired companion pastes are never touched.

import { maskText } from '../lib/findings.js';
import { diffEdit, remapSpan } from '../lib/spans.js';
import { isTooLong } from '../lib/utf16.js';
import { captureSelection, insertText, restoreSelection } from './editing.js';
import { eventTarget } from './trees.js';

export function init(signal, { fields, trees }) {
  const onPaste = async (event) => {
    const field = fields.fieldFor(eventTarget(event));
    if (!field || !fields.guarding || field.composing) return;
    const text = event.clipboardData?.getData('text/plain') ?? '';
    if (!text.trim() || isTooLong(text)) return;
    event.preventDefault();
    event.stopImmediatePropagation();

    const textBefore = field.read();
    const selection = captureSelection(field.element) ?? { start: textBefore.length, end: textBefore.length };
    const findings = await fields.analyzeOnce(field, text);
    const blocking = (findings ?? []).filter((f) => f.severity === 'block');
    let insert = text;
    if (blocking.length) {
      const choice = await fields.askChoice(field, {
        className: 'cg-paste-dialog',
        title: 'The pasted text contains contact details',
        lines: [...new Set(blocking.map((f) => f.reason).filter(Boolean))],
        buttons: [
          { action: 'paste-masked', label: 'Paste without contact details', primary: true },
          { action: 'paste-anyway', label: 'Paste anyway' },
          { action: 'paste-cancel', label: 'Cancel' },
        ],
        cancelAction: 'paste-cancel',
      }, signal);
      if (signal.aborted) return;
      if (choice === 'paste-cancel') {
        restoreSelection(field.element, selection);
        return;
      }
      if (choice === 'paste-masked') insert = maskText(text, findings, 'block');
    }
    // The user may have typed while the paste waited: move the saved selection along.
    const moved = remapSpan(selection, diffEdit(textBefore, field.read()));
    const end = field.read().length;
    fields.expectPaste(field);
    insertText(field.element, moved ?? { start: end, end }, insert);
  };
  // Every watched document: the page's own and its same-origin frames'.
  trees.each((root, rootSignal) => {
    if (root.nodeType === Node.DOCUMENT_NODE) root.addEventListener('paste', onPaste, { capture: true, signal: rootSignal });
  });
}
