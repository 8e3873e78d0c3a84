// The watched composers: their text, revisions and findings. On input the painted spans are
// remapped at once (or dropped where the edit touched them) and an analyze goes out at most every
// 25 ms per field (at once after a quiet spell or a paste; never during an IME composition).
// Answers older than a field's latest revision are dropped. Answers paint in the task they arrive
// in; edits repaint in the next animation frame.

import { checkedFindings, verdictOf } from '../lib/findings.js';
import { surfaceOf } from '../lib/sites.js';
import { remapSpans } from '../lib/spans.js';
import { CHIP_LABELS, STATUS } from '../lib/status.js';
import { isTooLong } from '../lib/utf16.js';
import { rangeAt, readEditable } from './editable-text.js';
import { replaceSpan } from './adapters.js';
import { removeBanner, showBanner } from './panels.js';

/**
 * Minimum spacing of analyses per field (a throttle with a leading edge, see #schedule). 25 ms:
 * waiting at most 25 ms, plus ~10 ms round trip and one frame, keeps keystroke-to-underline under
 * 50 ms at p95, while a burst costs the companion at most 40 analyses a second (its limit is 50).
 */
export const SEND_INTERVAL_MS = 25;
/** How long a guarded paste waits for the companion before letting the paste through. */
const ONE_SHOT_TIMEOUT_MS = 1000;
/** Programmatic value changes (a chat clearing its box after sending) fire no event: poll for them. */
const VALUE_POLL_MS = 400;

/** Identity of a set of findings as painted: same signature, same marks and banner. */
function signatureOf(findings) {
  let signature = '';
  for (const f of findings) signature += `${f.start},${f.end},${f.severity},${f.kind},${f.rule};`;
  return signature;
}

/** Whether an editor's painted ranges still sit on live text (editors may replace their nodes). */
function rangesIntact(field) {
  return !field.ranges.some((r) => r.collapsed || !r.startContainer.isConnected || !r.endContainer.isConnected);
}

class Field {
  constructor(element, key) {
    this.element = element;
    this.key = key;
    this.editable = element.nodeName !== 'TEXTAREA' && element.nodeName !== 'INPUT';
    this.text = '';
    this.model = null;
    this.revision = 0;
    this.sent = null; // {revision, text} of the latest analyze
    this.findings = []; // on this.text, ignored ones left out
    this.ignored = []; // spans the user chose to ignore, on this.text
    this.tooLong = false;
    this.composing = false;
    this.timer = null;
    this.pasted = false;
    this.observer = null;
    this.lastSentAt = -Infinity;
    this.paintedSignature = ''; // what the layer shows ('' = nothing)
    this.ranges = []; // contenteditable: the live Ranges painted
    this.inputSeen = false;
    this.surface = null;
  }

  read() {
    if (!this.editable) return this.element.value;
    this.model = readEditable(this.element);
    return this.model.text;
  }

  get verdict() {
    return verdictOf(this.findings);
  }
}

export class Fields {
  #signal;
  #overlay;
  #messaging;
  #site;
  #byElement = new Map();
  #byKey = new Map();
  #nextKey = 0;
  #status = STATUS.offline;
  #active = null;
  #expanded = null; // the field whose banner shows its cards (the focused one)
  #dirty = new Set();
  #frame = 0;
  #oneShots = new Map(); // key -> {revision, text, finish}
  #oneShotRevision = 0;
  #resizeObserver;

