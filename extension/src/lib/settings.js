// Settings in chrome.storage.local: {port, token, disabledSites, allow}. One normalizer for what
// is read (anything may be in storage) and one validator for what an extension page asks to write.

export const DEFAULT_PORT = 47821;

export const DEFAULT_SETTINGS = Object.freeze({
  port: DEFAULT_PORT,
  token: '',
  disabledSites: Object.freeze([]),
  allow: Object.freeze({}),
  enabledSites: Object.freeze([]),
});

const TOKEN_RE = /^[0-9a-f]{64}$/;
const CHANNEL_RE = /^[a-z0-9][a-z0-9_.-]{0,63}$/;
const HOST_RE = /^[a-z0-9.-]{1,253}$/;

export function isValidPort(port) {
  return Number.isInteger(port) && port >= 1 && port <= 65535;
}

/** A pasted token, trimmed and lower-cased; "" when it is not 64 hex digits. */
export function cleanToken(text) {
  const token = String(text ?? '').trim().toLowerCase();
  return TOKEN_RE.test(token) ? token : '';
}

/** Channel names as typed ("Zoom, video call") → ["zoom", "video_call"], invalid ones left out. */
export function parseChannels(text) {
  const channels = String(text ?? '')
    .split(/[,\n]/)
    .map((c) => c.trim().toLowerCase().replace(/\s+/g, '_'))
    .filter((c) => CHANNEL_RE.test(c));
  return [...new Set(channels)];
}

function cleanAllow(raw) {
  const allow = {};
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return allow;
  for (const [orderKey, channels] of Object.entries(raw)) {
    if (!orderKey || !Array.isArray(channels)) continue;
    const kept = parseChannels(channels.join(','));
    if (kept.length) allow[orderKey] = kept;
  }
  return allow;
}

/** Settings as stored, with defaults for anything missing or malformed. */
export function normalizeSettings(raw = {}) {
  return {
    port: isValidPort(raw.port) ? raw.port : DEFAULT_PORT,
    // Whatever token was stored is offered to the companion, which alone decides if it is right.
    token: typeof raw.token === 'string' ? raw.token.trim().slice(0, 512) : '',
    disabledSites: Array.isArray(raw.disabledSites)
      ? [...new Set(raw.disabledSites.map((h) => String(h).toLowerCase()).filter((h) => HOST_RE.test(h)))]
      : [],
    allow: cleanAllow(raw.allow),
    enabledSites: Array.isArray(raw.enabledSites)
      ? [...new Set(raw.enabledSites.map(siteOrigin).filter(Boolean))]
      : [],
  };
}

/**
 * The origin ("https://example.com", "http://127.0.0.2:8080") of a web page URL or origin that
 * the user may enable Contact Guard on; null for anything else (extension pages, file:, data:).
 */
export function siteOrigin(url) {
  try {
    const { protocol, origin } = new URL(String(url));
    return protocol === 'https:' || protocol === 'http:' ? origin : null;
  } catch {
    return null;
  }
}

/** The match pattern of an origin (ports are left out: a pattern matches every port). */
export function originPattern(origin) {
  const { protocol, hostname } = new URL(origin);
  return `${protocol}//${hostname}/*`;
}

/**
 * Validates a change asked for by an extension page. Returns {patch} with only valid keys, or
 * {error} naming the first bad one (nothing is written then).
 */
export function validatePatch(patch) {
  if (!patch || typeof patch !== 'object') return { error: 'settings change must be an object' };
  const clean = {};
  for (const [key, value] of Object.entries(patch)) {
    switch (key) {
      case 'port':
        if (!isValidPort(value)) return { error: 'port must be a whole number from 1 to 65535' };
        clean.port = value;
        break;
      case 'token':
        if (value !== '' && !cleanToken(value)) return { error: 'the pairing token is 64 hexadecimal characters' };
        clean.token = cleanToken(value);
        break;
      case 'disabledSites':
        if (!Array.isArray(value)) return { error: 'disabledSites must be a list of hostnames' };
        clean.disabledSites = normalizeSettings({ disabledSites: value }).disabledSites;
        break;
      case 'allow':
        clean.allow = cleanAllow(value);
        break;
      default:
        return { error: `unknown setting "${key}"` };
    }
  }
  return { patch: clean };
}

export function isSiteDisabled(settings, hostname) {
  return settings.disabledSites.includes(String(hostname).toLowerCase());
}

export function allowFor(settings, orderKey) {
  return settings.allow[orderKey] ?? [];
}
