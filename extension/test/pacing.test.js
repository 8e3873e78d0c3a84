import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ANSWER_WAIT_MS, BURST_AFTER_MS, BURST_INTERVAL_MS, SEND_INTERVAL_MS, inLongBurst, newPace, noteChange, sendDelay,
} from '../src/lib/pacing.js';

/** Changes every `gap` ms from `from` to `to` (inclusive), as a keyboard would make them. */
function typeEvery(pace, gap, from, to) {
  for (let at = from; at <= to; at += gap) noteChange(pace, at);
}

test('a change after a quiet spell goes out at once', () => {
  const pace = newPace();
  noteChange(pace, 1000);
  assert.ok(sendDelay(pace, 1000) <= 0);
  pace.lastSentAt = 1000;
  noteChange(pace, 1200);
  assert.ok(sendDelay(pace, 1200) <= 0, 'a keystroke at typing speed is not held');
});

test('a change soon after a send waits for the throttle, or for the awaited answer', () => {
  const pace = newPace();
  pace.lastSentAt = 1000;
  noteChange(pace, 1000);
  noteChange(pace, 1010);
  assert.equal(sendDelay(pace, 1010), SEND_INTERVAL_MS - 10);
  assert.equal(sendDelay(pace, 1010, true), ANSWER_WAIT_MS - 10);
});

test('a short fast burst (a typist finishing a word) keeps the plain throttle', () => {
  const pace = newPace();
  pace.lastSentAt = 0;
  typeEvery(pace, 15, 0, 45); // four keys 15 ms apart, like the latency benchmark's ".com"
  assert.equal(inLongBurst(pace, 45), false);
  assert.equal(sendDelay(pace, 45), -20, 'its last key goes out at once: the throttle has passed');
});

test('key repeat and human typing never count as a long burst', () => {
  const pace = newPace();
  typeEvery(pace, SEND_INTERVAL_MS + 8, 0, 3000); // a held key repeats about every 33 ms
  assert.equal(inLongBurst(pace, 3000), false);
});

test('a long machine-speed burst sends every BURST_INTERVAL_MS, its end SEND_INTERVAL_MS after the last change', () => {
  const pace = newPace();
  typeEvery(pace, 10, 0, BURST_AFTER_MS + 50);
  const at = BURST_AFTER_MS + 50;
  assert.ok(inLongBurst(pace, at));
  pace.lastSentAt = at - 10;
  // The deadline is the quiet one while the cap is further away...
  assert.equal(sendDelay(pace, at), SEND_INTERVAL_MS);
  // ...and the cap once the changes keep coming.
  pace.lastSentAt = at - BURST_INTERVAL_MS + 5;
  assert.equal(sendDelay(pace, at), 5);
  // Asked again 10 ms after the last change (an answer came): never sooner than the throttle allows.
  pace.lastSentAt = at + 9;
  assert.equal(sendDelay(pace, at + 10), SEND_INTERVAL_MS - 1);
});

test('a pause longer than the throttle ends a burst', () => {
  const pace = newPace();
  typeEvery(pace, 10, 0, BURST_AFTER_MS + 50);
  noteChange(pace, BURST_AFTER_MS + 50 + SEND_INTERVAL_MS + 1);
  assert.equal(inLongBurst(pace, BURST_AFTER_MS + 50 + SEND_INTERVAL_MS + 1), false);
});
