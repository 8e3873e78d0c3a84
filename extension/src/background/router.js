// The single message router. Two trust tiers, decided by who opened the port:
//  - "cg-content" ports from this extension's own content scripts (a web page's tab, our id):
//    page-facing requests only (analyze, activity, forget);
//  - "cg-page" ports from this extension's own pages (options, popup): status queries and the only
//    way to change settings.
// Anything else is disconnected. Field ids on the wire are made unique per content port.

import { analyzeMessage, pingMessage } from '../lib/protocol.js';
import { SURFACES, siteForHost } from '../lib/sites.js';
import { allowFor, isSiteDisabled, validatePatch } from '../lib/settings.js';
import { STATUS, tabStatus } from '../lib/status.js';
import { showTabStatus } from './badge.js';
import { disableSite, enableSite } from './site-access.js';

const PING_INTERVAL_MS = 20000;
/** A composer counts as active this long after its last focus or input. */
const ACTIVITY_WINDOW_MS = 60000;
const MAX_FIELD_KEY = 200;
const MAX_ALLOW = 32; // the protocol's limit on allow entries

const extensionOrigin = () => chrome.runtime.getURL('');

export function isExtensionPage(sender) {
  return sender?.id === chrome.runtime.id && typeof sender.url === 'string' && sender.url.startsWith(extensionOrigin());
}

export function isOwnContentScript(sender) {
  return sender?.id === chrome.runtime.id && Number.isInteger(sender.tab?.id) &&
    typeof sender.url === 'string' && /^https?:\/\//.test(sender.url) && !sender.url.startsWith(extensionOrigin());
}

export class Router {
  #link;
  #settings;
  #contentPorts = new Map(); // port -> {tabId, hostname, serial, fields: Map<key, wireId>, active: Set<key>}
  #pagePorts = new Set();
  #fields = new Map(); // wireId -> {port, key, latest, tooLong}
  #serial = 0;
  #lastActivity = 0;
  #shownStatus = new Map(); // tabId -> status on the badge

