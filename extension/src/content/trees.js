// The document trees one content script watches: its own document, the open shadow roots inside it
// (nested ones, and ones attached later), and the documents of its same-origin iframes (srcdoc and
// about:blank frames included), recursively. A same-origin child frame is handled from its
// ancestor's script rather than by its own, so a tab has one overlay, one status chip, and cards
// that are drawn in the top document, never clipped by the frame.
//
// An isolated-world script cannot see attachShadow() happen. It finds shadow roots where they show
// up: in the subtree of every node added to a watched tree (one MutationObserver per tree; a
// document-level observer sees nothing inside shadow roots), in a deep scan once the page has
// loaded, and on every focusin/pointerdown, whose composedPath() names each shadow root on the way
// to the real target — a composer can only be typed in once it has the focus, so a root attached
// silently (a custom element upgraded late) is found before its first keystroke. The overlay's
// reading of what is on screen (overlay.js) hands over the roots it meets on its way (adopt()), so
// the controls of such a root are not covered either.

const FRAME_TAGS = new Set(['IFRAME', 'FRAME']);

/** The event's real target, inside open shadow roots (event.target is retargeted to the host). */
export function eventTarget(event) {
  const path = event.composedPath?.();
  return path?.length ? path[0] : event.target;
}

/** The element around `element`: its parent, or across a shadow boundary its host. */
export function parentAcross(element) {
  return element.parentElement ?? element.getRootNode().host ?? null;
}

/** The document of a same-origin frame element, or null (cross-origin, not loaded). */
export function frameDocument(frame) {
  try {
    const doc = frame.contentDocument;
    return doc?.documentElement ? doc : null;
  } catch {
    return null;
  }
}

/** The focused element, looking into open shadow roots and same-origin frames. */
export function deepActiveElement(doc = document) {
  let active = doc.activeElement;
  for (;;) {
    if (active?.shadowRoot?.activeElement) {
      active = active.shadowRoot.activeElement;
    } else if (active && FRAME_TAGS.has(active.nodeName) && frameDocument(active)?.activeElement) {
      active = frameDocument(active).activeElement;
    } else {
      return active;
    }
  }
}

/**
 * Whether this document is a same-origin child frame: its ancestor's content script handles it
 * (see Trees), so this one stays out of the way.
 */
export function handledByParent() {
  try {
    return window.frameElement !== null && window.parent !== window;
  } catch {
    return false; // cross-origin parent: this frame runs on its own
  }
}

/**
 * Where the viewport of `doc` (one of the watched documents) lies in this script's viewport:
 * {x, y} to add to its client coordinates, and `clip`, the part of this viewport it shows (null
 * for this script's own document). Frame borders and padding are accounted for; CSS transforms
 * and zoom on a frame element are not.
 */
export function viewportOf(doc) {
  let x = 0;
  let y = 0;
  let clip = null;
  for (let current = doc; current && current !== document;) {
    const frame = current.defaultView?.frameElement;
    if (!frame) break;
    const view = frame.ownerDocument.defaultView;
    const style = view.getComputedStyle(frame);
    const rect = frame.getBoundingClientRect();
    const left = rect.left + frame.clientLeft + parseFloat(style.paddingLeft);
    const top = rect.top + frame.clientTop + parseFloat(style.paddingTop);
    const box = {
      left, top,
      right: left + frame.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight),
      bottom: top + frame.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom),
    };
    clip = clip ? intersect(shift(clip, left, top), box) : box;
    x += left;
    y += top;
    current = frame.ownerDocument;
  }
  return { x, y, clip };
}

function shift(rect, dx, dy) {
  return { left: rect.left + dx, top: rect.top + dy, right: rect.right + dx, bottom: rect.bottom + dy };
}

function intersect(a, b) {
  const left = Math.max(a.left, b.left);
  const top = Math.max(a.top, b.top);
  return { left, top, right: Math.max(left, Math.min(a.right, b.right)), bottom: Math.max(top, Math.min(a.bottom, b.bottom)) };
}

const scratchRanges = new WeakMap(); // Document -> Range

/**
 * A Range of `doc` to measure with, the same one every time: every Range made stays live until it
 * is collected, and Chromium updates every live Range of a document on each edit of its text (a
 * thousand dropped ones cost each keystroke ~8 us, five thousand ~160-390 us: measured, round 7).
 */
export function scratchRange(doc) {
  let range = scratchRanges.get(doc);
  if (!range) {
    range = doc.createRange();
    scratchRanges.set(doc, range);
  }
  return range;
}

/** An element's border box in this script's viewport, and the clip of its frame (null: none). */
export function clientBox(element) {
  const rect = element.getBoundingClientRect();
  const { x, y, clip } = viewportOf(element.ownerDocument);
  return {
    rect: { left: rect.left + x, top: rect.top + y, right: rect.right + x, bottom: rect.bottom + y, width: rect.width, height: rect.height },
    clip,
    x, y,
  };
}

export class Trees {
  #signal;
  #ignore;
  #subscribers = [];
  #changeSubscribers = [];
  #roots = new Map(); // Document | ShadowRoot -> AbortController
  #frames = new Map(); // frame element -> its document
  #observer;

