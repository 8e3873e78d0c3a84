// "Enable on this site": Contact Guard on a site no profile covers, after the user asked for it.
// The popup requests the optional host permission (it needs the click's user gesture); this module
// then registers the content script for that origin (persisted by the browser, and re-registered
// at start-up where a browser does not keep it), injects it into the open tab at once, and keeps
// the list in storage (`enabledSites`). Removing a site unregisters the script and gives the
// permission back.

import { normalizeSettings, originPattern, siteOrigin } from '../lib/settings.js';

const SCRIPT_PREFIX = 'cg-site:';
const scriptId = (origin) => `${SCRIPT_PREFIX}${origin}`;

function contentScript(origin) {
  return {
    id: scriptId(origin), matches: [originPattern(origin)], js: ['content/loader.js'],
    runAt: 'document_idle', allFrames: true, persistAcrossSessions: true,
  };
}

async function storedSites() {
  return normalizeSettings(await chrome.storage.local.get('enabledSites')).enabledSites;
}

async function registeredIds() {
  const scripts = await chrome.scripting.getRegisteredContentScripts();
  return new Set(scripts.map((s) => s.id).filter((id) => id.startsWith(SCRIPT_PREFIX)));
}

/** Enables Contact Guard on `url`'s origin (the permission must already be granted). */
export async function enableSite(url, tabId = null) {
  const origin = siteOrigin(url);
  if (!origin) return { ok: false, error: 'Contact Guard can only be enabled on web pages (http or https).' };
  if (!await chrome.permissions.contains({ origins: [originPattern(origin)] })) {
    return { ok: false, error: `Access to ${new URL(origin).hostname} was not granted.` };
  }
  if (!(await registeredIds()).has(scriptId(origin))) await chrome.scripting.registerContentScripts([contentScript(origin)]);
  const sites = await storedSites();
  if (!sites.includes(origin)) await chrome.storage.local.set({ enabledSites: [...sites, origin] });
  // The open tab gets it now, not only after a reload.
  if (Number.isInteger(tabId)) {
    await chrome.scripting.executeScript({ target: { tabId, allFrames: true }, files: ['content/loader.js'] })
      .catch(() => {}); // a tab that navigated away meanwhile: the registered script covers the next load
  }
  return { ok: true, origin };
}

/** Removes Contact Guard from `origin`: no content script there any more, and the permission given back. */
export async function disableSite(url) {
  const origin = siteOrigin(url);
  if (!origin) return { ok: false, error: 'not a web page' };
  if ((await registeredIds()).has(scriptId(origin))) await chrome.scripting.unregisterContentScripts({ ids: [scriptId(origin)] });
  const sites = await storedSites();
  await chrome.storage.local.set({ enabledSites: sites.filter((site) => site !== origin) });
  // Another enabled origin on the same host (another port) still needs the same pattern.
  const pattern = originPattern(origin);
  if (!sites.some((site) => site !== origin && originPattern(site) === pattern)) {
    await chrome.permissions.remove({ origins: [pattern] }).catch(() => false);
  }
  return { ok: true, origin };
}

/**
 * At start-up: a content script for every stored site whose permission is still granted; sites
 * whose permission the user withdrew (browser settings) are dropped from the list.
 */
export async function restoreSites() {
  const sites = await storedSites();
  const registered = await registeredIds();
  const kept = [];
  for (const origin of sites) {
    if (!await chrome.permissions.contains({ origins: [originPattern(origin)] })) continue;
    kept.push(origin);
    if (!registered.has(scriptId(origin))) await chrome.scripting.registerContentScripts([contentScript(origin)]);
    registered.delete(scriptId(origin));
  }
  if (registered.size) await chrome.scripting.unregisterContentScripts({ ids: [...registered] });
  if (kept.length !== sites.length) await chrome.storage.local.set({ enabledSites: kept });
}
