// Content-script entry (an ES module imported by loader.js). Wires the units; each takes the one
// AbortSignal, so aborting it (extension reloaded or removed) removes every listener, observer,
// timer and painted node.

import { ENABLED_SITE } from '../lib/site-profiles.js';
import { coversPath, siteForHost, watchesComposer } from '../lib/sites.js';
import * as composers from './composers.js';
import * as fieldsUnit from './fields.js';
import * as messagingUnit from './messaging.js';
import * as overlayUnit from './overlay.js';
import * as pasteGuard from './paste-guard.js';
import * as sendGuard from './send-guard.js';
import * as treesUnit from './trees.js';

const RUNNING = Symbol.for('contact-guard.running');

export function start() {
  if (globalThis[RUNNING]) return globalThis[RUNNING];
  // A same-origin parent frame's script watches this document (one overlay and chip per tab).
  if (treesUnit.handledByParent()) return null;
  // Injected only where a profile matches (manifest) or where the user enabled Contact Guard.
  const site = siteForHost(location.hostname) ?? ENABLED_SITE;
  const controller = new AbortController();
  const { signal } = controller;
  globalThis[RUNNING] = controller;
  signal.addEventListener('abort', () => delete globalThis[RUNNING], { once: true });

  let fields = null;
  const messaging = messagingUnit.init(signal, {
    message: (message) => fields?.receive(message),
    reconnected: () => fields?.resendAll(),
    inUse: () => Boolean(fields?.focusedField()),
    orphaned: () => controller.abort(),
  });
  // The document, its open shadow roots and its same-origin frames; each unit subscribes to the
  // trees before start() walks them.
  let overlay = null;
  const trees = treesUnit.init(signal, { ignore: (node) => overlay?.owns(node) });
  // The site's send controls count as controls even where they are not focusable (Fiverr's inbox
  // sends from a plain span): no card may cover them.
  overlay = overlayUnit.init(signal, { trees, sendControls: site.send });
  fields = fieldsUnit.init(signal, { overlay, messaging, site, trees });
  // The site's paths decide where composers are watched (its floating chat boxes: everywhere);
  // single-page navigation is rechecked.
  let onSitePath = coversPath(site, location.pathname);
  const watcher = composers.init(signal, {
    trees,
    accept: (element) => !overlay.owns(element) && watchesComposer(element, site, onSitePath),
    added: (element) => fields.add(element),
    removed: (element) => fields.remove(element),
  });
  let lastPath = location.pathname;
  const checkPath = () => {
    if (location.pathname === lastPath) return;
    lastPath = location.pathname;
    onSitePath = coversPath(site, location.pathname);
    watcher.recheck();
  };
  window.addEventListener('popstate', checkPath, { signal });
  const pathTimer = setInterval(checkPath, 1000);
  signal.addEventListener('abort', () => clearInterval(pathTimer), { once: true });

  pasteGuard.init(signal, { fields, trees });
  sendGuard.init(signal, { fields, trees });
  trees.start();
  return controller;
}
