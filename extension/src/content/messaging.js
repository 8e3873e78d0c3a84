// The content script's only link to the extension (the only content unit that calls chrome.*):
// a runtime port to the background, recreated lazily after the worker restarts (onDisconnect, or
// postMessage throwing). When the extension itself is gone (reloaded/removed) it reports
// "orphaned" so the whole script tears down.

const PORT_NAME = 'cg-content';
/** A dropped port is replaced at once at most this often (else on the next message). */
const RECONNECT_SPACING_MS = 1000;

export class Messaging {
  #port = null;
  #reconnectedAt = -Infinity;
  #handlers;
  #signal;

  constructor(signal, handlers) {
    this.#signal = signal;
    this.#handlers = handlers;
    signal.addEventListener('abort', () => this.#port?.disconnect(), { once: true });
    this.#connect();
  }

  /** Sends to the background, reconnecting first when the port went away. */
  send(message) {
    if (this.#signal.aborted) return;
    for (let attempt = 0; attempt < 2; attempt++) {
      if (!this.#port && !this.#connect()) return;
      try {
        this.#port.postMessage(message);
        return;
      } catch {
        this.#port = null;
      }
    }
  }

  #connect() {
    if (!extensionAlive()) {
      this.#handlers.orphaned();
      return false;
    }
    const port = chrome.runtime.connect({ name: PORT_NAME });
    this.#port = port;
    port.onMessage.addListener((message) => {
      if (port === this.#port) this.#handlers.message(message);
    });
    port.onDisconnect.addListener(() => {
      if (port !== this.#port) return;
      this.#port = null;
      // Reading lastError marks it handled (no "Unchecked runtime.lastError" noise).
      void chrome.runtime.lastError;
      if (!extensionAlive()) {
        this.#handlers.orphaned();
        return;
      }
      // Otherwise the background stopped (Firefox stops its event page 30 s into a companion
      // outage: its health probes are no activity there). With a composer in use, connect again at
      // once: the new background looks for the companion and finds it within a second of its
      // restart, chip and underlines with it. Else on the next message (a reconnect now would keep
      // an idle background awake forever). At most one such reconnect a second: a background
      // failing at start would otherwise be reconnected in a loop.
      const now = Date.now();
      if (now - this.#reconnectedAt >= RECONNECT_SPACING_MS && this.#handlers.inUse?.()) {
        this.#reconnectedAt = now;
        this.#connect();
      }
    });
    if (this.#reconnected) this.#handlers.reconnected();
    this.#reconnected = true;
    return true;
  }

  #reconnected = false;
}

function extensionAlive() {
  try {
    return Boolean(chrome.runtime?.id);
  } catch {
    return false;
  }
}

export function init(signal, handlers) {
  return new Messaging(signal, handlers);
}
