import assert from 'node:assert/strict';
import sinon from 'sinon';
import { resolveRetryRules } from '../../../src/retry/rules.js';
import type { WithRetryOptions } from '../../../src/retry/types.js';
import { withRetry } from '../../../src/retry/with-retry.js';
import { UcwaError } from '../../../src/ucwa/errors.js';
import { recordingSleep, ucwaError } from './fixtures.js';

const policy = resolveRetryRules();
const unavailable = (retryAfterMs?: number) => ucwaError(503, 'ServiceUnavailable', undefined, retryAfterMs === undefined ? {} : { retryAfterMs });
const reset = () => ucwaError(0, 'LocalFailure', 'ECONNRESET', { uncertain: true });

/** A task scripted by a list of outcomes (an error to throw, or a value); records the operationId of each call. */
function scripted(outcomes: Array<Error | string>, operationId = 'op-7') {
  const sent: string[] = [];
  const task = sinon.fake(async (attempt: number) => {
    sent.push(operationId);
    const outcome = outcomes[Math.min(attempt, outcomes.length) - 1];
    if (outcome instanceof Error) throw outcome;
    return outcome as string;
  });
  return { task, sent };
}

function base<T = string>(extra: Partial<WithRetryOptions<T>> = {}): WithRetryOptions<T> & { delays: number[] } {
  const { sleep, delays } = recordingSleep();
  return { resource: 'sendMessage', operationId: 'op-7', policy, sleep, random: () => 0.5, now: () => 0, delays, ...extra };
}

async function rejection(promise: Promise<unknown>): Promise<UcwaError> {
  const error = await promise.then(() => assert.fail('expected a rejection'), (e: unknown) => e);
  assert.ok(error instanceof UcwaError, `expected a UcwaError, got ${String(error)}`);
  return error;
}

