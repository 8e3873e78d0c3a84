import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalCombo, comboOf, hasCombo } from '../src/lib/keys.js';

test('combinations are spelled one way whatever the modifier names and order', () => {
  assert.equal(canonicalCombo('Enter'), 'Enter');
  assert.equal(canonicalCombo('ctrl+Enter'), 'Control+Enter');
  assert.equal(canonicalCombo('Shift+Control+Enter'), 'Control+Shift+Enter');
  assert.equal(canonicalCombo('Cmd+enter'), 'Meta+Enter');
  assert.equal(canonicalCombo('Control+s'), 'Control+S');
});

test('a keyboard event names its combination', () => {
  assert.equal(comboOf({ key: 'Enter' }), 'Enter');
  assert.equal(comboOf({ key: 'Enter', ctrlKey: true }), 'Control+Enter');
  assert.equal(comboOf({ key: 'Enter', metaKey: true, shiftKey: true }), 'Shift+Meta+Enter');
});

test('aria-keyshortcuts text and profile lists are searched for a combination', () => {
  assert.ok(hasCombo('Enter', 'Enter'));
  assert.ok(hasCombo('Control+Enter  Meta+Enter', 'Meta+Enter'));
  assert.ok(!hasCombo('Control+Enter', 'Enter'), 'Ctrl+Enter sending says nothing about plain Enter');
  assert.ok(!hasCombo('Shift+Enter', 'Enter'));
  assert.ok(hasCombo(['Enter'], 'Enter'));
  assert.ok(!hasCombo(null, 'Enter'));
  assert.ok(!hasCombo('', 'Enter'));
});
