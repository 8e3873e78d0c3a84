// The guards' one question, "what here should be confirmed before it is sent or pasted?", answered
// from the companion's findings while it is connected and from the reduced check (lib/reduced-check.js)
// while it is not running (offline). Unpaired or on a switched-off site: nothing. This is the hook that
// keeps the send and paste guards working without the companion; its findings carry
// `reduced: true` and the dialogs then add REDUCED_NOTE.

import { REDUCED_NOTE, reducedFindings } from '../lib/reduced-check.js';

export { REDUCED_NOTE };

/** The block findings of a composer's current text (the send guard asks this on Enter or a click). */
export function blockingFindings(fields, field) {
  if (!field) return [];
  if (fields.guarding) return field.verdict === 'block' ? field.findings.filter((f) => f.severity === 'block') : [];
  return fields.reduced ? reducedFindings(field.read()) : [];
}

/**
 * How a paste into `field` is checked: 'companion' (held and analyzed by the companion), 'reduced'
 * (checked here, synchronously), or null (not guarded: a disabled site, an IME composition).
 */
export function pasteCheck(fields, field) {
  if (!field || field.composing) return null;
  if (fields.guarding) return 'companion';
  return fields.reduced ? 'reduced' : null;
}

/** Whether findings came from the reduced check (the dialogs say so). */
export const isReduced = (findings) => findings.some((f) => f.reduced);
