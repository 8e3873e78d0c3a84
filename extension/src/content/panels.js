// The banner/card beside a composer (what was found, why, a suggestion, Mask / Ignore here / rule
// link) and the two confirmations (guarded paste, guarded send). Plain DOM inside the overlay's
// shadow root; text is always set with textContent.

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

const EXCERPT_MAX = 60;
const MAX_CARDS = 3;
const RANK = Object.freeze({ info: 0, warn: 1, block: 2 });

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

/** Places a panel below `anchor` (a composer's rect), or above it when there is no room below. */
export function placeNear(panel, anchor) {
  const place = `${anchor.left}|${anchor.top}|${anchor.bottom}|${innerWidth}|${innerHeight}`;
  if (panel.cgPlace === place) return; // nothing moved: no layout read, no style write
  panel.cgPlace = place;
  const height = panel.offsetHeight;
  const width = panel.offsetWidth;
  const below = anchor.bottom + 6;
  const top = below + height <= innerHeight || anchor.top - height - 6 < 0 ? below : anchor.top - height - 6;
  panel.style.top = `${Math.max(4, Math.min(top, innerHeight - height - 4))}px`;
  panel.style.left = `${Math.max(4, Math.min(anchor.left, innerWidth - width - 4))}px`;
}

function excerpt(text, finding) {
  const span = text.slice(finding.start, finding.end);
  return span.length > EXCERPT_MAX ? `${span.slice(0, EXCERPT_MAX - 1)}…` : span;
}

/** Identity of what a banner shows, so it is rebuilt only when that changes. */
function bannerSignature(verdict, findings, text) {
  return JSON.stringify([verdict, findings.map((f) => [f.start, f.end, f.rule, f.severity, excerpt(text, f)])]);
}

/**
 * Shows (or updates) the banner in `layer`. `handlers.mask(finding)` / `handlers.ignore(finding)`
 * run on the buttons, `handlers.leave()` on Escape. Returns the banner element.
 */
export function showBanner(layer, { verdict, findings, text, ruleUrl, anchor, collapsed }, handlers, signal) {
  let banner = layer.querySelector(':scope > .cg-banner');
  const signature = bannerSignature(verdict, findings, text);
  if (!banner || banner.dataset.signature !== signature) {
    banner?.remove();
    banner = element('div', 'cg-banner');
    banner.dataset.verdict = verdict;
    banner.dataset.signature = signature;
    banner.setAttribute('role', 'region');
    banner.setAttribute('aria-label', 'Contact Guard');
    banner.append(element('p', 'cg-title', TITLES[verdict] ?? TITLES.info));
    const shown = cardsFor(findings);
    for (const finding of shown) banner.append(findingCard(finding, text, ruleUrl, handlers, signal));
    if (findings.length > shown.length) {
      banner.append(element('p', 'cg-more', `${findings.length - shown.length} more underlined in the text`));
    }
    keepComposerFocus(banner, signal);
    banner.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      handlers.leave();
    }, { signal });
    layer.append(banner);
  }
  // Only the focused composer's banner shows its cards; others shrink to their title line so
  // they cover as little of the page as possible.
  if (banner.hasAttribute('data-collapsed') !== collapsed) {
    banner.toggleAttribute('data-collapsed', collapsed);
    banner.cgPlace = null;
  }
  placeNear(banner, anchor);
  return banner;
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

function findingCard(finding, text, ruleUrl, handlers, signal) {
  const card = element('div', 'cg-finding');
  card.dataset.kind = finding.kind;
  card.dataset.severity = finding.severity;
  const head = element('div');
  head.append(element('span', 'cg-kind', `${KIND_LABELS[finding.kind] ?? 'Finding'}: `), element('q', 'cg-excerpt', excerpt(text, finding)));
  card.append(head);
  if (finding.reason) card.append(element('p', 'cg-reason', finding.reason));
  if (finding.suggestion) card.append(element('p', 'cg-suggestion', `Suggestion: ${finding.suggestion}`));
  const actions = element('div', 'cg-actions');
  if (finding.mask !== null) {
    const mask = button('mask', 'Mask', finding.severity === 'block');
    mask.title = `Replace with ${finding.mask}`;
    mask.addEventListener('click', () => handlers.mask(finding), { signal });
    actions.append(mask);
  }
  const ignore = button('ignore', 'Ignore here');
  ignore.title = 'Stop flagging this in this field until it changes';
  ignore.addEventListener('click', () => handlers.ignore(finding), { signal });
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
 * A confirmation in `layer`, next to `anchor`: resolves with the chosen button's action, or with
 * `cancelAction` on Escape or when `signal` aborts. The primary button gets the focus.
 */
export function askChoice(layer, { className, title, lines, buttons, cancelAction, anchor, note = null }, signal) {
  layer.querySelector(`:scope > .${className}`)?.remove();
  const panel = element('div', className);
  panel.setAttribute('role', 'alertdialog');
  panel.setAttribute('aria-label', title);
  panel.append(element('p', 'cg-title', title));
  for (const line of lines) panel.append(element('p', 'cg-reason', line));
  // The reduced check ran (companion away): say so, and mark the dialog for styling and tests.
  if (note) {
    panel.dataset.check = 'reduced';
    panel.append(element('p', 'cg-note', note));
  }
  const actions = element('div', 'cg-actions');
  const nodes = buttons.map(({ action, label, primary }) => button(action, label, primary));
  actions.append(...nodes);
  panel.append(actions);
  layer.append(panel);
  placeNear(panel, anchor);
  (nodes.find((n) => n.classList.contains('cg-primary')) ?? nodes[0]).focus({ preventScroll: true });
  return new Promise((resolve) => {
    const local = new AbortController();
    const done = (action) => {
      local.abort();
      panel.remove();
      resolve(action);
    };
    const options = { signal: local.signal };
    for (const node of nodes) node.addEventListener('click', () => done(node.dataset.action), options);
    panel.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        done(cancelAction);
      }
    }, options);
    signal.addEventListener('abort', () => done(cancelAction), { once: true, signal: local.signal });
  });
}
