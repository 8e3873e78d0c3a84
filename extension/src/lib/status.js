// Status words shared by the background (badge), the popup, the options page and the chip.

export const STATUS = Object.freeze({
  connected: 'connected',
  offline: 'offline',
  unpaired: 'unpaired',
  // What answers on the port could not prove it holds our pairing token: another program, or the
  // companion with another token (the two look the same from here, by design).
  impostor: 'impostor',
  // The companion refuses this browser's extension (HTTP 403 to its origin): in Firefox, an
  // install whose random id the companion was not told about.
  refused: 'refused',
  tooLong: 'too_long',
  disabled: 'disabled',
});

/** Text shown to the user for each status (the options page's pairing line uses the same words). */
export const STATUS_LABELS = Object.freeze({
  connected: 'connected — paired with the companion',
  offline: 'companion not running',
  unpaired: 'not paired — paste the token from `contact-guard pair`',
  impostor: 'this is not the Contact Guard companion, or its token differs — no text was sent to it',
  refused: 'the companion does not accept this browser yet — see the options page',
  too_long: 'text too long to check (over 20,000 characters)',
  disabled: 'disabled on this site',
});

/** The quiet chip by the composer: short words. */
export const CHIP_LABELS = Object.freeze({
  connected: 'on',
  offline: 'companion not running',
  unpaired: 'not paired',
  impostor: 'companion not verified',
  refused: 'companion refuses this browser',
  too_long: 'text too long to check',
  disabled: 'off on this site',
});

/** What the pairing line of the options page says for a connection state. */
export const PAIRING_LABELS = Object.freeze({
  connected: 'paired',
  offline: 'companion not running',
  unpaired: 'not paired',
  impostor: 'this is not the Contact Guard companion — check the port, or paste the token from `contact-guard pair` again',
  refused: 'the companion refuses this browser — allow it: in Firefox with the command below, another Chrome build in the companion\'s config.json',
});

export const BADGES = Object.freeze({
  connected: { text: '', color: '#2e7d32' },
  offline: { text: 'off', color: '#757575' },
  unpaired: { text: 'key', color: '#c62828' },
  impostor: { text: '!', color: '#c62828' },
  refused: { text: '!', color: '#c62828' },
  too_long: { text: 'long', color: '#ef6c00' },
  disabled: { text: '', color: '#757575' },
});

/** A tab's status: the site switch wins, then the connection, then a field over the size limit. */
export function tabStatus({ disabled, connection, tooLong }) {
  if (disabled) return STATUS.disabled;
  if (connection !== STATUS.connected) return connection;
  return tooLong ? STATUS.tooLong : STATUS.connected;
}
