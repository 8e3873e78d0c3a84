import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  originPattern, siteOrigin,
  DEFAULT_PORT, allowFor, cleanToken, isSiteDisabled, normalizeSettings, parseChannels, validatePatch,
} from '../src/lib/settings.js';

const TOKEN = 'ab'.repeat(32);

test('missing or malformed settings fall back to defaults', () => {
  const defaults = { port: DEFAULT_PORT, token: '', disabledSites: [], allow: {}, enabledSites: [] };
  assert.deepEqual(normalizeSettings({}), defaults);
  const odd = normalizeSettings({ port: '80', token: 5, disabledSites: 'x', allow: ['zoom'], enabledSites: 'x' });
  assert.deepEqual(odd, defaults);
});

test('stored values are kept and cleaned', () => {
  const settings = normalizeSettings({
    port: 50000, token: ` ${TOKEN}\n`, disabledSites: ['WWW.Fiverr.com', 'www.fiverr.com', 'bad host!'],
    allow: { '/orders/FO1': ['Zoom', 'video call', '!!'], '/orders/FO2': [] },
  });
  assert.equal(settings.port, 50000);
  assert.equal(settings.token, TOKEN);
  assert.deepEqual(settings.disabledSites, ['www.fiverr.com']);
  assert.deepEqual(settings.allow, { '/orders/FO1': ['zoom', 'video_call'] });
});

test('a stored token in another format is still offered to the companion', () => {
  assert.equal(normalizeSettings({ token: 'not-hex' }).token, 'not-hex');
});

test('a pasted token must be 64 hex digits', () => {
  assert.equal(cleanToken(`  ${TOKEN.toUpperCase()} `), TOKEN);
  assert.equal(cleanToken(TOKEN.slice(1)), '');
  assert.equal(cleanToken(`${TOKEN.slice(1)}g`), '');
});

test('channels are parsed from free text', () => {
  assert.deepEqual(parseChannels('Zoom, video call,\nzoom, , google-meet'), ['zoom', 'video_call', 'google-meet']);
});

test('validatePatch accepts good changes and names the first bad one', () => {
  assert.deepEqual(validatePatch({ port: 47822, token: TOKEN }), { patch: { port: 47822, token: TOKEN } });
  assert.deepEqual(validatePatch({ token: '' }), { patch: { token: '' } });
  assert.match(validatePatch({ port: 0 }).error, /port/);
  assert.match(validatePatch({ port: 70000 }).error, /port/);
  assert.match(validatePatch({ token: 'abc' }).error, /token/);
  assert.match(validatePatch({ disabledSites: 'fiverr.com' }).error, /disabledSites/);
  assert.match(validatePatch({ evil: 1 }).error, /unknown setting/);
  assert.match(validatePatch(null).error, /object/);
});

test('per-site switch and per-order allowlist lookups', () => {
  const settings = normalizeSettings({ disabledSites: ['localhost'], allow: { '/orders/FO1': ['zoom'] } });
  assert.equal(isSiteDisabled(settings, 'LOCALHOST'), true);
  assert.equal(isSiteDisabled(settings, '127.0.0.1'), false);
  assert.deepEqual(allowFor(settings, '/orders/FO1'), ['zoom']);
  assert.deepEqual(allowFor(settings, '/orders/FO2'), []);
});

test('sites the user enabled are kept as web origins only, once each', () => {
  const { enabledSites } = normalizeSettings({
    enabledSites: ['https://Example.com/path', 'https://example.com', 'http://127.0.0.2:8080', 'chrome://extensions', 'javascript:alert(1)', 7],
  });
  assert.deepEqual(enabledSites, ['https://example.com', 'http://127.0.0.2:8080']);
});

test('an enabled origin becomes a match pattern for every port of its host', () => {
  assert.equal(originPattern('http://127.0.0.2:8080'), 'http://127.0.0.2/*');
  assert.equal(originPattern('https://example.com'), 'https://example.com/*');
  assert.equal(siteOrigin('moz-extension://abc/popup.html'), null);
});

test('pages cannot write the enabled sites through a settings change (only the popup\'s enable flow)', () => {
  assert.match(validatePatch({ enabledSites: ['https://evil.example'] }).error, /unknown setting/);
});
