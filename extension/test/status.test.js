import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BADGES, CHIP_LABELS, PAIRING_LABELS, STATUS, STATUS_LABELS, tabStatus } from '../src/lib/status.js';

test('a tab status: site switch, then connection, then the size limit', () => {
  assert.equal(tabStatus({ disabled: true, connection: 'connected', tooLong: true }), 'disabled');
  assert.equal(tabStatus({ disabled: false, connection: 'offline', tooLong: true }), 'offline');
  assert.equal(tabStatus({ disabled: false, connection: 'unpaired', tooLong: false }), 'unpaired');
  assert.equal(tabStatus({ disabled: false, connection: 'connected', tooLong: true }), 'too_long');
  assert.equal(tabStatus({ disabled: false, connection: 'connected', tooLong: false }), 'connected');
});

test('every status has a label and a badge; the pairing line uses the contract words', () => {
  for (const status of Object.values(STATUS)) {
    assert.ok(STATUS_LABELS[status], status);
    assert.ok(BADGES[status], status);
    assert.ok(CHIP_LABELS[status], status);
  }
  assert.equal(PAIRING_LABELS.connected, 'paired');
  assert.match(PAIRING_LABELS.unpaired, /not paired/);
  assert.doesNotMatch(PAIRING_LABELS.offline, /(^|[^t] )paired/);
});
