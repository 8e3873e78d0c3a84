import assert from 'node:assert/strict';
import { test } from 'node:test';

import { clipRect, intersects, markerCorners, placeMarker, placePanel, rectAt, tallestFree } from '../src/lib/placement.js';

const viewport = { width: 1280, height: 860 };
const card = { width: 400, height: 200 };
const box = (left, top, right, bottom) => ({ left, top, right, bottom });

function placed(options) {
  const spot = placePanel({ viewport, size: card, ...options });
  return { ...spot, rect: rectAt(spot.left, spot.top, options.size ?? card) };
}

test('with nothing around, the card goes right below the composer, left edges aligned', () => {
  const anchor = box(100, 300, 700, 380);
  const { rect, free } = placed({ anchor });
  assert.equal(free, true);
  assert.equal(rect.left, 100);
  assert.equal(rect.top, 386);
});

test('a send button right below the composer pushes the card sideways along the same row', () => {
  const anchor = box(100, 300, 700, 380);
  const send = box(100, 390, 200, 420); // under the composer's left end
  const { rect, free } = placed({ anchor, obstacles: [send] });
  assert.equal(free, true);
  assert.equal(intersects(rect, send), false);
  assert.ok(rect.top >= anchor.bottom, 'still below the composer');
  assert.ok(rect.left >= send.right, 'beside the button, not over it');
});

test('a next field below the composer flips the card above it', () => {
  const anchor = box(100, 300, 700, 380);
  const nextField = box(100, 400, 700, 440);
  const submit = box(600, 460, 700, 490);
  const { rect, free } = placed({ anchor, obstacles: [nextField, submit] });
  assert.equal(free, true);
  assert.equal(rect.bottom, anchor.top - 6, 'right above the composer');
  for (const obstacle of [nextField, submit, anchor]) assert.equal(intersects(rect, obstacle), false);
});

test('a composer at the bottom of the viewport gets its card above', () => {
  const anchor = box(100, 760, 700, 850);
  const { rect, free } = placed({ anchor });
  assert.equal(free, true);
  assert.ok(rect.bottom <= anchor.top);
  assert.ok(rect.top >= 4);
});

test('controls above and below: the card goes beside the composer', () => {
  const anchor = box(100, 300, 600, 500);
  const above = box(0, 0, 1280, 296);
  const below = box(0, 504, 1280, 860);
  const { rect, free } = placed({ anchor, obstacles: [above, below] });
  assert.equal(free, true);
  assert.ok(rect.left >= anchor.right, 'to the right of the composer');
  assert.equal(intersects(rect, above) || intersects(rect, below), false);
});

test('the chip lines up with the right end of the composer, above it', () => {
  const anchor = box(100, 300, 700, 380);
  const chip = { width: 120, height: 18 };
  const spot = placePanel({ anchor, size: chip, viewport, prefer: 'above', align: 'end', gap: 2 });
  assert.deepEqual(spot, { left: 580, top: 280, free: true });
});

test('a spot that is still free is kept (the card does not jump around)', () => {
  const anchor = box(100, 300, 700, 380);
  const keep = { left: 120, top: 390 };
  assert.deepEqual(placePanel({ anchor, size: card, viewport, keep }), { ...keep, free: true });
  const covering = box(130, 400, 160, 420);
  const moved = placePanel({ anchor, size: card, viewport, keep, obstacles: [covering] });
  assert.equal(moved.free, true);
  assert.equal(intersects(rectAt(moved.left, moved.top, card), covering), false);
});

test('no free spot at all: free is false and the card stays inside the viewport', () => {
  const anchor = box(100, 300, 700, 380);
  const everywhere = box(0, 0, 1280, 860);
  const spot = placePanel({ anchor, size: card, viewport, obstacles: [everywhere] });
  assert.equal(spot.free, false);
  assert.ok(spot.left >= 4 && spot.left + card.width <= viewport.width - 4);
  assert.ok(spot.top >= 4 && spot.top + card.height <= viewport.height - 4);
});

test('a card wider than the viewport is reported as not free', () => {
  const spot = placePanel({ anchor: box(10, 10, 50, 30), size: { width: 2000, height: 50 }, viewport });
  assert.equal(spot.free, false);
});

test('never over the composer itself, even when it is the only thing around', () => {
  const anchor = box(0, 0, 1280, 700); // composer fills the top of the viewport
  const { rect, free } = placed({ anchor });
  assert.equal(free, false, 'a 200 px card cannot fit in the 160 px below');
  const small = placePanel({ anchor, size: { width: 400, height: 100 }, viewport });
  assert.equal(small.free, true);
  assert.equal(intersects(rectAt(small.left, small.top, { width: 400, height: 100 }), anchor), false);
  assert.ok(rect.top >= 4);
});

test('clipRect keeps the visible part of a box (a composer inside a scrolled frame)', () => {
  assert.deepEqual(clipRect(box(0, 0, 100, 100), box(50, 50, 200, 200)), box(50, 50, 100, 100));
  assert.equal(clipRect(box(0, 0, 10, 10), box(20, 20, 30, 30)), null);
  assert.deepEqual(clipRect(box(0, 0, 10, 10), null), box(0, 0, 10, 10));
});

