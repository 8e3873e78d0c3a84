// Is the companion listening? A plain HTTP GET of its health answer on the WebSocket's port.
// Why not simply retry the WebSocket: every failed WebSocket attempt writes an error line to the
// extension's console (Chromium and Firefox alike), while a refused fetch whose rejection is caught
// writes nothing (measured: docs/reconnect.md). So the background probes with fetch while the
// companion is away and opens the WebSocket only once something answers on the port.

/** How long a probe may take: a refused loopback connection fails in well under a millisecond. */
export const PROBE_TIMEOUT_MS = 1500;

/** 'companion' (it answered its health check), 'refused' (403: a companion that does not know this
 * browser's extension, e.g. a Firefox install not yet allowed), 'other' (some other HTTP answer),
 * 'absent' (nothing listens). */
export async function probeCompanion(port, {
  fetch = globalThis.fetch, timeoutMs = PROBE_TIMEOUT_MS, origin = globalThis.location?.origin,
} = {}) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  // Our origin also in the query: with its host permission for 127.0.0.1 the browser may send the
  // probe without an Origin header, and the WebSocket's Origin is what the companion checks.
  const query = origin ? `?origin=${encodeURIComponent(origin)}` : '';
  try {
    const response = await fetch(`http://127.0.0.1:${port}/health${query}`, {
      cache: 'no-store', credentials: 'omit', redirect: 'error', signal: controller.signal,
    });
    response.body?.cancel().catch(() => {});
    if (response.status === 403) return 'refused';
    return response.ok ? 'companion' : 'other';
  } catch {
    return 'absent';
  } finally {
    clearTimeout(timer);
  }
}
