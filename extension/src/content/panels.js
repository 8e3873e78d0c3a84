// The card beside a composer (what was found, why, a suggestion, Mask / Ignore here / rule link)
// and the two confirmations (guarded paste, guarded send). Plain DOM inside the overlay's shadow
// root; text is always set with textContent. Every panel is placed by the overlay where it covers
// none of the page's controls; a confirmation replaces the card of its composer while it waits.

import { RECHECK_MS } from './overlay.js';

const KIND_LABELS = Object.freeze({
  email: 'Email address',
  phone: 'Phone number',
  handle: 'Messenger or social handle',
  link: 'Off-platform link',
  offplatform_request: 'Request to move off the platform',
  payment: 'Off-platform payment',
  filter_risk: 'Wording the platform filter may hold',
});

const TITLES = Object.freeze({
  block: 'Contact details the platform does not allow',
  warn: 'This may move the conversation off the platform',
  info: 'Heads-up',
});

/** The keyboard shortcut from a composer to its card (also in the chip's and the card's labels). */
export const CARD_SHORTCUT = 'Alt+ArrowDown';

const EXCERPT_MAX = 60;
const MAX_CARDS = 3;
const RANK = Object.freeze({ info: 0, warn: 1, block: 2 });
const DIALOGS = ':scope > .cg-paste-dialog, :scope > .cg-send-confirm';

let nextId = 0;
const uniqueId = (prefix) => `cg-${prefix}-${++nextId}`;

