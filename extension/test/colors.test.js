import assert from 'node:assert/strict';
import { test } from 'node:test';

import { luminance, parseColor, themeOfColor } from '../src/lib/colors.js';

test('computed colours in the forms browsers give them', () => {
  assert.deepEqual(parseColor('rgb(255, 255, 255)'), { r: 255, g: 255, b: 255, alpha: 1 });
  assert.deepEqual(parseColor('rgba(0, 0, 0, 0)'), { r: 0, g: 0, b: 0, alpha: 0 });
  assert.deepEqual(parseColor('rgb(18 18 18 / 50%)'), { r: 18, g: 18, b: 18, alpha: 0.5 });
  assert.deepEqual(parseColor('transparent'), { r: 0, g: 0, b: 0, alpha: 0 });
  assert.deepEqual(parseColor('color(srgb 1 0 0 / 0.25)'), { r: 255, g: 0, b: 0, alpha: 0.25 });
  assert.equal(parseColor('oklch(0.2 0.1 200)'), null, 'colour spaces it cannot read are unknown, not guessed');
});

test('luminance spans black to white', () => {
  assert.equal(luminance({ r: 0, g: 0, b: 0 }), 0);
  assert.ok(Math.abs(luminance({ r: 255, g: 255, b: 255 }) - 1) < 1e-9);
});

test('dark and light backgrounds; see-through ones say nothing', () => {
  assert.equal(themeOfColor('rgb(30, 34, 40)'), 'dark'); // a typical dark chat
  assert.equal(themeOfColor('rgb(13, 17, 23)'), 'dark');
  assert.equal(themeOfColor('rgb(247, 247, 247)'), 'light');
  assert.equal(themeOfColor('rgb(29, 191, 115)'), 'light', 'a bright brand green wants dark text');
  assert.equal(themeOfColor('rgba(0, 0, 0, 0)'), null);
  assert.equal(themeOfColor('rgba(0, 0, 0, 0.2)'), null, 'mostly see-through: look further back');
});
