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
const { retryDelay } = await import('../src/lib/backoff.js');
const { CompanionLink, FIRST_CONNECT_GRACE_MS, HANDSHAKE_TIMEOUT_MS, KICK_SPACING_MS } = await import('../src/background/companion-link.js');
const TOKEN = 'ab'.repeat(32);

let states;
let received;
let probes; // ports probed, in order
let probeAnswer; // what the fake health probe says: 'companion' | 'other' | 'absent'
let asyncProbe; // answer on a later microtask, as the real (fetch) probe does
let composerActive;
const latest = () => FakeSocket.all.at(-1);
/** Lets settled probe promises run their continuations. */
const settle = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

function makeLink() {
  states = [];
  received = [];
  probes = [];
  return new CompanionLink({
    client: 'test', onState: (state) => states.push(state), onMessage: (message) => received.push(message),
    probe: (port) => {
      probes.push(port);
      return asyncProbe ? Promise.resolve(probeAnswer) : probeAnswer;
    },
    isActive: () => composerActive,
  });
}

/** Advances the mocked clock in small steps, letting probe answers land between them. */
async function tick(ms, step = 5) {
  for (let t = 0; t < ms; t += step) {
    mock.timers.tick(Math.min(step, ms - t));
    await settle();
  }
}

async function welcomed(socket = latest()) {
  socket.open();
  socket.challenge();
  assert.ok(await until(() => proofSent(socket)), 'the link proved the token');
  socket.reply({ type: 'welcome', protocol: 2, companion: 'x' });
}

async function connected(link) {
  link.configure({ port: 47821, token: TOKEN });
  await settle(); // the probe's answer
  await welcomed();
}

