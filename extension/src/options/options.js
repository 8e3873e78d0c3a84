// Options page: companion port and pairing token (with the pairing state, live), per-site switch,
// and the per-order allowlist of channels approved by support. Every change goes through the
// background, which validates it (settings are only writable from extension pages).

import { SITES } from '../lib/sites.js';
import { cleanToken, isValidPort, parseChannels } from '../lib/settings.js';
import { PAIRING_LABELS } from '../lib/status.js';
import { BackgroundPort } from '../ui/background-port.js';

const $ = (id) => document.getElementById(id);
let settings = null;

const background = new BackgroundPort((state) => {
  const first = settings === null;
  settings = state.settings;
  showPairing(state.connection, settings.token);
  if (first) {
    $('port').value = String(settings.port);
    $('token').value = settings.token;
  }
  showSites();
  showAllowlist();
});

function showPairing(connection, token) {
  const state = token ? connection : 'unpaired';
  const output = $('pair-status');
  output.dataset.state = state;
  output.textContent = PAIRING_LABELS[state] ?? PAIRING_LABELS.offline;
}

// Firefox's extension origins are random per install: the companion has to be told this one.
if (location.protocol === 'moz-extension:') {
  $('allow-command').textContent = `contact-guard pair --allow-firefox ${location.host}`;
  $('allow-browser').hidden = false;
}

async function save(patch, resultNode) {
  const { ok, error } = await background.updateSettings(patch);
  resultNode.textContent = ok ? '' : error;
  resultNode.classList.toggle('error', !ok);
  return ok;
}

$('companion-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const result = $('save-result');
  const port = Number($('port').value);
  const typed = $('token').value.trim();
  if (!isValidPort(port)) {
    result.textContent = 'The port is a number from 1 to 65535.';
    result.classList.add('error');
    return;
  }
  if (typed && !cleanToken(typed)) {
    result.textContent = 'The token is the 64 hexadecimal characters printed by contact-guard pair.';
    result.classList.add('error');
    return;
  }
  $('token').value = cleanToken(typed);
  if (await save({ port, token: cleanToken(typed) }, result)) result.textContent = 'Saved.';
});

function showSites() {
  const list = $('sites');
  const hosts = SITES.flatMap((site) => site.hosts);
  if (list.childElementCount !== hosts.length) {
    list.replaceChildren(...hosts.map((host) => {
      const item = document.createElement('li');
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.id = `site-${host}`;
      box.dataset.host = host;
      box.addEventListener('change', () => {
        const disabled = new Set(settings.disabledSites);
        if (box.checked) disabled.delete(host);
        else disabled.add(host);
        save({ disabledSites: [...disabled] }, $('allow-error'));
      });
      const label = document.createElement('label');
      label.htmlFor = box.id;
      label.textContent = ` ${host}`;
      item.append(box, label);
      return item;
    }));
  }
  for (const box of list.querySelectorAll('input[type="checkbox"]')) {
    box.checked = !settings.disabledSites.includes(box.dataset.host);
  }
}

function showAllowlist() {
  const rows = Object.entries(settings.allow).map(([orderKey, channels]) => {
    const row = document.createElement('tr');
    const order = document.createElement('td');
    order.textContent = orderKey;
    const list = document.createElement('td');
    list.textContent = channels.join(', ');
    const action = document.createElement('td');
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.textContent = 'Remove';
    remove.setAttribute('aria-label', `Remove approved channels for ${orderKey}`);
    remove.addEventListener('click', () => {
      const allow = { ...settings.allow };
      delete allow[orderKey];
      save({ allow }, $('allow-error'));
    });
    action.append(remove);
    row.append(order, list, action);
    return row;
  });
  $('allow-list').replaceChildren(...rows);
}

$('allow-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const orderKey = $('allow-order').value.trim();
  const channels = parseChannels($('allow-channels').value);
  const error = $('allow-error');
  if (!orderKey || !channels.length) {
    error.textContent = 'Give the order path and at least one channel (letters, digits, _ . -).';
    return;
  }
  const allow = { ...settings.allow, [orderKey]: [...new Set([...(settings.allow[orderKey] ?? []), ...channels])] };
  if (await save({ allow }, error)) {
    $('allow-order').value = '';
    $('allow-channels').value = '';
  }
});
