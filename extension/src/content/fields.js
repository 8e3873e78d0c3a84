// The watched composers: their text, revisions and findings. On input the painted spans are
// remapped at once (or dropped where the edit touched them) and an analyze goes out at most every
// 25 ms per field (at once after a quiet spell or a paste; never during an IME composition; every
// 100 ms in a long machine-speed burst, see lib/pacing.js), and while connected at most one per
// field waits for its answer: edits made meanwhile go out together once it is back. Answers older
// than a field's latest revision are dropped. Answers paint in the
// task they arrive in; edits repaint in the next animation frame, which reads all geometry first
// and writes after (no layout forced between writes). Composers may sit in open shadow roots and
// same-origin frames (trees.js): events are read at their real target (composedPath), listeners go
// on every watched document, and geometry is taken in the overlay's (top) viewport.

import { checkedFindings, verdictOf } from '../lib/findings.js';
import { clipRect } from '../lib/placement.js';
import { surfaceOf } from '../lib/sites.js';
import { diffEdit, moveSpans, remapSpans } from '../lib/spans.js';
import { CHIP_LABELS, STATUS, companionAnalysisAvailable } from '../lib/status.js';
import { isTooLong } from '../lib/utf16.js';
import { newPace, noteChange, sendDelay } from '../lib/pacing.js';
import { highlightReach } from '../lib/reach.js';
import { rangeAt, readEditable, updateEditable } from './editable-text.js';
import { replaceSpan } from './adapters.js';
import { captureSelection } from './editing.js';
import { editableLinesNear } from './field-lines.js';
import { askChoice, CARD_SHORTCUT, kindLabel, showBanner } from './panels.js';
import { themeOf } from './theme.js';
import { clientBox, deepActiveElement, eventTarget, parentAcross, viewportOf } from './trees.js';

/** How long a guarded paste waits for the companion before letting the paste through. */
const ONE_SHOT_TIMEOUT_MS = 1000;
/** Programmatic value changes (a chat clearing its box after sending) fire no event: poll for them. */
const VALUE_POLL_MS = 400;
/** How long a card opened by hovering a mark stays once the pointer has left the mark and the card. */
const HOVER_LINGER_MS = 300;
const FRAME_TAGS = new Set(['IFRAME', 'FRAME']);

/** Identity of a set of findings as painted: same signature, same marks and banner. */
function signatureOf(findings) {
  let signature = '';
  for (const f of findings) signature += `${f.start},${f.end},${f.severity},${f.kind},${f.rule};`;
  return signature;
}

/** Whether the key `event` types a character (no shortcut: Ctrl, Alt, Meta). */
function typesCharacter(event) {
  return event.key?.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey;
}

/**
 * Whether an editor's painted ranges still sit on live text (editors may replace their nodes).
 * `touched`: the only text nodes changed since they were painted (updateEditable), null when any
 * node may have been replaced: a range none of whose nodes changed is intact without asking the DOM.
 */
function rangesIntact(field, touched) {
  if (touched && !touched.some((node) => field.rangeNodes.has(node))) return true;
  return !field.ranges.some((r) => r.collapsed || !r.startContainer.isConnected || !r.endContainer.isConnected);
}

class Field {
  constructor(element, key) {
    this.element = element;
    this.key = key;
    this.editable = element.nodeName !== 'TEXTAREA' && element.nodeName !== 'INPUT';
    this.text = '';
    this.model = null;
    this.modelKept = false; // the model was kept from mutation records since takeChange() (no full read)
    this.revision = 0;
    this.sent = null; // {revision, text} of the latest analyze
    this.analyzedText = null; // the text of the latest revision the companion answered for
    this.findings = []; // on this.text, ignored ones left out
    this.ignored = []; // spans the user chose to ignore, on this.text
    this.tooLong = false;
    this.composing = false;
    this.stale = false; // typed into since field.text was last brought up to date (Fields.#typed)
    this.unsent = false; // field.text changed since the latest analyze went out
    this.settle = null; // brings field.text and the spans up to date (Fields.#sync), before an outside read
    this.timer = null;
    this.pasted = false;
    this.observer = null;
    this.held = []; // mutation records the observer's callback got, not yet applied to the model
    this.pace = newPace(); // when the next analyze may go (lib/pacing.js)
    this.awaiting = 0; // the revision whose answer is awaited (0: none); see Fields.#schedule
    this.paintedSignature = ''; // what the layer shows ('' = nothing)
    this.cardState = ''; // what the card was last shown from (see Fields.#paintBanner)
    this.unreached = false; // contenteditable: findings too far off screen to be highlighted yet
    this.ranges = []; // contenteditable: the live Ranges painted
    this.rangeNodes = new Set(); // contenteditable: the text nodes those Ranges start and end in
    this.rangePool = []; // contenteditable: a Range per finding, moved on each paint (never made anew)
    this.surface = null;
    this.theme = null; // 'dark' | 'light' | null (follow the OS), from what is behind the composer
    this.resizeObserver = null; // its window's (a frame's composer has its own realm)
    this.announced = new Set(); // kind/severity pairs already said to screen readers
  }

