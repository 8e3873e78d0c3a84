// Where Contact Guard works and how it reads a page: interprets the site profiles
// (lib/site-profiles.js) — which composers are watched, the surface a composer belongs to, the
// page's send controls. The functions take plain element-like objects, so node tests drive them.

import PROFILES from './site-profiles.js';

export const SURFACES = Object.freeze(['message', 'requirements', 'delivery', 'offer', 'other']);

/** Elements that are composers. For contenteditable only the editing root is one (see isComposer). */
export const COMPOSER_SELECTOR = [
  'textarea',
  'input:not([type])',
  'input[type="text" i]',
  'input[type="search" i]',
  'input[type="email" i]',
  'input[type="url" i]',
  'input[type="tel" i]',
  '[contenteditable]:not([contenteditable="false" i])',
].join(', ');

/** The site profiles (lib/site-profiles.js): data only; the functions below interpret them. */
export const SITES = PROFILES;

/** `pattern` is a hostname, or "*.example.com" for its subdomains (not the bare domain). */
export function hostMatches(pattern, hostname) {
  const host = hostname.toLowerCase();
  if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1).toLowerCase());
  return host === pattern.toLowerCase();
}

/** The site entry for a hostname, or null when Contact Guard has nothing to do there. */
export function siteForHost(hostname, sites = SITES) {
  return sites.find((s) => s.hosts.some((pattern) => hostMatches(pattern, hostname))) ?? null;
}

/** Whether the site watches composers at `pathname` (order pages and inbox only, on the marketplace). */
export function coversPath(site, pathname) {
  return !site.paths || site.paths.some((re) => new RegExp(re).test(pathname));
}

/** The site entry for a location, or null when Contact Guard has nothing to do there. */
export function siteFor(hostname, pathname, sites = SITES) {
  const site = siteForHost(hostname, sites);
  return site && coversPath(site, pathname) ? site : null;
}

function surfaceFromValue(value) {
  const surface = String(value ?? '').trim().toLowerCase();
  return SURFACES.includes(surface) ? surface : 'other';
}

/**
 * The surface of a composer: the first surface rule whose selector matches the element or an
 * ancestor (`closest`), else a path rule, else "message" (on an order page an unlabelled field is
 * most likely the chat).
 */
export function surfaceOf(element, site, pathname = '') {
  for (const rule of site.surfaces) {
    const holder = element.closest(rule.selector);
    if (!holder) continue;
    return rule.attribute ? surfaceFromValue(holder.getAttribute(rule.attribute)) : rule.surface;
  }
  const byPath = site.pathSurfaces.find((rule) => pathname.includes(rule.path));
  return byPath ? byPath.surface : 'message';
}

/**
 * Whether the site watches `element` now: outside `ignore`, a composer inside its `everywhere` areas
 * on any path (a chat box that floats over every page), else on one of its paths (`onSitePath`) a
 * composer acceptsComposer allows.
 */
export function watchesComposer(element, site, onSitePath) {
  if (site.ignore?.length && element.closest(site.ignore.join(', '))) return false;
  if (site.everywhere?.length && element.closest(site.everywhere.join(', '))) return true;
  return onSitePath && acceptsComposer(element, site);
}

/** Whether the site watches this composer: inside one of its `composers` areas, outside `ignore`. */
export function acceptsComposer(element, site) {
  if (site.ignore?.length && element.closest(site.ignore.join(', '))) return false;
  return !site.composers || Boolean(element.closest(site.composers.join(', ')));
}

/** Whether `element` is one of the site's send controls (itself or inside one). */
export function sendControlOf(element, site) {
  return element.closest(site.send.join(', '));
}

/**
 * The keys that send a message from composer `element` on this site, from the profile's `sendKeys`
 * ([{composer: selector matched with closest(), keys: ["Enter", "Control+Enter", ...]}]); [] when
 * the profile says nothing, and the send guard then learns it from the page itself.
 */
export function sendKeysOf(element, site) {
  const rule = (site.sendKeys ?? []).find((candidate) => element.closest(candidate.composer));
  return rule ? rule.keys : [];
}
