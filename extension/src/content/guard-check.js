// The guards' one question, "what here should be confirmed before it is sent or pasted?", answered
// from the companion's findings while its analysis is available (lib/status.js
// companionAnalysisAvailable) and from the reduced check (lib/reduced-check.js) in every other state:
// the companion away, not paired, not verified, refusing this browser, another protocol version, a
// text over its size limit, a paste it did not answer in time. Only on a switched-off site (or
// during an IME composition) nothing is checked. Reduced findings carry `reduced: true` and the
// state's own short reason, which the dialogs show in their note (reducedNoteOf).

import { reducedFindings, reducedNote } from '../lib/reduced-check.js';
import { diffEdit } from '../lib/spans.js';
import { REDUCED_CHECK_REASONS, companionAnalysisAvailable, reducedCheckReason } from '../lib/status.js';
import { isTooLong } from '../lib/utf16.js';

/**
 * How text for `field` is checked now: {companion: true} (the companion's analysis), {reason} (the
 * reduced check, and why), or null (nothing is checked: a switched-off site). `tooLong`: the text
 * is over the companion's limit (it answers nothing for it).
 */
export function checkMode(fields, field, { tooLong = field?.tooLong ?? false } = {}) {
  if (!field) return null;
  if (companionAnalysisAvailable(fields.status)) {
    return tooLong ? { reason: REDUCED_CHECK_REASONS.too_long } : { companion: true };
  }
  const reason = reducedCheckReason(fields.status);
  return reason ? { reason } : null;
}

/** The reduced check's findings on `text`, each saying why only it ran. */
export function reducedFindingsFor(text, reason) {
  return reducedFindings(text).map((finding) => ({ ...finding, reducedReason: reason }));
}

/**
 * The block findings of a composer's current text (the send guard asks this on Enter or a click).
 * Connected, but without the companion's answer for this very text (a send right after typing,
 * or an error answer instead of findings): the reduced check also looks at what the companion's
 * last answer does not cover.
 */
export function blockingFindings(fields, field) {
  const mode = checkMode(fields, field);
  if (!mode) return [];
  const text = field.read();
  if (!mode.companion) return reducedFindingsFor(text, mode.reason);
  const blocking = field.verdict === 'block' ? field.findings.filter((f) => f.severity === 'block') : [];
  const [from, to] = unjudgedLines(field.analyzedText, text);
  if (from >= to) return blocking;
  // What the companion's last answer judged (remapped onto this text), and what the user ignored.
  const judged = (f) => [...field.findings, ...(field.ignored ?? [])].some((c) => c.start < f.end && f.start < c.end);
  const unjudged = reducedFindingsFor(text.slice(from, to), REDUCED_CHECK_REASONS.pending)
    .map((f) => ({ ...f, start: f.start + from, end: f.end + from }));
  return [...blocking, ...unjudged.filter((f) => !judged(f))];
}

/**
 * The lines of `text` the companion's last answer (for `analyzed`) has not judged: [from, to), the
 * lines the edit since then touched (empty when there is none; all of it when it never answered).
 * The reduced check's patterns never span a line break and see one as no character at all, so
 * checking those lines alone finds there exactly what checking the whole text would — without
 * scanning a long text on every Enter while an answer is on its way (~30 ms per 1,000 chars).
 */
export function unjudgedLines(analyzed, text) {
  if (analyzed === null || analyzed === undefined) return [0, text.length];
  const edit = diffEdit(analyzed, text);
  if (!edit) return [0, 0];
  const from = edit.start > 0 ? text.lastIndexOf('\n', edit.start - 1) + 1 : 0;
  const next = text.indexOf('\n', edit.insertedEnd);
  return [from, next < 0 ? text.length : next];
}

/**
 * How a paste of `text` into `field` is checked (see checkMode): the companion holds and analyzes
 * it, or the reduced check decides here, synchronously. Null: not guarded (a disabled site, an IME
 * composition).
 */
export function pasteCheck(fields, field, text) {
  if (!field || field.composing) return null;
  return checkMode(fields, field, { tooLong: isTooLong(text) });
}

/** The dialogs' note when findings came from the reduced check (null when the companion's). */
export function reducedNoteOf(findings) {
  const reduced = findings.find((f) => f.reduced);
  return reduced ? reducedNote(reduced.reducedReason ?? REDUCED_CHECK_REASONS.offline) : null;
}

export { REDUCED_CHECK_REASONS };
