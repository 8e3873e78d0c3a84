// Which findings of a contenteditable composer get a CSS Custom Highlight. Blink rebuilds every
// custom-highlight marker and repaints every highlighted text node on each change of the page's
// DOM or style (each keystroke), whatever changed: the cost of typing grows with the number of
// highlighted text nodes (bench-e2e editors). A long composer or document therefore registers
// only the findings on or near the screen; the others join when a scroll, a resize or an edit
// (each repaints the composer) brings them near.

import { intersects } from './placement.js';

/**
 * The part of the page whose findings are highlighted: what shows of `box` (the composer's visible
 * box, in the viewport's px) cut to the viewport, grown by one viewport height above and below, so
 * that a finding is highlighted before a scroll (of the page or of the composer itself) or a page
 * change brings it into view. Null: none of the composer is on screen (nothing needs highlights).
 */
export function highlightReach(box, viewport) {
  const left = Math.max(box.left, 0);
  const right = Math.min(box.right, viewport.width);
  const top = Math.max(box.top, 0);
  const bottom = Math.min(box.bottom, viewport.height);
  if (right <= left || bottom <= top) return null;
  return { left, right, top: top - viewport.height, bottom: bottom + viewport.height };
}

/** Whether a finding drawn in `rects` ({left, top, width, height}) reaches into `reach`. */
export function withinReach(rects, reach) {
  return Boolean(reach) &&
    rects.some((r) => intersects({ left: r.left, top: r.top, right: r.left + r.width, bottom: r.top + r.height }, reach));
}
