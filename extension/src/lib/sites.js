// Where Contact Guard works and how it reads a page: per-site selectors for the surface a composer
// belongs to and for the page's send controls. This table is the configuration; the functions
// below only interpret it (and take plain element-like objects, so node tests can drive them).

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

const EXPLICIT_SURFACE = Object.freeze({ selector: '[data-cg-surface]', attribute: 'data-cg-surface' });

export const SITES = Object.freeze([
  {
    id: 'fiverr',
    hosts: ['fiverr.com', 'www.fiverr.com'],
    // Order pages, the inbox and the requirements form; elsewhere (search, gig pages) stay out.
    paths: ['^/orders/', '^/inbox(/|$)', '^/users/[^/]+/manage_orders', '^/users/[^/]+/requirements', '^/requirements'],
    surfaces: [
      EXPLICIT_SURFACE,
      { selector: '[class*="requirement" i], form[action*="requirement" i]', surface: 'requirements' },
      { selector: '[class*="deliver" i]', surface: 'delivery' },
      { selector: '[class*="custom-offer" i], [class*="offer-form" i], [class*="create-offer" i]', surface: 'offer' },
      { selector: '[class*="message" i], [class*="inbox" i], [class*="conversation" i], [class*="chat" i]', surface: 'message' },
    ],
    pathSurfaces: [{ path: 'requirements', surface: 'requirements' }],
    send: ['[data-cg-send]', 'button[type="submit" i]', '[data-testid*="send" i]', 'button[aria-label*="send" i]'],
    // The chat composers send on Enter (Shift+Enter adds a line).
    sendKeys: [{ composer: '[class*="message" i], [class*="inbox" i], [class*="conversation" i], [class*="chat" i]', keys: ['Enter'] }],
    ruleUrl: 'https://www.fiverr.com/terms_of_service',
  },
  {
    id: 'mock',
    hosts: ['127.0.0.1', 'localhost'],
    paths: null,
    surfaces: [EXPLICIT_SURFACE, { selector: '[data-surface]', attribute: 'data-surface' }],
    pathSurfaces: [],
    send: ['[data-cg-send]', 'button[type="submit" i]'],
    ruleUrl: 'https://www.fiverr.com/terms_of_service',
  },
]);

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
