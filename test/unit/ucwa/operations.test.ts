import { strict as assert } from 'node:assert';
import sinon from 'sinon';
import { isUcwaError } from '../../../src/ucwa/errors.js';
import { OperationRegistry, reasonToError } from '../../../src/ucwa/operations.js';

describe('OperationRegistry', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers();
  });
  afterEach(() => clock.restore());

  it('should settle an invitation registered before its POST, found by operationId or by Location href', async () => {
    const ops = new OperationRegistry<string>();
    const outcome = ops.registerInvitation({ operationId: 'op1', resource: 'startMessaging', to: 'sip:a@b.c' }, 60_000);
    ops.attachHref('op1', 'https://x/inv/1');
    assert.equal(ops.findInvitation(undefined, 'https://x/inv/1')?.operationId, 'op1');
    ops.settleInvitation('op1', { value: 'conversation' });
    assert.equal(await outcome, 'conversation');
    assert.equal(ops.findInvitation('op1'), undefined);
  });

  it('should time out an invitation nobody answers', async () => {
    const ops = new OperationRegistry<string>();
    const outcome = ops.registerInvitation({ operationId: 'op2', resource: 'startMessaging' }, 1000);
    const settled = outcome.catch((e: unknown) => e);
    await clock.tickAsync(1000);
    const err = await settled;
    assert.ok(isUcwaError(err) && err.subcode === 'InvitationTimeout');
  });

  it('should confirm delivery when the outgoing message event arrives, before or after the question', async () => {
    const ops = new OperationRegistry<string>();
    ops.recordProof('early', true, 'https://x/m/1');
    assert.equal(await ops.confirm('early', 100), true);
    const waiting = ops.confirm('late', 3000);
    await clock.tickAsync(500);
    ops.recordProof('late', true);
    assert.equal(await waiting, true);
    const never = ops.confirm('never', 3000);
    await clock.tickAsync(3000);
    assert.equal(await never, false);
    assert.equal(ops.provenHref('early'), 'https://x/m/1');
  });

  it('should build event errors from the reason block', () => {
    const err = reasonToError('startMessaging', { code: 'RemoteFailure', subcode: 'DestinationNotFound', message: 'No such user' }, 'Failure', 'op');
    assert.equal(err.details.source, 'event');
    assert.equal(err.status, 0);
    assert.equal(err.message, 'startMessaging failed: RemoteFailure/DestinationNotFound: No such user (event status Failure)');
    assert.equal(reasonToError('sendMessage', undefined, 'Failure').code, 'RemoteFailure');
  });
});
