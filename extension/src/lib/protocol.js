// Wire protocol v2 with the companion (docs/protocol.md; schema in ../protocol.schema.json).
//
// Handshake: we send `hello` with a fresh nonce; the companion answers `challenge` with its own
// nonce and its proof (HMAC-SHA256 keyed by the pairing token over both nonces and the port we
// dialed); only when that proof checks do we send our `proof` (same HMAC, another label), and the
// companion answers `welcome`. The token itself never crosses the wire.

export const PROTOCOL_VERSION = 2;

export const CLOSE = Object.freeze({
  unauthorized: 4401, // the proof did not check, or the handshake was not done in time
  protocolError: 4400, // another protocol version (after `error unsupported_protocol`)
  tryAgainLater: 1013, // the companion has its limit of clients
  noLongerAllowed: 1008, // the companion's config no longer lists this browser install (pair --forget)
  tooBig: 1009,
});

/** The two directions' HMAC labels (companion/pairing.py has the same). */
export const PROOF_LABELS = Object.freeze({
  companion: 'contact-guard/2 companion proof',
  extension: 'contact-guard/2 extension proof',
});

const SERVER_TYPES = new Set(['challenge', 'welcome', 'findings', 'pong', 'error']);
const HEX_64 = /^[0-9a-f]{64}$/;

export function helloMessage(client, nonce) {
  return { type: 'hello', protocol: PROTOCOL_VERSION, client, nonce };
}

export function proofMessage(proof) {
  return { type: 'proof', proof };
}

export function analyzeMessage({ field, revision, text, surface, allow, pasted, platform }) {
  const message = { type: 'analyze', field, revision, text, surface };
  if (allow && allow.length) message.allow = allow;
  if (pasted) message.pasted = true;
  if (typeof platform === 'string' && platform) message.platform = platform;
  return message;
}

export function pingMessage() {
  return { type: 'ping' };
}

/** A message from the companion, or null when the frame is not one we understand. */
export function parseServerMessage(data) {
  if (typeof data !== 'string') return null;
  let message;
  try {
    message = JSON.parse(data);
  } catch {
    return null;
  }
  if (!message || typeof message !== 'object' || !SERVER_TYPES.has(message.type)) return null;
  if (message.type === 'findings' && (typeof message.field !== 'string' || !Number.isInteger(message.revision))) {
    return null;
  }
  if (message.type === 'challenge' && (!HEX_64.test(message.nonce) || !HEX_64.test(message.proof))) return null;
  return message;
}

// ---- proofs (WebCrypto: available in Chrome's service worker and Firefox's background) ---------

/** A fresh nonce: 256 random bits as 64 lowercase hex digits. */
export function newNonce() {
  return toHex(crypto.getRandomValues(new Uint8Array(32)));
}

/** What each proof is an HMAC of: label, client nonce, companion nonce and port, one per line. */
export function proofInput(label, { clientNonce, companionNonce, port }) {
  return new TextEncoder().encode(`${label}\n${clientNonce}\n${companionNonce}\n${port}`);
}

function hmacKey(token, usage) {
  return crypto.subtle.importKey('raw', fromHex(token), { name: 'HMAC', hash: 'SHA-256' }, false, [usage]);
}

/** Whether `proof` is the companion's proof for these nonces and port (constant-time verify). */
export async function companionProofChecks(token, handshake, proof) {
  if (!HEX_64.test(token) || !HEX_64.test(proof)) return false;
  const key = await hmacKey(token, 'verify');
  return crypto.subtle.verify('HMAC', key, fromHex(proof), proofInput(PROOF_LABELS.companion, handshake));
}

/** Our proof, sent only after the companion's checked. */
export async function extensionProof(token, handshake) {
  const key = await hmacKey(token, 'sign');
  return toHex(new Uint8Array(await crypto.subtle.sign('HMAC', key, proofInput(PROOF_LABELS.extension, handshake))));
}

function toHex(bytes) {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function fromHex(hex) {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}
