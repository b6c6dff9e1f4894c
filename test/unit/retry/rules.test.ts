import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import sinon from 'sinon';
import { backoffDelay } from '../../../src/retry/backoff.js';
import { decide } from '../../../src/retry/decide.js';
import { RETRY_RULES, resolveRetryRules } from '../../../src/retry/rules.js';
import { withRetry } from '../../../src/retry/with-retry.js';
import type { RetryRule } from '../../../src/retry/types.js';
import { UcwaError } from '../../../src/ucwa/errors.js';
import { describeRule, fixtureFor, recordingSleep, ucwaError } from './fixtures.js';

const policy = resolveRetryRules();
const half = (): number => 0.5;

/** Runs one logical operation whose attempt 1 fails with `first` and, if called again, attempt 2 resolves 'ok'. */
async function runOnce(rule: RetryRule, first: UcwaError) {
  const { sleep, delays } = recordingSleep();
  const hooks = { refreshToken: sinon.fake.resolves(undefined), recreateApplication: sinon.fake.resolves(undefined) };
  const task = sinon.fake(async (attempt: number) => {
    if (attempt === 1) throw first;
    return 'ok';
  });
  const outcome = await withRetry(task, {
    resource: 'sendMessage', operationId: 'op-1', policy, hooks, sleep, random: half, now: () => 0,
    onAlreadyDone: () => 'already-done',
  }).then((value) => ({ value }), (error: unknown) => ({ error: error as UcwaError }));
  return { outcome, delays, hooks, task, rule };
}

describe('RETRY_RULES (default table)', () => {
  it('should give every row a one-line reason and a unique key', () => {
    const keys = new Set(RETRY_RULES.map((r) => `${r.status}|${r.code.toLowerCase()}|${String(r.subcode).toLowerCase()}`));
    assert.equal(keys.size, RETRY_RULES.length);
    for (const rule of RETRY_RULES) assert.match(rule.reason, /^[^\n]{10,200}$/, describeRule(rule));
  });

  it('should have a row for every synchronous error in errors.json a messaging bot can meet', () => {
    const catalogue = JSON.parse(readFileSync('/work/shared/ucwa/errors.json', 'utf8')) as Array<{
      name: string; status: number | null; code: string | null; subcode: string | null; channel: string;
    }>;
    const unmatched = catalogue
      .filter((e) => e.channel !== 'async' && typeof e.status === 'number' && e.status >= 400)
      .filter((e) => decide(ucwaError(e.status!, e.code ?? 'Unlisted', e.subcode ?? undefined), { attempt: 1, isRetry: true }, RETRY_RULES).rule === undefined)
      .map((e) => e.name);
    assert.deepEqual(unmatched, []);
  });

  for (const rule of RETRY_RULES) {
    it(`should apply ${describeRule(rule)} to its fixture error`, async () => {
      const error = fixtureFor(rule);
      assert.equal(decide(error, { attempt: 2, isRetry: true }, RETRY_RULES).rule, rule, 'a more specific row shadows this one');
      if (rule.action === 'succeeded') {
        // Only an answer to a retry of the same operationId proves the first attempt landed.
        const first = await runOnce(rule, fixtureFor(rule));
        assert.ok('error' in first.outcome);
        assert.equal(first.outcome.error.details.attempts, 1);
        assert.equal(first.task.callCount, 1);
        const { sleep } = recordingSleep();
        const value = await withRetry(async (attempt) => {
          throw attempt === 1 ? ucwaError(0, 'LocalFailure', 'ECONNREFUSED') : fixtureFor(rule);
        }, { resource: 'sendMessage', operationId: 'op-1', policy, sleep, random: half, onAlreadyDone: () => 'already-done' });
        assert.equal(value, 'already-done');
        return;
      }
      const { outcome, delays, hooks, task } = await runOnce(rule, error);
      if (rule.action === 'fail') {
        assert.ok('error' in outcome, 'a permanent error must reject');
        assert.equal(outcome.error, error);
        assert.equal(task.callCount, 1, 'a permanent error must never be retried');
        assert.deepEqual(delays, []);
        assert.equal(outcome.error.details.attempts, 1);
        assert.match(outcome.error.message, /not retried: .+\(1 attempt in 0 ms\)$/);
        return;
      }
      assert.deepEqual(outcome, { value: 'ok' });
      assert.equal(task.callCount, 2);
      assert.equal(hooks.refreshToken.callCount, rule.action === 'refreshToken' ? 1 : 0);
      assert.equal(hooks.recreateApplication.callCount, rule.action === 'recreateApplication' ? 1 : 0);
      const expected = rule.action === 'retry' || rule.baseDelayMs !== undefined ? backoffDelay(1, rule, half) : 0;
      assert.deepEqual(delays, expected > 0 ? [expected] : []);
      if (rule.action === 'retry') assert.ok(expected > 0, 'a retry row must wait before resending');
      if (rule.honorRetryAfter) {
        const withHeader = await runOnce(rule, fixtureFor(rule, { retryAfterMs: 7_000 }));
        assert.deepEqual(withHeader.delays, [7_000], 'Retry-After must replace the backoff');
      }
    });
  }
});