  /** `ignore(node)`: nodes never to look into (the overlay's own host). */
  constructor(signal, { ignore = () => false } = {}) {
    this.#signal = signal;
    this.#ignore = ignore;
    this.#observer = new MutationObserver((records) => this.#onMutations(records));
    signal.addEventListener('abort', () => {
      this.#observer.disconnect();
      for (const controller of this.#roots.values()) controller.abort();
      this.#roots.clear();
    }, { once: true });
  }

  /**
   * Calls `callback(root, signal)` for each watched tree (a Document or an open ShadowRoot) as it
   * is found; `signal` aborts when the tree stops being watched (its frame navigated or went away)
   * or the script stops. Subscribe before start().
   */
  each(callback) {
    this.#subscribers.push(callback);
  }

  /** Starts watching this document (and whatever is found inside it). */
  start() {
    this.#addRoot(document);
  }

  /** The watched trees (documents and shadow roots), for queries that must see into all of them. */
  get roots() {
    return [...this.#roots.keys()];
  }

  /** Whether `node` is in one of the watched documents (a frame that navigated away leaves its old one). */
  covers(node) {
    return this.#roots.has(node.ownerDocument);
  }

  /** Whether a frame element shows a document watched here (its controls are then seen one by one). */
  watchesFrame(frame) {
    return Boolean(this.#frames.get(frame));
  }

  /** Whether `root` (a Document or ShadowRoot) is one of the watched trees. */
  watches(root) {
    return this.#roots.has(root);
  }

  /**
   * Watches an open shadow root found by someone else's walk (one attached silently: no event and
   * no DOM change shows it), from the next microtask on.
   */
  adopt(root) {
    if (this.#roots.has(root) || this.#ignore(root.host)) return;
    queueMicrotask(() => this.#addRoot(root));
  }

  /**
   * Calls `callback(records)` with the MutationRecords (childList) of every DOM change in the
   * watched trees: the observer that finds new roots and frames tells what else moved, at no
   * further cost.
   */
  changes(callback) {
    this.#changeSubscribers.push(callback);
  }

  #addRoot(root) {
    if (this.#roots.has(root) || this.#signal.aborted) return;
    const controller = new AbortController();
    const signal = AbortSignal.any([this.#signal, controller.signal]);
    this.#roots.set(root, controller);
    this.#observer.observe(root, { childList: true, subtree: true });
    if (root.nodeType === Node.DOCUMENT_NODE) {
      // Shadow roots attached without any DOM change show up on the path of the focus or a pointer.
      const reveal = (event) => this.#reveal(event);
      root.addEventListener('focusin', reveal, { capture: true, signal });
      root.addEventListener('pointerdown', reveal, { capture: true, passive: true, signal });
      const view = root.defaultView;
      if (root.readyState !== 'complete') {
        view?.addEventListener('load', () => this.#scan(root), { once: true, signal });
      }
    }
    for (const subscriber of this.#subscribers) subscriber(root, signal);
    this.#scan(root);
  }

  #dropRoot(root) {
    const controller = this.#roots.get(root);
    if (!controller) return;
    this.#roots.delete(root);
    controller.abort();
  }

  /** Looks for shadow roots and frames in `node`'s subtree (node included). */
  #scan(node) {
    if (node.nodeType === Node.ELEMENT_NODE) this.#consider(node);
    if (typeof node.querySelectorAll !== 'function') return;
    for (const element of node.querySelectorAll('*')) this.#consider(element);
  }

  #consider(element) {
    if (this.#ignore(element)) return;
    if (element.shadowRoot) this.#addRoot(element.shadowRoot);
    if (FRAME_TAGS.has(element.nodeName)) this.#addFrame(element);
  }

  #addFrame(frame) {
    if (!this.#frames.has(frame)) {
      this.#frames.set(frame, null);
      // A frame that (re)loads gets a new document: watch it, forget the old one.
      frame.addEventListener('load', () => this.#refreshFrame(frame), { signal: this.#signal });
    }
    this.#refreshFrame(frame);
  }

  #refreshFrame(frame) {
    const before = this.#frames.get(frame);
    const now = frame.isConnected ? frameDocument(frame) : null;
    if (before === now) return;
    if (before) this.#dropRoot(before);
    if (!now && !frame.isConnected) this.#frames.delete(frame);
    else this.#frames.set(frame, now);
    if (now) this.#addRoot(now);
  }

  #reveal(event) {
    for (const node of event.composedPath()) {
      // The overlay's own root is never watched: its buttons taking the focus would make them
      // "page controls" that the card then has to keep clear of (it jumped away from itself).
      if (node.nodeType === Node.DOCUMENT_FRAGMENT_NODE && node.host && !this.#roots.has(node) && !this.#ignore(node.host)) {
        this.#addRoot(node);
      }
    }
  }

  #onMutations(records) {
    for (const subscriber of this.#changeSubscribers) subscriber(records);
    let removed = false;
    for (const record of records) {
      if (record.removedNodes.length) removed = true;
      for (const node of record.addedNodes) {
        if (node.nodeType === Node.ELEMENT_NODE && !this.#ignore(node)) this.#scan(node);
      }
    }
    if (!removed) return;
    for (const frame of this.#frames.keys()) {
      if (!frame.isConnected) this.#refreshFrame(frame);
    }
    for (const root of this.#roots.keys()) {
      // A shadow root whose host left the page is dropped; if the host comes back it is found again.
      if (root.host && !root.host.isConnected) this.#dropRoot(root);
    }
  }
}

export function init(signal, options) {
  return new Trees(signal, options);
}
