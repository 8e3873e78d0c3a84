// The one WebSocket to the companion: the mutual-proof handshake (the companion proves it holds
// the pairing token before we prove we do, or send any text), reconnect with jittered exponential
// backoff, and a public state (lib/status.js: connected | offline | unpaired | impostor | refused |
// incompatible | busy) that only changes on a definite outcome, so the badge does not flicker while a
// retry is under way. Only `connected` brings the companion's analysis (companionAnalysisAvailable);
// in every other state the content scripts' guards run the reduced check.
//
// Reconnecting: while the companion is away the link probes its port with a silent HTTP health
// check (companion-probe.js) and opens a WebSocket only once something answers, so an outage
// writes no console errors. Probes follow retryDelay(): ~1 s apart while a composer is in use
// (`isActive`), backing off to ~30 s when idle; focus or typing (`kick`) probes at once.

import { retryDelay } from '../lib/backoff.js';
import {
  CLOSE, companionProofChecks, extensionProof, helloMessage, newNonce, parseServerMessage, proofMessage,
} from '../lib/protocol.js';
import { STATUS } from '../lib/status.js';
import { probeCompanion } from './companion-probe.js';

/** How long a first connection may take before the state is reported as offline. */
export const FIRST_CONNECT_GRACE_MS = 1500;
/** Kicks closer together than this share one probe (every keystroke kicks while offline). */
export const KICK_SPACING_MS = 250;
/** A peer that has not welcomed us this long after the socket opened is dropped (offline). */
export const HANDSHAKE_TIMEOUT_MS = 10000;
/** Our own close code for a peer that could not prove the pairing token (never sent by the companion). */
export const CLOSE_NOT_THE_COMPANION = 4403;
/** The companion's closes that say something lasting about this install, and the state each means. */
const LASTING_CLOSES = new Map([
  [CLOSE.unauthorized, STATUS.unpaired],
  [CLOSE.protocolError, STATUS.incompatible],
  [CLOSE.noLongerAllowed, STATUS.refused],
]);

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
  #probe;
  #isActive;
  #probing = false;
  #lastProbeAt = -Infinity;
  #generation = 0; // bumped when the settings change: a probe answer for older settings is dropped
  #handshakeFailed = false; // a socket failed before opening although the port answered

  constructor({ client, onState, onMessage, probe = probeCompanion, isActive = () => false }) {
    this.#client = client;
    this.#onState = onState;
    this.#onMessage = onMessage;
    this.#probe = probe;
    this.#isActive = isActive;
    setTimeout(() => {
      if (this.#state === null) this.#publish(STATUS.offline);
    }, FIRST_CONNECT_GRACE_MS);
  }

  /** A STATUS connection word (see the top), or null before the first outcome. */
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
    this.#handshakeFailed = false;
    this.#generation++;
    this.#probing = false;
    this.#drop();
    this.#connect();
  }

  /** A composer became active: if not connected, try now instead of waiting out the backoff. */
  kick() {
    if (this.#socket || this.#probing || this.#port === null) return;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    // A kicked attempt that fails does not lengthen the backoff: typing while the companion is
    // down must not push the next scheduled retry further out.
    this.#kicked = true;
    // A probe just failed: one a little later serves a burst of keystrokes.
    const wait = this.#lastProbeAt + KICK_SPACING_MS - Date.now();
    if (wait > 0) this.#retryTimer = setTimeout(() => this.#connect(), wait);
    else this.#connect();
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
    if (this.#probing || this.#socket) return;
    const generation = this.#generation;
    this.#probing = true;
    this.#lastProbeAt = Date.now();
    const answered = (answer) => {
      if (generation !== this.#generation) return;
      this.#probing = false;
      if (this.#socket) return;
      // After a refused handshake only the companion's own health answer is worth another socket
      // (each failed socket is a console line); any answer will do otherwise (older companions).
      if (answer === 'companion' || (answer === 'other' && !this.#handshakeFailed)) {
        this.#open();
        return;
      }
      // A companion that refuses this browser's origin (a Firefox install it was not told about):
      // the user has to allow it there (the options page says how); retry slowly until then.
      if (answer === 'refused') this.#attempt = Infinity;
      this.#publish(answer === 'refused' ? STATUS.refused : STATUS.offline);
      this.#scheduleRetry();
    };
    // A probe may also answer at once (a known answer, as in the unit tests).
    const answer = this.#probe(this.#port);
    if (answer instanceof Promise) answer.then(answered);
    else answered(answer);
  }

  #open() {
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
    let opened = false;
    socket.onopen = () => {
      opened = true;
      socket.send(JSON.stringify(helloMessage(this.#client, handshake.clientNonce)));
      handshake.timer = setTimeout(() => {
        if (socket === this.#socket && !this.#ready) socket.close(1000);
      }, HANDSHAKE_TIMEOUT_MS);
    };
    socket.onmessage = (event) => this.#receive(socket, handshake, event.data);
    socket.onclose = (event) => {
      clearTimeout(handshake.timer);
      if (!opened) this.#handshakeFailed = true;
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
      this.#handshakeFailed = false;
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
    const lasting = impostor ? STATUS.impostor : LASTING_CLOSES.get(code);
    if (lasting) {
      // A port squatter stays until it exits, a bad token until the settings change, another
      // protocol version until one side is updated, a forgotten install until it is allowed again:
      // retry slowly, and at once when the user changes the port or pastes a new token (configure).
      this.#publish(lasting);
      this.#attempt = Infinity;
    } else {
      // 1013: the companion has its limit of paired clients; a place may free up soon.
      this.#publish(code === CLOSE.tryAgainLater ? STATUS.busy : STATUS.offline);
    }
    this.#scheduleRetry();
  }

  #scheduleRetry() {
    // A bad token, a port squatter or a refused handshake waits out the idle cap whatever the activity.
    const slow = this.#state === STATUS.unpaired || this.#state === STATUS.impostor || this.#state === STATUS.refused
      || this.#state === STATUS.incompatible || this.#handshakeFailed;
    const active = !slow && this.#isActive();
    const delay = retryDelay(this.#attempt, { active });
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
