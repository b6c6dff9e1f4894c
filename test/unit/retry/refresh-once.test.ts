/** withRetry and `hooks.alreadyRefreshed`: the refreshToken row never adds a second refresh for one 401 (issue #4). */
import assert from 'node:assert/strict';
import sinon from 'sinon';
import { resolveRetryRules } from '../../../src/retry/rules.js';
import { withRetry } from '../../../src/retry/with-retry.js';
import { UcwaError } from '../../../src/ucwa/errors.js';
import { recordingSleep, ucwaError } from './fixtures.js';

const policy = resolveRetryRules();

describe('withRetry: one token refresh per 401', () => {
  it('should give up without refreshing when the HTTP layer already refreshed and replayed for this 401', async () => {
    const unauthorized = ucwaError(401, 'Unauthorized');
    const task = sinon.fake.rejects(unauthorized);
    const refreshToken = sinon.fake.resolves(undefined);
    const alreadyRefreshed = sinon.fake((e: UcwaError) => e === unauthorized);
    const error = await withRetry(task, { resource: 'sendMessage', policy, sleep: recordingSleep().sleep, hooks: { refreshToken, alreadyRefreshed } })
      .then(() => assert.fail('expected a rejection'), (e: unknown) => e as UcwaError);
    assert.equal(task.callCount, 1);
    assert.equal(refreshToken.callCount, 0);
    assert.match(error.message, /still unauthorized after a token refresh/);
  });

  it('should refresh once through the row when the HTTP layer could not (no challenge yet), then stop at the next 401', async () => {
    const task = sinon.fake.rejects(ucwaError(401, 'Unauthorized'));
    const refreshToken = sinon.fake.resolves(undefined);
    const error = await withRetry(task, { resource: 'sendMessage', policy, sleep: recordingSleep().sleep, hooks: { refreshToken, alreadyRefreshed: () => false } })
      .then(() => assert.fail('expected a rejection'), (e: unknown) => e as UcwaError);
    assert.equal(refreshToken.callCount, 1);
    assert.equal(task.callCount, 2);
    assert.equal(error.attempts, 2);
  });
});
