import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';

// The router talks to chrome.* and to the companion link; both are doubles here.
const stored = [];
globalThis.chrome = {
  runtime: { id: 'ownid', getURL: (path) => `chrome-extension://ownid/${path}` },
  storage: { local: { set: async (patch) => stored.push(patch) } },
  action: { setBadgeText: async () => {}, setBadgeBackgroundColor: async () => {}, setTitle: async () => {} },
};
const { Router, isExtensionPage, isOwnContentScript } = await import('../src/background/router.js');
const { normalizeSettings } = await import('../src/lib/settings.js');

class FakePort {
  constructor(name, sender) {
    this.name = name;
    this.sender = sender;
    this.posted = [];
    this.disconnected = false;
    this.listeners = { message: [], disconnect: [] };
    this.onMessage = { addListener: (f) => this.listeners.message.push(f) };
    this.onDisconnect = { addListener: (f) => this.listeners.disconnect.push(f) };
  }
  postMessage(message) {
    this.posted.push(message);
  }
  disconnect() {
    this.disconnected = true;
  }
  deliver(message) {
    for (const f of this.listeners.message) f(message);
  }
}

class FakeLink {
  state = 'connected';
  ready = true;
  sent = [];
  kicks = 0;
  send(message) {
    if (this.ready) this.sent.push(message);
    return this.ready;
  }
  kick() {
    this.kicks++;
  }
}

const contentSender = { id: 'ownid', tab: { id: 7 }, url: 'http://127.0.0.1:8000/orders/FO1/chat.html' };
const pageSender = { id: 'ownid', url: 'chrome-extension://ownid/options/options.html' };
let link;
let router;

beforeEach(() => {
  mock.timers.enable({ apis: ['setInterval', 'Date'] }); // the router's keepalive ping and activity clock
  stored.length = 0;
  link = new FakeLink();
  router = new Router({ link, settings: normalizeSettings({ allow: { '/orders/FO1/chat.html': ['zoom'] } }) });
});

afterEach(() => mock.timers.reset());

test('senders are sorted into trust tiers', () => {
  assert.equal(isOwnContentScript(contentSender), true);
  assert.equal(isOwnContentScript({ ...contentSender, id: 'otherid' }), false);
  assert.equal(isOwnContentScript({ ...contentSender, tab: undefined }), false);
  assert.equal(isOwnContentScript({ ...contentSender, url: 'chrome-extension://ownid/popup/popup.html' }), false);
  assert.equal(isOwnContentScript({ ...contentSender, url: 'file:///etc/passwd' }), false);
  assert.equal(isExtensionPage(pageSender), true);
  assert.equal(isExtensionPage({ ...pageSender, id: 'otherid' }), false);
  assert.equal(isExtensionPage(contentSender), false);
});

test('ports in the wrong tier are disconnected', () => {
  const pageNamedContent = new FakePort('cg-content', pageSender);
  const contentNamedPage = new FakePort('cg-page', contentSender);
  router.accept(pageNamedContent);
  router.accept(contentNamedPage);
  assert.equal(pageNamedContent.disconnected, true);
  assert.equal(contentNamedPage.disconnected, true);
});

test('a content script cannot change settings', async () => {
  const port = new FakePort('cg-content', contentSender);
  router.accept(port);
  port.deliver({ type: 'settings', id: 1, patch: { token: 'cd'.repeat(32) } });
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.deepEqual(stored, []);
  assert.ok(!port.posted.some((m) => m.type === 'settings-result'));
});

test('an extension page changes settings, validated', async () => {
  const port = new FakePort('cg-page', pageSender);
  router.accept(port);
  port.deliver({ type: 'settings', id: 1, patch: { port: 0 } });
  port.deliver({ type: 'settings', id: 2, patch: { port: 47830 } });
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.deepEqual(stored, [{ port: 47830 }]);
  const results = port.posted.filter((m) => m.type === 'settings-result');
  assert.deepEqual(results.map((r) => [r.id, r.ok]), [[1, false], [2, true]]);
});

test('analyze goes out with a per-port field id and the order\'s approved channels; answers come back', () => {
  const port = new FakePort('cg-content', contentSender);
  router.accept(port);
  assert.deepEqual(port.posted.at(-1), { type: 'status', status: 'connected' });
  port.deliver({ type: 'analyze', field: 'chat-input', revision: 3, text: 'zoom call?', surface: 'message',
    orderKey: '/orders/FO1/chat.html' });
  const sent = link.sent.at(-1);
  assert.equal(sent.type, 'analyze');
  assert.match(sent.field, /^7\.\d+\.chat-input$/);
  assert.deepEqual(sent.allow, ['zoom']);
  router.companionMessage({ type: 'findings', field: sent.field, revision: 3, verdict: 'ok', findings: [] });
  assert.deepEqual(port.posted.at(-1), { type: 'findings', field: 'chat-input', revision: 3, verdict: 'ok', findings: [] });
});

