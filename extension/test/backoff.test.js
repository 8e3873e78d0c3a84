import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BACKOFF, backoffDelay, retryDelay } from '../src/lib/backoff.js';

test('the first retry waits about 250 ms', () => {
  assert.equal(backoffDelay(0, { random: () => 1 }), 250);
  assert.equal(backoffDelay(0, { random: () => 0 }), 125);
});

test('delays grow by the factor per attempt within the jitter band', () => {
  for (let attempt = 0; attempt < 8; attempt++) {
    const ceiling = BACKOFF.baseMs * BACKOFF.factor ** attempt;
    assert.equal(backoffDelay(attempt, { random: () => 0 }), Math.round(ceiling / 2));
    assert.equal(backoffDelay(attempt, { random: () => 1 }), Math.round(ceiling));
  }
  assert.ok(backoffDelay(3, { random: () => 0.5 }) > backoffDelay(2, { random: () => 0.5 }));
});

test('a companion back after ~3 s is retried within ~2 s (sum of the first delays)', () => {
  let elapsed = 0;
  let attempt = 0;
  while (elapsed < 3000) elapsed += backoffDelay(attempt++, { random: () => 1 });
  assert.ok(backoffDelay(attempt, { random: () => 1 }) <= 2500, `next wait ${backoffDelay(attempt, { random: () => 1 })}`);
});

test('delays are capped at about 30 s, even for huge attempt counts', () => {
  assert.equal(backoffDelay(20, { random: () => 1 }), BACKOFF.capMs);
  assert.equal(backoffDelay(Infinity, { random: () => 1 }), BACKOFF.capMs);
  assert.equal(backoffDelay(1e9, { random: () => 0 }), BACKOFF.capMs / 2);
});

test('jitter spreads reconnects of many clients', () => {
  const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(6)));
  const ceiling = BACKOFF.baseMs * BACKOFF.factor ** 6;
  assert.ok(delays.size > 10, `only ${delays.size} distinct delays`);
  for (const delay of delays) assert.ok(delay >= Math.round(ceiling / 2) && delay <= Math.round(ceiling), `delay ${delay}`);
});

test('while a composer is in use the retry delay is capped at ~1 s; idle it grows to ~30 s', () => {
  assert.equal(retryDelay(50, { active: true, random: () => 1 }), BACKOFF.activeCapMs);
  assert.equal(retryDelay(50, { active: false, random: () => 1 }), BACKOFF.capMs);
  assert.equal(retryDelay(0, { active: true, random: () => 1 }), backoffDelay(0, { random: () => 1 }));
  assert.ok(BACKOFF.activeCapMs <= 1000, 'a companion back while typing must be found within ~1 s');
});
