import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { afterEach, beforeEach, mock, test } from 'node:test';

/** A WebSocket double: records what the link sends, lets the test play the companion. */
class FakeSocket {
  static CONNECTING = 0;
  static OPEN = 1;
  static all = [];
  constructor(url) {
    this.url = url;
    this.sent = [];
    this.closedWith = null;
    this.readyState = FakeSocket.CONNECTING;
    FakeSocket.all.push(this);
  }
  send(data) {
    this.sent.push(JSON.parse(data));
  }
  close(code) {
    this.closedWith = code;
  }
  // companion side
  open() {
    this.readyState = FakeSocket.OPEN;
    this.onopen?.();
  }
  reply(message) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  drop(code) {
    this.onclose?.({ code });
  }
  /** The real companion's half of the handshake, computed with node's own HMAC (not the code under test). */
  challenge({ token = TOKEN, port = this.port(), label = 'contact-guard/2 companion proof', nonce } = {}) {
    const hello = this.sent.find((m) => m.type === 'hello');
    this.companionNonce = nonce ?? randomBytes(32).toString('hex');
    const proof = hmac(token, label, hello.nonce, this.companionNonce, port);
    this.reply({ type: 'challenge', protocol: 2, companion: 'x', nonce: this.companionNonce, proof });
  }
  port() {
    return Number(new URL(this.url).port);
  }
  expectedProof(token = TOKEN) {
    const hello = this.sent.find((m) => m.type === 'hello');
    return hmac(token, 'contact-guard/2 extension proof', hello.nonce, this.companionNonce, this.port());
  }
}

function hmac(token, label, clientNonce, companionNonce, port) {
  return createHmac('sha256', Buffer.from(token, 'hex')).update(`${label}\n${clientNonce}\n${companionNonce}\n${port}`).digest('hex');
}

/** WebCrypto answers on later turns of the event loop (its work runs on node's thread pool):
 * wait until `done()` holds, or `ms` of real time have passed (setTimeout is mocked, the clock is not). */
async function until(done, ms = 5000) {
  const giveUp = performance.now() + ms;
  while (!done() && performance.now() < giveUp) await new Promise((resolve) => setImmediate(resolve));
  return done();
}

const proofSent = (socket) => socket.sent.some((m) => m.type === 'proof');

globalThis.WebSocket = FakeSocket;
const { CompanionLink, FIRST_CONNECT_GRACE_MS, HANDSHAKE_TIMEOUT_MS } = await import('../src/background/companion-link.js');
const TOKEN = 'ab'.repeat(32);

let states;
let received;
const latest = () => FakeSocket.all.at(-1);

function makeLink() {
  states = [];
  received = [];
  return new CompanionLink({
    client: 'test', onState: (state) => states.push(state), onMessage: (message) => received.push(message),
  });
}

async function welcomed(socket = latest()) {
  socket.open();
  socket.challenge();
  assert.ok(await until(() => proofSent(socket)), 'the link proved the token');
  socket.reply({ type: 'welcome', protocol: 2, companion: 'x' });
}

async function connected(link) {
  link.configure({ port: 47821, token: TOKEN });
  await welcomed();
}

beforeEach(() => {
  FakeSocket.all = [];
  mock.timers.enable({ apis: ['setTimeout'] }); // setImmediate stays real: WebCrypto resolves on its own
  mock.method(Math, 'random', () => 1); // the longest delay of each jitter band
});

afterEach(() => {
  mock.timers.reset();
  mock.restoreAll();
});