describe('withRetry', () => {
  it('should resolve with the first success and report each retry to onRetry', async () => {
    const { task } = scripted([unavailable(), unavailable(2_000), 'sent']);
    const onRetry = sinon.fake();
    const options = base<string>({ onRetry });
    assert.equal(await withRetry(task, options), 'sent');
    assert.equal(task.callCount, 3);
    assert.deepEqual(options.delays, [250, 2_000]);
    assert.deepEqual(onRetry.getCalls().map((c) => [c.args[0].attempt, c.args[0].decision.action, c.args[0].error.status]), [[1, 'retry', 503], [2, 'retry', 503]]);
  });

  describe('uncertain outcomes', () => {
    it('should not resend when confirmDelivery proves delivery', async () => {
      const { task, sent } = scripted([reset(), 'resent']);
      const confirmDelivery = sinon.fake.resolves(true);
      const result = await withRetry(task, base({ hooks: { confirmDelivery }, onAlreadyDone: () => 'confirmed' }));
      assert.equal(result, 'confirmed');
      assert.deepEqual(sent, ['op-7'], 'no resend after proven delivery');
      assert.equal(confirmDelivery.firstCall.args[0], 'op-7');
      assert.equal((confirmDelivery.firstCall.args[1] as UcwaError).subcode, 'ECONNRESET', 'the hook gets the error: a reset, not a timeout, decides which wait applies');
    });

    it('should resend with the same operationId when confirmDelivery finds no delivery', async () => {
      const { task, sent } = scripted([reset(), 'resent']);
      const confirmDelivery = sinon.fake.resolves(false);
      const options = base<string>({ hooks: { confirmDelivery }, onAlreadyDone: () => 'confirmed' });
      assert.equal(await withRetry(task, options), 'resent');
      assert.deepEqual(sent, ['op-7', 'op-7']);
      assert.equal(confirmDelivery.callCount, 1);
      assert.ok(confirmDelivery.firstCall.calledBefore(task.secondCall), 'settled before the resend');
    });

    it('should still settle an uncertain outcome on the last attempt instead of reporting a delivered send as failed', async () => {
      const { task } = scripted([reset()]);
      const confirmDelivery = sinon.fake((_: string, error: UcwaError) => Promise.resolve(error.details.attempts === undefined && task.callCount === 2));
      const result = await withRetry(task, base({ policy: resolveRetryRules({ maxAttempts: 2 }), hooks: { confirmDelivery }, onAlreadyDone: () => 'confirmed' }));
      assert.equal(result, 'confirmed');
      assert.equal(task.callCount, 2);
    });

    it('should end without a resend when confirmDelivery says the outcome can no longer be known', async () => {
      const { task } = scripted([reset(), 'resent']);
      const unknown = ucwaError(0, 'LocalFailure', 'DeliveryUnknown', { source: 'event' });
      const error = await rejection(withRetry(task, base({ hooks: { confirmDelivery: sinon.fake.rejects(unknown) }, onAlreadyDone: () => 'x' })));
      assert.equal(error, unknown);
      assert.equal(error.details.attempts, 1);
      assert.match(error.message, /confirmDelivery failed while handling 0 LocalFailure\/ECONNRESET/);
      assert.equal(task.callCount, 1);
    });

    it('should not ask confirmDelivery about a certain failure', async () => {
      const { task } = scripted([unavailable(), 'ok']);
      const confirmDelivery = sinon.fake.resolves(true);
      assert.equal(await withRetry(task, base({ hooks: { confirmDelivery } })), 'ok');
      assert.equal(confirmDelivery.callCount, 0);
    });
  });

  describe('409 AlreadyExists', () => {
    it('should be a failure on a first attempt', async () => {
      const { task } = scripted([ucwaError(409, 'Conflict', 'AlreadyExists')]);
      const onAlreadyDone = sinon.fake.returns('done');
      const error = await rejection(withRetry(task, base({ onAlreadyDone })));
      assert.equal(error.details.attempts, 1);
      assert.equal(onAlreadyDone.callCount, 0);
    });

    it('should be a success when it answers a retry of the same operationId', async () => {
      const { task } = scripted([ucwaError(500, 'ServiceFailure'), ucwaError(409, 'Conflict', 'AlreadyExists')]);
      assert.equal(await withRetry(task, base({ onAlreadyDone: () => 'done' })), 'done');
      assert.equal(task.callCount, 2);
    });

    it('should be a failure on a retry without an operationId (nothing ties it to the first attempt)', async () => {
      const { task } = scripted([ucwaError(500, 'ServiceFailure'), ucwaError(409, 'Conflict', 'AlreadyExists')]);
      const error = await rejection(withRetry(task, base({ operationId: undefined, onAlreadyDone: () => 'done' })));
      assert.equal(error.details.attempts, 2);
    });

    it('should fail clearly when the caller gave no onAlreadyDone', async () => {
      const { task } = scripted([ucwaError(500, 'ServiceFailure'), ucwaError(409, 'Conflict', 'AlreadyExists')]);
      const error = await rejection(withRetry(task, base()));
      assert.match(error.message, /no onAlreadyDone/);
    });
  });

  describe('budgets', () => {
    it('should stop at maxAttempts and say so in the error', async () => {
      const { task } = scripted([unavailable()]);
      const options = base<string>();
      const error = await rejection(withRetry(task, options));
      assert.equal(task.callCount, 10);
      assert.equal(error.details.attempts, 10);
      assert.equal(error.details.resource, 'sendMessage');
      assert.equal(error.details.operationId, 'op-7');
      assert.deepEqual(options.delays, [250, 500, 1_000, 2_000, 4_000, 7_500, 7_500, 7_500, 7_500]);
      assert.match(error.message, /^POST .* failed: 503 ServiceUnavailable — gave up: maxAttempts 10 reached \(10 attempts in 0 ms\)$/);
    });

    it("should stop after the row's own maxAttempts failures under that row", async () => {
      const callback = () => ucwaError(500, 'ServiceFailure', 'CallbackChannelError');
      const { task } = scripted([unavailable(), callback(), callback(), callback(), callback(), 'ok']);
      const error = await rejection(withRetry(task, base()));
      assert.equal(task.callCount, 5, 'the earlier 503 does not count against the CallbackChannelError row');
      assert.equal(error.details.attempts, 5);
      assert.match(error.message, /4 attempts failed with this error \(its row allows 4\)/);
    });

    it('should stop before a wait that would exceed maxElapsedMs', async () => {
      let clock = 1_000;
      const { task } = scripted([unavailable(), unavailable(30_000), 'ok']);
      const options = base<string>({ policy: resolveRetryRules({ maxElapsedMs: 20_000 }), now: () => clock });
      const sleep = options.sleep!;
      options.sleep = async (ms, signal) => { clock += ms; await sleep(ms, signal); };
      const error = await rejection(withRetry(task, options));
      assert.equal(task.callCount, 2);
      assert.equal(error.details.elapsedMs, 250);
      assert.match(error.message, /waiting 30000 ms more would exceed maxElapsedMs 20000 \(2 attempts in 250 ms\)$/);
    });

    it('should never retry a permanent error', async () => {
      for (const permanent of [ucwaError(400, 'BadRequest', 'ParameterValidationFailure'), ucwaError(403, 'Forbidden'), ucwaError(413, 'EntityTooLarge'), ucwaError(410, 'Gone', 'TooManyApplications'), ucwaError(409, 'Conflict', 'PGetReplaced')]) {
        const { task } = scripted([permanent, 'ok']);
        const options = base<string>();
        assert.equal(await rejection(withRetry(task, options)), permanent);
        assert.equal(task.callCount, 1, permanent.message);
        assert.deepEqual(options.delays, []);
      }
    });
  });

  describe('hooks', () => {
    it('should refresh the token once, then fail on a second 401', async () => {
      const unauthorized = () => ucwaError(401, 'Unauthorized');
      const refreshToken = sinon.fake.resolves(undefined);
      const ok = scripted([unauthorized(), 'ok']);
      assert.equal(await withRetry(ok.task, base({ hooks: { refreshToken } })), 'ok');
      assert.equal(refreshToken.callCount, 1);
      const again = scripted([unauthorized(), unavailable(), unauthorized(), 'ok']);
      const error = await rejection(withRetry(again.task, base({ hooks: { refreshToken } })));
      assert.equal(refreshToken.callCount, 2, 'one refresh per logical operation');
      assert.equal(error.details.attempts, 3);
      assert.match(error.message, /still unauthorized after a token refresh/);
    });

    it('should fail a 401 at once when there is no refreshToken hook', async () => {
      const { task } = scripted([ucwaError(401, 'Unauthorized'), 'ok']);
      assert.match((await rejection(withRetry(task, base()))).message, /no refreshToken hook/);
      assert.equal(task.callCount, 1);
    });

    it('should re-create the application after the back-off, then retry', async () => {
      const recreateApplication = sinon.fake.resolves(undefined);
      const { task } = scripted([ucwaError(410, 'Gone', 'InactiveApplicationExpired'), 'ok']);
      const options = base<string>({ hooks: { recreateApplication } });
      assert.equal(await withRetry(task, options), 'ok');
      assert.equal(recreateApplication.callCount, 1);
      assert.deepEqual(options.delays, [500]);
    });

    it('should surface the hook failure (with attempts) when re-creating the application fails', async () => {
      const cause = ucwaError(410, 'Gone', 'TooManyApplications');
      const { task } = scripted([ucwaError(404, 'NotFound', 'ApplicationNotFound'), 'ok']);
      const error = await rejection(withRetry(task, base({ hooks: { recreateApplication: sinon.fake.rejects(cause) } })));
      assert.equal(error, cause);
      assert.equal(error.details.attempts, 1);
      assert.match(error.message, /recreateApplication failed while handling 404 NotFound\/ApplicationNotFound/);
      assert.equal(task.callCount, 1);
    });

    it('should not retry when onAlreadyDone itself throws a UcwaError', async () => {
      const { task } = scripted([reset(), 'resent']);
      const boom = ucwaError(503, 'ServiceUnavailable');
      const error = await rejection(withRetry(task, base({ hooks: { confirmDelivery: async () => true }, onAlreadyDone: () => { throw boom; } })));
      assert.equal(error, boom);
      assert.equal(task.callCount, 1);
    });

    it('should rethrow an error that is not a UcwaError without retrying it', async () => {
      const bug = new RangeError('bug in the caller');
      const { task } = scripted([bug, 'ok']);
      await assert.rejects(withRetry(task, base()), (e) => e === bug);
      assert.equal(task.callCount, 1);
    });
  });

  describe('timers and abort (default sleep, sinon fake timers)', () => {
    let clock: sinon.SinonFakeTimers;
    beforeEach(() => { clock = sinon.useFakeTimers(); });
    afterEach(() => clock.restore());

    it('should wait exactly the Retry-After before the next attempt', async () => {
      const { task } = scripted([unavailable(2_000), 'ok']);
      const done = withRetry(task, { resource: 'sendMessage', operationId: 'op-7', policy });
      await clock.tickAsync(1_999);
      assert.equal(task.callCount, 1);
      await clock.tickAsync(1);
      assert.equal(await done, 'ok');
      assert.equal(task.callCount, 2);
    });

    it('should abort a pending back-off with an AbortError and not attempt again', async () => {
      const controller = new AbortController();
      const { task } = scripted([unavailable(10_000), 'ok']);
      const done = withRetry(task, { resource: 'sendMessage', policy, signal: controller.signal });
      const settled = done.then(() => assert.fail('expected an abort'), (e: unknown) => e);
      await clock.tickAsync(100);
      controller.abort();
      const error = await settled;
      assert.equal((error as Error).name, 'AbortError');
      await clock.tickAsync(20_000);
      assert.equal(task.callCount, 1);
    });

    it('should not start when the signal is already aborted', async () => {
      const controller = new AbortController();
      controller.abort(new Error('stopped'));
      const { task } = scripted(['ok']);
      await assert.rejects(withRetry(task, { resource: 'sendMessage', policy, signal: controller.signal }), /stopped/);
      assert.equal(task.callCount, 0);
    });

    it('should end with the abort reason when the task fails because it was aborted', async () => {
      const controller = new AbortController();
      const reason = new Error('adapter stopped');
      const task = sinon.fake(async () => { controller.abort(reason); throw ucwaError(0, 'LocalFailure', 'ABORT_ERR'); });
      await assert.rejects(withRetry(task, { resource: 'sendMessage', policy, signal: controller.signal }), (e) => e === reason);
      assert.equal(task.callCount, 1);
    });
  });
});
