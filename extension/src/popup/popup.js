// Popup: this tab's status (connected, companion not running, not paired, text too long,
// disabled), the site switch and the approved channels for this tab's order.

import { parseChannels } from '../lib/settings.js';
import { STATUS, STATUS_LABELS } from '../lib/status.js';
import { BackgroundPort } from '../ui/background-port.js';

const $ = (id) => document.getElementById(id);
let settings = null;
let tab = null; // {status, hostname, orderKey} of the active tab, when it has a content script

const background = new BackgroundPort(async (state) => {
  settings = state.settings;
  await refresh(state.connection);
});

async function refresh(connection) {
  const [active] = await chrome.tabs.query({ active: true, currentWindow: true });
  tab = active ? await background.tabStatus(active.id) : null;
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