  /**
   * The composer's text now, with field.text, the findings and the spans first brought up to it
   * (typing only notes that the text changed: see Fields.#typed), so that a guard reading the text
   * and then the findings sees both on the same text.
   */
  read() {
    if (this.stale) this.settle?.();
    return this.readText();
  }

  /**
   * The composer's text now. A rich editor's is kept from its mutation records (updateEditable:
   * typing into a text node patches that node's part) and read in full only when a record may have
   * moved its line breaks: a whole read on every keystroke was the largest input-side cost.
   */
  readText() {
    if (!this.editable) return this.element.value;
    const records = this.observer?.takeRecords() ?? [];
    if (this.held.length) records.unshift(...this.held.splice(0));
    if (!this.model || !this.observer || (records.length && !updateEditable(this.model, records))) {
      this.model = readEditable(this.element);
      this.modelKept = false;
    }
    return this.model.text;
  }

  /**
   * What changed in a rich editor since the last call, as its kept model recorded it: {edit,
   * touched} (updateEditable), so that a keystroke costs no diff of the whole text; null when
   * unknown (a text control, or the editor was read in full meanwhile).
   */
  takeChange() {
    const model = this.model;
    if (!model) return null;
    const change = this.modelKept ? { edit: model.edit, touched: model.touched } : null;
    model.edit = null;
    model.touched = [];
    this.modelKept = true;
    return change;
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
  #trees;
  #byElement = new Map();
  #byKey = new Map();
  #nextKey = 0;
  #status = STATUS.offline;
  #active = null;
  #expanded = null; // the field whose card shows its findings (the focused one)
  #peek = null; // {field, source: 'pointer' | 'caret' | 'keyboard'}: a card the user asked to see
  #peekTimer = 0;
  #dirty = new Set();
  #stale = new Set(); // typed-into fields with spans to keep in place: brought up to date in the next frame
  #painting = false; // the next frame paints (else it only brings #stale up to date)
  #frame = 0;
  #oneShots = new Map(); // key -> {revision, text, finish}
  #oneShotRevision = 0;
  #resizeObservers = new Map(); // window -> ResizeObserver (one per realm: frames have their own)

  constructor(signal, { overlay, messaging, site, trees }) {
    this.#signal = signal;
    this.#overlay = overlay;
    this.#messaging = messaging;
    this.#site = site;
    this.#trees = trees;
    signal.addEventListener('abort', () => this.#teardown(), { once: true });
    trees.each((root, rootSignal) => this.#listen(root, rootSignal));
    const poll = setInterval(() => this.#poll(), VALUE_POLL_MS);
    signal.addEventListener('abort', () => clearInterval(poll), { once: true });
  }

  /** Listeners on one watched tree: a document gets them all, a shadow root only scroll (it does not cross). */
  #listen(root, signal) {
    const passive = { capture: true, passive: true, signal };
    root.addEventListener('scroll', () => this.#paintAll(), passive);
    if (root.nodeType !== Node.DOCUMENT_NODE) return;
    const options = { capture: true, signal };
    root.addEventListener('input', (event) => this.#onInput(event), options);
    root.addEventListener('compositionstart', (event) => this.#onComposition(event, true), options);
    root.addEventListener('compositionend', (event) => this.#onComposition(event, false), options);
    root.addEventListener('focusin', (event) => this.#onFocus(event, true), options);
    root.addEventListener('focusout', (event) => this.#onFocus(event, false), options);
    root.addEventListener('mousemove', (event) => this.#onPointer(event, root), passive);
    // A page usually clears its composer right after a send click: look then, not only on the
    // poll (keys: see keydown()).
    root.addEventListener('mouseup', (event) => this.#caretMoved(this.fieldFor(eventTarget(event))), passive);
    for (const type of ['click', 'reset']) root.addEventListener(type, () => queueMicrotask(() => this.#pollValues()), passive);
    const view = root.defaultView;
    view?.addEventListener('resize', () => this.#paintAll(), { passive: true, signal });
    // The chip follows the frame holding the focus (one chip per tab).
    view?.addEventListener('focus', () => this.#markDirty(null), { signal });
    view?.addEventListener('blur', () => this.#markDirty(null), { signal });
  }

  /** The connection's state as the background last said (lib/status.js); the guards ask guard-check.js. */
  get status() {
    return this.#status;
  }

  get site() {
    return this.#site;
  }

  add(element) {
    const field = new Field(element, this.#keyFor(element));
    this.#byElement.set(element, field);
    this.#byKey.set(field.key, field);
    field.resizeObserver = this.#resizeObserverFor(element);
    field.resizeObserver.observe(element);
    if (field.editable) {
      // Rich editors change their DOM without input events too (undo, formatting, re-renders). A
      // keystroke's own records never come here: the input listener takes them (takeRecords) before
      // they are delivered. What comes is read like typing (#typed: a page's re-render that leaves
      // the text as it was costs one compare, once).
      field.observer = new MutationObserver((records) => {
        field.held.push(...records);
        this.#typed(field);
      });
      field.observer.observe(element, { childList: true, characterData: true, subtree: true });
    }
    field.theme = themeOf(element);
    this.#overlay.setTheme(field.key, field.theme);
    if (!this.#active) this.#active = field;
    if (deepActiveElement() === element) {
      this.#expanded = field;
      this.#active = field;
    }
    field.settle = () => this.#sync(field);
    field.text = field.readText();
    field.takeChange();
    this.surfaceOf(field);
    if (field.text) this.#send(field);
    this.#markDirty(field);
  }

  remove(element) {
    const field = this.#byElement.get(element);
    if (!field) return;
    clearTimeout(field.timer);
    field.observer?.disconnect();
    this.#stale.delete(field);
    this.#byElement.delete(element);
    this.#byKey.delete(field.key);
    this.#releaseResizeObserver(field);
    this.#overlay.removeLayer(field.key);
    if (this.#active === field) this.#active = this.#byElement.values().next().value ?? null;
    if (this.#expanded === field) this.#expanded = null;
    if (this.#peek?.field === field) this.#peek = null;
    this.#messaging.send({ type: 'forget', field: field.key });
    this.#markDirty(null);
  }

  /** The watched composer that `node` is or is inside of (shadow roots crossed at their host). */
  fieldFor(node) {
    for (let element = node; element; element = parentAcross(element)) {
      const field = this.#byElement.get(element);
      if (field) return field;
    }
    return null;
  }

  /** Watched composers inside `container` (also inside shadow roots within it). */
  fieldsIn(container) {
    return [...this.#byElement.values()].filter((f) => {
      for (let node = f.element; node; node = parentAcross(node)) {
        if (node === container) return true;
      }
      return false;
    });
  }

  /**
   * Asks the user about `field` (a guarded paste or send) in a confirmation that stands in for
   * its card: see panels.askChoice. The card comes back once it is answered.
   */
  async askChoice(field, options, signal) {
    const anchor = clientBox(field.element).rect;
    try {
      return await askChoice(this.layerOf(field), { ...options, anchor }, signal, this.#overlay);
    } finally {
      // The card comes back in the next paint (the confirmation hid it meanwhile).
      field.cardState = '';
      if (this.#byElement.get(field.element) === field) this.#markDirty(field);
    }
  }

  layerOf(field) {
    return this.#overlay.layerOf(field.key);
  }

  /** A message from the background. */
  receive(message) {
    switch (message?.type) {
      case 'status':
        this.#status = message.status;
        // No answer is awaited across a change of connection (a reconnect resends the latest text).
        for (const field of this.#byElement.values()) this.#answered(field, field.awaiting);
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

  /**
   * After the background restarted: it lost every field, so send each one's text again, and which
   * one is in use (the background looks for the companion every second only while one is).
   */
  resendAll() {
    for (const field of this.#byElement.values()) {
      this.#sync(field);
      if (field.text) this.#send(field);
    }
    const focused = this.focusedField();
    if (focused) this.#messaging.send({ type: 'active', field: focused.key });
  }

  /** The composer holding this page's keyboard focus (its window may be in the background), or null. */
  focusedField() {
    const focused = deepActiveElement();
    return focused ? this.fieldFor(focused) : null;
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
    // The target is the composer itself unless it sits in a shadow root (composedPath() makes an
    // array of the whole path on every keystroke).
    const field = this.#byElement.get(event.target) ?? this.fieldFor(eventTarget(event));
    if (!field || event.isComposing || field.composing) return;
    if (this.#peek?.field === field && this.#peek.source === 'caret') this.#unpeek();
    if (event.inputType === 'insertFromPaste' || event.inputType === 'insertFromDrop') {
      field.pasted = true;
      this.#changed(field);
      return;
    }
    // This keystroke's mutation records, taken before they are delivered: a delivery would be one
    // more entry into the content script per keystroke (they are read with the text, #sync).
    const records = field.observer?.takeRecords();
    if (records?.length) field.held.push(...records);
    this.#typed(field);
  }

  #onComposition(event, composing) {
    const field = this.fieldFor(eventTarget(event));
    if (!field) return;
    if (composing) this.#sync(field); // what was typed before it, with its spans
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
    // The chip follows the focus, also into and out of frames.
    this.#markDirty(null);
    const field = this.fieldFor(eventTarget(event));
    if (!field) return;
    if (focused) {
      field.surface = null;
      field.theme = themeOf(field.element);
      this.#overlay.setTheme(field.key, field.theme);
    }
    this.#messaging.send({ type: focused ? 'active' : 'idle', field: field.key });
    if (focused && this.#active !== field) {
      this.#active = field;
      this.#markDirty(null);
    }
  }

  /** The open card follows the keyboard focus: its composer, or a button in its layer. */
  #followFocus() {
    const focused = deepActiveElement();
    let field = focused ? this.fieldFor(focused) : null;
    const inPanel = this.#overlay.owns(focused);
    if (!field && inPanel) field = this.#byKey.get(this.#overlay.focusedLayerKey()) ?? null;
    // A card opened from the keyboard stays while the focus is in it.
    if (this.#peek?.source === 'keyboard' && !(inPanel && this.#peek.field === field)) this.#peek = null;
    if (field === this.#expanded) return;
    const previous = this.#expanded;
    this.#expanded = field;
    for (const changed of [previous, field]) {
      if (changed && this.#byElement.has(changed.element)) this.#markDirty(changed);
    }
  }

  /**
   * Alt+ArrowDown in a composer (CARD_SHORTCUT) opens its card — also an info card, which never
   * opens by itself — and moves the focus to its first button; Escape comes back. Called by the
   * content script's one keydown listener of each window, the send guard's (send-guard.js): each
   * listener of a content script costs every keystroke an entry into the script's world.
   */
  keydown(event) {
    if (!typesCharacter(event)) this.#lookAfterKey();
    if (!event.altKey || event.key !== 'ArrowDown' || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const field = this.fieldFor(eventTarget(event));
    if (!field || !field.paintedSignature) return;
    this.#peek = { field, source: 'keyboard' };
    this.#paintNow(field);
    const button = this.#overlay.layerOf(field.key).querySelector('.cg-banner:not([hidden]) :is(button, a[href])');
    if (!button) return;
    event.preventDefault();
    button.focus({ preventScroll: true });
  }

  /** Hovering a mark opens its card; leaving both the mark and the card closes it again. */
  #onPointer(event, doc) {
    if (!this.#hasMarks()) return;
    const { x, y } = doc === document ? { x: 0, y: 0 } : viewportOf(doc);
    const px = event.clientX + x;
    const py = event.clientY + y;
    const hit = this.#overlay.markAt(px, py);
    const field = hit ? this.#byKey.get(hit.key) : null;
    if (field) {
      clearTimeout(this.#peekTimer);
      this.#peekTimer = 0;
      if (this.#peek?.field !== field) this.#peekAt(field, 'pointer');
      return;
    }
    if (this.#peek?.source !== 'pointer' || this.#peekTimer) return;
    if (this.#overPanel(this.#peek.field, px, py)) return;
    this.#peekTimer = setTimeout(() => {
      this.#peekTimer = 0;
      if (this.#peek?.source === 'pointer') this.#unpeek();
    }, HOVER_LINGER_MS);
  }

  /**
   * After a key other than a typed character (an arrow, Enter, a shortcut), once it has done its
   * work (the next task, where keyup used to be listened to): the caret may have moved into a
   * finding, and the page may have sent and cleared its composer. A key that types a character is
   * seen by the input listener and leaves the caret right after it, never strictly inside a finding
   * (an edit touching a span drops it): it costs nothing here. No keyup listener: each call of a
   * content script's listener costs the page's main thread an entry into the script's world, and
   * keyup came on every keystroke.
   */
  #lookAfterKey() {
    if (this.#keyTimer) return;
    this.#keyTimer = setTimeout(() => {
      this.#keyTimer = 0;
      this.#caretMoved(this.focusedField());
      this.#pollValues();
    }, 0);
  }

  /** The caret of `field` (null: none) moved: inside a finding's span, that finding's card opens. */
  #caretMoved(field) {
    if (field) this.#sync(field);
    if (!field || !field.findings.length) {
      if (this.#peek?.source === 'caret' && field) this.#unpeek();
      return;
    }
    const selection = captureSelection(field.element);
    // Strictly inside: a caret at the end of what was just typed does not open anything.
    const inside = selection && selection.start === selection.end &&
      field.findings.some((f) => f.start < selection.start && selection.start < f.end);
    if (inside && this.#peek?.field !== field) this.#peekAt(field, 'caret');
    else if (!inside && this.#peek?.source === 'caret') this.#unpeek();
  }

  #peekAt(field, source) {
    const previous = this.#peek?.field;
    this.#peek = { field, source };
    if (previous && previous !== field) this.#markDirty(previous);
    this.#markDirty(field);
  }

  #unpeek() {
    const field = this.#peek?.field;
    this.#peek = null;
    if (field) this.#markDirty(field);
  }

  #hasMarks() {
    for (const field of this.#byElement.values()) if (field.paintedSignature) return true;
    return false;
  }

  #overPanel(field, x, y) {
    const banner = this.#overlay.layerOf(field.key).querySelector(':scope > .cg-banner:not([hidden])');
    if (!banner) return false;
    const r = banner.getBoundingClientRect();
    return x >= r.left && x <= r.right && y >= r.top && y <= r.bottom;
  }

  #poll() {
    this.#pollValues();
    // The page may have moved a control under a card or the chip: check their spots again.
    if (this.#hasMarks() || this.#active) this.#markDirty(null, true);
    // ... or brought findings left without a highlight near the screen without a scroll or resize.
    for (const field of this.#byElement.values()) if (field.unreached) this.#markDirty(field);
  }

  #pollValues() {
    for (const field of this.#byElement.values()) {
      // A stale field's change is already on its way (#typed).
      if (!field.editable && !field.stale && field.element.value !== field.text && !field.composing) this.#changed(field);
    }
  }

  /** The text may have changed: remap what is painted, then analyze (see #schedule). */
  #changed(field, now = false) {
    if (field.composing) return;
    const changed = this.#refresh(field);
    // `now` also sends a change read earlier and not sent yet (typed, then an IME composition
    // started, which holds the send, and ended without changing the text).
    if (changed || (now && field.unsent)) this.#schedule(field, now || field.pasted, changed);
  }

  /**
   * The composer was typed into (its input event, or a rich editor's own change of its DOM): the
   * change is noted for the pacing, and the text is read and the spans remapped once for all the
   * keys that came meanwhile — in the next animation frame when there are spans to keep in place,
   * else when the text goes out (at once after a quiet spell: a keystroke is still checked without
   * waiting), or when a guard reads it (Field.read). Reading and remapping on every keystroke was
   * most of the extension's own time while typing fast (V8 profile, Chromium: ~0.15 ms a key).
   */
  #typed(field) {
    if (field.composing) return;
    field.stale = true;
    noteChange(field.pace, performance.now());
    if ((field.findings.length || field.ignored.length) && !this.#stale.has(field)) {
      this.#stale.add(field);
      if (!this.#frame) this.#frame = requestAnimationFrame(() => this.#paint());
    }
    // A send is pending: it takes the latest text when it goes.
    if (!field.timer) this.#schedule(field, false, false);
  }

  /** Brings a typed-into field's text and spans up to the composer (see #typed). */
  #sync(field) {
    if (field.stale && !field.composing) this.#refresh(field);
  }

  /**
   * field.text becomes the composer's text, the spans (findings, ignored ones) moved past the edit
   * or dropped where it touched them, and a repaint asked for where they moved. True when it changed.
   */
  #refresh(field) {
    field.stale = false;
    const before = field.text;
    const after = field.readText();
    const change = field.takeChange();
    if (after === before) return false;
    if (field.findings.length || field.ignored.length) {
      const edit = change ? change.edit : diffEdit(before, after);
      if (field.findings.length) field.findings = moveSpans(field.findings, edit);
      if (field.ignored.length) field.ignored = moveSpans(field.ignored, edit);
    }
    field.text = after;
    field.unsent = true;
    // Typing after the findings leaves them where they are: nothing to repaint then.
    if (signatureOf(field.findings) !== field.paintedSignature || !rangesIntact(field, change?.touched ?? null)) {
      this.#markDirty(field);
    }
    return true;
  }

  /**
   * Sends the text now or later (lib/pacing.js: a throttle with a leading edge and backpressure,
   * the latest text winning). So typing faster than the companion answers sends fewer, larger
   * steps instead of a queue of texts that are stale before they are read. `changed`: called for
   * a change of the text (not for an answer that released a held change).
   */
  #schedule(field, now, changed = true) {
    const at = performance.now();
    if (changed) noteChange(field.pace, at);
    if (now) {
      this.#send(field);
      return;
    }
    // The pending send will take the latest text. In a long burst its deadline moves with every
    // change: the timer looks again when it fires rather than being set again on every keystroke
    // (two timer calls per key; through Xrays in Firefox they were 13% of the extension's time).
    if (field.timer) return;
    const wait = sendDelay(field.pace, at, Boolean(field.awaiting));
    if (wait > 0) {
      field.timer = setTimeout(() => {
        field.timer = null;
        this.#schedule(field, false, false);
      }, wait);
      return;
    }
    // Typing only noted the change (#typed): the text is read now, and goes when it did change.
    this.#sync(field);
    if (field.unsent) this.#send(field);
  }

  /** The answer to `revision` of `field` came (or will not come): a change held back for it goes now. */
  #answered(field, revision) {
    if (!field.awaiting || field.awaiting !== revision) return;
    field.awaiting = 0;
    if (!field.timer) return;
    clearTimeout(field.timer);
    field.timer = null;
    this.#schedule(field, false, false);
  }

  #send(field) {
    clearTimeout(field.timer);
    field.timer = null;
    if (field.composing) return;
    this.#sync(field);
    field.unsent = false;
    const text = field.text;
    const revision = ++field.revision;
    field.pace.lastSentAt = performance.now();
    field.sent = { revision, text };
    const pasted = field.pasted;
    field.pasted = false;
    const wasTooLong = field.tooLong;
    field.tooLong = isTooLong(text);
    if (field.tooLong) {
      field.awaiting = 0;
      field.findings = [];
      this.#messaging.send({ type: 'too-long', field: field.key });
    } else {
      this.#messaging.send({
        type: 'analyze', field: field.key, revision, text, surface: this.surfaceOf(field),
        orderKey: location.pathname, pasted,
      });
      // Only a connected companion answers (the worker keeps the text until it is back).
      field.awaiting = this.#status === STATUS.connected ? revision : 0;
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
    this.#sync(field); // the spans are carried over to the text as it is now
    const answered = checkedFindings(message.findings, field.sent.text);
    field.analyzedText = field.sent.text;
    // The text may have moved on since it was sent: carry the spans over to the current text.
    const current = remapSpans(answered, field.sent.text, field.text);
    field.findings = current.filter((f) => !field.ignored.some((i) => i.start === f.start && i.end === f.end));
    // Painted in this task rather than in the next animation frame: painting in the frame measured
    // 10-15 ms later at p50 (scripts/bench-e2e, loaded machine). The card too: placing it in the
    // next frame instead cost an extra frame's painting per answer (quill, Chromium: the
    // extension's cost 1.22x vs 0.96x, bench-e2e editors --baseline). An answer that repeats what
    // is painted (the usual case while typing) costs no repaint.
    if (signatureOf(field.findings) !== field.paintedSignature) this.#paintNow(field);
    this.#answered(field, message.revision);
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
      field.awaiting = 0;
      clearTimeout(field.timer);
      field.timer = setTimeout(() => this.#send(field), 250);
      return;
    }
    this.#answered(field, message.revision);
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

  /** Repaints `field` (null: none) in the next frame; `panels`: also re-place every card. */
  #markDirty(field, panels = false) {
    if (field) this.#dirty.add(field);
    if (panels) this.#panelsDirty = true;
    this.#painting = true;
    if (!this.#frame) this.#frame = requestAnimationFrame(() => this.#paint());
  }

  #panelsDirty = false;
  #keyTimer = 0; // the look after a key other than a typed character (see #lookAfterKey)

  #paintAll() {
    for (const field of this.#byElement.values()) this.#dirty.add(field);
    this.#markDirty(null);
  }

  /**
   * One frame's painting: every geometry read first (the page's layout is computed once, as the
   * frame needs it anyway), then the writes. Panels are placed last (placing measures them).
   */
  #paint() {
    // Typed-into fields first: one marked dirty here is painted in this frame (#frame is still set).
    for (const field of this.#stale) {
      if (this.#byElement.get(field.element) === field) this.#sync(field);
    }
    this.#stale.clear();
    this.#frame = 0;
    if (!this.#painting) return;
    this.#painting = false;
    const fields = [...this.#dirty].filter((field) => this.#byElement.get(field.element) === field);
    this.#dirty.clear();
    const rechecked = [];
    if (this.#panelsDirty) {
      this.#panelsDirty = false;
      for (const field of this.#byElement.values()) {
        if (field.paintedSignature && !fields.includes(field)) rechecked.push(field);
      }
    }
    // Read: the composers' boxes, their spans' line boxes, the status chip's anchor.
    const plans = fields.map((field) => this.#measureField(field));
    const anchors = rechecked.map((field) => this.#anchorOf(field));
    const status = this.#statusAnchor();
    // Write.
    plans.forEach((plan, i) => this.#applyField(fields[i], plan));
    rechecked.forEach((field, i) => this.#paintBanner(field, anchors[i]));
    this.#paintStatus(status);
  }

  #paintNow(field) {
    this.#dirty.delete(field);
    this.#applyField(field, this.#measureField(field));
  }

  /** The composer's visible border box in the overlay's viewport (cut to its frame). */
  #anchorOf(field) {
    const { rect, clip } = clientBox(field.element);
    return clipRect(rect, clip) ?? rect;
  }

  /**
   * What painting `field` needs from the layout, read without writing to the page: null when
   * nothing is to be shown, 'changed' when its text moved on unseen (read again), else its boxes.
   */
  #measureField(field) {
    const { element } = field;
    const { rect, clip, x, y } = clientBox(element);
    const visible = clipRect(rect, clip);
    const shown = companionAnalysisAvailable(this.#status) && !field.tooLong && field.findings.length &&
      rect.width > 0 && rect.height > 0 && visible;
    if (!shown) return null;
    const content = {
      left: rect.left + element.clientLeft, top: rect.top + element.clientTop,
      right: rect.left + element.clientLeft + element.clientWidth, bottom: rect.top + element.clientTop + element.clientHeight,
    };
    const box = clipRect(content, clip) ?? content;
    const findings = field.findings;
    if (!field.editable) {
      // The mirror is the overlay's own node: measuring it lays out only the overlay.
      const rects = this.#overlay.mirror.measure(element, field.text, findings, { x, y });
      return { visible, box, marks: findings.map((finding, i) => ({ finding, rects: rects[i] })) };
    }
    if (field.readText() !== field.text) return 'changed';
    const model = field.model;
    // The field's Ranges are moved rather than made anew on every paint (see trees.js scratchRange).
    const pool = field.rangePool;
    const ranges = findings.map((f, i) => {
      const range = rangeAt(model, f.start, f.end, pool[i]);
      if (range) pool[i] = range;
      return range;
    });
    pool.length = Math.min(pool.length, findings.length);
    const painted = this.#overlay.paintsHighlights(element.ownerDocument) ? 'highlight' : undefined;
    const marks = findings.map((finding, i) => ({
      finding, painted,
      rects: ranges[i]
        ? [...ranges[i].getClientRects()].filter((r) => r.width > 0)
          .map((r) => ({ left: r.left + x, top: r.top + y, width: r.width, height: r.height }))
        : [],
    }));
    // Read with the rects (the layout is clean here), not while writing.
    const root = document.documentElement;
    const reach = highlightReach(box, { width: root.clientWidth || innerWidth, height: root.clientHeight || innerHeight });
    return { visible, box, marks, ranges, reach };
  }

  #applyField(field, plan) {
    const { element, key } = field;
    if (plan === 'changed') {
      this.#changed(field);
      return;
    }
    if (!plan) {
      field.unreached = false;
      if (field.paintedSignature !== '') this.#overlay.clearLayer(key);
      field.paintedSignature = '';
      field.cardState = '';
      field.ranges = [];
      field.rangeNodes = new Set();
      if (this.#peek?.field === field) this.#peek = null;
      return;
    }
    this.#announce(field);
    field.paintedSignature = signatureOf(field.findings);
    if (plan.ranges) {
      field.ranges = plan.ranges.filter(Boolean);
      field.rangeNodes = new Set(field.ranges.flatMap((range) => [range.startContainer, range.endContainer]));
      field.unreached = this.#overlay.setHighlights(key, element,
        field.findings.map((f, i) => ({ severity: f.severity, range: plan.ranges[i], rects: plan.marks[i].rects }))
          .filter((h) => h.range),
        plan.reach, field.theme);
    }
    this.#overlay.paintMarks(key, plan.box, plan.marks);
    this.#paintBanner(field, plan.visible, false);
  }

  /**
   * The card: block/warn open by themselves on the focused composer (the title line elsewhere);
   * info only when asked for (hovering its mark, the caret inside it, the shortcut, the focus in it).
   * `again`: placed even when nothing it is shown from changed (the poll's look at the page's
   * controls); otherwise such a repaint (an editor that replaced the text nodes under the marks:
   * Slate, a third of its keystrokes) leaves the card where it is, as placing it lays it out.
   */
  #paintBanner(field, anchor, again = true) {
    const verdict = field.verdict;
    const asked = this.#peek?.field === field || this.#overlay.focusedLayerKey() === field.key;
    const alarming = verdict === 'block' || verdict === 'warn';
    let mode = 'hidden';
    if (asked || (alarming && field === this.#expanded)) mode = 'open';
    else if (alarming) mode = 'collapsed';
    const state = [field.paintedSignature, mode, asked, field.theme, anchor.left, anchor.top, anchor.right, anchor.bottom].join('|');
    if (!again && state === field.cardState) return;
    field.cardState = state;
    showBanner(this.#overlay.layerOf(field.key), {
      verdict, findings: field.findings, text: field.text, ruleUrl: this.#site.ruleUrl, anchor, mode, asked,
      fieldText: (spots) => this.#textLines(field, spots),
    }, {
      mask: (finding) => this.#mask(field, finding),
      ignore: (finding) => this.#ignore(field, finding),
      leave: () => {
        if (this.#peek?.source === 'keyboard') this.#peek = null;
        field.element.focus({ preventScroll: true });
      },
    }, this.#signal, this.#overlay);
  }

  /**
   * Where the composer's own text is drawn near `spots` (rects in the overlay's viewport, each with
   * its `corner`): line boxes in the same px, for a collapsed card's marker to keep off. Read only
   * when the marker is placed, and only the text that may reach those spots (field-lines.js).
   */
  #textLines(field, spots) {
    const { element, text } = field;
    if (!text || !spots.length) return [];
    const { x, y } = viewportOf(element.ownerDocument);
    if (!field.editable) return this.#overlay.mirror.linesNear(element, text, spots, { x, y });
    const local = spots.map((s) => ({ ...s, left: s.left - x, top: s.top - y, right: s.right - x, bottom: s.bottom - y }));
    return editableLinesNear(element, local)
      .map((r) => ({ left: r.left + x, top: r.top + y, right: r.right + x, bottom: r.bottom + y }));
  }

  /** New block/warn findings in the focused composer are said once by the live region. */
  #announce(field) {
    const now = new Set(field.findings.filter((f) => f.severity !== 'info').map((f) => `${f.kind}/${f.severity}`));
    const fresh = field.findings.find((f) => f.severity !== 'info' && !field.announced.has(`${f.kind}/${f.severity}`));
    field.announced = now;
    if (!fresh || field !== this.#expanded) return;
    const more = now.size > 1 ? ` and ${now.size - 1} more` : '';
    this.#overlay.announce(
      `Contact Guard: ${kindLabel(fresh.kind)}${more}. ${fresh.reason} Press ${CARD_SHORTCUT.replace('Arrow', '')} to review.`,
    );
  }

  /** Where the chip goes: one chip per tab, by the focused frame's active composer; null: none. */
  #statusAnchor() {
    const field = this.#active;
    let anchor = field && this.#byElement.has(field.element) ? this.#anchorOf(field) : null;
    const focused = document.activeElement;
    if (window.top !== window && !document.hasFocus()) anchor = null;
    if (focused && FRAME_TAGS.has(focused.nodeName) && !this.#trees.watchesFrame(focused)) anchor = null;
    return anchor;
  }

  #paintStatus(anchor) {
    const field = this.#active;
    const status = field?.tooLong && companionAnalysisAvailable(this.#status) ? STATUS.tooLong : this.#status;
    this.#overlay.showStatus(status, CHIP_LABELS[status], anchor, field?.theme);
  }

  /** Stops watching the field's size; a frame's observer goes once none of its fields is left. */
  #releaseResizeObserver(field) {
    const observer = field.resizeObserver;
    observer.unobserve(field.element);
    if ([...this.#byElement.values()].some((other) => other.resizeObserver === observer)) return;
    observer.disconnect();
    for (const [view, candidate] of this.#resizeObservers) {
      if (candidate === observer) this.#resizeObservers.delete(view);
    }
  }

  #resizeObserverFor(element) {
    const view = element.ownerDocument.defaultView;
    let observer = this.#resizeObservers.get(view);
    if (!observer) {
      observer = new view.ResizeObserver(() => this.#paintAll());
      this.#resizeObservers.set(view, observer);
    }
    return observer;
  }

  #keyFor(element) {
    const base = element.id || element.getAttribute('name') || `cg-${++this.#nextKey}`;
    let key = base;
    while (this.#byKey.has(key)) key = `${base}-${++this.#nextKey}`;
    return key;
  }

  #teardown() {
    cancelAnimationFrame(this.#frame);
    clearTimeout(this.#keyTimer);
    clearTimeout(this.#peekTimer);
    for (const observer of this.#resizeObservers.values()) observer.disconnect();
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
