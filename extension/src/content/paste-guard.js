// Paste guard: a paste into a watched composer is held (capture phase, before the page sees it)
// while the companion checks the pasted text. Clean text is inserted as typed text (the undo
// history keeps it); text with a block finding waits for the user: paste anyway, paste with the
// contact details masked, or cancel. Without a paired companion pastes are never touched.

import { maskText } from '../lib/findings.js';
import { reducedFindings } from '../lib/reduced-check.js';
import { diffEdit, remapSpan } from '../lib/spans.js';
import { isTooLong } from '../lib/utf16.js';
import { captureSelection, insertText, restoreSelection } from './editing.js';
import { REDUCED_NOTE, isReduced, pasteCheck } from './guard-check.js';
import { askChoice } from './panels.js';

export function init(signal, { fields }) {
  const onPaste = async (event) => {
    const field = fields.fieldFor(event.target);
    const check = pasteCheck(fields, field);
    if (!check) return;
    const text = event.clipboardData?.getData('text/plain') ?? '';
    if (!text.trim() || isTooLong(text)) return;
    // Without the companion, a paste the reduced check finds nothing in goes through untouched.
    const reduced = check === 'reduced' ? reducedFindings(text) : null;
    if (reduced && !reduced.length) return;
    event.preventDefault();
    event.stopImmediatePropagation();

    const textBefore = field.read();
    const selection = captureSelection(field.element) ?? { start: textBefore.length, end: textBefore.length };
    const findings = reduced ?? await fields.analyzeOnce(field, text);
    const blocking = (findings ?? []).filter((f) => f.severity === 'block');
    let insert = text;
    if (blocking.length) {
      const choice = await askChoice(fields.layerOf(field), {
        note: isReduced(blocking) ? REDUCED_NOTE : null,
        className: 'cg-paste-dialog',
        title: 'The pasted text contains contact details',
        lines: [...new Set(blocking.map((f) => f.reason).filter(Boolean))],
        buttons: [
          { action: 'paste-masked', label: 'Paste without contact details', primary: true },
          { action: 'paste-anyway', label: 'Paste anyway' },
          { action: 'paste-cancel', label: 'Cancel' },
        ],
        cancelAction: 'paste-cancel',
        anchor: field.element.getBoundingClientRect(),
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
  document.addEventListener('paste', onPaste, { capture: true, signal });
}
