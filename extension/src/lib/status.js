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
  // The companion answered in another protocol version (`unsupported_protocol`, close 4400): one of
  // the two needs updating.
  incompatible: 'incompatible',
  // The companion has its limit of paired clients (close 1013): tried again with the usual back-off.
  busy: 'busy',
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
  incompatible: 'the companion\'s version does not match this extension — update the older one',
  busy: 'the companion is serving its limit of browsers — trying again',
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
  incompatible: 'companion version differs',
  busy: 'companion busy',
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
  incompatible: 'the companion speaks another protocol version — update the companion or the extension, whichever is older',
  busy: 'the companion is serving its limit of browsers (limits.max_clients in its config.json) — trying again',
});

export const BADGES = Object.freeze({
  connected: { text: '', color: '#2e7d32' },
  offline: { text: 'off', color: '#757575' },
  unpaired: { text: 'key', color: '#c62828' },
  impostor: { text: '!', color: '#c62828' },
  refused: { text: '!', color: '#c62828' },
  incompatible: { text: '!', color: '#c62828' },
  busy: { text: 'busy', color: '#ef6c00' },
  too_long: { text: 'long', color: '#ef6c00' },
  disabled: { text: '', color: '#757575' },
});

/** A tab's status: the site switch wins, then the connection, then a field over the size limit. */
export function tabStatus({ disabled, connection, tooLong }) {
  if (disabled) return STATUS.disabled;
  if (!companionAnalysisAvailable(connection)) return connection;
  return tooLong ? STATUS.tooLong : STATUS.connected;
}

/**
 * Whether the companion's analysis is available in this state. The one place that decides it: the
 * guards, the painting and the background all ask here. In every other state but `disabled` (the
 * user switched the site off) the send and paste guards run the reduced check instead.
 */
export function companionAnalysisAvailable(status) {
  return status === STATUS.connected;
}

/**
 * Why only the reduced check ran, per state without the companion's analysis: short, and saying
 * what to do where the user can do something. `too_long` is a field's state (connected, but the
 * text is over the companion's limit); `no_answer` a paste the companion did not answer in time;
 * `pending` a send before the companion's answer for the latest text came (or an error instead).
 */
export const REDUCED_CHECK_REASONS = Object.freeze({
  offline: 'the companion is not running',
  unpaired: 'not paired — open Contact Guard\'s options to pair',
  impostor: 'what answers on the companion\'s port could not prove it is the companion — nothing was sent to it',
  refused: 'the companion refuses this browser — see Contact Guard\'s options',
  incompatible: 'the companion\'s version does not match this extension — update the older one',
  busy: 'the companion is serving its limit of browsers',
  too_long: 'the text is too long for the companion (over 20,000 characters)',
  no_answer: 'the companion did not answer in time',
  pending: 'the companion has not answered for the latest text yet',
});

/** Any state not listed above (a future one) still gets the reduced check, with this reason. */
export const REDUCED_CHECK_FALLBACK_REASON = 'the companion\'s analysis is not available';

/**
 * How the send and paste guards check text in state `status`: null when the companion's analysis
 * is available, or when nothing is to be checked (a switched-off site); otherwise the reason the
 * reduced check runs instead (for the card's note).
 */
export function reducedCheckReason(status) {
  if (companionAnalysisAvailable(status) || status === STATUS.disabled) return null;
  return REDUCED_CHECK_REASONS[status] ?? REDUCED_CHECK_FALLBACK_REASON;
}
