// Paste guard: a paste into a watched composer is held (capture phase, before the page sees it)
// while the companion checks the pasted text. Clean text is then pasted again through the composer's
// adapter — the same clipboard content (HTML and editor formats included) as a paste the editor
// handles itself, so a rich editor keeps its own paste handling, lines and undo step. Text with a
// block finding waits for the user: paste anyway, paste with the contact details masked (plain
// text), or cancel. Whenever the companion's analysis is not available (away, not paired, not
// verified, a paste over its size limit, no answer in time) the reduced check (guard-check.js)
// decides; a paste it finds nothing in is not held. On a switched-off site pastes are never touched.

import { maskText } from '../lib/findings.js';
import { diffEdit, remapSpan } from '../lib/spans.js';
import { pasteInto } from './adapters.js';
import { captureSelection, isOwnEvent, plainClipboard, select, snapshotClipboard } from './editing.js';
import { REDUCED_CHECK_REASONS, pasteCheck, reducedFindingsFor, reducedNoteOf } from './guard-check.js';
import { eventTarget } from './trees.js';

export function init(signal, { fields, trees }) {
  const onPaste = async (event) => {
    if (isOwnEvent(event)) return; // our own replay of a held paste: the editor's to handle
    const field = fields.fieldFor(eventTarget(event));
    if (!field || !event.clipboardData) return;
    const text = event.clipboardData.getData('text/plain');
    if (!text.trim()) return;
    const check = pasteCheck(fields, field, text);
    if (!check) return;
    // Without the companion's analysis, a paste the reduced check finds nothing in goes through untouched.
    const reduced = check.reason ? reducedFindingsFor(text, check.reason) : null;
    if (reduced && !reduced.length) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    const original = snapshotClipboard(event.clipboardData);

    const { element } = field;
    const textBefore = field.read();
    const selection = captureSelection(element) ?? { start: textBefore.length, end: textBefore.length };
    // No answer in time (the companion went away meanwhile, or is overloaded): the reduced check.
    const findings = reduced ?? await fields.analyzeOnce(field, text) ??
      reducedFindingsFor(text, REDUCED_CHECK_REASONS.no_answer);
    const blocking = findings.filter((f) => f.severity === 'block');
    let clipboard = original;
    if (blocking.length) {
      const choice = await fields.askChoice(field, {
        note: reducedNoteOf(blocking),
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
        await select(element, selection);
        return;
      }
      if (choice === 'paste-masked') clipboard = plainClipboard(maskText(text, findings, 'block'));
    }
    // The user may have typed while the paste waited: move the saved selection along.
    const textNow = field.read();
    const moved = remapSpan(selection, diffEdit(textBefore, textNow));
    fields.expectPaste(field);
    await pasteInto(element, moved ?? { start: textNow.length, end: textNow.length }, clipboard);
  };
  // Every watched document: the page's own and its same-origin frames'.
  trees.each((root, rootSignal) => {
    if (root.nodeType === Node.DOCUMENT_NODE) root.addEventListener('paste', onPaste, { capture: true, signal: rootSignal });
  });
}
