import assert from 'node:assert/strict';
import { decide } from '../../../src/retry/decide.js';
import { DEFAULT_MAX_ATTEMPTS, DEFAULT_MAX_ELAPSED_MS, RETRY_RULES, resolveRetryRules } from '../../../src/retry/rules.js';
import type { RetryOptions } from '../../../src/retry/types.js';
import { ucwaError } from './fixtures.js';

describe('resolveRetryRules', () => {
  it('should default to the table, 10 attempts and 60 s', () => {
    const policy = resolveRetryRules();
    assert.deepEqual(policy.rules, RETRY_RULES);
    assert.equal(policy.maxAttempts, DEFAULT_MAX_ATTEMPTS);
    assert.equal(policy.maxAttempts, 10);
    assert.equal(policy.maxElapsedMs, DEFAULT_MAX_ELAPSED_MS);
    assert.equal(policy.maxElapsedMs, 60_000);
    assert.ok(Object.isFrozen(policy) && Object.isFrozen(policy.rules));
  });

  it('should replace a default row with the same key in place and append new keys', () => {
    const policy = resolveRetryRules({
      maxAttempts: 3,
      maxElapsedMs: 5_000,
      rules: [
        { status: 409, code: 'conflict', subcode: 'None', action: 'fail', reason: 'our server never initialises slowly' },
        { status: 418, code: 'Teapot', subcode: '*', action: 'retry', reason: 'a proxy we know', baseDelayMs: 10 },
      ],
    });
    assert.equal(policy.rules.length, RETRY_RULES.length + 1);
    const index = RETRY_RULES.findIndex((r) => r.status === 409 && r.code === 'Conflict' && r.subcode === null);
    assert.equal(policy.rules[index]?.reason, 'our server never initialises slowly');
    assert.equal(policy.rules.at(-1)?.code, 'Teapot');
    assert.equal(decide(ucwaError(409, 'Conflict'), { attempt: 1, isRetry: false }, policy.rules).action, 'fail');
    assert.equal(decide(ucwaError(418, 'Teapot', 'x'), { attempt: 1, isRetry: false }, policy.rules).action, 'retry');
    assert.equal(policy.maxAttempts, 3);
    assert.equal(policy.maxElapsedMs, 5_000);
    assert.equal(RETRY_RULES.find((r) => r.status === 409 && r.subcode === null)?.action, 'retry', 'defaults untouched');
  });

  const ok = { status: 599, code: 'A', subcode: null, action: 'fail', reason: 'x' };
  const ok2 = { ...ok, code: 'B' };
  const bad: Array<[string, unknown, RegExp]> = [
    ['a bad action', { rules: [ok, ok2, { status: 500, code: '*', subcode: '*', action: 'again', reason: 'x' }] },
      /^retry\.rules\[2\]\.action must be one of 'retry', 'refreshToken', 'recreateApplication', 'succeeded', 'fail', got 'again'$/],
    ['a status out of range', { rules: [{ status: 700, code: '*', subcode: '*', action: 'fail', reason: 'x' }] }, /^retry\.rules\[0\]\.status must be an HTTP status .*got 700$/],
    ['a string status', { rules: [{ status: '503', code: '*', subcode: '*', action: 'fail', reason: 'x' }] }, /^retry\.rules\[0\]\.status .*got '503'$/],
    ['an empty code', { rules: [{ status: 503, code: '', subcode: '*', action: 'fail', reason: 'x' }] }, /^retry\.rules\[0\]\.code must be/],
    ['a missing subcode', { rules: [{ status: 503, code: '*', action: 'fail', reason: 'x' }] }, /^retry\.rules\[0\]\.subcode must be .*got undefined$/],
    ['a missing reason', { rules: [{ status: 503, code: '*', subcode: '*', action: 'fail' }] }, /^retry\.rules\[0\]\.reason must be a non-empty/],
    ['a negative delay', { rules: [{ status: 503, code: '*', subcode: '*', action: 'retry', reason: 'x', baseDelayMs: -1 }] }, /^retry\.rules\[0\]\.baseDelayMs must be a finite number ≥ 0, got -1$/],
    ['a NaN cap', { rules: [{ status: 503, code: '*', subcode: '*', action: 'retry', reason: 'x', maxDelayMs: Number.NaN }] }, /^retry\.rules\[0\]\.maxDelayMs must be/],
    ['a shrinking factor', { rules: [{ status: 503, code: '*', subcode: '*', action: 'retry', reason: 'x', factor: 0.5 }] }, /^retry\.rules\[0\]\.factor must be a finite number ≥ 1/],
    ['a fractional row maxAttempts', { rules: [{ status: 503, code: '*', subcode: '*', action: 'retry', reason: 'x', maxAttempts: 1.5 }] }, /^retry\.rules\[0\]\.maxAttempts must be an integer ≥ 1, got 1\.5$/],
    ['a non-boolean honorRetryAfter', { rules: [{ status: 503, code: '*', subcode: '*', action: 'retry', reason: 'x', honorRetryAfter: 'yes' }] }, /^retry\.rules\[0\]\.honorRetryAfter must be a boolean, got 'yes'$/],
    ['a misspelt field', { rules: [{ status: 503, code: '*', subcode: '*', acton: 'retry', reason: 'x' }] }, /^retry\.rules\[0\] has an unknown field 'acton'/],
    ['a row that is not an object', { rules: ['retry'] }, /^retry\.rules\[0\] must be an object, got 'retry'$/],
    ['rules that are not an array', { rules: { status: 503 } }, /^retry\.rules must be an array of rows, got an object$/],
    ['maxAttempts 0', { maxAttempts: 0 }, /^retry\.maxAttempts must be an integer ≥ 1, got 0$/],
    ['negative maxElapsedMs', { maxElapsedMs: -5 }, /^retry\.maxElapsedMs must be a finite number ≥ 0, got -5$/],
    ['an unknown option', { maxRetries: 3 }, /^retry has an unknown option 'maxRetries'/],
    ['two user rows with one key', { rules: [
      { status: 503, code: '*', subcode: '*', action: 'retry', reason: 'x' },
      { status: 503, code: '*', subcode: '*', action: 'fail', reason: 'y' },
    ] }, /^retry\.rules\[1\] has the same \(status, code, subcode\) as retry\.rules\[0\]/],
  ];
  for (const [what, options, message] of bad) {
    it(`should reject ${what} with a TypeError naming the field`, () => {
      assert.throws(() => resolveRetryRules(options as RetryOptions), (error: unknown) => error instanceof TypeError && message.test(error.message));
    });
  }
});