/** What a finding is called in a card and in announcements. */
export function kindLabel(kind) {
  return KIND_LABELS[kind] ?? 'Finding';
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function button(action, label, primary = false) {
  const node = element('button', primary ? 'cg-primary' : '', label);
  node.type = 'button';
  node.dataset.action = action;
  return node;
}

/** Keeps the composer focused (and its caret) when a panel is clicked with the mouse. */
function keepComposerFocus(panel, signal) {
  panel.addEventListener('mousedown', (event) => {
    if (!event.target.closest('a')) event.preventDefault();
  }, { signal });
}

function focusables(panel) {
  return [...panel.querySelectorAll('button, a[href]')].filter((node) => !node.closest('[hidden]'));
}

/**
 * Tab and Shift+Tab move through the panel's buttons; past either end `leave()` runs (a card hands
 * the focus back to its composer) or, with `leave` null, the focus wraps (a dialog keeps it).
 */
function cycleTab(panel, event, leave) {
  if (event.key !== 'Tab') return;
  const nodes = focusables(panel);
  if (!nodes.length) return;
  const current = nodes.indexOf(panel.getRootNode().activeElement);
  const next = current + (event.shiftKey ? -1 : 1);
  if (next >= 0 && next < nodes.length) return; // the browser's own Tab order inside the panel
  event.preventDefault();
  if (leave) leave();
  else nodes[(next + nodes.length) % nodes.length].focus();
}

function excerpt(text, finding) {
  const span = text.slice(finding.start, finding.end);
  return span.length > EXCERPT_MAX ? `${span.slice(0, EXCERPT_MAX - 1)}…` : span;
}

/** Identity of what a banner shows, so it is touched only when that changes. */
function bannerSignature(verdict, findings, text) {
  return JSON.stringify([verdict, findings.map((f) => [f.start, f.end, f.rule, f.severity, excerpt(text, f)])]);
}

/**
 * Identity of a banner's nodes: its verdict, and per card the finding's kind, severity, rule and
 * which parts it has. A banner with the same layout is updated in place (excerpts, offsets,
 * wording), so typing on inside a flagged address keeps its nodes and the focus of its buttons.
 */
function bannerLayout(verdict, shown, total) {
  return JSON.stringify([verdict, total > shown.length, shown.map((f) => [
    f.kind, f.severity, f.rule, f.mask !== null, Boolean(f.reason), Boolean(f.suggestion),
  ])]);
}

/**
 * Shows (or updates) the card of a composer in `layer`, or hides it. `mode`: 'open' (every finding
 * explained), 'collapsed' (a small marker in a corner of the composer, labelled by the card's
 * title for screen readers; pointing at it opens the card), 'hidden'. `asked`: the user asked for
 * it (hover, the caret on a mark, the shortcut), so it shows even where no spot is free; otherwise
 * a card that would cover a control of the page shrinks to its marker. The marker covers nothing
 * outside its composer and no text in it (`fieldText(spots)`: the composer's text lines near the
 * spots it may take) and is left out when every corner would. `handlers.mask(finding)` / `handlers.ignore(finding)` run on the
 * buttons, `handlers.leave()` on Escape or when Tab leaves the card. Returns the banner, or null.
 */
export function showBanner(layer, { verdict, findings, text, ruleUrl, anchor, mode, asked = false, fieldText = () => [] }, handlers, signal, overlay) {
  let banner = layer.querySelector(':scope > .cg-banner');
  if (mode === 'hidden') {
    banner?.remove();
    return null;
  }
  const signature = bannerSignature(verdict, findings, text);
  if (!banner || banner.dataset.signature !== signature) {
    const shown = cardsFor(findings);
    const layout = bannerLayout(verdict, shown, findings.length);
    if (banner?.dataset.layout === layout && keepsSize(banner, shown, findings.length, text)) {
      updateBanner(banner, shown, findings.length, text);
    } else {
      banner?.remove();
      banner = buildBanner(verdict, findings, shown, text, ruleUrl, handlers, signal);
      banner.dataset.layout = layout;
      banner.cgTexts = bannerTexts(shown, findings.length, text);
      layer.append(banner);
    }
    banner.dataset.signature = signature;
  }
  // A confirmation waiting in this layer stands in for the card.
  const replaced = Boolean(layer.querySelector(DIALOGS));
  banner.hidden = replaced;
  if (replaced) return banner;
  // An open card that had to shrink to its marker stays shrunk while its composer has not moved
  // and the spot was looked at less than RECHECK_MS ago: trying it open again on every repaint
  // would lay the card out twice per frame while the user types.
  const spot = [anchor.left, anchor.top, anchor.right, anchor.bottom].join('|');
  const shrunk = mode === 'open' && !asked && banner.cgShrunk?.spot === spot &&
    performance.now() - banner.cgShrunk.at < RECHECK_MS;
  const collapsed = mode === 'collapsed' || shrunk;
  setCollapsed(banner, overlay, collapsed);
  // A card shortened for this spot (below) stays so while it is asked for; anything else starts whole.
  const shortened = !collapsed && asked && banner.cgShortFor === spot;
  if (!shortened && banner.cgShortFor) {
    banner.cgShortFor = null;
    banner.style.maxHeight = '';
    overlay.replace(banner);
  }
  let { free } = collapsed ? overlay.placeMarker(banner, anchor, fieldText) : overlay.place(banner, anchor);
  if (!free && !asked && mode === 'open' && !shrunk) {
    setCollapsed(banner, overlay, true);
    ({ free } = overlay.placeMarker(banner, anchor, fieldText));
    banner.cgShrunk = { spot, at: performance.now() };
  }
  if (!free && asked && !collapsed && !shortened) free = placeShorter(banner, anchor, overlay, spot);
  // Nothing over the page's controls unless the user asked for the card (and not even then where
  // a shorter card fits: only a card asked for with no spot at all covers the least it can).
  banner.hidden = !free && !asked;
  return banner;
}

/**
 * An asked card with no room at a readable height (a small chat frame from another site, whose
 * card must stay inside it) may be as short as its title over one row of its buttons, which it
 * scrolls to (smallestHeight), and never shorter than this (px). Shorter than that it would show
 * nothing usable, and covers the least instead.
 */
const SMALLEST_PX = 44;
/** Room kept between the focused button and the edge of a scrolling card's view (px). */
const REVEAL_GAP = 4;

/** How much of the top of a scrolling card's view its sticky title covers (px). */
function titleCover(panel) {
  const title = panel.querySelector(':scope > .cg-title');
  if (!title) return 0;
  const style = getComputedStyle(title);
  if (style.position !== 'sticky') return 0;
  // A sticky offset counts from inside the panel's padding.
  return title.offsetHeight + (parseFloat(style.top) || 0) + parseFloat(getComputedStyle(panel).paddingTop);
}

/** The shortest `banner` may be when it scrolls: its borders, its title, one button and the gap. */
function smallestHeight(banner) {
  const style = getComputedStyle(banner);
  const borders = parseFloat(style.borderTopWidth) + parseFloat(style.borderBottomWidth);
  const button = banner.querySelector('button')?.offsetHeight ?? 0;
  return Math.max(SMALLEST_PX, Math.ceil(borders + titleCover(banner) + button + REVEAL_GAP));
}

/**
 * Places an asked-for `banner` that has no spot clear of the page's controls at its whole height
 * as the tallest shorter card that has one (measured on the page's geometry, not by laying the card
 * out at each height tried), which scrolls: its focused button scrolls into view.
 * Returns whether one fitted (else it is back to its whole height, covering the least).
 */
function placeShorter(banner, anchor, overlay, spot) {
  const whole = banner.offsetHeight;
  const height = overlay.tallestFree(banner, anchor, { min: smallestHeight(banner), max: whole - 1 });
  if (height !== null) {
    banner.style.maxHeight = `${height}px`;
    banner.cgShortFor = spot;
    overlay.replace(banner);
    if (overlay.place(banner, anchor).free) {
      const focused = banner.getRootNode().activeElement;
      if (focused && banner.contains(focused)) revealInside(banner, focused);
      return true;
    }
  }
  banner.style.maxHeight = '';
  banner.cgShortFor = null;
  overlay.replace(banner);
  return overlay.place(banner, anchor).free;
}

function setCollapsed(banner, overlay, collapsed) {
  if (banner.hasAttribute('data-collapsed') === collapsed) return;
  banner.toggleAttribute('data-collapsed', collapsed);
  overlay.restyled(banner, collapsed ? 'open' : 'collapsed', collapsed ? 'collapsed' : 'open');
}

function buildBanner(verdict, findings, shown, text, ruleUrl, handlers, signal) {
  const banner = element('div', 'cg-banner');
  banner.dataset.verdict = verdict;
  const title = element('p', 'cg-title', TITLES[verdict] ?? TITLES.info);
  title.id = uniqueId('title');
  banner.setAttribute('role', 'group');
  banner.setAttribute('aria-labelledby', title.id);
  banner.append(title);
  for (const finding of shown) banner.append(findingCard(finding, text, ruleUrl, handlers, signal));
  if (findings.length > shown.length) {
    banner.append(element('p', 'cg-more', moreLine(findings.length - shown.length)));
  }
  keepComposerFocus(banner, signal);
  // Focus moves in with preventScroll (the page must not scroll): a card shortened to fit (it
  // scrolls) shows its focused button itself.
  banner.addEventListener('focusin', (event) => revealInside(banner, event.target), { signal });
  banner.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      handlers.leave();
      return;
    }
    cycleTab(banner, event, handlers.leave);
  }, { signal });
  return banner;
}

