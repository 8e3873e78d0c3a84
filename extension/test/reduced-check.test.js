import assert from 'node:assert/strict';
import { test } from 'node:test';
import OFFLINE_RULES from '../src/lib/offline-rules.js';
import { reducedFindings } from '../src/lib/reduced-check.js';

const spans = (text) => reducedFindings(text).map((f) => [f.kind, text.slice(f.start, f.end)]);

test('a plain email address is found, with the engine finding shape and the reduced mark', () => {
  const text = 'Hello Ana, write to ana.souza@gmail.com tomorrow';
  const [finding] = reducedFindings(text);
  assert.deepEqual(spans(text), [['email', 'ana.souza@gmail.com']]);
  assert.equal(finding.severity, 'block');
  assert.equal(finding.rule, 'reduced.email');
  assert.equal(finding.reduced, true);
  assert.equal(finding.mask, OFFLINE_RULES.mask);
  assert.ok(finding.reason);
});

test('example, reserved and unknown-TLD addresses and file names with @ are not contact details', () => {
  for (const text of ['mail john@example.com', 'user@host.test', 'logo@2x.png', 'x@y.localhost', '@media screen', 'me@home']) {
    assert.deepEqual(spans(text), [], text);
  }
});

test('phone-number shapes: international, bracketed, grouped and long runs', () => {
  assert.deepEqual(spans('call +44 20 7946 0958 now'), [['phone', '+44 20 7946 0958']]);
  assert.deepEqual(spans('(415) 555-0132'), [['phone', '(415) 555-0132']]);
  assert.deepEqual(spans('my number 0300 1234567.'), [['phone', '0300 1234567']]);
  assert.deepEqual(spans('+55.11.91234.5678'), [['phone', '+55.11.91234.5678']]);
});

test('prices, dates, times, order numbers and short numbers are not phone numbers', () => {
  for (const text of ['$1,500.00 for 3 logos', 'due 2024-05-12 10:30', 'order FO81C2D5E7', 'revision 12 of 345',
    'size 1920 1080', 'v1.2.3.4', '1234567']) {
    assert.deepEqual(spans(text), [], text);
  }
});

test('links to messengers and payment pages from the engine\'s channel registry; bare hosts or other paths are not', () => {
  assert.deepEqual(spans('ping me wa.me/15551234567'), [['link', 'wa.me/15551234567']]);
  assert.deepEqual(spans('https://t.me/johnny_b.'), [['link', 'https://t.me/johnny_b']]);
  assert.deepEqual(spans('join zoom.us/j/123456789?pwd=x'), [['link', 'zoom.us/j/123456789?pwd=x']]);
  assert.deepEqual(spans('PAYPAL.ME/John'), [['link', 'PAYPAL.ME/John']]);
  assert.equal(reducedFindings('wa.me/15551234567')[0].channel, 'whatsapp');
  for (const text of ['we use wa.me links', 'instagram.com/p/abc123', 'upwork.com/freelancers/x', 'drive.google.com/file/d/x']) {
    assert.deepEqual(spans(text), [], text);
  }
});

test('every link the rules name is found when written with its host and a matching path', () => {
  const seen = new Set();
  for (const { channel } of OFFLINE_RULES.links) seen.add(channel);
  for (const channel of ['whatsapp', 'telegram', 'skype', 'discord', 'zoom', 'paypal']) assert.ok(seen.has(channel), channel);
});

test('findings are in text order and never overlap (an address inside a link counts once)', () => {
  const text = 'a@gmail.com +1 415 555 0132 wa.me/15551234567 b@yahoo.com';
  const found = reducedFindings(text);
  assert.deepEqual(found.map((f) => f.kind), ['email', 'phone', 'link', 'email']);
  for (let i = 1; i < found.length; i++) assert.ok(found[i].start >= found[i - 1].end);
});

test('offsets are UTF-16 indices (astral characters before the span)', () => {
  const text = '😀😀 mail ana@gmail.com';
  const [finding] = reducedFindings(text);
  assert.equal(text.slice(finding.start, finding.end), 'ana@gmail.com');
});

test('the mask carries no word the platform\'s filter holds', () => {
  assert.doesNotMatch(OFFLINE_RULES.mask, /e-?mail|phone|whatsapp|@/i);
});
