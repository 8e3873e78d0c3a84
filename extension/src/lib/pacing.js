// When a composer's text goes to the companion (pure: times in ms, the caller keeps the state).
// A throttle with a leading edge, the latest text winning: a change after a quiet spell goes out
// at once (a keystroke at typing speed is checked without waiting); changes in a fast burst are
// coalesced into one send SEND_INTERVAL_MS after the previous one, or, while the previous one's
// answer is still awaited, as soon as it arrives (at most ANSWER_WAIT_MS). Changes that keep coming
// faster than a person types (since the last pause, on average less than BURST_GAP_MS apart: a held
// key, a script, a test driver) are a long burst: it sends at most every BURST_INTERVAL_MS, and its end BURST_GAP_MS
// after its last change. The steps in between, which nobody reads, cost a fraction of the messages
// (each one a port message, an analysis and an answer handled on the page's thread).

/**
 * Minimum spacing of analyses per field. 25 ms: waiting at most 25 ms, plus ~10 ms round trip
 * and one frame, keeps keystroke-to-underline under 50 ms at p95, while a burst costs the
 * companion at most 40 analyses a second (its limit is 50).
 */
export const SEND_INTERVAL_MS = 25;
/**
 * How long an analyze may wait for its answer before the field's next change goes out anyway (an
 * answer lost with a restarting worker or a dropped connection must not hold the field back).
 */
export const ANSWER_WAIT_MS = 500;
/**
 * A long burst: changes on average (GAP_WEIGHT's moving average, since the last pause) closer than this. 50 ms = 20 keys
 * a second, which no person keeps up (keys ~100-200 ms apart, a quick pair ~40 ms), while a driver
 * on a loaded machine sends keys 10-50 ms apart with pauses now and then (2,000 keys in ProseMirror
 * at load ~24: 960 gaps <= 25 ms, 509 of 25-50 ms, 494 longer). Judged gap by gap (each one under
 * 25 ms for 300 ms), such a burst almost never counted as long: 784 analyses for 1,963 inputs.
 */
export const BURST_GAP_MS = 50;
/** The weight of the latest gap in the moving average (about the last ten gaps count). */
export const GAP_WEIGHT = 0.2;
/**
 * A gap this long is a pause: the average starts again from it, so that a few quick keys after a
 * pause (a word finished fast) are never a long burst; it takes about eight keys 15 ms apart.
 */
export const PAUSE_MS = 200;
/** Spacing of analyses during a long burst. */
export const BURST_INTERVAL_MS = 200;

/** A field's pacing state: all times from the same clock (performance.now()). */
export function newPace() {
  return { lastSentAt: -Infinity, lastChangeAt: -Infinity, meanGap: PAUSE_MS };
}

/** The text changed at `at`. */
export function noteChange(pace, at) {
  const gap = at - pace.lastChangeAt;
  pace.meanGap = gap >= PAUSE_MS ? PAUSE_MS : pace.meanGap + GAP_WEIGHT * (gap - pace.meanGap);
  pace.lastChangeAt = at;
}

/** Whether changes have been coming faster than a person types, and still are at `at`. */
export function inLongBurst(pace, at) {
  return at - pace.lastChangeAt <= BURST_GAP_MS && pace.meanGap < BURST_GAP_MS;
}

/**
 * How long after `at` the pending text should go out (<= 0: now). In a long burst the deadline
 * moves with every change (BURST_GAP_MS after the latest), capped at BURST_INTERVAL_MS after
 * the previous send; otherwise it is fixed by the previous send. `awaiting`: the previous send's
 * answer has not come yet (its arrival releases the text sooner).
 */
export function sendDelay(pace, at, awaiting = false) {
  let wait = pace.lastSentAt + SEND_INTERVAL_MS - at;
  if (inLongBurst(pace, at)) {
    const quiet = pace.lastChangeAt + BURST_GAP_MS - at;
    wait = Math.max(wait, Math.min(quiet, pace.lastSentAt + BURST_INTERVAL_MS - at));
  }
  if (awaiting) wait = Math.max(wait, pace.lastSentAt + ANSWER_WAIT_MS - at);
  return wait;
}
