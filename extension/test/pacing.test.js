import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ANSWER_WAIT_MS, BURST_GAP_MS, BURST_INTERVAL_MS, SEND_INTERVAL_MS, inLongBurst, newPace, noteChange, sendDelay,
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

test('the latency bench\'s pattern (a change, a 250 ms pause, four keys 15 ms apart) is never a long burst', () => {
  const pace = newPace();
  let at = 0;
  for (let trial = 0; trial < 40; trial++) {
    noteChange(pace, (at += 30)); // the next trial's prefix, right after the last one's underline
    at += 250;
    for (let key = 0; key < 4; key++) {
      noteChange(pace, (at += 15));
      assert.equal(inLongBurst(pace, at), false, `trial ${trial}, key ${key}`);
    }
  }
  // Eight or more quick keys after a pause are a burst (no one types those at 66 a second).
  for (let key = 0; key < 10; key++) noteChange(pace, (at += 15));
  assert.ok(inLongBurst(pace, at));
});

test('human typing never counts as a long burst, even with quick pairs of keys', () => {
  const pace = newPace();
  for (let at = 0; at <= 3000; at += 160) {
    noteChange(pace, at);
    noteChange(pace, at + 45); // a fast digraph
  }
  assert.equal(inLongBurst(pace, 3045), false);
  typeEvery(pace, BURST_GAP_MS + 10, 4000, 8000); // 16 keys a second, kept up for four seconds
  assert.equal(inLongBurst(pace, 8000), false);
});

test('a driver on a loaded machine (keys 10-50 ms apart) or a held key is a long burst', () => {
  const pace = newPace();
  const gaps = [12, 48, 20, 35, 9, 41, 27, 50, 15, 33];
  let at = 0;
  for (let i = 0; at < 600; i++) noteChange(pace, (at += gaps[i % gaps.length]));
  assert.ok(inLongBurst(pace, at));
  // A pause now and then (100 ms) leaves it a burst once the keys come fast again.
  noteChange(pace, (at += 100));
  noteChange(pace, (at += 20));
  assert.ok(inLongBurst(pace, at));
  const held = newPace();
  typeEvery(held, 33, 0, 1000); // a held key repeats about every 33 ms
  assert.ok(inLongBurst(held, 990));
});

test('a long machine-speed burst sends every BURST_INTERVAL_MS, its end BURST_GAP_MS after the last change', () => {
  const pace = newPace();
  typeEvery(pace, 10, 0, 350);
  const at = 350;
  assert.ok(inLongBurst(pace, at));
  // The deadline is the quiet one while the cap is further away...
  pace.lastSentAt = at - 10;
  assert.equal(sendDelay(pace, at), BURST_GAP_MS);
  // ...and the cap once the changes keep coming.
  pace.lastSentAt = at - BURST_INTERVAL_MS + 5;
  assert.equal(sendDelay(pace, at), 5);
  // Asked again 10 ms after the last change (an answer came): the quiet deadline still holds, and
  // never sooner than the throttle allows.
  pace.lastSentAt = at + 9;
  assert.equal(sendDelay(pace, at + 10), BURST_GAP_MS - 10);
  pace.lastSentAt = at + 35;
  assert.equal(sendDelay(pace, at + 40), SEND_INTERVAL_MS - 5);
});

test('a pause ends a burst at once, a long one makes the next keys a fresh start', () => {
  const pace = newPace();
  typeEvery(pace, 10, 0, 350);
  assert.ok(inLongBurst(pace, 350));
  assert.equal(inLongBurst(pace, 350 + BURST_GAP_MS + 1), false, 'the quiet spell ends it');
  noteChange(pace, 700);
  noteChange(pace, 710);
  assert.equal(inLongBurst(pace, 710), false, 'after a pause of 350 ms, two quick keys are no long burst');
});
