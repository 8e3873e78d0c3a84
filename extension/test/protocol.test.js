import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  PROTOCOL_VERSION, analyzeMessage, companionProofChecks, extensionProof, helloMessage, newNonce, parseServerMessage,
  pingMessage, proofMessage,
} from '../src/lib/protocol.js';

const schema = JSON.parse(readFileSync(new URL('../src/protocol.schema.json', import.meta.url), 'utf8'));
const defs = schema.$defs;

/** The messages the extension sends carry only the fields the companion's schema defines, with the right types. */
function assertConforms(message, def) {
  const { properties, required = [] } = defs[def];
  for (const key of required) assert.ok(key in message, `${def}: missing ${key}`);
  for (const [key, value] of Object.entries(message)) {
    const property = properties[key];
    assert.ok(property, `${def}: unknown field ${key}`);
    if (property.enum) assert.ok(property.enum.includes(value), `${def}.${key}=${value}`);
    if (property.type === 'string') {
      assert.equal(typeof value, 'string', `${def}.${key}`);
      if (property.maxLength) assert.ok(value.length <= property.maxLength, `${def}.${key} too long`);
      if (property.pattern) assert.match(value, new RegExp(property.pattern), `${def}.${key}`);
    }
    if (property.type === 'integer') assert.ok(Number.isInteger(value), `${def}.${key}`);
    if (property.type === 'boolean') assert.equal(typeof value, 'boolean', `${def}.${key}`);
    if (property.type === 'array') assert.ok(Array.isArray(value) && value.length <= (property.maxItems ?? Infinity));
  }
}

test('our protocol version is the schema\'s', () => {
  assert.equal(PROTOCOL_VERSION, schema['x-protocol-version']);
});

test('hello, proof, analyze and ping conform to the companion schema', () => {
  assertConforms(helloMessage('contact-guard-extension/0.1.0', newNonce()), 'Hello');
  assertConforms(proofMessage('cd'.repeat(32)), 'Proof');
  assertConforms(analyzeMessage({
    field: '7.1.x', revision: 2, text: 'hi', surface: 'message', platform: 'upwork',
  }), 'Analyze');
  assertConforms(analyzeMessage({ field: '7.1.chat-input', revision: 3, text: 'hi', surface: 'message' }), 'Analyze');
  assertConforms(analyzeMessage({
    field: '7.1.x', revision: 1, text: 'hi', surface: 'delivery', allow: ['zoom'], pasted: true,
  }), 'Analyze');
  assertConforms(pingMessage(), 'Ping');
});

test('analyze leaves out empty optional fields', () => {
  const message = analyzeMessage({ field: 'f', revision: 1, text: '', surface: 'other', allow: [], pasted: false });
  assert.deepEqual(Object.keys(message).sort(), ['field', 'revision', 'surface', 'text', 'type']);
});

// The same vector as tests/test_session.py, computed independently with openssl:
// HMAC-SHA256, key = the token's 32 bytes, over "label\nclient nonce\ncompanion nonce\nport".
const VECTOR = {
  token: '0123456789abcdef'.repeat(4),
  handshake: { clientNonce: 'a'.repeat(64), companionNonce: 'b'.repeat(64), port: 47821 },
  companionProof: '8875f959ce07b758104021e1ead4b5ca36d6e052267b06695f405d1d829d6ef0',
  extensionProof: 'b9bc8a609cec2af397c58e508e3dd7e8f025331f0deb16c1bec22d61e702665c',
};

test('proofs agree with the companion\'s (a fixed test vector)', async () => {
  assert.equal(await extensionProof(VECTOR.token, VECTOR.handshake), VECTOR.extensionProof);
  assert.equal(await companionProofChecks(VECTOR.token, VECTOR.handshake, VECTOR.companionProof), true);
});

test('a companion proof for another token, port, nonce or direction does not check', async () => {
  const { token, handshake, companionProof } = VECTOR;
  assert.equal(await companionProofChecks('f'.repeat(64), handshake, companionProof), false);
  assert.equal(await companionProofChecks(token, { ...handshake, port: 47822 }, companionProof), false);
  assert.equal(await companionProofChecks(token, { ...handshake, companionNonce: 'c'.repeat(64) }, companionProof), false);
  assert.equal(await companionProofChecks(token, handshake, VECTOR.extensionProof), false);
  assert.equal(await companionProofChecks(token, handshake, 'not hex'), false);
  assert.equal(await companionProofChecks(token, handshake, companionProof.toUpperCase()), false);
});

test('nonces are 256 random bits in lowercase hex', () => {
  const nonces = new Set(Array.from({ length: 50 }, newNonce));
  assert.equal(nonces.size, 50);
  for (const nonce of nonces) assert.match(nonce, /^[0-9a-f]{64}$/);
});

test('server frames are parsed, anything else is refused', () => {
  assert.deepEqual(parseServerMessage('{"type":"pong"}'), { type: 'pong' });
  const findings = parseServerMessage('{"type":"findings","field":"f","revision":2,"verdict":"ok","findings":[]}');
  assert.equal(findings.revision, 2);
  assert.equal(parseServerMessage('{"type":"findings","field":"f"}'), null);
  assert.equal(parseServerMessage('{"type":"hello"}'), null);
  assert.equal(parseServerMessage('not json'), null);
  assert.equal(parseServerMessage('null'), null);
  assert.equal(parseServerMessage(new ArrayBuffer(2)), null);
  const challenge = { type: 'challenge', protocol: 2, companion: 'x', nonce: 'ab'.repeat(32), proof: 'cd'.repeat(32) };
  assert.deepEqual(parseServerMessage(JSON.stringify(challenge)), challenge);
  assert.equal(parseServerMessage(JSON.stringify({ ...challenge, proof: 'xyz' })), null);
});
