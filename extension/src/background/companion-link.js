// The one WebSocket to the companion: hello with the pairing token, reconnect with jittered
// exponential backoff, and a public state (connected | offline | unpaired) that only changes on a
// definite outcome, so the badge does not flicker while a retry is under way.

import { backoffDelay } from '../lib/backoff.js';
import { CLOSE, helloMessage, parseServerMessage } from '../lib/protocol.js';
import { STATUS } from '../lib/status.js';

/** How long a first connection may take before the state is reported as offline. */
export const FIRST_CONNECT_GRACE_MS = 1500;

export class CompanionLink {
  #port = null;
  #token = '';
  #client;
  #socket = null;
  #ready = false;
  #attempt = 0;
  #retryTimer = null;
  #kicked = false;
  #state = null;
  #onState;
  #onMessage;

  constructor({ client, onState, onMessage }) {
    this.#client = client;
    this.#onState = onState;
    this.#onMessage = onMessage;
    setTimeout(() => {
      if (this.#state === null) this.#publish(STATUS.offline);
    }, FIRST_CONNECT_GRACE_MS);
  }

  /** connected | offline | unpaired, or null before the first outcome. */
  get state() {
    return this.#state;
  }

  get ready() {
    return this.#ready;
  }

  /** Applies port and token; a change drops the current socket and connects again at once. */
  configure({ port, token }) {
    if (port === this.#port && token === this.#token) return;
    this.#port = port;
    this.#token = token;
    this.#attempt = 0;
    this.#drop();
    this.#connect();
  }

  /** A composer became active: if not connected, try now instead of waiting out the backoff. */
  kick() {
    if (this.#socket || this.#port === null) return;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    // A kicked attempt that fails does not lengthen the backoff: typing while the companion is
    // down must not push the next scheduled retry further out.
    this.#kicked = true;
    this.#connect();
  }

  /** Sends when the companion has welcomed us; returns false otherwise. */
  send(message) {
    if (!this.#ready) return false;
    try {
      this.#socket.send(JSON.stringify(message));
      return true;
    } catch {
      return false;
    }
  }

  #connect() {
    clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    if (!this.#token) {
      this.#publish(STATUS.unpaired);
      return;
    }
    let socket;
    try {
      socket = new WebSocket(`ws://127.0.0.1:${this.#port}`);
    } catch {
      this.#publish(STATUS.offline);
      this.#scheduleRetry();
      return;
    }
    this.#socket = socket;
    socket.onopen = () => socket.send(JSON.stringify(helloMessage(this.#token, this.#client)));
    socket.onmessage = (event) => this.#receive(socket, event.data);
    socket.onclose = (event) => this.#closed(socket, event.code);
  }

  #receive(socket, data) {
    if (socket !== this.#socket) return;
    const message = parseServerMessage(data);
    if (!message) return;
    if (message.type === 'welcome') {
      this.#ready = true;
      this.#attempt = 0;
      this.#kicked = false;
      this.#publish(STATUS.connected, true);
      return;
    }
    this.#onMessage(message);
  }

  #closed(socket, code) {
    if (socket !== this.#socket) return;
    this.#socket = null;
    this.#ready = false;
    if (code === CLOSE.unauthorized) {
      this.#publish(STATUS.unpaired);
      // A bad token stays bad until the settings change; retry slowly in case the companion's
      // token was rotated back, and at once when the user pastes a new one (configure).
      this.#attempt = Infinity;
    } else {
      this.#publish(STATUS.offline);
    }
    this.#scheduleRetry();
  }

  #scheduleRetry() {
    const delay = backoffDelay(this.#attempt);
    if (!this.#kicked) this.#attempt = Math.min(this.#attempt + 1, 64);
    this.#kicked = false;
    this.#retryTimer = setTimeout(() => {
      this.#kicked = false;
      this.#connect();
    }, delay);
  }

  #drop() {
    clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    const socket = this.#socket;
    this.#socket = null;
    this.#ready = false;
    if (!socket) return;
    socket.onmessage = socket.onclose = null;
    if (socket.readyState === WebSocket.CONNECTING) {
      // Closing a socket that is still connecting logs an error in the console: close it once open.
      socket.onopen = () => socket.close(1000);
    } else {
      socket.onopen = null;
      socket.close(1000);
    }
  }

  #publish(state, force = false) {
    if (state === this.#state && !force) return;
    this.#state = state;
    this.#onState(state);
  }
}
