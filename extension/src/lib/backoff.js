// Reconnect delays: exponential from ~250 ms (factor 1.5, so a companion restarted after a few
// seconds is found again within about a second or two), capped at ~30 s, with "equal jitter"
// (half fixed, half random) so many browsers restarting with the companion do not reconnect in lockstep.

export const BACKOFF = Object.freeze({ baseMs: 250, factor: 1.5, capMs: 30000 });

/** Delay before reconnect attempt number `attempt` (0 = first retry after a drop). */
export function backoffDelay(attempt, {
  baseMs = BACKOFF.baseMs, factor = BACKOFF.factor, capMs = BACKOFF.capMs, random = Math.random,
} = {}) {
  const exponent = Math.min(Math.max(0, attempt), 64);
  const ceiling = Math.min(capMs, baseMs * factor ** exponent);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
