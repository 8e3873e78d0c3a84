import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalCombo, comboOf, hasCombo, keyEffect, keySends } from '../src/lib/keys.js';

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

test('keySends: the page\'s declarations first, then what the key did here, then the profile', () => {
  assert.equal(keySends({}), false); // nothing known: the key is the editor's
  assert.equal(keySends({ profile: true }), true); // the profile alone: guarded from the first key
  assert.equal(keySends({ formSubmits: true }), true);
  assert.equal(keySends({ declared: true, learned: false }), true); // the page's own shortcut stands
  // Seen to add a line in this composer (a user's "Enter makes a new line" setting): the page beats the profile.
  assert.equal(keySends({ profile: true, learned: false }), false);
  // Seen to send where the profile says nothing: guarded from then on.
  assert.equal(keySends({ profile: false, learned: true }), true);
  assert.equal(keySends({ profile: true, learned: null }), true); // nothing clear was seen
});

test('keyEffect: emptied is a send, a new line that adds text is a line, anything else is unclear', () => {
  assert.equal(keyEffect('Hi Ana', ''), true);
  assert.equal(keyEffect('Hi Ana', '  \n'), true); // only white space left: the page sent
  assert.equal(keyEffect('Hi Ana', 'Hi Ana\n'), false);
  assert.equal(keyEffect('Hi Ana', 'Hi Ana\nand'), false);
  assert.equal(keyEffect('Hi Ana', 'Hi Ana'), null); // nothing happened (the page took the key itself)
  assert.equal(keyEffect('Hi\nAna', 'Hi Ana and'), null); // edited meanwhile: no line added
  assert.equal(keyEffect('', '\n'), null); // an empty composer teaches nothing
});
