// Send guard: when a composer's verdict is block, the page's send controls and a key that really
// sends (Enter in a chat box) ask for confirmation first (capture phase, before the page's own
// handlers). A key is guarded only when the page sends on it — never a key that makes a paragraph,
// never during an IME composition. "Send anyway" replays the send (the key, then the page's send
// control if the key did nothing); "Keep editing" returns to the composer with the caret where it
// was. Warn and info verdicts never interrupt.
//
// Which keys send, learned from the page, first match wins (lib/keys.js keySends):
//   1. a one-line input in a form: Enter submits it;
//   2. the composer's send control declares the key: aria-keyshortcuts="Enter" (or "Control+Enter");
//   3. what the key did the last time it was let through here: the page emptied the composer (it
//      sent) or the key added a line that stayed (it does not send) — the page's own behaviour,
//      which beats the profile: a user's setting may make Enter a new line where the site's
//      default sends;
//   4. the site profile's `sendKeys` for this composer (lib/sites.js, sendKeysOf).
// Otherwise the key is the editor's, and the send control (always guarded) is the way to send.

import { comboOf, hasCombo, keyEffect, keySends as decideKeySends } from '../lib/keys.js';
import { sendControlOf, sendKeysOf } from '../lib/sites.js';
import { captureSelection, select, settle } from './editing.js';
import { blockingFindings, reducedNoteOf } from './guard-check.js';
import { eventTarget, parentAcross } from './trees.js';

/** How long after a key is let through its effect is looked at, to learn whether it sends. */
const LEARN_AFTER_MS = 400;
/**
 * How long a line the key added must stay before the key counts as not sending: a page that sends
 * on Enter after its own round trip empties the composer later than LEARN_AFTER_MS, and a learned
 * "adds a line" lets that key through unasked from then on.
 */
const LINE_STAYS_MS = 1500;
/** How far up from a composer its send control is looked for (the composer's own box). */
const CONTROL_SEARCH_DEPTH = 5;

function isSingleLine(element) {
  return element.nodeName === 'INPUT';
}

export function init(signal, { fields, trees }) {
  let replaying = false;
  const pending = new Set();
  const learned = new WeakMap(); // composer element -> Map(combo -> sends)

  const blocks = (field) => blockingFindings(fields, field).length > 0;

  /** The page's send control for a composer: in its form, else the nearest one around it. */
  const sendControlFor = (element) => {
    const selector = fields.site.send.join(', ');
    const scopes = element.form ? [element.form] : [];
    let container = parentAcross(element);
    for (let depth = 0; container && depth < CONTROL_SEARCH_DEPTH; depth++, container = parentAcross(container)) {
      scopes.push(container);
    }
    for (const scope of scopes) {
      const control = [...scope.querySelectorAll(selector)].find((candidate) => !element.contains(candidate));
      if (control) return control;
    }
    return null;
  };

  /** Whether `combo` sends the message from `field`'s composer (see the list at the top). */
  const keySends = (field, combo) => {
    const { element } = field;
    return decideKeySends({
      formSubmits: isSingleLine(element) && Boolean(element.form) && combo === 'Enter',
      declared: hasCombo(sendControlFor(element)?.getAttribute('aria-keyshortcuts'), combo),
      learned: learned.get(element)?.get(combo),
      profile: hasCombo(sendKeysOf(element, fields.site), combo),
    });
  };

  const remember = (element, combo, sends) => {
    if (!learned.has(element)) learned.set(element, new Map());
    learned.get(element).set(combo, sends);
  };

  /**
   * After a key was let through: did the page send (composer emptied) or add a line? A line counts
   * once it has stayed LINE_STAYS_MS (a page that sends late empties the composer meanwhile).
   */
  const learnFrom = (field, combo) => {
    const before = field.read();
    if (!before.trim()) return;
    const later = (ms, look) => {
      const timer = setTimeout(() => {
        if (field.element.isConnected && !signal.aborted) look();
      }, ms);
      signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
    };
    later(LEARN_AFTER_MS, () => {
      const effect = keyEffect(before, field.read());
      if (effect === true) remember(field.element, combo, true);
      if (effect !== false) return;
      later(LINE_STAYS_MS, () => remember(field.element, combo, !field.read().trim()));
    });
  };

  const confirmThen = async (field, replay) => {
    if (pending.has(field)) return;
    pending.add(field);
    const caret = captureSelection(field.element);
    const blocking = blockingFindings(fields, field);
    const reasons = blocking.map((f) => f.reason).filter(Boolean);
    const choice = await fields.askChoice(field, {
      note: reducedNoteOf(blocking),
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
    if (caret) await select(field.element, caret);
    else field.element.focus({ preventScroll: true });
    if (choice !== 'send-anyway') return;
    replaying = true;
    try {
      await replay();
    } finally {
      replaying = false;
    }
  };

  /** Replays a guarded send key; when nothing took it, the page's send control (or form) sends. */
  const replayKey = async (field, original) => {
    const { element } = field;
    const before = field.read();
    const init = {
      key: original.key, code: original.code, keyCode: 13, which: 13, bubbles: true, cancelable: true,
      composed: true, ctrlKey: original.ctrlKey, metaKey: original.metaKey,
    };
    const down = new KeyboardEvent('keydown', init);
    element.dispatchEvent(down);
    element.dispatchEvent(new KeyboardEvent('keypress', init));
    element.dispatchEvent(new KeyboardEvent('keyup', init));
    await settle();
    if (down.defaultPrevented || field.read() !== before) return;
    if (isSingleLine(element) && element.form) {
      element.form.requestSubmit();
      return;
    }
    sendControlFor(element)?.click();
  };

  const onKeydown = (event) => {
    // The one keydown listener of the content script in this window: the card's shortcut too.
    fields.keydown(event);
    if (replaying || event.key !== 'Enter' || event.isComposing || event.keyCode === 229) return;
    const field = fields.fieldFor(eventTarget(event));
    if (!field || field.composing) return;
    const combo = comboOf(event);
    // Whether the key sends first: a key that makes a paragraph needs no check of the text.
    if (!keySends(field, combo) || !blocks(field)) {
      if (!event.shiftKey && !event.altKey) learnFrom(field, combo);
      return;
    }
    event.preventDefault();
    event.stopImmediatePropagation();
    confirmThen(field, () => replayKey(field, event));
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