beforeEach(() => {
  FakeSocket.all = [];
  probeAnswer = 'companion';
  asyncProbe = false;
  composerActive = false;
  mock.timers.enable({ apis: ['setTimeout', 'Date'] }); // setImmediate stays real: WebCrypto resolves on its own
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

test('another protocol version (unsupported_protocol, 4400) is "incompatible", not an impostor; retried slowly', async () => {
  composerActive = true;
  const link = makeLink();
  link.configure({ port: 47821, token: TOKEN });
  const socket = latest();
  socket.open();
  socket.reply({ type: 'error', code: 'unsupported_protocol', detail: 'this companion speaks protocol 3; update the extension' });
  await until(() => false, 500);
  assert.equal(socket.closedWith, null);
  socket.drop(4400);
  assert.equal(link.state, 'incompatible');
  assert.equal(link.ready, false);
  const before = FakeSocket.all.length;
  await tick(14000, 100);
  assert.equal(FakeSocket.all.length, before, 'no second handshake within the first idle back-off, even while typing');
});

test('a companion that no longer allows this install (1008, pair --forget) is "refused", retried slowly', async () => {
  const link = makeLink();
  await connected(link);
  latest().drop(1008);
  assert.equal(link.state, 'refused');
  const before = FakeSocket.all.length;
  await tick(14000, 100);
  assert.equal(FakeSocket.all.length, before, 'no second handshake within the first idle back-off');
});

test('a companion at its limit of clients (1013) is "busy", retried at the usual pace', async () => {
  composerActive = true;
  const link = makeLink();
  link.configure({ port: 47821, token: TOKEN });
  const socket = latest();
  socket.open();
  socket.challenge();
  assert.ok(await until(() => proofSent(socket)));
  socket.drop(1013);
  assert.equal(link.state, 'busy');
  const before = FakeSocket.all.length;
  await tick(2000, 50);
  assert.ok(FakeSocket.all.length > before, 'tried again within ~1 s while a composer is in use');
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

// ---- reconnecting: silent probes, then the socket ----------------------------------------------

test('the port is probed before any socket; no socket while nothing answers', async () => {
  asyncProbe = true;
  probeAnswer = 'absent';
  const link = makeLink();
  link.configure({ port: 47999, token: TOKEN });
  assert.deepEqual(probes, [47999]);
  await settle();
  assert.equal(FakeSocket.all.length, 0);
  probeAnswer = 'companion';
  await tick(250);
  assert.equal(latest().url, 'ws://127.0.0.1:47999');
  assert.equal(link.state, 'offline');
});

test('a 4401 close means unpaired, retried at the idle pace even while typing; a new token reconnects at once', async () => {
  composerActive = true;
  const link = makeLink();
  link.configure({ port: 47821, token: TOKEN });
  latest().open();
  latest().drop(4401);
  assert.equal(link.state, 'unpaired');
  const before = FakeSocket.all.length;
  await tick(14000, 100);
  assert.equal(FakeSocket.all.length, before, 'no second handshake within the first idle back-off');
  link.configure({ port: 47821, token: 'cd'.repeat(32) });
  assert.equal(FakeSocket.all.length, before + 1);
});

test('while the companion is away only silent probes go out, no socket', async () => {
  const link = makeLink();
  await connected(link);
  const sockets = FakeSocket.all.length;
  probeAnswer = 'absent';
  latest().drop(1006);
  assert.equal(link.state, 'offline');
  await tick(120000, 100);
  assert.equal(FakeSocket.all.length, sockets, 'a socket was opened while nothing listened');
  assert.ok(probes.length >= 6, `only ${probes.length} probes in two minutes`);
  probeAnswer = 'companion';
  await tick(31000, 100);
  assert.equal(FakeSocket.all.length, sockets + 1, 'the companion back is found within the idle cap');
});

test('idle, probes back off from ~250 ms to the 30 s cap', async () => {
  const link = makeLink();
  await connected(link);
  probeAnswer = 'absent';
  latest().drop(1006);
  const times = [];
  const start = Date.now();
  let seen = probes.length;
  while (Date.now() - start < 200000) {
    await tick(50, 50);
    if (probes.length > seen) {
      times.push(Date.now() - start);
      seen = probes.length;
    }
  }
  const gaps = times.map((t, i) => t - (times[i - 1] ?? 0));
  assert.equal(gaps[0], 250);
  assert.ok(gaps.at(-1) >= 29000 && gaps.at(-1) <= 30050, `last gap ${gaps.at(-1)}`);
  for (let i = 1; i < gaps.length; i++) assert.ok(gaps[i] >= gaps[i - 1], `gaps shrink: ${gaps}`);
});

test('while a composer is in use, probes are at most ~1 s apart: a returning companion is found within ~1 s', async () => {
  composerActive = true;
  const link = makeLink();
  await connected(link);
  probeAnswer = 'absent';
  latest().drop(1006);
  await tick(60000, 100); // a long outage: the idle back-off would be at its 30 s cap by now
  const sockets = FakeSocket.all.length;
  probeAnswer = 'companion';
  await tick(1000, 10);
  assert.equal(FakeSocket.all.length, sockets + 1, 'not reconnected within 1 s of the return');
});

test('kick probes at once (async probe), a burst of kicks shares one probe, and kicks do not lengthen the backoff', async () => {
  asyncProbe = true;
  const link = makeLink();
  await connected(link);
  probeAnswer = 'absent';
  latest().drop(1006);
  await tick(250); // the first scheduled probe (fails)
  const count = probes.length;
  await tick(KICK_SPACING_MS);
  link.kick();
  assert.equal(probes.length, count + 1, 'kicked probe is immediate');
  link.kick();
  assert.equal(probes.length, count + 1, 'no second probe while one is under way');
  await settle();
  for (let i = 0; i < 10; i++) link.kick(); // keystrokes right after a failed probe
  assert.equal(probes.length, count + 1);
  await tick(KICK_SPACING_MS);
  assert.equal(probes.length, count + 2, 'the burst got one probe, KICK_SPACING_MS later');
  // Two scheduled probes have failed: the back-off goes on with the third delay, not one
  // lengthened by the kicked probes.
  const third = retryDelay(2, { random: () => 1 });
  const before = probes.length;
  await tick(third - 1, 1);
  assert.equal(probes.length, before);
  await tick(1, 1);
  assert.equal(probes.length, before + 1);
});

test('a port that answers but refuses the handshake gets no new socket until the companion itself answers', async () => {
  composerActive = true;
  const link = makeLink();
  probeAnswer = 'other'; // some other program, or a companion that refuses this origin
  link.configure({ port: 47821, token: TOKEN });
  latest().drop(1006); // failed before opening: one console line in a browser
  const sockets = FakeSocket.all.length;
  await tick(60000, 100);
  link.kick();
  await settle();
  assert.equal(FakeSocket.all.length, sockets, 'a second failing socket (a second console line)');
  probeAnswer = 'companion';
  await tick(31000, 100);
  assert.equal(FakeSocket.all.length, sockets + 1);
});

test('a companion that refuses this browser (403 to its origin) gets no socket: the state says so, retries are slow', async () => {
  composerActive = true;
  const link = makeLink();
  probeAnswer = 'refused';
  link.configure({ port: 47821, token: TOKEN });
  await settle();
  assert.equal(link.state, 'refused');
  assert.equal(FakeSocket.all.length, 0, 'a socket the companion would refuse (a console line)');
  const probed = probes.length;
  await tick(retryDelay(0, { active: true, random: () => 1 }) * 4, 10);
  assert.equal(probes.length, probed, 'retried at the active pace although the user has to act first');
  probeAnswer = 'companion'; // allowed now (contact-guard pair --allow-firefox)
  await tick(31000, 100);
  assert.equal(FakeSocket.all.length, 1);
  await welcomed();
  assert.equal(link.state, 'connected');
});

test('a probe answer for settings changed meanwhile is dropped', async () => {
  const link = makeLink();
  let answer;
  const pending = new Promise((resolve) => { answer = resolve; });
  const slow = new CompanionLink({
    client: 'test', onState: () => {}, onMessage: () => {},
    probe: () => pending,
  });
  slow.configure({ port: 1, token: TOKEN });
  slow.configure({ port: 2, token: TOKEN }); // new settings: a new probe (also pending)
  answer('companion');
  await settle();
  assert.deepEqual(FakeSocket.all.map((s) => s.url), ['ws://127.0.0.1:2'], 'a socket for the old port');
  assert.equal(link.state, null);
});

