import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { PROTOCOL_VERSION, analyzeMessage, helloMessage, parseServerMessage, pingMessage } from '../src/lib/protocol.js';

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
    }
    if (property.type === 'integer') assert.ok(Number.isInteger(value), `${def}.${key}`);
    if (property.type === 'boolean') assert.equal(typeof value, 'boolean', `${def}.${key}`);
    if (property.type === 'array') assert.ok(Array.isArray(value) && value.length <= (property.maxItems ?? Infinity));
  }
}

test('our protocol version is the schema\'s', () => {
  assert.equal(PROTOCOL_VERSION, schema['x-protocol-version']);
});

test('hello, analyze and ping conform to the companion schema', () => {
  assertConforms(helloMessage('ab'.repeat(32), 'contact-guard-extension/0.1.0'), 'Hello');
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

test('server frames are parsed, anything else is refused', () => {
  assert.deepEqual(parseServerMessage('{"type":"pong"}'), { type: 'pong' });
  const findings = parseServerMessage('{"type":"findings","field":"f","revision":2,"verdict":"ok","findings":[]}');
  assert.equal(findings.revision, 2);
  assert.equal(parseServerMessage('{"type":"findings","field":"f"}'), null);
  assert.equal(parseServerMessage('{"type":"hello"}'), null);
  assert.equal(parseServerMessage('not json'), null);
  assert.equal(parseServerMessage('null'), null);
  assert.equal(parseServerMessage(new ArrayBuffer(2)), null);
});
