// "Enable on this site": Contact Guard on a site no profile covers, after the user asked for it.
// The popup requests the optional host permission (it needs the click's user gesture); this module
// then registers the content scripts for that origin (persisted by the browser, and re-registered
// at start-up where a browser does not keep it), injects them into the open tab at once, and keeps
// the list in storage (`enabledSites`). Removing a site unregisters them and gives the permission
// back. The scripts are the manifest's two: the loader, and page-world.js in the page's own world
// (rich editors only take a Mask or a guarded paste from events built there; see editing.js).

import { normalizeSettings, originPattern, siteOrigin } from '../lib/settings.js';

const SCRIPT_PREFIX = 'cg-site:';
const PAGE_WORLD_SUFFIX = '#page-world';
const LOADER = 'content/loader.js';
const PAGE_WORLD = 'content/page-world.js';

function contentScripts(origin) {
  const common = { matches: [originPattern(origin)], runAt: 'document_idle', allFrames: true, persistAcrossSessions: true };
  return [
    { ...common, id: `${SCRIPT_PREFIX}${origin}`, js: [LOADER] },
    { ...common, id: `${SCRIPT_PREFIX}${origin}${PAGE_WORLD_SUFFIX}`, js: [PAGE_WORLD], world: 'MAIN' },
  ];
}

/** Registers whichever of the origin's scripts `registered` (a Set of ids) does not hold yet. */
async function registerMissing(origin, registered) {
  const missing = contentScripts(origin).filter((script) => !registered.has(script.id));
  if (missing.length) await chrome.scripting.registerContentScripts(missing);
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
  await registerMissing(origin, await registeredIds());
  const sites = await storedSites();
  if (!sites.includes(origin)) await chrome.storage.local.set({ enabledSites: [...sites, origin] });
  // The open tab gets them now, not only after a reload (page world first: the loader may use it).
  if (Number.isInteger(tabId)) {
    const target = { tabId, allFrames: true };
    // A tab that navigated away meanwhile: the registered scripts cover the next load.
    await chrome.scripting.executeScript({ target, files: [PAGE_WORLD], world: 'MAIN' }).catch(() => {});
    await chrome.scripting.executeScript({ target, files: [LOADER] }).catch(() => {});
  }
  return { ok: true, origin };
}

/** Removes Contact Guard from `origin`: no content script there any more, and the permission given back. */
export async function disableSite(url) {
  const origin = siteOrigin(url);
  if (!origin) return { ok: false, error: 'not a web page' };
  const registered = await registeredIds();
  const ids = contentScripts(origin).map((script) => script.id).filter((id) => registered.has(id));
  if (ids.length) await chrome.scripting.unregisterContentScripts({ ids });
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
    await registerMissing(origin, registered);
    for (const script of contentScripts(origin)) registered.delete(script.id);
  }
  if (registered.size) await chrome.scripting.unregisterContentScripts({ ids: [...registered] });
  if (kept.length !== sites.length) await chrome.storage.local.set({ enabledSites: kept });
}
