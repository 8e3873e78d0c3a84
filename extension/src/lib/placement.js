// Where a panel (a card, a confirmation, the status chip) goes so that it covers none of the page's
// controls: the free spot nearest to its composer — below it, above it, beside it — else the free
// spot nearest to it anywhere in the viewport (docked). Pure geometry on plain rects
// ({left, top, right, bottom}, viewport px), so node tests drive it.

/** Room kept around each control, so a panel never sits flush against a button. */
const CLEARANCE = 2;
/** Extra cost of a placement by side, for each preferred side (cards read best below, the chip above). */
const SIDE_BIAS = Object.freeze({
  below: Object.freeze({ below: 0, above: 2, beside: 4 }),
  above: Object.freeze({ above: 0, below: 2, beside: 4 }),
});

export function intersects(a, b) {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

function area(a, b) {
  const width = Math.min(a.right, b.right) - Math.max(a.left, b.left);
  const height = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
  return width > 0 && height > 0 ? width * height : 0;
}

export function rectAt(left, top, { width, height }) {
  return { left, top, right: left + width, bottom: top + height };
}

/** The part of `rect` inside `clip` (null when they do not meet). */
export function clipRect(rect, clip) {
  if (!clip) return rect;
  const out = {
    left: Math.max(rect.left, clip.left), top: Math.max(rect.top, clip.top),
    right: Math.min(rect.right, clip.right), bottom: Math.min(rect.bottom, clip.bottom),
  };
  return out.right > out.left && out.bottom > out.top ? out : null;
}

function inflate(rect, by) {
  return { left: rect.left - by, top: rect.top - by, right: rect.right + by, bottom: rect.bottom + by };
}

/** Gap between two rects along each axis (0 where they overlap on that axis). */
function separation(a, b) {
  const dx = Math.max(0, b.left - a.right, a.left - b.right);
  const dy = Math.max(0, b.top - a.bottom, a.top - b.bottom);
  return { dx, dy };
}

/** Free horizontal intervals of [from, to] in the band [top, bottom) once `blockers` are taken out. */
function freeIntervals(blockers, top, bottom, from, to) {
  const taken = blockers
    .filter((b) => b.top < bottom && top < b.bottom && b.right > from && b.left < to)
    .map((b) => [b.left, b.right])
    .sort((a, b) => a[0] - b[0]);
  const free = [];
  let cursor = from;
  for (const [left, right] of taken) {
    if (left > cursor) free.push([cursor, left]);
    cursor = Math.max(cursor, right);
  }
  if (cursor < to) free.push([cursor, to]);
  return free;
}

/**
 * A spot for a panel of `size` ({width, height}) near `anchor` (the composer's box) inside
 * `viewport` ({width, height}) that meets none of `obstacles` nor the anchor itself. `bounds`
 * (a rect, optional) keeps the panel inside it as well: the chip stays by its composer.
 * `prefer` is the side tried first ('below' or 'above'); `align` is where the panel lines up with
 * the anchor: 'start' (left edges) or 'end' (right edges).
 * `keep` (the panel's current spot) wins when it is still free, so a panel does not jump around.
 * Returns {left, top, free}; when no free spot exists, the spot covering the least (free: false).
 */
export function placePanel({ anchor, size, viewport, obstacles = [], prefer = 'below', align = 'start', gap = 6, margin = 4, keep = null, bounds = null }) {
  // The composer keeps the same gap on every side the panel may take.
  const blockers = [...obstacles.map((o) => inflate(o, CLEARANCE)), inflate(anchor, gap)];
  const room = clipRect({ left: margin, top: margin, right: viewport.width - margin, bottom: viewport.height - margin }, bounds) ??
    { left: margin, top: margin, right: margin, bottom: margin };
  const minLeft = room.left;
  const maxLeft = room.right - size.width;
  const minTop = room.top;
  const maxTop = room.bottom - size.height;
  const clampLeft = (x) => Math.max(minLeft, Math.min(x, maxLeft));
  const clampTop = (y) => Math.max(minTop, Math.min(y, maxTop));
  const preferredLeft = clampLeft(align === 'end' ? anchor.right - size.width : anchor.left);
  const isFree = (rect) => !blockers.some((b) => intersects(rect, b));

  if (keep && keep.left >= minLeft && keep.left <= maxLeft && keep.top >= minTop && keep.top <= maxTop &&
      isFree(rectAt(keep.left, keep.top, size))) {
    return { left: keep.left, top: keep.top, free: true };
  }
  const fits = maxLeft >= minLeft && maxTop >= minTop;
  if (fits) {
    const rows = new Set([
      anchor.bottom + gap, anchor.top - gap - size.height, anchor.top, anchor.bottom - size.height,
      minTop, maxTop,
    ]);
    for (const b of blockers) {
      rows.add(b.bottom + gap);
      rows.add(b.top - gap - size.height);
    }
    let best = null;
    for (const top of rows) {
      if (top < minTop || top > maxTop) continue;
      const bottom = top + size.height;
      for (const [from, to] of freeIntervals(blockers, top, bottom, minLeft, room.right)) {
        if (to - from < size.width) continue;
        const left = Math.max(from, Math.min(preferredLeft, to - size.width));
        const rect = rectAt(left, top, size);
        const { dx, dy } = separation(rect, anchor);
        const side = dy === 0 ? 'beside' : rect.top >= anchor.bottom ? 'below' : 'above';
        const cost = dx + dy + SIDE_BIAS[prefer][side] + Math.abs(left - preferredLeft) * 0.01;
        if (!best || cost < best.cost) best = { left, top, cost };
      }
    }
    if (best) return { left: best.left, top: best.top, free: true };
  }
  // Nowhere free: the candidate next to the composer that covers the least.
  const candidates = [anchor.bottom + gap, anchor.top - gap - size.height, maxTop, minTop].map((top) => {
    const rect = rectAt(preferredLeft, clampTop(top), size);
    return { left: rect.left, top: rect.top, covered: blockers.reduce((sum, b) => sum + area(rect, b), 0) };
  });
  const least = candidates.reduce((a, b) => (b.covered < a.covered ? b : a));
  return { left: least.left, top: least.top, free: false };
}

/**
 * The tallest height in [min, max] at which a panel `width` px wide still has a free spot (the
 * placePanel options otherwise), or null when not even `min` has one. A shorter panel fits wherever
 * a taller one does (the same top), so the heights that fit are one range: halved to the pixel.
 * For a card asked for in a small frame, where nothing clear of the controls holds it whole.
 */
export function tallestFree({ width, min, max, ...options }) {
  const fits = (height) => placePanel({ ...options, size: { width, height }, keep: null }).free;
  if (!(max >= min) || !fits(min)) return null;
  let low = Math.ceil(min);
  let high = Math.floor(max);
  if (fits(high)) return high;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (fits(middle)) low = middle;
    else high = middle;
  }
  return low;
}

