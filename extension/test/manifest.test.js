import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import PROFILES from '../src/lib/site-profiles.js';

const manifest = JSON.parse(readFileSync(new URL('../src/manifest.json', import.meta.url), 'utf8'));
const sorted = (list) => [...list].sort();
const profileMatches = sorted(PROFILES.flatMap((profile) => profile.matches));

test('the manifest\'s host permissions are exactly the site profiles\' match patterns', () => {
  assert.deepEqual(sorted(manifest.host_permissions), profileMatches);
});

test('the content script and its module files run exactly where the profiles say', () => {
  // The loader, and page-world.js (world MAIN: builds the paste events the editors must read).
  assert.deepEqual(manifest.content_scripts.map((script) => script.js), [['content/loader.js'], ['content/page-world.js']]);
  assert.equal(manifest.content_scripts[1].world, 'MAIN');
  for (const script of manifest.content_scripts) assert.deepEqual(sorted(script.matches), profileMatches);
  const [profiles, enabled] = manifest.web_accessible_resources;
  assert.deepEqual(sorted(profiles.matches), profileMatches);
  // Sites the user enables need the module files too (the loader imports them), so any web page
  // can tell that Contact Guard is installed (Chrome 156 refuses the import under use_dynamic_url).
  assert.deepEqual(sorted(enabled.matches), ['http://*/*', 'https://*/*']);
  assert.deepEqual(enabled.resources, profiles.resources);
});

test('every profile\'s hosts are covered by its match patterns, and every pattern by a host', () => {
  for (const profile of PROFILES) {
    const patternHosts = profile.matches.map((pattern) => new URL(pattern.replace('/*', '/')).hostname);
    assert.deepEqual(sorted(patternHosts), sorted(profile.hosts), profile.id);
  }
});

test('any other site is only an optional permission, asked for when the user enables it', () => {
  assert.deepEqual(sorted(manifest.optional_host_permissions), ['http://*/*', 'https://*/*']);
  assert.ok(manifest.permissions.includes('scripting'), 'registering content scripts for enabled sites');
  assert.ok(!manifest.host_permissions.some((p) => p.includes('*://*') || p === '<all_urls>'));
});

test('every profile names its platform, its rules and at least one send control', () => {
  for (const profile of PROFILES) {
    assert.ok(profile.platform, profile.id);
    assert.match(profile.ruleUrl, /^https:\/\//, profile.id);
    assert.ok(profile.send.length, profile.id);
    for (const re of profile.paths ?? []) assert.doesNotThrow(() => new RegExp(re), `${profile.id}: ${re}`);
  }
});
