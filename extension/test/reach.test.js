import assert from 'node:assert/strict';
import { test } from 'node:test';
import { highlightReach, withinReach } from '../src/lib/reach.js';

const viewport = { width: 1000, height: 800 };
const line = (top, left = 20, width = 120) => ({ left, top, width, height: 20 });

test('a composer on screen reaches one viewport height above and below what shows of it', () => {
  // A tall document: from 3 screens above the viewport to 5 screens below.
  const box = { left: 10, top: -2400, right: 700, bottom: 4000 };
  assert.deepEqual(highlightReach(box, viewport), { left: 10, right: 700, top: -800, bottom: 1600 });
});

test('a composer that scrolls its own text reaches one viewport height beyond its box', () => {
  const box = { left: 10, top: 100, right: 700, bottom: 300 };
  assert.deepEqual(highlightReach(box, viewport), { left: 10, right: 700, top: -700, bottom: 1100 });
});

test('a composer scrolled out of the viewport reaches nothing', () => {
  assert.equal(highlightReach({ left: 10, top: -500, right: 700, bottom: -10 }, viewport), null);
  assert.equal(highlightReach({ left: 10, top: 900, right: 700, bottom: 1400 }, viewport), null);
  assert.equal(withinReach([line(-300)], null), false);
});

test('a finding is highlighted when one of its lines is within reach, also just off screen', () => {
  const reach = highlightReach({ left: 10, top: -2400, right: 700, bottom: 4000 }, viewport);
  assert.equal(withinReach([line(400)], reach), true, 'on screen');
  assert.equal(withinReach([line(-700)], reach), true, 'a screen above: a scroll away');
  assert.equal(withinReach([line(1500)], reach), true, 'a screen below');
  assert.equal(withinReach([line(-2000)], reach), false, 'far above');
  assert.equal(withinReach([line(3000)], reach), false, 'far below');
  assert.equal(withinReach([line(3000), line(1580)], reach), true, 'a wrapped finding whose first line is near');
  assert.equal(withinReach([], reach), false, 'a finding drawn nowhere (hidden text)');
});

test('a finding outside the composer\'s visible width (scrolled sideways) is not highlighted', () => {
  const reach = highlightReach({ left: 10, top: 0, right: 700, bottom: 400 }, viewport);
  assert.equal(withinReach([line(100, 720)], reach), false);
  assert.equal(withinReach([line(100, 650)], reach), true);
});
