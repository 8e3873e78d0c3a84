import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_TEXT_UNITS, checkedSpan, isTooLong, splitsPair } from '../src/lib/utf16.js';

test('the size limit counts UTF-16 units, not code points', () => {
  assert.equal(isTooLong('a'.repeat(MAX_TEXT_UNITS)), false);
  assert.equal(isTooLong('a'.repeat(MAX_TEXT_UNITS + 1)), true);
  // 10,001 emoji are 10,001 code points but 20,002 units: too long for the companion.
  assert.equal(isTooLong('\u{1F600}'.repeat(10001)), true);
});

test('splitsPair finds the middle of a surrogate pair only', () => {
  const text = 'a\u{1F600}b';
  assert.equal(splitsPair(text, 1), false);
  assert.equal(splitsPair(text, 2), true);
  assert.equal(splitsPair(text, 3), false);
  assert.equal(splitsPair(text, 0), false);
});

test('checkedSpan widens spans that split a pair', () => {
  const text = 'x\u{1F600}y\u{1F600}z';
  assert.deepEqual(checkedSpan(text, 2, 5), { start: 1, end: 6 });
  assert.deepEqual(checkedSpan(text, 1, 3), { start: 1, end: 3 });
});

test('checkedSpan rejects what cannot be a span of the text', () => {
  assert.equal(checkedSpan('abc', 2, 2), null);
  assert.equal(checkedSpan('abc', 2, 1), null);
  assert.equal(checkedSpan('abc', -1, 2), null);
  assert.equal(checkedSpan('abc', 0, 4), null);
  assert.equal(checkedSpan('abc', 0.5, 2), null);
  assert.equal(checkedSpan('abc', '0', 2), null);
});
