// Key combinations as the send guard compares them: "Enter", "Control+Enter", "Meta+Enter", in the
// notation of ARIA's aria-keyshortcuts (which a page's send button may carry) and of site profiles.

const MODIFIER_NAMES = Object.freeze({ ctrl: 'Control', control: 'Control', cmd: 'Meta', command: 'Meta', meta: 'Meta', shift: 'Shift', alt: 'Alt', option: 'Alt' });
const MODIFIER_ORDER = ['Control', 'Alt', 'Shift', 'Meta'];

/** One combination in a canonical spelling: modifiers in a fixed order, then the key. */
export function canonicalCombo(combo) {
  const parts = String(combo).split('+').map((part) => part.trim()).filter(Boolean);
  if (!parts.length) return '';
  const key = parts.pop();
  const modifiers = new Set(parts.map((part) => MODIFIER_NAMES[part.toLowerCase()] ?? part));
  return [...MODIFIER_ORDER.filter((name) => modifiers.has(name)), key.length === 1 ? key.toUpperCase() : key[0].toUpperCase() + key.slice(1).toLowerCase()].join('+');
}

/** The combination of a keyboard event (anything with key and the four modifier flags). */
export function comboOf(event) {
  const modifiers = [];
  if (event.ctrlKey) modifiers.push('Control');
  if (event.altKey) modifiers.push('Alt');
  if (event.shiftKey) modifiers.push('Shift');
  if (event.metaKey) modifiers.push('Meta');
  return canonicalCombo([...modifiers, event.key].join('+'));
}

/** Whether a list of combinations (an array, or aria-keyshortcuts' space-separated text) has `combo`. */
export function hasCombo(combos, combo) {
  const list = typeof combos === 'string' ? combos.split(/\s+/) : (combos ?? []);
  const wanted = canonicalCombo(combo);
  return list.some((entry) => entry && canonicalCombo(entry) === wanted);
}

/**
 * Whether a key sends the message from a composer, from what is known of it, first match wins:
 * the page's own declarations (`formSubmits`: a one-line input in a form and Enter; `declared`: the
 * send control's aria-keyshortcuts has the key), then what the key was seen to do in this composer
 * (`learned`: true sent, false added a line, undefined not seen), then the site profile's `sendKeys`
 * (`profile`). What the page showed beats the profile: a profile says what a site usually does,
 * while where a user's own setting makes Enter a new line (Fiverr's inbox has one) the page shows it.
 */
export function keySends({ formSubmits = false, declared = false, learned, profile = false }) {
  if (formSubmits || declared) return true;
  if (learned !== undefined && learned !== null) return learned;
  return profile;
}

/**
 * What a key let through did, from the composer's text before it and a moment after: true when
 * the page sent (it emptied the composer), false when the key added a line, null when neither is
 * clear (no change, or other typing meanwhile).
 */
export function keyEffect(before, after) {
  if (!before.trim()) return null;
  if (!after.trim()) return true;
  if (after.length > before.length && after.split('\n').length > before.split('\n').length) return false;
  return null;
}
