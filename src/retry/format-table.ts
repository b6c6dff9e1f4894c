/**
 * `formatRetryTable(rules)`: the retry table as Markdown, for the README and for `--help`-style diagnostics.
 * Generated from the rows themselves so the documentation cannot drift from the behaviour.
 */
import { backoffDelay } from './backoff.js';
import type { RetryRule } from './types.js';

function cell(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function show(value: RetryRule['status'] | RetryRule['subcode']): string {
  if (value === null) return '(none)';
  return value === '*' ? '*' : String(value);
}

function describeBackoff(rule: RetryRule): string {
  if (rule.action === 'fail' || rule.action === 'succeeded') return '—';
  const parts: string[] = [];
  if (rule.action === 'retry' || rule.baseDelayMs !== undefined) {
    const first = backoffDelay(1, rule, () => 1);
    const cap = backoffDelay(64, rule, () => 1);
    parts.push(first === cap ? `≤ ${first} ms` : `≤ ${first} ms ×${rule.factor ?? 2}, cap ${cap} ms`);
  }
  if (rule.honorRetryAfter) parts.push('or Retry-After');
  if (rule.maxAttempts !== undefined) parts.push(`gives up at failure ${rule.maxAttempts}`);
  return parts.length ? parts.join(', ') : 'at once';
}

/**
 * One Markdown row per rule, in table order: status (0 = no response), code, subcode ((none) = no subcode,
 * * = any), action, delay before the next attempt (full jitter below the shown ceiling), reason.
 */
export function formatRetryTable(rules: readonly RetryRule[]): string {
  const lines = [
    '| Status | Code | Subcode | Action | Delay | Reason |',
    '|:--|:--|:--|:--|:--|:--|',
    ...rules.map((r) =>
      `| ${cell(show(r.status))} | ${cell(r.code)} | ${cell(show(r.subcode))} | \`${r.action}\` | ${cell(describeBackoff(r))} | ${cell(r.reason)} |`),
  ];
  return `${lines.join('\n')}\n`;
}