/** Scrolls `panel` (only it) so that `node`, inside it, is in view, below the panel's sticky title. */
function revealInside(panel, node) {
  const box = panel.getBoundingClientRect();
  const r = node.getBoundingClientRect();
  const top = box.top + panel.clientTop + titleCover(panel);
  const bottom = box.top + panel.clientTop + panel.clientHeight;
  if (r.bottom > bottom) panel.scrollTop += r.bottom - bottom + REVEAL_GAP;
  else if (r.top < top) panel.scrollTop -= top - r.top + REVEAL_GAP;
}

/**
 * Which findings get a card: one per kind and severity first (so every kind found is explained),
 * then the most severe others, MAX_CARDS in all unless more kinds than that were found.
 */
function cardsFor(findings) {
  const bySeverity = [...findings].sort((a, b) => RANK[b.severity] - RANK[a.severity] || a.start - b.start);
  const chosen = new Set();
  const kinds = new Set();
  for (const finding of bySeverity) {
    const kind = `${finding.kind}/${finding.severity}`;
    if (!kinds.has(kind)) {
      kinds.add(kind);
      chosen.add(finding);
    }
  }
  for (const finding of bySeverity) {
    if (chosen.size >= MAX_CARDS) break;
    chosen.add(finding);
  }
  return findings.filter((f) => chosen.has(f));
}

/** The texts a banner of this layout shows for `shown`, in its order (see updateBanner). */
function bannerTexts(shown, total, text) {
  return [moreLine(total - shown.length), ...shown.flatMap((f) => [
    excerpt(text, f), f.reason ?? '', f.suggestion ? `Suggestion: ${f.suggestion}` : '',
  ])];
}

/**
 * Whether updating `banner` in place keeps every node where it is: only excerpts (set in a
 * monospace font) and the closing "more" line changed, each to a text of the same length. A banner
 * whose text grows is built anew instead: nodes moving inside a shown card count as a layout shift.
 */
function keepsSize(banner, shown, total, text) {
  const now = bannerTexts(shown, total, text);
  const before = banner.cgTexts;
  return before.length === now.length &&
    now.every((t, i) => t === before[i] || ((i === 0 || i % 3 === 1) && t.length === before[i].length));
}

/**
 * Brings a banner built for findings of the same layout up to date where keepsSize allows it:
 * each card's finding (what its buttons act on), offsets and excerpt, and the "more" line. Its size
 * stays: excerpts are monospace and the "more" line's digits of equal width (overlay-style.js), each
 * text as long as before, so it is not measured again (a forced layout per answer while typing).
 */
function updateBanner(banner, shown, total, text) {
  banner.cgTexts = bannerTexts(shown, total, text);
  const more = banner.querySelector(':scope > .cg-more');
  if (more && more.textContent !== banner.cgTexts[0]) more.textContent = banner.cgTexts[0];
  const cards = banner.querySelectorAll(':scope > .cg-finding');
  shown.forEach((finding, i) => {
    const card = cards[i];
    card.cgFinding = finding;
    card.dataset.start = String(finding.start);
    card.dataset.end = String(finding.end);
    const quote = card.querySelector('.cg-excerpt');
    const words = excerpt(text, finding);
    if (quote.textContent !== words) quote.textContent = words;
    const mask = card.querySelector('[data-action="mask"]');
    if (mask) mask.title = `Replace with ${finding.mask}`;
  });
}

