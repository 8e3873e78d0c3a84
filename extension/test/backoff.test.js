import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BACKOFF, backoffDelay } from '../src/lib/backoff.js';

test('the first retry waits about 250 ms', () => {
  assert.equal(backoffDelay(0, { random: () => 1 }), 250);
  assert.equal(backoffDelay(0, { random: () => 0 }), 125);
});

test('delays double per attempt within the jitter band', () => {
  for (let attempt = 0; attempt < 6; attempt++) {
    const ceiling = BACKOFF.baseMs * 2 ** attempt;
    assert.equal(backoffDelay(attempt, { random: () => 0 }), ceiling / 2);
    assert.equal(backoffDelay(attempt, { random: () => 1 }), ceiling);
  }
});

test('delays are capped at about 30 s, even for huge attempt counts', () => {
  assert.equal(backoffDelay(20, { random: () => 1 }), BACKOFF.capMs);
  assert.equal(backoffDelay(Infinity, { random: () => 1 }), BACKOFF.capMs);
  assert.equal(backoffDelay(1e9, { random: () => 0 }), BACKOFF.capMs / 2);
});

test('jitter spreads reconnects of many clients', () => {
  const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(4)));
  assert.ok(delays.size > 10, `only ${delays.size} distinct delays`);
  for (const delay of delays) assert.ok(delay >= 2000 && delay <= 4000, `delay ${delay}`);
});
