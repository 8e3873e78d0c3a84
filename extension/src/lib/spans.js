// Span remapping: when the text changes before the companion's answer arrives, painted spans are
// shifted past the edit, or dropped when the edit touches them (their finding may no longer hold).

import { splitsPair } from './utf16.js';

/**
 * The single edit that turns `before` into `after`: the longest common prefix and suffix, never
 * cutting a surrogate pair. `start`..`removedEnd` is the replaced range in `before`,
 * `start`..`insertedEnd` the replacement in `after`. Returns null when the texts are equal.
 */
export function diffEdit(before, after) {
  if (before === after) return null;
  const shortest = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < shortest && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  if (splitsPair(before, prefix) || splitsPair(after, prefix)) prefix--;
  let suffix = 0;
  const room = shortest - prefix;
  while (suffix < room &&
         before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) {
    suffix++;
  }
  if (splitsPair(before, before.length - suffix) || splitsPair(after, after.length - suffix)) suffix--;
  return { start: prefix, removedEnd: before.length - suffix, insertedEnd: after.length - suffix };
}

/**
 * Where a span [start, end) of the old text lies after `edit`, or null when the edit overlaps it.
 * Text inserted exactly at either edge leaves the span's own characters intact, so it is kept.
 */
export function remapSpan(span, edit) {
  if (!edit) return span;
  if (edit.removedEnd <= span.start) {
    const delta = (edit.insertedEnd - edit.start) - (edit.removedEnd - edit.start);
    return { ...span, start: span.start + delta, end: span.end + delta };
  }
  if (edit.start >= span.end) return span;
  return null;
}

/** Every span of `spans` (offsets into `before`) moved onto `after`; spans the edit touched are dropped. */
export function remapSpans(spans, before, after) {
  return moveSpans(spans, diffEdit(before, after));
}

/** Every span of `spans` moved past `edit` (null: none); spans the edit touched are dropped. */
export function moveSpans(spans, edit) {
  if (!edit) return spans;
  const moved = [];
  for (const span of spans) {
    const next = remapSpan(span, edit);
    if (next) moved.push(next);
  }
  return moved;
}