test('each text goes out with its site profile\'s platform name, for the engine\'s wording; none on another site', () => {
  const cases = [
    ['https://www.upwork.com/ab/messages/rooms/room_1', 'Upwork'],
    ['https://www.freelancer.com/messages/thread/1', 'Freelancer'],
    ['https://www.peopleperhour.com/workstream/1', 'PeoplePerHour'],
    ['https://www.fiverr.com/inbox/ana', 'Fiverr'],
    ['https://forum.example.test/t/42/reply', null], // a site the user enabled: no platform
  ];
  cases.forEach(([url, platform], i) => {
    const port = new FakePort('cg-content', { id: 'ownid', tab: { id: 20 + i }, url });
    router.accept(port);
    port.deliver({ type: 'analyze', field: 'composer', revision: 1, text: 'hi', surface: 'message' });
    assert.equal(link.sent.at(-1).platform ?? null, platform, url); // null is left out (the wire's default)
  });
});

test('what a port sent before the router existed is handled once it is accepted', () => {
  // A content script reaching a restarted background resends its fields at once, before the
  // background has read its settings and made the router.
  const port = new FakePort('cg-content', contentSender);
  router.accept(port, [
    { type: 'analyze', field: 'chat-input', revision: 4, text: 'mail me', surface: 'message', orderKey: '/orders/FO1/chat.html' },
    { type: 'active', field: 'chat-input' },
  ]);
  assert.deepEqual(link.sent.map((m) => [m.type, m.revision, m.text]), [['analyze', 4, 'mail me']]);
  assert.equal(router.composerActive(), true);
  const page = new FakePort('cg-page', pageSender);
  router.accept(page, [{ type: 'tab-status', tabId: 7 }]);
  assert.equal(page.posted.at(-1).type, 'tab-status');
  assert.equal(page.posted.at(-1).tabId, 7);
});

test('malformed requests from a content script are ignored', () => {
  const port = new FakePort('cg-content', contentSender);
  router.accept(port);
  port.deliver({ type: 'analyze', field: 'x', revision: 'one', text: 'a', surface: 'message' });
  port.deliver({ type: 'analyze', field: 'x', revision: 1, text: 'a', surface: 'sidebar' });
  port.deliver({ type: 'analyze', field: 'x'.repeat(500), revision: 1, text: 'a', surface: 'message' });
  port.deliver(null);
  assert.deepEqual(link.sent, []);
});

test('after a reconnect only the latest revision of each live field is resent', () => {
  const port = new FakePort('cg-content', contentSender);
  router.accept(port);
  link.ready = false;
  link.state = 'offline';
  for (const revision of [1, 2, 3]) {
    port.deliver({ type: 'analyze', field: 'a', revision, text: `t${revision}`, surface: 'message' });
  }
  port.deliver({ type: 'analyze', field: 'b', revision: 1, text: 'b1', surface: 'message' });
  port.deliver({ type: 'analyze', field: 'gone', revision: 1, text: 'g', surface: 'message' });
  port.deliver({ type: 'forget', field: 'gone' });
  assert.ok(link.kicks > 0, 'a request while offline reconnects at once');
  link.ready = true;
  link.state = 'connected';
  router.linkChanged();
  assert.deepEqual(link.sent.map((m) => m.text).sort(), ['b1', 't3']);
});

test('a ping goes out every 20 s while a composer is focused, not when idle', () => {
  const port = new FakePort('cg-content', contentSender);
  router.accept(port);
  port.deliver({ type: 'active', field: 'a' });
  mock.timers.tick(20000);
  assert.deepEqual(link.sent, [{ type: 'ping' }]);
  port.deliver({ type: 'idle', field: 'a' });
  mock.timers.tick(60000); // still within a minute of the last activity: one more ping at most
  link.sent.length = 0;
  mock.timers.tick(40000);
  assert.deepEqual(link.sent, []);
});

test('a switched-off site gets "disabled" and nothing is sent for it', () => {
  router.settingsChanged(normalizeSettings({ disabledSites: ['127.0.0.1'] }));
  const port = new FakePort('cg-content', contentSender);
  router.accept(port);
  assert.deepEqual(port.posted.at(-1), { type: 'status', status: 'disabled' });
  port.deliver({ type: 'analyze', field: 'a', revision: 1, text: 'hi', surface: 'message' });
  assert.deepEqual(link.sent, []);
  router.settingsChanged(normalizeSettings({}));
  assert.deepEqual(link.sent.map((m) => m.text), ['hi'], 'switched back on: the kept text is checked');
});
