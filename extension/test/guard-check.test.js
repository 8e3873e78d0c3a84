import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blockingFindings, checkMode, pasteCheck, reducedNoteOf, unjudgedLines } from '../src/content/guard-check.js';
import { reducedFindings } from '../src/lib/reduced-check.js';
import { remapSpans } from '../src/lib/spans.js';
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

test('while an answer is pending only the lines edited since the last answer get the reduced check', () => {
  const analyzed = 'Hi,\nwrite to ana.souza@gmail.com\nthanks';
  // The companion judged the address's line (and found nothing to block there): its answer stands
  // for that line; the number typed on the last line since then is caught.
  const text = `${analyzed} or +44 20 7946 0958`;
  const blocking = blockingFindings(fieldsIn('connected'), composer(text, { analyzedText: analyzed }));
  assert.deepEqual(blocking.map((f) => [f.kind, text.slice(f.start, f.end)]), [['phone', '+44 20 7946 0958']]);
  // A line break typed into the middle of the address: the joined-up lines around it are checked.
  const split = analyzed.replace('souza@', 'souza@\n');
  assert.deepEqual(unjudgedLines(analyzed, split), [4, split.lastIndexOf('\n')]);
  assert.deepEqual(unjudgedLines(analyzed, analyzed), [0, 0]);
  assert.deepEqual(unjudgedLines(null, analyzed), [0, analyzed.length]);
});

test('the edited lines alone find exactly what the whole text finds there', () => {
  const pieces = ['ana@x.io', ' ', '\n', '+44 20 7946 0958', 'wa.me/4420', '.', 'x', '12', '-', 'mail b@c.de'];
  let seed = 11;
  const random = (n) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  for (let round = 0; round < 400; round++) {
    let analyzed = '';
    for (let i = random(12); i >= 0; i--) analyzed += pieces[random(pieces.length)];
    const at = random(analyzed.length + 1);
    const cut = Math.min(analyzed.length, at + random(4));
    const inserted = pieces[random(pieces.length)];
    const text = analyzed.slice(0, at) + inserted + analyzed.slice(cut);
    const [from, to] = unjudgedLines(analyzed, text);
    const expected = text === analyzed ? [] : reducedFindings(text).filter((f) => f.start < to && from < f.end);
    const found = blockingFindings(fieldsIn('connected'), composer(text, { analyzedText: analyzed }));
    assert.deepEqual(found.map((f) => [f.start, f.end, f.kind]), expected.map((f) => [f.start, f.end, f.kind]),
      `${JSON.stringify(analyzed)} -> ${JSON.stringify(text)}`);
    // Every finding the edit brought (not one of the last answer's text, moved along) is among them.
    const before = remapSpans(reducedFindings(analyzed), analyzed, text);
    const brought = reducedFindings(text).filter((f) => !before.some((b) => b.start === f.start && b.end === f.end));
    for (const f of brought) assert.ok(found.some((g) => g.start === f.start && g.end === f.end), JSON.stringify(text));
  }
});
