import assert from 'node:assert/strict';
import { test } from 'node:test';
import http from 'node:http';
import { probeCompanion } from '../src/background/companion-probe.js';

/** A real HTTP server on a free loopback port, answering with `status`. */
async function serve(status) {
  const requests = [];
  const server = http.createServer((request, response) => {
    requests.push(request.url);
    response.writeHead(status).end();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: server.address().port, requests, close: () => new Promise((resolve) => server.close(resolve)) };
}

// These tests are about how an answer is read, not how long it may take (the deadline has its own
// test below): on a loaded machine the first fetch of a test process can take over the 1.5 s
// PROBE_TIMEOUT_MS, which turned an answer into 'absent'. So they wait for the answer itself.
const UNTIL_ANSWERED = { timeoutMs: 2 ** 31 - 1 }; // setTimeout's longest delay (~24.8 days)

test('a companion answering its health check is "companion"', async () => {
  const server = await serve(200);
  try {
    assert.equal(await probeCompanion(server.port, UNTIL_ANSWERED), 'companion');
    assert.deepEqual(server.requests, ['/health']);
  } finally {
    await server.close();
  }
});

test('any other HTTP answer is "other" (something listens)', async () => {
  const server = await serve(426);
  try {
    assert.equal(await probeCompanion(server.port, UNTIL_ANSWERED), 'other');
  } finally {
    await server.close();
  }
});

test('a 403 (a companion that does not accept this browser\'s origin) is "refused"', async () => {
  const server = await serve(403);
  try {
    assert.equal(await probeCompanion(server.port, UNTIL_ANSWERED), 'refused');
  } finally {
    await server.close();
  }
});

test('the probe names the extension\'s origin, which the WebSocket will send', async () => {
  const server = await serve(200);
  try {
    await probeCompanion(server.port, { ...UNTIL_ANSWERED, origin: 'moz-extension://0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0' });
    assert.deepEqual(server.requests, ['/health?origin=moz-extension%3A%2F%2F0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0']);
  } finally {
    await server.close();
  }
});

test('a closed port is "absent", without throwing', async () => {
  const server = await serve(200);
  const { port } = server;
  await server.close();
  assert.equal(await probeCompanion(port, UNTIL_ANSWERED), 'absent');
});

test('a port that accepts but never answers is "absent" after the timeout', async () => {
  const server = http.createServer(() => {}); // never responds
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    assert.equal(await probeCompanion(server.address().port, { timeoutMs: 50 }), 'absent');
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
