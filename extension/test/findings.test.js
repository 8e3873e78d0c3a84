import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkedFindings, isAtLeast, maskText, verdictOf } from '../src/lib/findings.js';

const finding = (start, end, severity, mask = '[contact removed]', extra = {}) =>
  ({ start, end, severity, kind: 'email', rule: 'email.plain', reason: 'r', suggestion: null, mask, channel: null, ...extra });

test('verdict is the highest severity or ok', () => {
  assert.equal(verdictOf([]), 'ok');
  assert.equal(verdictOf([finding(0, 1, 'info'), finding(1, 2, 'warn')]), 'warn');
  assert.equal(verdictOf([finding(0, 1, 'block'), finding(1, 2, 'info')]), 'block');
  assert.equal(isAtLeast('block', 'warn'), true);
  assert.equal(isAtLeast('info', 'warn'), false);
});

test('findings from the wire are checked against the text they describe', () => {
  const text = 'mail a@b.co now';
  const raw = [
    finding(5, 11, 'block'),
    finding(5, 99, 'block'), // out of range
    finding(3, 3, 'warn'), // empty
    { ...finding(0, 4, 'block'), severity: 'fatal' }, // unknown severity
    null,
    { ...finding(0, 4, 'info'), mask: 7, reason: 3 },
  ];
  const checked = checkedFindings(raw, text);
  assert.deepEqual(checked.map((f) => [f.start, f.end, f.severity]), [[0, 4, 'info'], [5, 11, 'block']]);
  assert.equal(checked[0].mask, null);
  assert.equal(checked[0].reason, '');
  assert.deepEqual(checkedFindings('nope', text), []);
});

test('maskText replaces block spans and leaves the rest', () => {
  const text = 'write a@b.co or call 555 0101, thanks';
  const findings = [finding(6, 12, 'block', '[email removed]'), finding(21, 29, 'block', '[phone removed]'),
    finding(16, 20, 'warn', '[request removed]')];
  assert.equal(maskText(text, findings, 'block'), 'write [email removed] or call [phone removed], thanks');
  assert.equal(maskText(text, findings, 'warn'), 'write [email removed] or [request removed] [phone removed], thanks');
});

test('maskText merges overlapping spans and skips findings without a mask', () => {
  const text = '0123456789';
  assert.equal(maskText(text, [finding(2, 6, 'block', 'X'), finding(4, 8, 'block', 'Y')], 'block'), '01X89');
  assert.equal(maskText(text, [finding(2, 6, 'block', null)], 'block'), text);
});

test('maskText keeps astral characters intact around the span', () => {
  const text = '\u{1F600} a@b.co \u{1F600}';
  assert.equal(maskText(text, [finding(3, 9, 'block', '[x]')], 'block'), '\u{1F600} [x] \u{1F600}');
});