  constructor({ link, settings }) {
    this.#link = link;
    this.#settings = settings;
    setInterval(() => this.#keepAlive(), PING_INTERVAL_MS);
  }

  /**
   * A port from a content script or an extension page. `held`: what it sent before the router
   * existed (a content script resends its fields the moment it reaches a restarted background).
   */
  accept(port, held = []) {
    if (port.name === 'cg-content' && isOwnContentScript(port.sender)) {
      this.#acceptContent(port);
      for (const message of held) this.#fromContent(port, message);
    } else if (port.name === 'cg-page' && isExtensionPage(port.sender)) {
      this.#acceptPage(port);
      for (const message of held) void this.#fromPage(port, message);
    } else {
      port.disconnect();
    }
  }

  /** Whether a composer is in use (focused, or used within the last minute): reconnect quickly then. */
  composerActive() {
    return [...this.#contentPorts.values()].some((entry) => entry.active.size > 0) ||
      Date.now() - this.#lastActivity < ACTIVITY_WINDOW_MS;
  }

  /** Settings changed in storage (from the options page or anywhere else). */
  settingsChanged(settings) {
    this.#settings = settings;
    for (const port of this.#contentPorts.keys()) this.#sendStatus(port);
    // An approved channel or a site switched back on changes the answers: check every live field again.
    for (const field of this.#fields.values()) {
      const entry = this.#contentPorts.get(field.port);
      if (!field.latest || !entry) continue;
      field.latest = { ...field.latest, allow: allowFor(settings, entry.orderKey).slice(0, MAX_ALLOW) };
      if (!field.latest.allow.length) delete field.latest.allow;
      if (!field.tooLong && !isSiteDisabled(settings, entry.hostname)) this.#link.send(field.latest);
    }
    this.#refreshBadges();
    this.#pushToPages();
  }

  /** The companion's connection changed state. After a (re)connect, resend each live field's latest revision. */
  linkChanged() {
    if (this.#link.ready) {
      for (const field of this.#fields.values()) {
        const entry = this.#contentPorts.get(field.port);
        if (field.latest && !field.tooLong && entry && !isSiteDisabled(this.#settings, entry.hostname)) {
          this.#link.send(field.latest);
        }
      }
    }
    for (const port of this.#contentPorts.keys()) this.#sendStatus(port);
    this.#refreshBadges();
    this.#pushToPages();
  }

  /** A message from the companion (findings, error, pong). */
  companionMessage(message) {
    if (message.type !== 'findings' && message.type !== 'error') return;
    const field = typeof message.field === 'string' ? this.#fields.get(message.field) : undefined;
    if (!field) return;
    if (message.type === 'findings') {
      this.#post(field.port, {
        type: 'findings', field: field.key, revision: message.revision,
        verdict: message.verdict, findings: message.findings,
      });
    } else {
      if (message.code === 'text_too_long') this.#setTooLong(field, true);
      this.#post(field.port, { type: 'field-error', field: field.key, revision: message.revision ?? null, code: message.code });
    }
  }

  // ---- content scripts ------------------------------------------------------------------------

  #acceptContent(port) {
    const url = new URL(port.sender.url);
    this.#contentPorts.set(port, {
      tabId: port.sender.tab.id, hostname: url.hostname, serial: ++this.#serial,
      // The marketplace's name for the engine's rewordings (none on a site the user enabled).
      platform: siteForHost(url.hostname)?.platform ?? null,
      fields: new Map(), active: new Set(), orderKey: url.pathname,
    });
    port.onMessage.addListener((message) => this.#fromContent(port, message));
    port.onDisconnect.addListener(() => this.#contentGone(port));
    // A page with composers opened: look for the companion now rather than after the idle back-off.
    if (!this.#link.ready) this.#link.kick();
    this.#sendStatus(port);
    this.#refreshBadges();
  }

  #fromContent(port, message) {
    const entry = this.#contentPorts.get(port);
    const key = message?.field;
    if (!entry || typeof key !== 'string' || !key || key.length > MAX_FIELD_KEY) return;
    switch (message.type) {
      case 'analyze':
        return this.#analyze(port, entry, key, message);
      case 'too-long':
        return this.#setTooLong(this.#fieldOf(port, entry, key), true);
      case 'active':
        entry.active.add(key);
        this.#lastActivity = Date.now();
        if (!this.#link.ready) this.#link.kick();
        return undefined;
      case 'idle':
        entry.active.delete(key);
        return undefined;
      case 'forget':
        return this.#forget(entry, key);
      default:
        return undefined;
    }
  }

  #analyze(port, entry, key, message) {
    const { revision, text, surface } = message;
    if (!Number.isInteger(revision) || typeof text !== 'string' || !SURFACES.includes(surface)) return;
    this.#lastActivity = Date.now();
    if (typeof message.orderKey === 'string') entry.orderKey = message.orderKey;
    const field = this.#fieldOf(port, entry, key);
    if (field.tooLong) this.#setTooLong(field, false);
    field.latest = analyzeMessage({
      field: field.wireId, revision, text, surface,
      allow: allowFor(this.#settings, entry.orderKey).slice(0, MAX_ALLOW), pasted: message.pasted === true,
      platform: entry.platform,
    });
    // On a switched-off site the text is only kept (checked when the site is switched back on).
    if (isSiteDisabled(this.#settings, entry.hostname)) return;
    if (!this.#link.send(field.latest)) this.#link.kick();
  }

  #fieldOf(port, entry, key) {
    let wireId = entry.fields.get(key);
    if (!wireId) {
      wireId = `${entry.tabId}.${entry.serial}.${key}`;
      entry.fields.set(key, wireId);
      this.#fields.set(wireId, { port, key, wireId, latest: null, tooLong: false, tabId: entry.tabId });
    }
    return this.#fields.get(wireId);
  }

  #forget(entry, key) {
    const wireId = entry.fields.get(key);
    entry.fields.delete(key);
    entry.active.delete(key);
    if (wireId) this.#fields.delete(wireId);
    this.#refreshBadges();
  }

  #contentGone(port) {
    const entry = this.#contentPorts.get(port);
    if (!entry) return;
    for (const key of [...entry.fields.keys()]) this.#forget(entry, key);
    this.#contentPorts.delete(port);
    this.#refreshBadges();
  }

  #setTooLong(field, tooLong) {
    if (!field || field.tooLong === tooLong) return;
    field.tooLong = tooLong;
    this.#refreshBadges();
  }

  #connectionStatus() {
    return this.#link.state ?? STATUS.offline;
  }

  #sendStatus(port) {
    const entry = this.#contentPorts.get(port);
    if (!entry || this.#link.state === null) return;
    const status = isSiteDisabled(this.#settings, entry.hostname) ? STATUS.disabled : this.#connectionStatus();
    this.#post(port, { type: 'status', status });
  }

  #keepAlive() {
    if (this.composerActive()) this.#link.send(pingMessage());
  }

  // ---- per-tab status ------------------------------------------------------------------------

  statusOfTab(tabId) {
    const entries = [...this.#contentPorts.values()].filter((e) => e.tabId === tabId);
    if (!entries.length) return null;
    const top = entries[0];
    const tooLong = [...this.#fields.values()].some((f) => f.tabId === tabId && f.tooLong);
    return {
      status: tabStatus({
        disabled: isSiteDisabled(this.#settings, top.hostname), connection: this.#connectionStatus(), tooLong,
      }),
      hostname: top.hostname,
      orderKey: top.orderKey,
    };
  }

  #refreshBadges() {
    const tabIds = new Set([...this.#contentPorts.values()].map((e) => e.tabId));
    for (const tabId of [...this.#shownStatus.keys()]) {
      if (!tabIds.has(tabId)) {
        this.#shownStatus.delete(tabId);
        showTabStatus(tabId, STATUS.disabled); // no content script there: a blank badge
      }
    }
    for (const tabId of tabIds) {
      const { status } = this.statusOfTab(tabId);
      if (this.#shownStatus.get(tabId) === status) continue;
      this.#shownStatus.set(tabId, status);
      showTabStatus(tabId, status);
    }
  }

  // ---- extension pages -----------------------------------------------------------------------

  #acceptPage(port) {
    // Someone is looking at the pairing state: try the companion now rather than after the backoff.
    if (!this.#link.ready) this.#link.kick();
    this.#pagePorts.add(port);
    port.onMessage.addListener((message) => this.#fromPage(port, message));
    port.onDisconnect.addListener(() => this.#pagePorts.delete(port));
  }

  async #fromPage(port, message) {
    switch (message?.type) {
      case 'subscribe':
        return this.#post(port, this.#pageState());
      case 'tab-status':
        return this.#post(port, { type: 'tab-status', tabId: message.tabId, ...this.statusOfTab(message.tabId) });
      case 'enable-site':
        return this.#post(port, { type: 'site-result', id: message.id, ...await enableSite(message.url, message.tabId) });
      case 'disable-site':
        return this.#post(port, { type: 'site-result', id: message.id, ...await disableSite(message.url) });
      case 'settings': {
        const { patch, error } = validatePatch(message.patch);
        if (!error) await chrome.storage.local.set(patch);
        return this.#post(port, { type: 'settings-result', id: message.id, ok: !error, error: error ?? null });
      }
      default:
        return undefined;
    }
  }

  #pageState() {
    return { type: 'state', connection: this.#connectionStatus(), settings: this.#settings };
  }

  #pushToPages() {
    for (const port of this.#pagePorts) this.#post(port, this.#pageState());
  }

  #post(port, message) {
    try {
      port.postMessage(message);
    } catch {
      // The other end went away; its onDisconnect cleans up.
    }
  }
}
