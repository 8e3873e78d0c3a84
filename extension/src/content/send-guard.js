// Send guard: when a composer's verdict is block, Enter-to-send and the page's send controls ask
// for confirmation first (capture phase, before the page's own handlers). "Send anyway" replays
// the send: a synthetic Enter the page handles, or a click on the send control. Warn and info
// verdicts never interrupt.

import { sendControlOf } from '../lib/sites.js';
import { REDUCED_NOTE, blockingFindings, isReduced } from './guard-check.js';
import { askChoice } from './panels.js';

function isSingleLine(element) {
  return element.nodeName === 'INPUT';
}

export function init(signal, { fields }) {
  let replaying = false;
  const pending = new Set();

  const blocks = (field) => blockingFindings(fields, field).length > 0;

  /** Enter sends from one-line inputs (form submit) and chat boxes; elsewhere it is a newline. */
  const enterSends = (field, event) =>
    isSingleLine(field.element) || event.ctrlKey || event.metaKey || fields.surfaceOf(field) === 'message';

  const confirmThen = async (field, replay) => {
    if (pending.has(field)) return;
    pending.add(field);
    const blocking = blockingFindings(fields, field);
    const reasons = blocking.map((f) => f.reason).filter(Boolean);
    const choice = await askChoice(fields.layerOf(field), {
      note: isReduced(blocking) ? REDUCED_NOTE : null,
      className: 'cg-send-confirm',
      title: 'Send contact details? The platform may flag your account.',
      lines: [...new Set(reasons)],
      buttons: [
        { action: 'send-cancel', label: 'Keep editing', primary: true },
        { action: 'send-anyway', label: 'Send anyway' },
      ],
      cancelAction: 'send-cancel',
      anchor: field.element.getBoundingClientRect(),
    }, signal);
    pending.delete(field);
    if (signal.aborted) return;
    field.element.focus({ preventScroll: true });
    if (choice !== 'send-anyway') return;
    replaying = true;
    try {
      replay();
    } finally {
      replaying = false;
    }
  };

  const replayEnter = (field, original) => {
    const { element } = field;
    const init = {
      key: 'Enter', code: 'Enter', keyCode: 13, which: 13, bubbles: true, cancelable: true, composed: true,
      ctrlKey: original.ctrlKey, metaKey: original.metaKey,
    };
    const down = new KeyboardEvent('keydown', init);
    element.dispatchEvent(down);
    element.dispatchEvent(new KeyboardEvent('keypress', init));
    element.dispatchEvent(new KeyboardEvent('keyup', init));
    if (down.defaultPrevented) return;
    // Nobody handled the synthetic key: do what a real Enter would have done.
    if (isSingleLine(element)) element.form?.requestSubmit();
    else document.execCommand(element.nodeName === 'TEXTAREA' ? 'insertLineBreak' : 'insertParagraph');
  };

  const onKeydown = (event) => {
    if (replaying || event.key !== 'Enter' || event.shiftKey || event.altKey || event.isComposing) return;
    const field = fields.fieldFor(event.target);
    if (!blocks(field) || !enterSends(field, event)) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    confirmThen(field, () => replayEnter(field, event));
  };

  /** The composer a send control sends: one in its form, else the nearest one around it. */
  const composerOf = (control) => {
    const scope = control.form ?? control;
    for (let container = scope; container; container = container.parentElement) {
      const inside = fields.fieldsIn(container);
      if (inside.length) return inside.find(blocks) ?? null;
    }
    return null;
  };

  const onClick = (event) => {
    if (replaying || !(event.target instanceof Element)) return;
    const control = sendControlOf(event.target, fields.site);
    if (!control || fields.fieldFor(control)) return;
    const field = composerOf(control);
    if (!blocks(field)) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    confirmThen(field, () => control.click());
  };

  window.addEventListener('keydown', onKeydown, { capture: true, signal });
  window.addEventListener('click', onClick, { capture: true, signal });
}
