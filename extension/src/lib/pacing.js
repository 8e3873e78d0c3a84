// When a composer's text goes to the companion (pure: times in ms, the caller keeps the state).
// A throttle with a leading edge, the latest text winning: a change after a quiet spell goes out
// at once (a keystroke at typing speed is checked without waiting); changes in a fast burst are
// coalesced into one send SEND_INTERVAL_MS after the previous one, or, while the previous one's
// answer is still awaited, as soon as it arrives (at most ANSWER_WAIT_MS). A burst faster than the
// burst of changes less than BURST_GAP_MS apart that lasts (no one types 20 keys a second for long:
// a held key, a script, a test driver) sends at most every BURST_INTERVAL_MS, and its end
// BURST_GAP_MS after its last change: the steps in between, which nobody reads, cost a fraction of
// the messages (each one a port message, an analysis and an answer to handle on the page's thread).

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
/** How long changes must keep coming faster than BURST_GAP_MS before they count as a long burst. */
export const BURST_AFTER_MS = 300;
/**
 * Changes closer than this continue a burst. 50 ms: a test driver on a loaded machine sends keys
 * 10-50 ms apart (half of them over 25 ms), so a 25 ms gap let almost no burst count as long (784
 * analyses per 2,000 keys); a person's keys are ~100-200 ms apart, and 20 a second for 300 ms
 * only a held key makes.
 */
export const BURST_GAP_MS = 50;
/** Spacing of analyses during a long burst. */
export const BURST_INTERVAL_MS = 100;

/** A field's pacing state: all times from the same clock (performance.now()). */
export function newPace() {
  return { lastSentAt: -Infinity, lastChangeAt: -Infinity, burstSince: -Infinity };
}

/** The text changed at `at`: a change within BURST_GAP_MS of the previous one continues its burst. */
export function noteChange(pace, at) {
  if (at - pace.lastChangeAt > BURST_GAP_MS) pace.burstSince = at;
  pace.lastChangeAt = at;
}

/** Whether the changes have been coming less than BURST_GAP_MS apart for BURST_AFTER_MS by `at`. */
export function inLongBurst(pace, at) {
  return at - pace.lastChangeAt <= BURST_GAP_MS && pace.lastChangeAt - pace.burstSince >= BURST_AFTER_MS;
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
