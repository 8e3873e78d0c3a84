// Is the companion listening? A plain HTTP GET of its health answer on the WebSocket's port.
// Why not simply retry the WebSocket: every failed WebSocket attempt writes an error line to the
// extension's console (Chromium and Firefox alike), while a refused fetch whose rejection is caught
// writes nothing (measured: docs/reconnect.md). So the background probes with fetch while the
// companion is away and opens the WebSocket only once something answers on the port.

/** How long a probe may take: a refused loopback connection fails in well under a millisecond. */
export const PROBE_TIMEOUT_MS = 1500;

/** 'companion' (it answered its health check), 'other' (some HTTP answer), 'absent' (nothing listens). */
export async function probeCompanion(port, { fetch = globalThis.fetch, timeoutMs = PROBE_TIMEOUT_MS } = {}) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(`http://127.0.0.1:${port}/health`, {
      cache: 'no-store', credentials: 'omit', redirect: 'error', signal: controller.signal,
    });
    response.body?.cancel().catch(() => {});
    return response.ok ? 'companion' : 'other';
  } catch {
    return 'absent';
  } finally {
    clearTimeout(timer);
  }
}