/** The corners a marker tries, in order: the top right first (where a field's text ends last). */
const CORNERS = Object.freeze(['top-right', 'bottom-right', 'top-left', 'bottom-left']);

/**
 * The spots ({left, top, right, bottom, corner}) a marker of `size` may take in `field`, one per
 * corner in the order tried: what a marker can meet of its field's text lies inside them (the field's
 * text is then measured only there).
 */
export function markerCorners(field, size) {
  return CORNERS.map((corner) => {
    const left = corner.endsWith('right') ? field.right - size.width : field.left;
    const top = corner.startsWith('top') ? field.top : field.bottom - size.height;
    return { ...rectAt(left, top, size), corner };
  });
}

/**
 * A spot for a small marker of `size` inside one corner of `field` (a composer's visible border
 * box), meeting none of `obstacles` (the page's text and other controls, the field's own text) and
 * inside `viewport`: it then covers nothing outside its field and no text in it. `keep` (the
 * marker's current spot) wins while it is still free. Returns {left, top, corner}, or null when
 * every corner is taken (the marker is then left out).
 */
export function placeMarker({ field, size, viewport, obstacles = [], keep = null }) {
  const blockers = obstacles.map((o) => inflate(o, 1));
  const fits = (rect) => rect.left >= field.left && rect.right <= field.right && rect.top >= field.top &&
    rect.bottom <= field.bottom && rect.left >= 0 && rect.top >= 0 && rect.right <= viewport.width &&
    rect.bottom <= viewport.height && !blockers.some((b) => intersects(rect, b));
  if (keep && fits(rectAt(keep.left, keep.top, size))) return { ...keep };
  for (const { left, top, corner } of markerCorners(field, size)) {
    if (fits(rectAt(left, top, size))) return { left, top, corner };
  }
  return null;
}
