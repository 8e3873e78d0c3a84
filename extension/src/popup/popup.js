// Popup: this tab's status (connected, companion not running, not paired, text too long,
// disabled), the site switch and the approved channels for this tab's order.

import { originPattern, parseChannels, siteOrigin } from '../lib/settings.js';
import { siteForHost } from '../lib/sites.js';
import { STATUS, STATUS_LABELS } from '../lib/status.js';
import { BackgroundPort } from '../ui/background-port.js';

const $ = (id) => document.getElementById(id);
let settings = null;
let tab = null; // {status, hostname, orderKey} of the active tab, when it has a content script
let target = null; // the browser tab the popup is about: {id, url}

const background = new BackgroundPort(async (state) => {
  settings = state.settings;
  await refresh(state.connection);
});

/**
 * The tab the popup is about: the active tab (the toolbar button; activeTab lets us read its
 * address), or `?tab=<id>&url=<address>` when the popup is opened as a page of its own by someone
 * who knows both (the e2e suite): the browser's permission prompt still names the real origin, and
 * the background only injects where that permission was granted.
 */
async function targetTab() {
  const query = new URLSearchParams(location.search);
  const id = Number(query.get('tab'));
  if (Number.isInteger(id) && id > 0) {
    const given = await chrome.tabs.get(id).catch(() => null);
    return given && { ...given, url: given.url ?? query.get('url') ?? undefined };
  }
  const [active] = await chrome.tabs.query({ active: true, currentWindow: true });
  return active ?? null;
}

async function refresh(connection) {
  const active = await targetTab();
  target = active ? { id: active.id, url: active.url } : null;
  tab = active ? await background.tabStatus(active.id) : null;
  showSiteAccess();
  const status = tab?.status ?? connection;
  const output = $('status');
  output.dataset.status = status;
  output.dataset.state = status;
  output.textContent = STATUS_LABELS[status] ?? STATUS_LABELS[STATUS.offline];
  const controls = $('site-controls');
  controls.hidden = !tab?.hostname;
  if (!tab?.hostname) return;
  $('site-label').textContent = `Enabled on ${tab.hostname}`;
  $('site-enabled').checked = !settings.disabledSites.includes(tab.hostname);
  $('allow-order').textContent = `Order: ${tab.orderKey}`;
  if (document.activeElement !== $('allow-channels')) {
    $('allow-channels').value = (settings.allow[tab.orderKey] ?? []).join(', ');
  }
}

$('site-enabled').addEventListener('change', () => {
  const disabled = new Set(settings.disabledSites);
  if ($('site-enabled').checked) disabled.delete(tab.hostname);
  else disabled.add(tab.hostname);
  background.updateSettings({ disabledSites: [...disabled] });
});

$('allow-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const allow = { ...settings.allow };
  const channels = parseChannels($('allow-channels').value);
  if (channels.length) allow[tab.orderKey] = channels;
  else delete allow[tab.orderKey];
  const { ok, error } = await background.updateSettings({ allow });
  $('allow-result').textContent = ok ? 'Saved.' : error;
});

$('open-options').addEventListener('click', () => chrome.runtime.openOptionsPage());

/**
 * "Enable on this site" for a web page no site profile covers; "Remove from this site" where the
 * user enabled it. (The tab's address is readable once the toolbar button was clicked: activeTab.)
 */
function showSiteAccess() {
  const origin = siteOrigin(target?.url);
  const enabled = Boolean(origin && settings.enabledSites.includes(origin));
  const covered = Boolean(origin && siteForHost(new URL(origin).hostname));
  $('site-access').hidden = !origin || (covered && !enabled);
  $('enable-site').hidden = enabled || covered;
  $('remove-site').hidden = !enabled;
  if (origin) {
    $('site-access-text').textContent = enabled
      ? `You enabled Contact Guard on ${new URL(origin).host}.`
      : `Contact Guard does not watch ${new URL(origin).host} unless you enable it.`;
  }
}

$('enable-site').addEventListener('click', async () => {
  const origin = siteOrigin(target?.url);
  if (!origin) return;
  // Asked here, in the click (the browser requires a user gesture), for this one site only.
  const granted = await chrome.permissions.request({ origins: [originPattern(origin)] });
  if (!granted) {
    $('site-access-result').textContent = 'Not enabled: access to this site was not granted.';
    return;
  }
  const { ok, error } = await background.enableSite(target.url, target.id);
  $('site-access-result').textContent = ok ? 'Enabled. Contact Guard now watches this site.' : error;
});

$('remove-site').addEventListener('click', async () => {
  const { ok, error } = await background.disableSite(target.url);
  $('site-access-result').textContent = ok ? 'Removed. Reload the page to stop Contact Guard there.' : error;
});