function moreLine(count) {
  return `${count} more underlined in the text`;
}

function findingCard(finding, text, ruleUrl, handlers, signal) {
  const card = element('div', 'cg-finding');
  // The buttons act on the card's current finding: an update in place changes it (updateBanner).
  card.cgFinding = finding;
  card.dataset.kind = finding.kind;
  card.dataset.severity = finding.severity;
  card.dataset.start = String(finding.start);
  card.dataset.end = String(finding.end);
  card.setAttribute('role', 'group');
  const head = element('div', 'cg-head');
  head.id = uniqueId('finding');
  head.append(element('span', 'cg-kind', `${kindLabel(finding.kind)}: `), element('q', 'cg-excerpt', excerpt(text, finding)));
  card.setAttribute('aria-labelledby', head.id);
  card.append(head);
  const described = [head.id];
  if (finding.reason) {
    const reason = element('p', 'cg-reason', finding.reason);
    reason.id = uniqueId('reason');
    described.push(reason.id);
    card.append(reason);
  }
  if (finding.suggestion) card.append(element('p', 'cg-suggestion', `Suggestion: ${finding.suggestion}`));
  const actions = element('div', 'cg-actions');
  if (finding.mask !== null) {
    const mask = button('mask', 'Mask', finding.severity === 'block');
    mask.title = `Replace with ${finding.mask}`;
    mask.setAttribute('aria-describedby', described.join(' '));
    mask.addEventListener('click', () => handlers.mask(card.cgFinding), { signal });
    actions.append(mask);
  }
  const ignore = button('ignore', 'Ignore here');
  ignore.title = 'Stop flagging this in this field until it changes';
  ignore.setAttribute('aria-describedby', described.join(' '));
  ignore.addEventListener('click', () => handlers.ignore(card.cgFinding), { signal });
  const rule = element('a', '', 'Platform rule');
  rule.dataset.action = 'rule';
  rule.href = ruleUrl;
  rule.target = '_blank';
  rule.rel = 'noopener noreferrer';
  actions.append(ignore, rule);
  card.append(actions);
  return card;
}

export function removeBanner(layer) {
  layer.querySelector(':scope > .cg-banner')?.remove();
}

/**
 * A confirmation in `layer`, next to `anchor`, in place of the composer's card: resolves with the
 * chosen button's action, or with `cancelAction` on Escape or when `signal` aborts. The primary
 * button gets the focus; Tab stays inside the dialog. `note` (the reduced check ran) is shown under
 * the reasons.
 */
export function askChoice(layer, { className, title, lines, buttons, cancelAction, anchor, note = null }, signal, overlay) {
  layer.querySelector(`:scope > .${className}`)?.remove();
  const panel = element('div', className);
  panel.setAttribute('role', 'alertdialog');
  const heading = element('p', 'cg-title', title);
  heading.id = uniqueId('dialog');
  panel.setAttribute('aria-labelledby', heading.id);
  panel.append(heading);
  const described = [];
  for (const line of lines) {
    const reason = element('p', 'cg-reason', line);
    reason.id = uniqueId('dialog-line');
    described.push(reason.id);
    panel.append(reason);
  }
  // The reduced check ran (companion away): say so, and mark the dialog for styling and tests.
  if (note) {
    panel.dataset.check = 'reduced';
    const reduced = element('p', 'cg-note', note);
    reduced.id = uniqueId('dialog-note');
    described.push(reduced.id);
    panel.append(reduced);
  }
  if (described.length) panel.setAttribute('aria-describedby', described.join(' '));
  const actions = element('div', 'cg-actions');
  const nodes = buttons.map(({ action, label, primary }) => button(action, label, primary));
  actions.append(...nodes);
  panel.append(actions);
  const banner = layer.querySelector(':scope > .cg-banner');
  if (banner) banner.hidden = true; // the dialog replaces the card, it never stacks on it
  layer.append(panel);
  overlay.place(panel, anchor);
  (nodes.find((n) => n.classList.contains('cg-primary')) ?? nodes[0]).focus({ preventScroll: true });
  return new Promise((resolve) => {
    const local = new AbortController();
    const done = (action) => {
      local.abort();
      panel.remove();
      // The card comes back (placed again) once no confirmation is waiting.
      if (banner && !layer.querySelector(DIALOGS)) {
        banner.hidden = false;
        overlay.replace(banner);
      }
      resolve(action);
    };
    const options = { signal: local.signal };
    for (const node of nodes) node.addEventListener('click', () => done(node.dataset.action), options);
    panel.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        done(cancelAction);
        return;
      }
      cycleTab(panel, event, null);
    }, options);
    signal.addEventListener('abort', () => done(cancelAction), { once: true, signal: local.signal });
  });
}
