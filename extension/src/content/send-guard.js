// Send guard: when a composer's verdict is block, Enter-to-send and the page's send controls ask
// for confirmation first (capture phase, before the page's own handlers). "Send anyway" replays
// the send: a synthetic Enter the page handles, or a click on the send control. Warn and info
// verdicts never interrupt.

import { sendControlOf } from '../lib/sites.js';
import { eventTarget, parentAcross } from './trees.js';

function isSingleLine(element) {
  return element.nodeName === 'INPUT';
}

export function init(signal, { fields, trees }) {
  let replaying = false;
  const pending = new Set();

  const blocks = (field) => field && fields.guarding && field.verdict === 'block';

  /** Enter sends from one-line inputs (form submit) and chat boxes; elsewhere it is a newline. */
  const enterSends = (field, event) =>
    isSingleLine(field.element) || event.ctrlKey || event.metaKey || fields.surfaceOf(field) === 'message';

  const confirmThen = async (field, replay) => {
    if (pending.has(field)) return;
    pending.add(field);
    const reasons = field.findings.filter((f) => f.severity === 'block').map((f) => f.reason).filter(Boolean);
    const choice = await fields.askChoice(field, {
      className: 'cg-send-confirm',
      title: 'Send contact details? The platform may flag your account.',
      lines: [...new Set(reasons)],
      buttons: [
        { action: 'send-cancel', label: 'Keep editing', primary: true },
        { action: 'send-anyway', label: 'Send anyway' },
      ],
      cancelAction: 'send-cancel',
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
    else element.ownerDocument.execCommand(element.nodeName === 'TEXTAREA' ? 'insertLineBreak' : 'insertParagraph');
  };

  const onKeydown = (event) => {
    if (replaying || event.key !== 'Enter' || event.shiftKey || event.altKey || event.isComposing) return;
    const field = fields.fieldFor(eventTarget(event));
    if (!blocks(field) || !enterSends(field, event)) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    confirmThen(field, () => replayEnter(field, event));
  };

  /** The composer a send control sends: one in its form, else the nearest one around it. */
  const composerOf = (control) => {
    const scope = control.form ?? control;
    for (let container = scope; container; container = parentAcross(container)) {
      const inside = fields.fieldsIn(container);
      if (inside.length) return inside.find(blocks) ?? null;
    }
    return null;
  };

  const onClick = (event) => {
    const target = eventTarget(event);
    if (replaying || target?.nodeType !== Node.ELEMENT_NODE) return;
    const control = sendControlOf(target, fields.site);
    if (!control || fields.fieldFor(control)) return;
    const field = composerOf(control);
    if (!blocks(field)) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    confirmThen(field, () => control.click());
  };

  // On each watched document's window (same-origin frames have their own), before the page's handlers.
  trees.each((root, rootSignal) => {
    const view = root.nodeType === Node.DOCUMENT_NODE ? root.defaultView : null;
    if (!view) return;
    view.addEventListener('keydown', onKeydown, { capture: true, signal: rootSignal });
    view.addEventListener('click', onClick, { capture: true, signal: rootSignal });
  });
}
