// UTF-16 helpers. Wire offsets are UTF-16 code units (JavaScript string indices), so the only care
// needed is never to cut a surrogate pair in half and to bound what arrives from the wire.

/** Longest text the companion accepts, in UTF-16 units (DESIGN.md). */
export const MAX_TEXT_UNITS = 20000;

export function isTooLong(text) {
  return text.length > MAX_TEXT_UNITS;
}

export function isHighSurrogate(code) {
  return code >= 0xd800 && code <= 0xdbff;
}

export function isLowSurrogate(code) {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** True when `index` falls between the two halves of a surrogate pair. */
export function splitsPair(text, index) {
  return index > 0 && index < text.length &&
    isHighSurrogate(text.charCodeAt(index - 1)) && isLowSurrogate(text.charCodeAt(index));
}

/**
 * A span checked against `text`: integer offsets within bounds, start < end, widened so that
 * neither end splits a surrogate pair. Returns null for anything that cannot be a span.
 */
export function checkedSpan(text, start, end) {
  if (!Number.isInteger(start) || !Number.isInteger(end)) return null;
  if (start < 0 || end > text.length || start >= end) return null;
  return {
    start: splitsPair(text, start) ? start - 1 : start,
    end: splitsPair(text, end) ? end + 1 : end,
  };
}
