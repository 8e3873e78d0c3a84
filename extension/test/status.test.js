import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  BADGES, CHIP_LABELS, PAIRING_LABELS, REDUCED_CHECK_FALLBACK_REASON, REDUCED_CHECK_REASONS, STATUS, STATUS_LABELS,
  companionAnalysisAvailable, reducedCheckReason, tabStatus,
} from '../src/lib/status.js';

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
    if (status !== STATUS.tooLong && status !== STATUS.disabled) assert.ok(PAIRING_LABELS[status], status);
  }
  assert.equal(PAIRING_LABELS.connected, 'paired');
  assert.match(PAIRING_LABELS.unpaired, /not paired/);
  assert.doesNotMatch(PAIRING_LABELS.offline, /(^|[^t] )paired/);
});

test('the companion\'s analysis is available only when connected; every other state but a switched-off site gets the reduced check with its own reason', () => {
  for (const status of Object.values(STATUS)) {
    if (status === STATUS.connected) {
      assert.equal(companionAnalysisAvailable(status), true);
      assert.equal(reducedCheckReason(status), null);
    } else if (status === STATUS.disabled) {
      assert.equal(companionAnalysisAvailable(status), false);
      assert.equal(reducedCheckReason(status), null, 'the user switched the site off: nothing is checked');
    } else {
      assert.equal(companionAnalysisAvailable(status), false, status);
      assert.equal(reducedCheckReason(status), REDUCED_CHECK_REASONS[status], `${status} has its own reason`);
    }
  }
  assert.match(reducedCheckReason('unpaired'), /not paired — open Contact Guard's options to pair/);
  // A state added later without a reason is still guarded.
  assert.equal(companionAnalysisAvailable('some-new-state'), false);
  assert.equal(reducedCheckReason('some-new-state'), REDUCED_CHECK_FALLBACK_REASON);
  assert.equal(tabStatus({ disabled: false, connection: 'incompatible', tooLong: true }), 'incompatible');
});
