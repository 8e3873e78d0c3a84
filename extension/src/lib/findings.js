// Findings as the extension uses them: checked against the text they describe, ranked by severity,
// and applied as masks.

import { checkedSpan } from './utf16.js';

export const SEVERITIES = Object.freeze(['info', 'warn', 'block']);
const RANK = Object.freeze({ ok: 0, info: 1, warn: 2, block: 3 });

/** The report's verdict: the highest severity among `findings`, or "ok". */
export function verdictOf(findings) {
  let verdict = 'ok';
  for (const finding of findings) {
    if (RANK[finding.severity] > RANK[verdict]) verdict = finding.severity;
  }
  return verdict;
}

export function isAtLeast(severity, floor) {
  return (RANK[severity] ?? 0) >= RANK[floor];
}

const optionalString = (value) => (typeof value === 'string' && value ? value : null);

/**
 * Findings from the wire, kept only when well formed for `text` (offsets in range, known
 * severity), with spans widened so they never split a surrogate pair.
 */
export function checkedFindings(raw, text) {
  if (!Array.isArray(raw)) return [];
  const findings = [];
  for (const item of raw) {
    if (!item || typeof item !== 'object' || !SEVERITIES.includes(item.severity)) continue;
    const span = checkedSpan(text, item.start, item.end);
    if (!span) continue;
    findings.push({
      ...span,
      kind: optionalString(item.kind) ?? 'other',
      severity: item.severity,
      rule: optionalString(item.rule) ?? '',
      channel: optionalString(item.channel),
      reason: optionalString(item.reason) ?? '',
      suggestion: optionalString(item.suggestion),
      mask: typeof item.mask === 'string' ? item.mask : null,
    });
  }
  return findings.sort((a, b) => a.start - b.start || b.end - a.end);
}

/**
 * `text` with every finding of at least `floor` severity that has a mask replaced by it.
 * Overlapping spans are merged into one replacement (the first finding's mask).
 */
export function maskText(text, findings, floor = 'warn') {
  const chosen = findings
    .filter((f) => f.mask !== null && isAtLeast(f.severity, floor))
    .sort((a, b) => a.start - b.start);
  let out = '';
  let cursor = 0;
  for (const finding of chosen) {
    if (finding.end <= cursor) continue;
    if (finding.start < cursor) {
      cursor = finding.end;
      continue;
    }
    out += text.slice(cursor, finding.start) + finding.mask;
    cursor = finding.end;
  }
  return out + text.slice(cursor);
}
