// Retry delays for reaching the companion: exponential from ~250 ms (factor 1.5), with "equal
// jitter" (half fixed, half random) so many browsers restarting with the companion do not retry in
// lockstep. The cap depends on whether a composer is in use: ~1 s then (a companion that comes back
// is found within about a second), ~30 s when idle (an idle browser costs almost nothing). Retries
// are silent health probes (see background/companion-probe.js), so a short cap floods no console.

export const BACKOFF = Object.freeze({ baseMs: 250, factor: 1.5, capMs: 30000, activeCapMs: 1000 });

/** Delay before reconnect attempt number `attempt` (0 = first retry after a drop). */
export function backoffDelay(attempt, {
  baseMs = BACKOFF.baseMs, factor = BACKOFF.factor, capMs = BACKOFF.capMs, random = Math.random,
} = {}) {
  const exponent = Math.min(Math.max(0, attempt), 64);
  const ceiling = Math.min(capMs, baseMs * factor ** exponent);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** The delay before the next probe: capped at ~1 s while a composer is in use, ~30 s otherwise. */
export function retryDelay(attempt, { active = false, random = Math.random } = {}) {
  return backoffDelay(attempt, { capMs: active ? BACKOFF.activeCapMs : BACKOFF.capMs, random });
}