  constructor(signal, { overlay, messaging, site }) {
    this.#signal = signal;
    this.#overlay = overlay;
    this.#messaging = messaging;
    this.#site = site;
    this.#resizeObserver = new ResizeObserver(() => this.#paintAll());
    signal.addEventListener('abort', () => this.#teardown(), { once: true });
    const options = { capture: true, signal };
    document.addEventListener('input', (event) => this.#onInput(event), options);
    document.addEventListener('compositionstart', (event) => this.#onComposition(event, true), options);
    document.addEventListener('compositionend', (event) => this.#onComposition(event, false), options);
    document.addEventListener('focusin', (event) => this.#onFocus(event, true), options);
    document.addEventListener('focusout', (event) => this.#onFocus(event, false), options);
    document.addEventListener('keydown', (event) => this.#onKeydown(event), options);
    document.addEventListener('scroll', () => this.#paintAll(), { capture: true, passive: true, signal });
    window.addEventListener('resize', () => this.#paintAll(), { passive: true, signal });
    // A page usually clears its composer right after a send key or click: look then, not only on the poll.
    for (const type of ['keyup', 'click', 'reset']) {
      document.addEventListener(type, () => queueMicrotask(() => this.#pollValues()), { passive: true, signal });
    }
    const poll = setInterval(() => this.#pollValues(), VALUE_POLL_MS);
    signal.addEventListener('abort', () => clearInterval(poll), { once: true });
  }

  /** Whether paste and send are being guarded (only with a paired companion). */
  get guarding() {
    return this.#status === STATUS.connected;
  }

  /**
   * Whether the companion is away (not running): the guards then run the reduced check. Not when
   * unpaired: the user has not set Contact Guard up yet, and the chip says so.
   */
  get reduced() {
    return this.#status === STATUS.offline;
  }

  get site() {
    return this.#site;
  }

  add(element) {
    const field = new Field(element, this.#keyFor(element));
    this.#byElement.set(element, field);
    this.#byKey.set(field.key, field);
    this.#resizeObserver.observe(element);
    if (field.editable) {
      // Rich editors change their DOM without input events too (undo, formatting, re-renders).
      field.observer = new MutationObserver(() => {
        // After a keystroke the input listener has already read the text (it runs before this
        // microtask): only changes made without an input event need reading here.
        if (field.inputSeen) field.inputSeen = false;
        else this.#changed(field);
      });
      field.observer.observe(element, { childList: true, characterData: true, subtree: true });
    }
    if (!this.#active) this.#active = field;
    if (document.activeElement === element) this.#expanded = field;
    field.text = field.read();
    this.surfaceOf(field);
    if (field.text) this.#send(field);
    this.#markDirty(field);
  }

  remove(element) {
    const field = this.#byElement.get(element);
    if (!field) return;
    clearTimeout(field.timer);
    field.observer?.disconnect();
    this.#resizeObserver.unobserve(element);
    this.#byElement.delete(element);
    this.#byKey.delete(field.key);
    this.#overlay.removeLayer(field.key);
    if (this.#active === field) this.#active = this.#byElement.values().next().value ?? null;
    this.#messaging.send({ type: 'forget', field: field.key });
    this.#markDirty(null);
  }

  /** The watched composer that `node` is or is inside of. */
  fieldFor(node) {
    for (let element = node; element; element = element.parentElement) {
      const field = this.#byElement.get(element);
      if (field) return field;
    }
    return null;
  }

  /** Watched composers inside `container`. */
  fieldsIn(container) {
    return [...this.#byElement.values()].filter((f) => container.contains(f.element));
  }

  layerOf(field) {
    return this.#overlay.layerOf(field.key);
  }

  /** A message from the background. */
  receive(message) {
    switch (message?.type) {
      case 'status':
        this.#status = message.status;
        this.#paintAll();
        break;
      case 'findings':
        this.#onFindings(message);
        break;
      case 'field-error':
        this.#onFieldError(message);
        break;
      default:
        break;
    }
  }

  /** After the background restarted: it lost every field, so send each one's text again. */
  resendAll() {
    for (const field of this.#byElement.values()) {
      if (field.text) this.#send(field);
    }
  }

  /**
   * Analyzes `text` once as if typed into `field` (a paste that has not landed yet). Resolves
   * with the findings, or null when no answer came in time.
   */
  analyzeOnce(field, text) {
    const key = `${field.key}~paste`;
    const revision = ++this.#oneShotRevision;
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(null), ONE_SHOT_TIMEOUT_MS);
      const finish = (findings) => {
        clearTimeout(timer);
        if (this.#oneShots.get(key)?.revision === revision) this.#oneShots.delete(key);
        this.#messaging.send({ type: 'forget', field: key });
        resolve(findings);
      };
      this.#oneShots.set(key, { revision, text, finish });
      this.#messaging.send({
        type: 'analyze', field: key, revision, text, surface: this.surfaceOf(field),
        orderKey: location.pathname, pasted: true,
      });
    });
  }

  /** The next change of `field` comes from a paste: analyze it at once, flagged as pasted. */
  expectPaste(field) {
    field.pasted = true;
  }

  // ---- input ---------------------------------------------------------------------------------

  #onInput(event) {
    const field = this.fieldFor(event.target);
    if (!field || event.isComposing || field.composing) return;
    if (event.inputType === 'insertFromPaste' || event.inputType === 'insertFromDrop') field.pasted = true;
    if (field.editable) {
      field.inputSeen = true;
      queueMicrotask(() => { field.inputSeen = false; });
    }
    this.#changed(field);
  }

  #onComposition(event, composing) {
    const field = this.fieldFor(event.target);
    if (!field) return;
    field.composing = composing;
    if (composing) {
      clearTimeout(field.timer);
      field.timer = null;
    } else {
      this.#changed(field, true);
    }
  }

  #onFocus(event, focused) {
    queueMicrotask(() => this.#followFocus());
    const field = this.fieldFor(event.target);
    if (!field) return;
    if (focused) field.surface = null;
    this.#messaging.send({ type: focused ? 'active' : 'idle', field: field.key });
    if (focused && this.#active !== field) {
      this.#active = field;
      this.#markDirty(null);
    }
  }

  /** The expanded banner follows the keyboard focus: its composer, or a button in its layer. */
  #followFocus() {
    const focused = document.activeElement;
    let field = focused ? this.fieldFor(focused) : null;
    if (!field && this.#overlay.owns(focused)) field = this.#byKey.get(this.#overlay.focusedLayerKey()) ?? null;
    if (field === this.#expanded) return;
    const previous = this.#expanded;
    this.#expanded = field;
    for (const changed of [previous, field]) {
      if (changed?.paintedSignature && this.#byElement.has(changed.element)) {
        this.#paintBanner(changed, changed.element.getBoundingClientRect());
      }
    }
  }

  /** Alt+ArrowDown in a composer moves the focus to its banner's first button (Escape comes back). */
  #onKeydown(event) {
    if (!event.altKey || event.key !== 'ArrowDown') return;
    const field = this.fieldFor(event.target);
    const button = field && this.#overlay.layerOf(field.key).querySelector('.cg-banner button, .cg-banner a');
    if (!button) return;
    event.preventDefault();
    button.focus();
  }

  #pollValues() {
    for (const field of this.#byElement.values()) {
      if (!field.editable && field.element.value !== field.text && !field.composing) this.#changed(field);
    }
  }

  /** The text may have changed: remap what is painted, then analyze (see #schedule). */
  #changed(field, now = false) {
    if (field.composing) return;
    const before = field.text;
    const after = field.read();
    if (after === before) return;
    field.findings = remapSpans(field.findings, before, after);
    field.ignored = remapSpans(field.ignored, before, after);
    field.text = after;
    // Typing after the findings leaves them where they are: nothing to repaint then.
    if (signatureOf(field.findings) !== field.paintedSignature || !rangesIntact(field)) this.#markDirty(field);
    this.#schedule(field, now || field.pasted);
  }

  /**
   * A debounce with a leading edge, i.e. at most one analyze per SEND_INTERVAL_MS per field, the
   * latest text winning: a change after a quiet spell goes out at once (a keystroke at typing speed
   * is checked without waiting); changes in a fast burst are coalesced into one send
   * SEND_INTERVAL_MS after the previous one. No change waits longer than SEND_INTERVAL_MS.
   */
  #schedule(field, now) {
    if (now) {
      this.#send(field);
      return;
    }
    if (field.timer) return; // the pending send will take the latest text
    const wait = field.lastSentAt + SEND_INTERVAL_MS - performance.now();
    if (wait <= 0) this.#send(field);
    else field.timer = setTimeout(() => this.#send(field), wait);
  }

  #send(field) {
    clearTimeout(field.timer);
    field.timer = null;
    if (field.composing) return;
    const text = field.text;
    const revision = ++field.revision;
    field.lastSentAt = performance.now();
    field.sent = { revision, text };
    const pasted = field.pasted;
    field.pasted = false;
    const wasTooLong = field.tooLong;
    field.tooLong = isTooLong(text);
    if (field.tooLong) {
      field.findings = [];
      this.#messaging.send({ type: 'too-long', field: field.key });
    } else {
      this.#messaging.send({
        type: 'analyze', field: field.key, revision, text, surface: this.surfaceOf(field),
        orderKey: location.pathname, pasted,
      });
    }
    if (wasTooLong !== field.tooLong) this.#markDirty(field);
  }

  /** The composer's surface, looked up again when it gets the focus (pages move fields around rarely). */
  surfaceOf(field) {
    if (!field.surface) {
      field.surface = surfaceOf(field.element, this.#site, location.pathname);
      // Shown on the composer's own layer (our DOM, not the page's): where the site profile placed it.
      this.#overlay.layerOf(field.key).dataset.surface = field.surface;
    }
    return field.surface;
  }

  // ---- answers -------------------------------------------------------------------------------

  #onFindings(message) {
    const oneShot = this.#oneShots.get(message.field);
    if (oneShot) {
      if (message.revision === oneShot.revision) oneShot.finish(checkedFindings(message.findings, oneShot.text));
      return;
    }
    const field = this.#byKey.get(message.field);
    if (!field || !field.sent || message.revision !== field.sent.revision) return; // stale
    const answered = checkedFindings(message.findings, field.sent.text);
    // The text may have moved on since it was sent: carry the spans over to the current text.
    const current = remapSpans(answered, field.sent.text, field.text);
    field.findings = current.filter((f) => !field.ignored.some((i) => i.start === f.start && i.end === f.end));
    // Painted in this task rather than the next frame: the underline is on screen one frame sooner.
    // An answer that repeats what is painted (the usual case while typing) costs no repaint.
    if (signatureOf(field.findings) !== field.paintedSignature) this.#paintNow(field);
  }

  #onFieldError(message) {
    const oneShot = this.#oneShots.get(message.field);
    if (oneShot) {
      oneShot.finish(null);
      return;
    }
    const field = this.#byKey.get(message.field);
    if (!field || !field.sent || message.revision !== field.sent.revision) return;
    if (message.code === 'text_too_long') {
      field.tooLong = true;
      field.findings = [];
      this.#markDirty(field);
    } else if (message.code === 'rate_limited') {
      clearTimeout(field.timer);
      field.timer = setTimeout(() => this.#send(field), 250);
    }
  }

  // ---- actions -------------------------------------------------------------------------------

  async #mask(field, finding) {
    const current = field.findings.find((f) => f.start === finding.start && f.end === finding.end);
    if (!current || current.mask === null) return;
    await replaceSpan(field.element, current.start, current.end, current.mask);
    this.#changed(field, true);
  }

  #ignore(field, finding) {
    field.ignored.push({ start: finding.start, end: finding.end });
    field.findings = field.findings.filter((f) => f.start !== finding.start || f.end !== finding.end);
    this.#markDirty(field);
    field.element.focus({ preventScroll: true });
  }

  // ---- painting ------------------------------------------------------------------------------

  #markDirty(field) {
    if (field) this.#dirty.add(field);
    if (!this.#frame) this.#frame = requestAnimationFrame(() => this.#paint());
  }

  #paintAll() {
    for (const field of this.#byElement.values()) this.#dirty.add(field);
    this.#markDirty(null);
  }

  #paint() {
    this.#frame = 0;
    const fields = [...this.#dirty];
    this.#dirty.clear();
    for (const field of fields) {
      if (this.#byElement.get(field.element) === field) this.#paintField(field);
    }
    this.#paintStatus();
  }

  #paintNow(field) {
    this.#dirty.delete(field);
    this.#paintField(field);
  }

  #paintField(field) {
    const { element, key } = field;
    const rect = element.getBoundingClientRect();
    const shown = this.#status === STATUS.connected && !field.tooLong && field.findings.length &&
      rect.width > 0 && rect.height > 0;
    if (!shown) {
      if (field.paintedSignature !== '') this.#overlay.clearLayer(key);
      field.paintedSignature = '';
      field.ranges = [];
      return;
    }
    field.paintedSignature = signatureOf(field.findings);
    const box = {
      left: rect.left + element.clientLeft, top: rect.top + element.clientTop,
      width: element.clientWidth, height: element.clientHeight,
    };
    const findings = field.findings;
    let marks;
    if (field.editable) {
      const model = readEditable(element);
      if (model.text !== field.text) {
        this.#changed(field);
        return;
      }
      const ranges = findings.map((f) => rangeAt(model, f.start, f.end));
      field.ranges = ranges.filter(Boolean);
      const painted = this.#overlay.paintsHighlights ? 'highlight' : undefined;
      marks = findings.map((finding, i) => ({
        finding, painted, rects: ranges[i] ? [...ranges[i].getClientRects()].filter((r) => r.width > 0) : [],
      }));
      this.#overlay.setHighlights(key, findings.map((f, i) => ({ severity: f.severity, range: ranges[i] })).filter((h) => h.range));
    } else {
      const rects = this.#overlay.mirror.measure(element, field.text, findings);
      marks = findings.map((finding, i) => ({ finding, rects: rects[i] }));
    }
    this.#overlay.paintMarks(key, box, marks);
    this.#paintBanner(field, rect);
  }

  #paintBanner(field, anchor) {
    const layer = this.#overlay.layerOf(field.key);
    const verdict = field.verdict;
    const advice = verdict === 'info' && field.findings.some((f) => f.suggestion);
    if (verdict !== 'block' && verdict !== 'warn' && !advice) {
      removeBanner(layer);
      return;
    }
    showBanner(layer, {
      verdict, findings: field.findings, text: field.text, ruleUrl: this.#site.ruleUrl, anchor,
      collapsed: field !== this.#expanded,
    }, {
      mask: (finding) => this.#mask(field, finding),
      ignore: (finding) => this.#ignore(field, finding),
      leave: () => field.element.focus({ preventScroll: true }),
    }, this.#signal);
  }

  #paintStatus() {
    const field = this.#active;
    const status = field?.tooLong && this.#status === STATUS.connected ? STATUS.tooLong : this.#status;
    const anchor = field && this.#byElement.has(field.element) ? field.element.getBoundingClientRect() : null;
    this.#overlay.showStatus(status, CHIP_LABELS[status], anchor);
  }

  #keyFor(element) {
    const base = element.id || element.getAttribute('name') || `cg-${++this.#nextKey}`;
    let key = base;
    while (this.#byKey.has(key)) key = `${base}-${++this.#nextKey}`;
    return key;
  }

  #teardown() {
    cancelAnimationFrame(this.#frame);
    this.#resizeObserver.disconnect();
    for (const field of this.#byElement.values()) {
      clearTimeout(field.timer);
      field.observer?.disconnect();
    }
    for (const { finish } of this.#oneShots.values()) finish(null);
  }
}

export function init(signal, dependencies) {
  return new Fields(signal, dependencies);
}