test('bounds keep the chip by its composer: text above and below it leaves no spot (not one far away)', () => {
  const anchor = box(100, 300, 700, 340);
  const chip = { width: 120, height: 18 };
  const bounds = box(60, 260, 740, 380);
  const textAbove = box(100, 270, 740, 296); // a label line right above the field
  const textBelow = box(60, 344, 740, 380); // the next field's label
  const spot = placePanel({ anchor, size: chip, viewport, prefer: 'above', align: 'end', gap: 2, bounds,
    obstacles: [textAbove, textBelow] });
  assert.equal(spot.free, false, 'the free rest of the viewport is out of bounds');
  const without = placePanel({ anchor, size: chip, viewport, prefer: 'above', align: 'end', gap: 2, bounds,
    obstacles: [textAbove] });
  assert.equal(without.free, true);
  assert.ok(without.top >= anchor.bottom && without.top + chip.height <= bounds.bottom, 'below, within bounds');
  assert.equal(intersects(rectAt(without.left, without.top, chip), textAbove), false);
});

const marker = { width: 12, height: 12 };

test('a marker sits in the top right corner of its field, inside it', () => {
  const field = box(135, 170, 821, 210);
  const spot = placeMarker({ field, size: marker, viewport });
  assert.deepEqual(spot, { left: 809, top: 170, corner: 'top-right' });
});

test("a marker keeps off the field's text and other controls: the next free corner, else none", () => {
  const field = box(135, 170, 821, 210);
  const longText = box(146, 180, 815, 200); // one line reaching the right end
  const button = box(800, 190, 821, 210); // an emoji button in the bottom right corner
  assert.equal(placeMarker({ field, size: marker, viewport, obstacles: [longText] }), null,
    'a 40 px field whose text spans it leaves no corner');
  const tall = box(135, 170, 821, 300);
  const spot = placeMarker({ field: tall, size: marker, viewport, obstacles: [box(146, 176, 815, 196), button] });
  assert.equal(spot.corner, 'bottom-right');
  const blocked = placeMarker({ field: tall, size: marker, viewport, obstacles: [box(146, 176, 815, 196), box(800, 280, 821, 300)] });
  assert.equal(blocked.corner, 'bottom-left');
});

test('a marker whose corner is out of the viewport moves to a visible one, and a free spot is kept', () => {
  const field = box(135, -30, 821, 40); // scrolled half out at the top
  const spot = placeMarker({ field, size: marker, viewport });
  assert.deepEqual(spot, { left: 809, top: 28, corner: 'bottom-right' });
  const kept = placeMarker({ field, size: marker, viewport, keep: { left: 135, top: 28 } });
  assert.deepEqual(kept, { left: 135, top: 28 });
});

test("markerCorners: the four spots a marker tries, in order, inside its field's corners", () => {
  const field = { left: 100, top: 50, right: 300, bottom: 150 };
  const spots = markerCorners(field, { width: 12, height: 12 });
  assert.deepEqual(spots.map((s) => s.corner), ['top-right', 'bottom-right', 'top-left', 'bottom-left']);
  assert.deepEqual(spots[0], { left: 288, top: 50, right: 300, bottom: 62, corner: 'top-right' });
  assert.deepEqual(spots[3], { left: 100, top: 138, right: 112, bottom: 150, corner: 'bottom-left' });
  // What placeMarker takes is one of them: text measured only inside them is all it can meet.
  const spot = placeMarker({ field, size: { width: 12, height: 12 }, viewport: { width: 800, height: 600 }, obstacles: [spots[0]] });
  assert.equal(spot.corner, 'bottom-right');
});

test('tallestFree: the tallest card that has a spot clear of the controls (a small frame: the band above the composer)', () => {
  // A chat frame 684 x 168: the composer across it, its Send button beside it, a chip above its right end.
  const frame = { width: 684, height: 168 };
  const anchor = box(20, 68, 578, 135);
  const obstacles = [box(588, 98, 664, 135), box(463, 48, 578, 66)];
  const height = tallestFree({ anchor, viewport: frame, obstacles, width: 440, min: 40, max: 300 });
  // Above the composer: from the margin (4) to its top less the gap (68 - 6).
  assert.equal(height, 58);
  const spot = placePanel({ anchor, viewport: frame, obstacles, size: { width: 440, height } });
  assert.equal(spot.free, true);
  for (const obstacle of [anchor, ...obstacles]) assert.equal(intersects(rectAt(spot.left, spot.top, { width: 440, height }), obstacle), false);
  assert.equal(placePanel({ anchor, viewport: frame, obstacles, size: { width: 440, height: height + 1 } }).free, false);
});

test('tallestFree: null when not even the shortest fits; the whole height when it fits', () => {
  const frame = { width: 684, height: 168 };
  const anchor = box(20, 20, 664, 148); // the composer fills the frame
  assert.equal(tallestFree({ anchor, viewport: frame, width: 440, min: 40, max: 300 }), null);
  assert.equal(tallestFree({ anchor: box(100, 300, 700, 380), viewport, width: 400, min: 40, max: 200 }), 200);
});
