import assert from 'node:assert/strict';
import { formatRetryTable } from '../../../src/retry/format-table.js';
import { RETRY_RULES } from '../../../src/retry/rules.js';

describe('formatRetryTable', () => {
  const table = formatRetryTable(RETRY_RULES);
  const rows = table.trimEnd().split('\n').slice(2);

  it('should list every rule once, in table order, with its key, action and reason', () => {
    assert.equal(rows.length, RETRY_RULES.length);
    RETRY_RULES.forEach((rule, i) => {
      const cells = rows[i]!.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim());
      assert.equal(cells.length, 6, rows[i]);
      assert.equal(cells[0], String(rule.status));
      assert.equal(cells[1], rule.code);
      assert.equal(cells[2], rule.subcode === null ? '(none)' : rule.subcode);
      assert.equal(cells[3], `\`${rule.action}\``);
      assert.equal(cells[5]!.replace(/\\\|/g, '|'), rule.reason);
    });
  });

  it('should describe backoff, Retry-After and row limits', () => {
    assert.match(formatRetryTable([{ status: 503, code: '*', subcode: '*', action: 'retry', reason: 'r', baseDelayMs: 1_000, maxDelayMs: 15_000, factor: 2, honorRetryAfter: true }]),
      /\| 503 \| \* \| \* \| `retry` \| ≤ 1000 ms ×2, cap 15000 ms, or Retry-After \| r \|/);
    assert.match(formatRetryTable([{ status: 401, code: '*', subcode: '*', action: 'refreshToken', reason: 'r', maxAttempts: 2 }]), /`refreshToken` \| gives up at failure 2 \|/);
    assert.match(formatRetryTable([{ status: 400, code: 'BadRequest', subcode: null, action: 'fail', reason: 'a | b' }]), /\| \(none\) \| `fail` \| — \| a \\\| b \|/);
  });
});
