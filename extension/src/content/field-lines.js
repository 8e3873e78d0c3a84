// Where a composer's own text is drawn near given spots (a collapsed card's marker keeps off it):
// only the text that may reach them is measured, not the whole composer — a rich editor's text
// measured whole on every placement of its marker was the largest painting cost while typing
// (round 7: 0.45-0.85 s per 2,000 typed characters), and its paragraphs' full-width boxes counted
// as text, so the marker never sat in a right corner.

import { scratchRange } from './trees.js';

/**
 * Line boxes ({left, top, right, bottom}, `element`'s client px) of the text of a contenteditable
 * `element` that may meet `spots` (rects in the same px, each with a `corner`: 'top-…' or
 * 'bottom-…'): text nodes are measured from the start until one begins below the top spots, and
 * from the end until one ends above the bottom spots (an editor's text runs top to bottom).
 * Text nodes only: an element's box is not text.
 */
export function editableLinesNear(element, spots) {
  const top = spots.filter((s) => s.corner.startsWith('top'));
  const bottom = spots.filter((s) => !s.corner.startsWith('top'));
  const nodes = [];
  const walker = element.ownerDocument.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.data.trim()) nodes.push(node);
  }
  const range = scratchRange(element.ownerDocument);
  const measured = new Map();
  const linesOf = (node) => {
    if (!measured.has(node)) {
      range.selectNodeContents(node);
      const lines = [];
      for (const r of range.getClientRects()) {
        if (r.width > 0 && r.height > 0) lines.push({ left: r.left, top: r.top, right: r.right, bottom: r.bottom });
      }
      measured.set(node, lines);
    }
    return measured.get(node);
  };
  if (top.length) {
    const below = Math.max(...top.map((s) => s.bottom));
    for (const node of nodes) {
      const lines = linesOf(node);
      if (lines.length && Math.min(...lines.map((r) => r.top)) >= below) break;
    }
  }
  if (bottom.length) {
    const above = Math.min(...bottom.map((s) => s.top));
    for (let i = nodes.length - 1; i >= 0; i--) {
      const lines = linesOf(nodes[i]);
      if (lines.length && Math.max(...lines.map((r) => r.bottom)) <= above) break;
    }
  }
  return [...measured.values()].flat();
}
