// The one WebSocket to the companion: the mutual-proof handshake (the companion proves it holds
// the pairing token before we prove we do, or send any text), reconnect with jittered exponential
// backoff, and a public state (connected | offline | unpaired | impostor) that only changes on a
// definite outcome, so the badge does not flicker while a retry is under way.

import { backoffDelay } from '../lib/backoff.js';
import {
  CLOSE, companionProofChecks, extensionProof, helloMessage, newNonce, parseServerMessage, proofMessage,
} from '../lib/protocol.js';
import { STATUS } from '../lib/status.js';

/** How long a first connection may take before the state is reported as offline. */
export const FIRST_CONNECT_GRACE_MS = 1500;
/** A peer that has not welcomed us this long after the socket opened is dropped (offline). */
export const HANDSHAKE_TIMEOUT_MS = 10000;
/** Our own close code for a peer that could not prove the pairing token (never sent by the companion). */
export const CLOSE_NOT_THE_COMPANION = 4403;

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
  #impostor = false; // the current socket's peer failed to prove the pairing token
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
    // One handshake per socket: what the proofs are computed over, and how far it got.
    const handshake = { token: this.#token, port: this.#port, clientNonce: newNonce(), companionNonce: '', step: 'hello' };
    socket.onopen = () => {
      socket.send(JSON.stringify(helloMessage(this.#client, handshake.clientNonce)));
      handshake.timer = setTimeout(() => {
        if (socket === this.#socket && !this.#ready) socket.close(1000);
      }, HANDSHAKE_TIMEOUT_MS);
    };
    socket.onmessage = (event) => this.#receive(socket, handshake, event.data);
    socket.onclose = (event) => {
      clearTimeout(handshake.timer);
      this.#closed(socket, event.code);
    };
  }

  #receive(socket, handshake, data) {
    if (socket !== this.#socket) return;
    if (this.#ready) {
      const message = parseServerMessage(data);
      if (message) this.#onMessage(message);
      return;
    }
    this.#handshake(socket, handshake, data).catch(() => this.#notTheCompanion(socket, handshake));
  }

  /** Until welcomed, only the real companion's answers move the handshake on; anything else
   * (a welcome before our proof, a challenge whose proof does not check, garbage) means the
   * peer is not the companion: it gets no proof and never any text. */
  async #handshake(socket, handshake, data) {
    const message = parseServerMessage(data);
    if (message?.type === 'error') return; // unsupported_protocol: the companion closes (4400) next
    if (handshake.step === 'hello' && message?.type === 'challenge') {
      handshake.step = 'checking';
      handshake.companionNonce = message.nonce;
      const proved = await companionProofChecks(handshake.token, handshake, message.proof);
      if (handshake.step !== 'checking') return; // refused meanwhile (another frame came first)
      if (!proved) {
        this.#notTheCompanion(socket, handshake);
        return;
      }
      const proof = await extensionProof(handshake.token, handshake);
      if (socket !== this.#socket || handshake.step !== 'checking') return;
      handshake.step = 'proved';
      socket.send(JSON.stringify(proofMessage(proof)));
      return;
    }
    if (handshake.step === 'proved' && message?.type === 'welcome') {
      clearTimeout(handshake.timer);
      handshake.step = 'welcomed';
      this.#ready = true;
      this.#attempt = 0;
      this.#kicked = false;
      this.#publish(STATUS.connected, true);
      return;
    }
    this.#notTheCompanion(socket, handshake);
  }

  #notTheCompanion(socket, handshake) {
    handshake.step = 'refused';
    if (socket !== this.#socket) return;
    this.#impostor = true;
    socket.close(CLOSE_NOT_THE_COMPANION);
  }

  #closed(socket, code) {
    if (socket !== this.#socket) return;
    this.#socket = null;
    this.#ready = false;
    const impostor = this.#impostor;
    this.#impostor = false;
    if (impostor || code === CLOSE.unauthorized) {
      // A port squatter stays until it exits, a bad token until the settings change: retry
      // slowly, and at once when the user changes the port or pastes a new token (configure).
      this.#publish(impostor ? STATUS.impostor : STATUS.unpaired);
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
    this.#impostor = false;
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