test('connects to loopback, proves the token only after the companion did, and is connected on welcome', async () => {
  const link = makeLink();
  link.configure({ port: 47999, token: TOKEN });
  const socket = latest();
  assert.equal(socket.url, 'ws://127.0.0.1:47999');
  socket.open();
  const [hello] = socket.sent;
  assert.deepEqual(Object.keys(hello).sort(), ['client', 'nonce', 'protocol', 'type']);
  assert.equal(hello.protocol, 2);
  assert.match(hello.nonce, /^[0-9a-f]{64}$/);
  assert.equal(link.send({ type: 'ping' }), false, 'nothing goes out before the welcome');
  socket.challenge();
  assert.ok(await until(() => proofSent(socket)));
  assert.deepEqual(socket.sent.slice(1), [{ type: 'proof', proof: socket.expectedProof() }]);
  assert.equal(link.ready, false);
  socket.reply({ type: 'welcome', protocol: 2, companion: 'x' });
  assert.equal(link.ready, true);
  assert.deepEqual(states, ['connected']);
  assert.equal(link.send({ type: 'ping' }), true);
  assert.deepEqual(socket.sent.at(-1), { type: 'ping' });
  assert.ok(!JSON.stringify(socket.sent).includes(TOKEN), 'the token never crosses the wire');
});

test('every connection sends a fresh nonce', async () => {
  const link = makeLink();
  await connected(link);
  const first = latest().sent[0].nonce;
  latest().drop(1006);
  mock.timers.tick(250);
  latest().open();
  assert.notEqual(latest().sent[0].nonce, first);
});

const IMPOSTORS = {
  'a challenge proved with another token': (socket) => socket.challenge({ token: 'cd'.repeat(32) }),
  'our own label reflected back': (socket) => socket.challenge({ label: 'contact-guard/2 extension proof' }),
  'a proof relayed from the companion on another port': (socket) => socket.challenge({ port: 47822 }),
  'a welcome without any challenge': (socket) => socket.reply({ type: 'welcome', protocol: 2, companion: 'x' }),
  'a challenge with a malformed proof': (socket) => socket.reply({
    type: 'challenge', protocol: 2, companion: 'x', nonce: 'ab'.repeat(32), proof: 'not hex',
  }),
  'findings instead of a challenge': (socket) => socket.reply({ type: 'findings', field: 'f', revision: 1, verdict: 'ok', findings: [] }),
  'garbage': (socket) => socket.onmessage({ data: 'HTTP/1.1 200 OK' }),
};

for (const [name, answer] of Object.entries(IMPOSTORS)) {
  test(`a peer answering hello with ${name} gets no proof and no text, and is reported`, async () => {
    const link = makeLink();
    link.configure({ port: 47821, token: TOKEN });
    const socket = latest();
    socket.open();
    answer(socket);
    assert.ok(await until(() => socket.closedWith !== null), 'the link hung up');
    socket.reply({ type: 'welcome', protocol: 2, companion: 'x' }); // a late welcome changes nothing
    await until(() => false, 500); // and nothing more is sent, however long we wait
    assert.deepEqual(socket.sent.map((m) => m.type), ['hello'], 'only our hello went out');
    assert.equal(socket.closedWith, 4403);
    assert.equal(link.send({ type: 'analyze', field: 'f', revision: 1, text: 'secret' }), false);
    socket.drop(4403);
    assert.equal(link.state, 'impostor');
    assert.equal(link.ready, false);
  });
}

test('a welcome arriving while the companion\'s proof is still being checked is an impostor\'s', async () => {
  const link = makeLink();
  link.configure({ port: 47821, token: TOKEN });
  const socket = latest();
  socket.open();
  socket.challenge();
  socket.reply({ type: 'welcome', protocol: 2, companion: 'x' }); // before our proof could go out
  await until(() => false, 500);
  assert.deepEqual(socket.sent.map((m) => m.type), ['hello']);
  assert.equal(socket.closedWith, 4403);
});

test('a peer that never finishes the handshake is dropped as offline after the timeout', () => {
  const link = makeLink();
  link.configure({ port: 47821, token: TOKEN });
  const socket = latest();
  socket.open();
  mock.timers.tick(HANDSHAKE_TIMEOUT_MS - 1);
  assert.equal(socket.closedWith, null);
  mock.timers.tick(1);
  assert.equal(socket.closedWith, 1000);
  socket.drop(1000);
  assert.equal(link.state, 'offline');
});

test('an older companion\'s unsupported_protocol error is not mistaken for an impostor', async () => {
  const link = makeLink();
  link.configure({ port: 47821, token: TOKEN });
  const socket = latest();
  socket.open();
  socket.reply({ type: 'error', code: 'unsupported_protocol', detail: 'this companion speaks protocol 3; update the extension' });
  await until(() => false, 500);
  assert.equal(socket.closedWith, null);
  socket.drop(4400);
  assert.equal(link.state, 'offline');
});

