import assert from 'node:assert/strict';
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
}

globalThis.WebSocket = FakeSocket;
const { retryDelay } = await import('../src/lib/backoff.js');
const { CompanionLink, FIRST_CONNECT_GRACE_MS, KICK_SPACING_MS } = await import('../src/background/companion-link.js');
const TOKEN = 'ab'.repeat(32);

let states;
let received;
let probes; // ports probed, in order
let probeAnswer; // what the fake health probe says: 'companion' | 'other' | 'absent'
let composerActive;
const latest = () => FakeSocket.all.at(-1);
/** Lets the (already settled) probe promises run their continuations. */
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
      return Promise.resolve(probeAnswer);
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

async function connected(link) {
  link.configure({ port: 47821, token: TOKEN });
  await settle();
  latest().open();
  latest().reply({ type: 'welcome', protocol: 1, companion: 'x' });
}

beforeEach(() => {
  FakeSocket.all = [];
  probeAnswer = 'companion';
  composerActive = false;
  mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  mock.method(Math, 'random', () => 1); // the longest delay of each jitter band
});

afterEach(() => {
  mock.timers.reset();
  mock.restoreAll();
});

test('probes the port, then connects to loopback, says hello with the token, and is connected on welcome', async () => {
  const link = makeLink();
  link.configure({ port: 47999, token: TOKEN });
  assert.deepEqual(probes, [47999]);
  assert.equal(FakeSocket.all.length, 0, 'no socket before the probe answers');
  await settle();
  assert.equal(latest().url, 'ws://127.0.0.1:47999');
  latest().open();
  assert.deepEqual(latest().sent, [{ type: 'hello', protocol: 1, token: TOKEN, client: 'test' }]);
  assert.equal(link.ready, false);
  assert.equal(link.send({ type: 'ping' }), false, 'nothing goes out before the welcome');
  latest().reply({ type: 'welcome', protocol: 1, companion: 'x' });
  assert.equal(link.ready, true);
  assert.deepEqual(states, ['connected']);
  assert.equal(link.send({ type: 'ping' }), true);
  assert.deepEqual(latest().sent.at(-1), { type: 'ping' });
});

test('answers are passed on; malformed frames are not', async () => {
  const link = makeLink();
  await connected(link);
  latest().onmessage({ data: 'garbage' });
  latest().reply({ type: 'findings', field: 'f', revision: 1, verdict: 'ok', findings: [] });
  assert.deepEqual(received.map((m) => m.type), ['findings']);
});

test('without a token it is unpaired and neither probes nor connects', () => {
  const link = makeLink();
  link.configure({ port: 47821, token: '' });
  assert.equal(FakeSocket.all.length, 0);
  assert.deepEqual(probes, []);
  assert.equal(link.state, 'unpaired');
});

test('a 4401 close means unpaired, retried at the idle pace even while typing; a new token reconnects at once', async () => {
  composerActive = true;
  const link = makeLink();
  link.configure({ port: 47821, token: TOKEN });
  await settle();
  latest().open();
  latest().drop(4401);
  assert.equal(link.state, 'unpaired');
  const before = FakeSocket.all.length;
  await tick(14000, 100);
  assert.equal(FakeSocket.all.length, before, 'no second handshake within the first idle back-off');
  link.configure({ port: 47821, token: 'cd'.repeat(32) });
  await settle();
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

test('a reconnect after the companion comes back is announced again (so fields are resent)', async () => {
  const link = makeLink();
  await connected(link);
  latest().drop(1001);
  await tick(250);
  latest().open();
  latest().reply({ type: 'welcome', protocol: 1, companion: 'x' });
  assert.deepEqual(states, ['connected', 'offline', 'connected']);
});

test('kick probes at once, a burst of kicks shares one probe, and kicks do not lengthen the backoff', async () => {
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
  await settle();
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

test('a probe answer for settings changed meanwhile is dropped', async () => {
  const link = makeLink();
  let answer;
  probeAnswer = undefined;
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

test('a socket still connecting when the settings change is closed once it opens, quietly', async () => {
  const link = makeLink();
  link.configure({ port: 47821, token: TOKEN });
  await settle();
  const connecting = latest();
  link.configure({ port: 47821, token: 'cd'.repeat(32) });
  assert.equal(connecting.closedWith, null);
  connecting.open();
  assert.equal(connecting.closedWith, 1000);
  assert.deepEqual(connecting.sent, [], 'no hello with the old token');
});

test('a first connection that hangs is reported offline after the grace period', async () => {
  const link = makeLink();
  link.configure({ port: 47821, token: TOKEN });
  await settle();
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
  await settle();
  assert.equal(old.closedWith, 1000);
  assert.equal(latest().url, 'ws://127.0.0.1:47822');
  old.drop(1000); // its late close event must not disturb the new socket
  assert.notEqual(link.state, 'offline');
});
