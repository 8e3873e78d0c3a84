// Wire protocol v1 with the companion (DESIGN.md; schema in ../protocol.schema.json).

export const PROTOCOL_VERSION = 1;

export const CLOSE = Object.freeze({
  unauthorized: 4401, // missing/bad token or no hello in time
  protocolError: 4400,
  tooBig: 1009,
});

const SERVER_TYPES = new Set(['welcome', 'findings', 'pong', 'error']);

export function helloMessage(token, client) {
  return { type: 'hello', protocol: PROTOCOL_VERSION, token, client };
}

export function analyzeMessage({ field, revision, text, surface, allow, pasted }) {
  const message = { type: 'analyze', field, revision, text, surface };
  if (allow && allow.length) message.allow = allow;
  if (pasted) message.pasted = true;
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
  return message;
}