test('answers are passed on; malformed frames are not', async () => {
  const link = makeLink();
  await connected(link);
  latest().onmessage({ data: 'garbage' });
  latest().reply({ type: 'findings', field: 'f', revision: 1, verdict: 'ok', findings: [] });
  assert.deepEqual(received.map((m) => m.type), ['findings']);
});

test('without a token it is unpaired and does not connect', () => {
  const link = makeLink();
  link.configure({ port: 47821, token: '' });
  assert.equal(FakeSocket.all.length, 0);
  assert.equal(link.state, 'unpaired');
});

test('a 4401 close means unpaired; a new token reconnects at once', async () => {
  const link = makeLink();
  link.configure({ port: 47821, token: TOKEN });
  latest().open();
  latest().drop(4401);
  assert.equal(link.state, 'unpaired');
  const before = FakeSocket.all.length;
  link.configure({ port: 47821, token: 'cd'.repeat(32) });
  assert.equal(FakeSocket.all.length, before + 1);
});

test('a drop is offline, then retried with growing jittered delays', async () => {
  const link = makeLink();
  await connected(link);
  latest().drop(1006);
  assert.equal(link.state, 'offline');
  const delays = [];
  for (let attempt = 0; attempt < 4; attempt++) {
    const count = FakeSocket.all.length;
    let waited = 0;
    while (FakeSocket.all.length === count && waited < 60000) {
      mock.timers.tick(5);
      waited += 5;
    }
    delays.push(waited);
    latest().drop(1006);
  }
  assert.deepEqual(delays, [250, 375, 565, 845]);
});

test('a reconnect after the companion comes back is announced again (so fields are resent)', async () => {
  const link = makeLink();
  await connected(link);
  latest().drop(1001);
  mock.timers.tick(250);
  await welcomed();
  assert.deepEqual(states, ['connected', 'offline', 'connected']);
});

test('kick connects at once and failed kicks do not lengthen the backoff', async () => {
  const link = makeLink();
  await connected(link);
  latest().drop(1006); // first retry scheduled (250 ms); the next one would wait 375 ms
  const count = FakeSocket.all.length;
  link.kick();
  assert.equal(FakeSocket.all.length, count + 1, 'kicked attempt is immediate');
  link.kick();
  assert.equal(FakeSocket.all.length, count + 1, 'no second socket while one is connecting');
  for (let kicks = 0; kicks < 5; kicks++) {
    latest().drop(1006);
    link.kick();
  }
  latest().drop(1006);
  const before = FakeSocket.all.length;
  mock.timers.tick(374);
  assert.equal(FakeSocket.all.length, before);
  mock.timers.tick(1);
  assert.equal(FakeSocket.all.length, before + 1, 'six failed kicks later, still the second delay');
});

test('a socket still connecting when the settings change is closed once it opens, quietly', () => {
  const link = makeLink();
  link.configure({ port: 47821, token: TOKEN });
  const connecting = latest();
  link.configure({ port: 47821, token: 'cd'.repeat(32) });
  assert.equal(connecting.closedWith, null);
  connecting.open();
  assert.equal(connecting.closedWith, 1000);
  assert.deepEqual(connecting.sent, [], 'no hello on a socket that is being dropped');
});

test('a first connection that hangs is reported offline after the grace period', () => {
  const link = makeLink();
  link.configure({ port: 47821, token: TOKEN });
  mock.timers.tick(FIRST_CONNECT_GRACE_MS - 1);
  assert.deepEqual(states, []);
  mock.timers.tick(1);
  assert.deepEqual(states, ['offline']);
});

test('changing the port drops the old socket', async () => {
  const link = makeLink();
  await connected(link);
  const old = latest();
  link.configure({ port: 47822, token: TOKEN });
  assert.equal(old.closedWith, 1000);
  assert.equal(latest().url, 'ws://127.0.0.1:47822');
  old.drop(1000); // its late close event must not disturb the new socket
  assert.notEqual(link.state, 'offline');
});
