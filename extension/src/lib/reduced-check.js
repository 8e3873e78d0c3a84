// The reduced check: what the extension catches by itself whenever the companion's analysis is
// not available (the companion away, not paired, not verified, refusing this browser...) — plain
// email addresses, phone-number shapes and links to known messengers, chat/call/payment pages. Its
// rules are generated from the engine's own data (offline-rules.js). Findings have the engine's
// shape, always `block` (the guards confirm before sending them), with `reduced: true` so the
// dialogs can say that only the reduced check ran. Pure: no DOM, no chrome.*, nothing kept.

import OFFLINE_RULES from './offline-rules.js';

export const REDUCED_REASONS = Object.freeze({
  email: 'This looks like an email address.',
  phone: 'This looks like a phone number.',
  link: 'This links to an off-platform contact, call or payment page.',
});

/**
 * One line for the dialogs: that the check was smaller than usual, and why (`reason`: the state's
 * own short words, lib/status.js REDUCED_CHECK_REASONS).
 */
export function reducedNote(reason) {
  return `Reduced check (${reason}): only plain email addresses, phone numbers and messenger links were looked for.`;
}

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function compile(rules) {
  const tlds = new Set(rules.email.tlds);
  const reservedTlds = new Set(rules.email.reservedTlds);
  const reservedDomains = new Set(rules.email.reservedDomains);
  const hosts = [...new Set(rules.links.map((l) => l.host))].sort((a, b) => b.length - a.length);
  return {
    rules,
    tlds,
    reservedTlds,
    reservedDomains,
    // local@domain: the local part is not glued to a preceding word character.
    email: /(?<![\w.%+-])[a-z0-9](?:[a-z0-9._%+-]{0,62}[a-z0-9_%+-])?@((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+([a-z]{2,24}))(?![\w-]|\.[a-z0-9])/gi,
    // Digit groups with single blanks, dots, dashes or brackets between them; an optional "+".
    // Bounded group sizes and counts keep the scan linear on any input.
    phone: /(?<![\w+.-])(\+[ ]?)?\(?\d{1,15}\)?(?:[ .-]{1,2}\(?\d{1,15}\)?){0,7}(?![\w-]|\.\d)/g,
    link: new RegExp(
      `(?<![\\w.@-])(?:https?://)?(?:www\\.)?(${hosts.map(escape).join('|')})((?:/[^\\s<>"')\\]]*)?)`, 'gi'),
    byHost: rules.links.reduce((map, l) => {
      const path = l.path === '' ? null : new RegExp(l.path, 'i');
      return map.set(l.host, [...(map.get(l.host) ?? []), { channel: l.channel, path }]);
    }, new Map()),
  };
}

let compiled = null;

function finding(kind, start, end, rules, channel = null) {
  return {
    kind, severity: 'block', start, end, rule: `reduced.${kind}`, channel,
    reason: REDUCED_REASONS[kind], suggestion: null, mask: rules.mask, reduced: true,
  };
}

function emails(text, c, out) {
  for (const m of text.matchAll(c.email)) {
    const domain = m[1].toLowerCase();
    const tld = m[2].toLowerCase();
    if (!c.tlds.has(tld) || c.reservedTlds.has(tld) || c.reservedDomains.has(domain)) continue;
    out.push(finding('email', m.index, m.index + m[0].length, c.rules, 'email'));
  }
}

function phones(text, c, out) {
  const { min_digits_international: minPlus, min_digits_plain: minPlain, max_digits: max } = c.rules.phone;
  for (const m of text.matchAll(c.phone)) {
    const digits = m[0].replace(/\D/g, '').length;
    const international = Boolean(m[1]);
    if (digits > max || digits < (international ? minPlus : minPlain)) continue;
    // "2024-05-12 10:30" style dates and times are not numbers to call.
    if (/^\d{4}-\d{2}-\d{2}/.test(m[0])) continue;
    out.push(finding('phone', m.index, m.index + m[0].length, c.rules, 'phone'));
  }
}

function links(text, c, out) {
  for (const m of text.matchAll(c.link)) {
    const host = m[1].toLowerCase();
    const path = m[2].replace(/[.,;:!?]+$/, '');
    const link = c.byHost.get(host).find((l) => !l.path || l.path.test(path));
    if (!link) continue;
    out.push(finding('link', m.index, m.index + m[0].length - (m[2].length - path.length), c.rules, link.channel));
  }
}

/** The reduced check's findings on `text`, in text order (UTF-16 offsets), none overlapping. */
export function reducedFindings(text, rules = OFFLINE_RULES) {
  if (!compiled || compiled.rules !== rules) compiled = compile(rules);
  const found = [];
  emails(text, compiled, found);
  links(text, compiled, found);
  phones(text, compiled, found);
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept = [];
  for (const f of found) if (!kept.length || f.start >= kept.at(-1).end) kept.push(f);
  return kept;
}
