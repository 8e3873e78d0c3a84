import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blockingFindings, checkMode, pasteCheck, reducedNoteOf } from '../src/content/guard-check.js';
import { REDUCED_CHECK_REASONS, STATUS } from '../src/lib/status.js';

// The two things guard-check reads: the connection state the background last sent (Fields.status)
// and a composer (Field: its text, its companion findings, whether it is over the size limit).
const fieldsIn = (status) => ({ status });
const composer = (text, { findings = [], ignored = [], tooLong = false, composing = false, analyzedText = text } = {}) => ({
  read: () => text, findings, ignored, tooLong, composing, analyzedText,
  get verdict() {
    return findings.some((f) => f.severity === 'block') ? 'block' : 'ok';
  },
});
const ADDRESS_TEXT = 'Sure, write to ana.souza@gmail.com with the files.';

test('connected: the companion\'s block findings decide, not the reduced check', () => {
  const companionFinding = { kind: 'handle', severity: 'block', start: 0, end: 4, reason: 'A handle.' };
  assert.deepEqual(blockingFindings(fieldsIn('connected'), composer('text', { findings: [companionFinding] })), [companionFinding]);
  // The companion found nothing in a text the reduced check would catch: its answer stands.
  assert.deepEqual(blockingFindings(fieldsIn('connected'), composer(ADDRESS_TEXT)), []);
  assert.deepEqual(checkMode(fieldsIn('connected'), composer('x')), { companion: true });
});

test('every state without the companion\'s analysis catches a plain address at send, with the state\'s own reason', () => {
  for (const status of ['offline', 'unpaired', 'impostor', 'refused', 'incompatible', 'busy']) {
    const blocking = blockingFindings(fieldsIn(status), composer(ADDRESS_TEXT));
    assert.deepEqual(blocking.map((f) => [f.kind, f.reduced, f.reducedReason]), [['email', true, REDUCED_CHECK_REASONS[status]]], status);
    const note = reducedNoteOf(blocking);
    assert.match(note, /^Reduced check/, status);
    assert.ok(note.includes(REDUCED_CHECK_REASONS[status]), `${status}: ${note}`);
  }
  assert.match(reducedNoteOf(blockingFindings(fieldsIn('unpaired'), composer(ADDRESS_TEXT))),
    /not paired — open Contact Guard's options to pair/);
});

test('a switched-off site is never checked; a clean text has nothing to confirm', () => {
  assert.deepEqual(blockingFindings(fieldsIn(STATUS.disabled), composer(ADDRESS_TEXT)), []);
  assert.equal(pasteCheck(fieldsIn(STATUS.disabled), composer(''), ADDRESS_TEXT), null);
  assert.deepEqual(blockingFindings(fieldsIn('unpaired'), composer('See you tomorrow.')), []);
  assert.deepEqual(blockingFindings(fieldsIn('offline'), null), []);
});

test('connected but over the companion\'s size limit: the reduced check, saying why', () => {
  const blocking = blockingFindings(fieldsIn('connected'), composer(ADDRESS_TEXT, { tooLong: true }));
  assert.deepEqual(blocking.map((f) => f.kind), ['email']);
  assert.match(reducedNoteOf(blocking), /too long for the companion/);
  const long = `${'a '.repeat(10001)}${ADDRESS_TEXT}`;
  assert.deepEqual(pasteCheck(fieldsIn('connected'), composer(''), long), { reason: REDUCED_CHECK_REASONS.too_long });
});

test('a paste: held for the companion when connected, the reduced check otherwise, nothing during a composition', () => {
  assert.deepEqual(pasteCheck(fieldsIn('connected'), composer(''), ADDRESS_TEXT), { companion: true });
  assert.deepEqual(pasteCheck(fieldsIn('impostor'), composer(''), ADDRESS_TEXT), { reason: REDUCED_CHECK_REASONS.impostor });
  assert.equal(pasteCheck(fieldsIn('offline'), composer('', { composing: true }), ADDRESS_TEXT), null);
  assert.equal(reducedNoteOf([{ kind: 'email', severity: 'block' }]), null, 'the companion\'s findings get no note');
});

test('connected, but the companion has not answered for the latest text: the reduced check covers what its last answer does not', () => {
  const typedOn = `${ADDRESS_TEXT} Or +44 20 7946 0958`;
  const address = { kind: 'email', severity: 'info', start: 15, end: 34, reason: 'An approved channel.' };
  // The last answer was for the text before the number; it judged the address (approved: info).
  const blocking = blockingFindings(fieldsIn('connected'), composer(typedOn, { findings: [address], analyzedText: ADDRESS_TEXT }));
  assert.deepEqual(blocking.map((f) => [f.kind, typedOn.slice(f.start, f.end)]), [['phone', '+44 20 7946 0958']]);
  assert.match(reducedNoteOf(blocking), /has not answered for the latest text yet/);
  // Never answered at all (an error instead): everything the reduced check finds.
  assert.deepEqual(blockingFindings(fieldsIn('connected'), composer(ADDRESS_TEXT, { analyzedText: null })).map((f) => f.kind), ['email']);
  // An address the user chose to ignore here is not brought back while the answer is pending.
  assert.deepEqual(blockingFindings(fieldsIn('connected'),
    composer(`${ADDRESS_TEXT} Thanks`, { ignored: [{ start: 15, end: 34 }], analyzedText: ADDRESS_TEXT })), []);
  // Answered for this very text: the companion's answer alone.
  assert.deepEqual(blockingFindings(fieldsIn('connected'), composer(typedOn, { findings: [address], analyzedText: typedOn })), []);
});
