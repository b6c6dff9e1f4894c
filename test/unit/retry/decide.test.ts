import assert from 'node:assert/strict';
import { decide } from '../../../src/retry/decide.js';
import { specificity } from '../../../src/retry/match.js';
import { RETRY_RULES } from '../../../src/retry/rules.js';
import type { RetryRule } from '../../../src/retry/types.js';
import { ucwaError } from './fixtures.js';

const row = (status: RetryRule['status'], code: string, subcode: RetryRule['subcode'], action: RetryRule['action']): RetryRule =>
  ({ status, code, subcode, action, reason: `${status}/${code}/${String(subcode)}`, baseDelayMs: 100, maxDelayMs: 1_000, factor: 2 });

describe('decide', () => {
  const first = { attempt: 1, isRetry: false };

  it('should let the most specific row win, whatever the table order', () => {
    const rows = [
      row('*', '*', '*', 'retry'),
      row('*', 'ServiceFailure', '*', 'fail'),
      row(500, '*', '*', 'retry'),
      row(500, 'ServiceFailure', '*', 'fail'),
      row('*', '*', 'CallbackChannelError', 'retry'),
      row(500, 'ServiceFailure', 'CallbackChannelError', 'refreshToken'),
    ];
    const cases: Array<[number, string, string | undefined, string]> = [
      [500, 'ServiceFailure', 'CallbackChannelError', '500/ServiceFailure/CallbackChannelError'],
      [502, 'ServiceFailure', 'CallbackChannelError', '*/*/CallbackChannelError'],
      [500, 'ServiceFailure', undefined, '500/ServiceFailure/*'],
      [500, 'Other', undefined, '500/*/*'],
      [502, 'ServiceFailure', undefined, '*/ServiceFailure/*'],
      [418, 'Teapot', undefined, '*/*/*'],
    ];
    for (const order of [rows, [...rows].reverse()]) {
      for (const [status, code, subcode, expected] of cases) {
        assert.equal(decide(ucwaError(status, code, subcode), first, order).rule?.reason, expected, `${status} ${code} ${subcode}`);
      }
    }
  });

  it('should rank (status, code, subcode) > (status, *, subcode) > (*, code, subcode) > (*, *, subcode) > (status, code, *) > (status, *, *) > (*, code, *) > (*, *, *)', () => {
    const ranked = [
      row(1, 'c', 's', 'fail'), row(1, '*', 's', 'fail'), row('*', 'c', 's', 'fail'), row('*', '*', 's', 'fail'),
      row(1, 'c', '*', 'fail'), row(1, '*', '*', 'fail'), row('*', 'c', '*', 'fail'), row('*', '*', '*', 'fail'),
    ].map(specificity);
    assert.deepEqual(ranked, [...ranked].sort((a, b) => b - a));
    assert.equal(new Set(ranked).size, ranked.length);
  });

  it('should never let a broad status row shadow a documented subcode', () => {
    // A failed invitation reported on the event channel has no HTTP status (0), like a network failure.
    assert.equal(decide(ucwaError(0, 'RemoteFailure', 'Declined', { source: 'event' }), first, RETRY_RULES).action, 'fail');
    assert.equal(decide(ucwaError(0, 'LocalFailure', 'UnknownThing'), first, RETRY_RULES).action, 'retry');
  });

  it('should treat only LocalFailure and Timeout at status 0 as network trouble', () => {
    assert.equal(decide(ucwaError(0, 'Timeout', 'ETIMEDOUT'), first, RETRY_RULES).action, 'retry');
    assert.equal(decide(ucwaError(0, 'ServiceFailure', 'MalformedBody'), first, RETRY_RULES).action, 'fail');
    assert.equal(decide(ucwaError(0, 'LocalFailure', 'CERT_HAS_EXPIRED'), first, RETRY_RULES).action, 'fail');
    assert.equal(decide(ucwaError(0, 'Timeout', 'InvitationTimeout', { source: 'event' }), first, RETRY_RULES).action, 'fail');
  });

  it('should compare codes and subcodes case-insensitively (PROTOCOL.md §15 item 34)', () => {
    const rows = [row(412, 'PreconditionFailed', null, 'fail'), row(409, 'Conflict', 'PGetReplaced', 'refreshToken')];
    assert.equal(decide(ucwaError(412, 'PreConditionFailed'), first, rows).rule, rows[0]);
    assert.equal(decide(ucwaError(409, 'conflict', 'pgetreplaced'), first, rows).rule, rows[1]);
  });

  it("should treat subcode 'None' as no subcode, and subcode: null as matching only errors without one", () => {
    const rows = [row(409, 'Conflict', null, 'retry'), row(409, 'Conflict', '*', 'fail')];
    assert.equal(decide(ucwaError(409, 'Conflict', 'None'), first, rows).rule, rows[0]);
    assert.equal(decide(ucwaError(409, 'Conflict'), first, rows).rule, rows[0]);
    assert.equal(decide(ucwaError(409, 'Conflict', 'Other'), first, rows).rule, rows[1]);
  });

  it('should read OAuth token errors by their code, whatever the status', () => {
    assert.equal(decide(ucwaError(400, 'invalid_grant', undefined, { source: 'oauth' }), first, RETRY_RULES).action, 'fail');
    assert.equal(decide(ucwaError(401, 'invalid_grant', undefined, { source: 'oauth' }), first, RETRY_RULES).action, 'fail');
    assert.equal(decide(ucwaError(401, 'Unauthorized'), first, RETRY_RULES).action, 'refreshToken');
    assert.equal(decide(ucwaError(400, 'server_error', undefined, { source: 'oauth' }), first, RETRY_RULES).action, 'retry');
  });

  it("should fail when no row matches", () => {
    assert.deepEqual(decide(ucwaError(418, 'Teapot'), first, [row(500, '*', '*', 'retry')]), { action: 'fail', delayMs: 0 });
  });

  it('should treat 409 AlreadyExists as a failure on a first attempt and as success on a retry', () => {
    const error = ucwaError(409, 'Conflict', 'AlreadyExists');
    assert.equal(decide(error, { attempt: 1, isRetry: false }, RETRY_RULES).action, 'fail');
    assert.equal(decide(error, { attempt: 2, isRetry: false }, RETRY_RULES).action, 'fail');
    assert.equal(decide(error, { attempt: 2, isRetry: true }, RETRY_RULES).action, 'succeeded');
  });

  it('should use Retry-After only for rows that honour it, and the jittered backoff otherwise', () => {
    const honoring = { ...row(503, '*', '*', 'retry'), honorRetryAfter: true };
    const plain = row(500, '*', '*', 'retry');
    assert.equal(decide(ucwaError(503, 'ServiceUnavailable', undefined, { retryAfterMs: 3_000 }), first, [honoring]).delayMs, 3_000);
    assert.equal(decide(ucwaError(500, 'ServiceFailure', undefined, { retryAfterMs: 3_000 }), { attempt: 3, isRetry: true, random: () => 0.5 }, [plain]).delayMs, 200);
    assert.equal(decide(ucwaError(503, 'ServiceUnavailable'), { attempt: 2, isRetry: true }, [honoring]).delayMs, 200);
  });

  it('should give no delay for fail and succeeded', () => {
    assert.equal(decide(ucwaError(400, 'BadRequest'), first, RETRY_RULES).delayMs, 0);
    assert.equal(decide(ucwaError(409, 'Conflict', 'AlreadyExists'), { attempt: 2, isRetry: true }, RETRY_RULES).delayMs, 0);
  });
});
