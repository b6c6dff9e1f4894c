import assert from 'node:assert/strict';
import fc from 'fast-check';
import { findRule, ruleKey, ruleMatches, specificity } from '../../../src/retry/match.js';
import type { RetryRule } from '../../../src/retry/types.js';

const status = fc.constantFrom<RetryRule['status']>('*', 0, 404, 409, 500);
const code = fc.constantFrom('*', 'NotFound', 'notfound', 'Conflict', 'ServiceFailure');
const subcode = fc.constantFrom<RetryRule['subcode']>('*', null, 'None', 'AlreadyExists', 'alreadyexists', 'PGetReplaced');
const rule = fc.record({ status, code, subcode }).map((r): RetryRule => ({ ...r, action: 'fail', reason: ruleKey(r) }));
const error = fc.record({
  status: fc.constantFrom(0, 404, 409, 500),
  code: fc.constantFrom('NotFound', 'CONFLICT', 'ServiceFailure', 'Other'),
  subcode: fc.constantFrom(undefined, 'AlreadyExists', 'pgetreplaced', 'Other', 'None'),
});
/** Rows with distinct keys, as resolveRetryRules guarantees. */
const table = fc.array(rule, { maxLength: 25 }).map((rows) => [...new Map(rows.map((r) => [ruleKey(r), r])).values()]);

describe('findRule (most specific row wins)', () => {
  it('should pick a matching row that no other matching row outranks, whatever the order of the table', () => {
    fc.assert(fc.property(table, error, fc.integer(), (rows, err, seed) => {
      const winner = findRule(rows, err);
      const matching = rows.filter((r) => ruleMatches(r, err));
      if (!winner) return matching.length === 0;
      const shuffled = [...rows].sort((a, b) => ((ruleKey(a) + seed).localeCompare(ruleKey(b) + seed)));
      return ruleMatches(winner, err)
        && matching.every((r) => specificity(r) < specificity(winner) || r === winner)
        && findRule(shuffled, err) === winner;
    }));
  });

  it("should give the same key to rows that differ only in code/subcode case or in writing 'None' for null", () => {
    const a: RetryRule = { status: 409, code: 'Conflict', subcode: null, action: 'fail', reason: 'a' };
    assert.equal(ruleKey(a), ruleKey({ ...a, code: 'conflict', subcode: 'None' }));
    assert.notEqual(ruleKey(a), ruleKey({ ...a, subcode: '*' }));
    assert.notEqual(ruleKey(a), ruleKey({ ...a, status: '*' }));
  });
});
