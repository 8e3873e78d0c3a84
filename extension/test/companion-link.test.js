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
const { CompanionLink, FIRST_CONNECT_GRACE_MS } = await import('../src/background/companion-link.js');
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

function connected(link) {
  link.configure({ port: 47821, token: TOKEN });
  latest().open();
  latest().reply({ type: 'welcome', protocol: 1, companion: 'x' });
}

beforeEach(() => {
  FakeSocket.all = [];
  mock.timers.enable({ apis: ['setTimeout'] });
  mock.method(Math, 'random', () => 1); // the longest delay of each jitter band
});

afterEach(() => {
  mock.timers.reset();
  mock.restoreAll();
});

test('connects to loopback, says hello with the token, and is connected on welcome', () => {
  const link = makeLink();
  link.configure({ port: 47999, token: TOKEN });
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

test('answers are passed on; malformed frames are not', () => {
  const link = makeLink();
  connected(link);
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

test('a 4401 close means unpaired; a new token reconnects at once', () => {
  const link = makeLink();
  link.configure({ port: 47821, token: TOKEN });
  latest().open();
  latest().drop(4401);
  assert.equal(link.state, 'unpaired');
  const before = FakeSocket.all.length;
  link.configure({ port: 47821, token: 'cd'.repeat(32) });
  assert.equal(FakeSocket.all.length, before + 1);
});

test('a drop is offline, then retried with growing jittered delays', () => {
  const link = makeLink();
  connected(link);
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

test('a reconnect after the companion comes back is announced again (so fields are resent)', () => {
  const link = makeLink();
  connected(link);
  latest().drop(1001);
  mock.timers.tick(250);
  latest().open();
  latest().reply({ type: 'welcome', protocol: 1, companion: 'x' });
  assert.deepEqual(states, ['connected', 'offline', 'connected']);
});

test('kick connects at once and failed kicks do not lengthen the backoff', () => {
  const link = makeLink();
  connected(link);
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
  assert.deepEqual(connecting.sent, [], 'no hello with the old token');
});

test('a first connection that hangs is reported offline after the grace period', () => {
  const link = makeLink();
  link.configure({ port: 47821, token: TOKEN });
  mock.timers.tick(FIRST_CONNECT_GRACE_MS - 1);
  assert.deepEqual(states, []);
  mock.timers.tick(1);
  assert.deepEqual(states, ['offline']);
});

test('changing the port drops the old socket', () => {
  const link = makeLink();
  connected(link);
  const old = latest();
  link.configure({ port: 47822, token: TOKEN });
  assert.equal(old.closedWith, 1000);
  assert.equal(latest().url, 'ws://127.0.0.1:47822');
  old.drop(1000); // its late close event must not disturb the new socket
  assert.notEqual(link.state, 'offline');
});
