// Reconnect delays: exponential from ~250 ms, capped at ~30 s, with "equal jitter" (half fixed,
// half random) so many tabs/browsers restarting with the companion do not reconnect in lockstep.

export const BACKOFF = Object.freeze({ baseMs: 250, capMs: 30000 });

/** Delay before reconnect attempt number `attempt` (0 = first retry after a drop). */
export function backoffDelay(attempt, { baseMs = BACKOFF.baseMs, capMs = BACKOFF.capMs, random = Math.random } = {}) {
  const exponent = Math.min(Math.max(0, attempt), 30);
  const ceiling = Math.min(capMs, baseMs * 2 ** exponent);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
