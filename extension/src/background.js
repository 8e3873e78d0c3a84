// Background (service worker in Chrome, event page script in Firefox). Everything is wired at the
// top level so a restarted worker reconnects to the companion at once and catches early ports.

import { CompanionLink } from './background/companion-link.js';
import { Router } from './background/router.js';
import { restoreSites } from './background/site-access.js';
import { normalizeSettings } from './lib/settings.js';

const version = chrome.runtime.getManifest().version;

// Settings (with the pairing token) are for extension pages and this worker only: where the
// browser allows it (recent Chrome), content scripts cannot even read storage.local. Elsewhere the
// router still refuses settings changes from content scripts.
Promise.resolve()
  .then(() => chrome.storage.local.setAccessLevel({ accessLevel: 'TRUSTED_CONTEXTS' }))
  .catch(() => {});
let router = null;
// Ports that came before the router, each with what it sent meanwhile (at most EARLY_MESSAGES).
const earlyPorts = [];
const EARLY_MESSAGES = 200;

const link = new CompanionLink({
  client: `contact-guard-extension/${version}`,
  onState: () => router?.linkChanged(),
  onMessage: (message) => router?.companionMessage(message),
  isActive: () => router?.composerActive() ?? false,
});

const started = start();

// Ports can arrive before settings are read; they are accepted once the router exists, with what
// they sent meanwhile: a content script reaching a restarted background resends its fields at once,
// and a message without a listener is lost (the text typed during an outage was never re-checked).
chrome.runtime.onConnect.addListener((port) => {
  if (router) {
    router.accept(port);
    return;
  }
  const early = { port, held: [] };
  early.hold = (message) => {
    if (early.held.length < EARLY_MESSAGES) early.held.push(message);
  };
  port.onMessage.addListener(early.hold);
  earlyPorts.push(early);
  port.onDisconnect.addListener(() => {
    const index = earlyPorts.indexOf(early);
    if (index >= 0) earlyPorts.splice(index, 1);
  });
});

// A change may land while start() is still reading: it is applied (read afresh) once started.
chrome.storage.onChanged.addListener(async (_changes, area) => {
  if (area !== 'local') return;
  await started;
  const settings = await readSettings();
  link.configure(settings);
  router.settingsChanged(settings);
});

async function readSettings() {
  return normalizeSettings(await chrome.storage.local.get(null));
}

// Sites the user enabled: their content scripts (where the browser did not keep them).
restoreSites().catch(() => {});

async function start() {
  const settings = await readSettings();
  router = new Router({ link, settings });
  link.configure(settings);
  for (const { port, held, hold } of earlyPorts.splice(0)) {
    port.onMessage.removeListener(hold);
    router.accept(port, held);
  }
  router.linkChanged();
}

