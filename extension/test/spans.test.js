import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diffEdit, moveSpans, remapSpan, remapSpans } from '../src/lib/spans.js';

const span = (start, end, extra = {}) => ({ start, end, ...extra });

test('diffEdit finds the single replaced range', () => {
  assert.equal(diffEdit('same', 'same'), null);
  assert.deepEqual(diffEdit('hello world', 'hello big world'), { start: 6, removedEnd: 6, insertedEnd: 10 });
  assert.deepEqual(diffEdit('hello big world', 'hello world'), { start: 6, removedEnd: 10, insertedEnd: 6 });
  assert.deepEqual(diffEdit('abc', 'aXc'), { start: 1, removedEnd: 2, insertedEnd: 2 });
});

test('diffEdit never cuts a surrogate pair (emoji sharing a high surrogate)', () => {
  // U+1F600 and U+1F601 share the high surrogate \uD83D: the edit must cover the whole pair.
  const edit = diffEdit('a\u{1F600}b', 'a\u{1F601}b');
  assert.deepEqual(edit, { start: 1, removedEnd: 3, insertedEnd: 3 });
  // Same low surrogate, different high surrogate: the common suffix must not keep half a pair.
  // U+10600 is \uD801\uDE00 and U+1F600 is \uD83D\uDE00.
  const tail = diffEdit('x\u{10600}', 'x\u{1F600}');
  assert.deepEqual(tail, { start: 1, removedEnd: 3, insertedEnd: 3 });
});

test('typing before a span shifts it', () => {
  const moved = remapSpans([span(10, 20, { rule: 'email.plain' })], 'write me: john@x.io ok', 'Hi, write me: john@x.io ok');
  assert.deepEqual(moved, [span(14, 24, { rule: 'email.plain' })]);
});

test('deleting before a span shifts it back', () => {
  assert.deepEqual(remapSpans([span(10, 15)], '0123456789abcde', '0189abcde'), [span(4, 9)]);
});

test('typing after a span leaves it', () => {
  assert.deepEqual(remapSpans([span(0, 5)], 'abcde', 'abcde more'), [span(0, 5)]);
});

test('an edit inside a span drops it', () => {
  assert.deepEqual(remapSpans([span(2, 8)], 'x john@x y', 'x jXhn@x y'), []);
});

test('an edit straddling a span edge drops it', () => {
  assert.deepEqual(remapSpans([span(4, 8)], '0123456789', '012X56789'), []);
  assert.deepEqual(remapSpans([span(4, 8)], '0123456789', '0123456X9'), []);
});

test('insertion exactly at the start or end keeps the span characters', () => {
  assert.deepEqual(remapSpan(span(4, 8), { start: 4, removedEnd: 4, insertedEnd: 6 }), span(6, 10));
  assert.deepEqual(remapSpan(span(4, 8), { start: 8, removedEnd: 8, insertedEnd: 9 }), span(4, 8));
});

test('only the touched span is dropped among several', () => {
  const before = 'aa bb cc dd';
  const after = 'aa bXb cc dd';
  assert.deepEqual(remapSpans([span(0, 2), span(3, 5), span(6, 8)], before, after), [span(0, 2), span(7, 9)]);
});

test('a collapsed caret moves with text inserted before it', () => {
  assert.deepEqual(remapSpan(span(5, 5), { start: 1, removedEnd: 3, insertedEnd: 10 }), span(12, 12));
});

test('astral characters typed before a span shift it by two units each', () => {
  const before = 'mail: a@b.co';
  const after = '\u{1F600}mail: a@b.co';
  assert.deepEqual(remapSpans([span(6, 12)], before, after), [span(8, 14)]);
});

test('moveSpans applies a known edit as remapSpans applies the diff (an editor model says where it typed)', () => {
  const spans = [{ start: 0, end: 4 }, { start: 6, end: 10 }, { start: 12, end: 14 }];
  const edit = { start: 8, removedEnd: 8, insertedEnd: 9 }; // one character typed inside the second
  assert.deepEqual(moveSpans(spans, edit), [{ start: 0, end: 4 }, { start: 13, end: 15 }]);
  assert.equal(moveSpans(spans, null), spans);
  const before = 'abcd, efgh, ij';
  const after = 'abcd, efXgh, ij';
  assert.deepEqual(moveSpans(spans, diffEdit(before, after)), remapSpans(spans, before, after));
});
