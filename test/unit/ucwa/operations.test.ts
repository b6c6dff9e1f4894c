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

  /** n sends of conversation `key` answered, each event `lagMs` after its 201. */
  async function warm(ops: OperationRegistry<string>, key: string, n: number, lagMs: number): Promise<void> {
    for (let i = 0; i < n; i += 1) {
      const id = `${key}-${lagMs}-${i}`;
      ops.stream.issue(id);
      ops.answered(id, key);
      await clock.tickAsync(lagMs);
      ops.recordProof(id, true);
    }
  }

  const settledAfter = async (p: Promise<boolean>): Promise<number> => {
    const start = Date.now();
    let done = false;
    void p.then(() => { done = true; });
    while (!done) await clock.tickAsync(1);
    return Date.now() - start;
  };

  it("should make the conversation's measured 201-to-event lag the first wait of confirm, between floorMs and timeoutMs", async () => {
    const ops = new OperationRegistry<string>();
    assert.equal(await settledAfter(ops.confirm('cold', 3_000, { key: 'alice', floorMs: 250 })), 3_000, 'no lags measured yet: the full bound');
    await warm(ops, 'alice', 4, 40);
    assert.equal(ops.lags.samples('alice'), 4);
    assert.equal(await settledAfter(ops.confirm('quick', 3_000, { key: 'alice', floorMs: 250 })), 250, 'lags of 40 ms: the floor');
    await warm(ops, 'alice', 1, 900);
    assert.equal(await settledAfter(ops.confirm('slower', 3_000, { key: 'alice', floorMs: 250 })), 1_800, 'one 900 ms lag: twice that');
    assert.equal(await settledAfter(ops.confirm('fixed', 3_000)), 3_000, 'without a key the bound is timeoutMs, as before');
  });

  it("should not let other conversations' lags decide: a slow far end keeps its own wait", async () => {
    const ops = new OperationRegistry<string>();
    await warm(ops, 'bob', 50, 5);
    assert.equal(await settledAfter(ops.confirm('to-bob', 3_000, { key: 'bob', floorMs: 250 })), 250);
    assert.equal(await settledAfter(ops.confirm('to-carol', 3_000, { key: 'carol', floorMs: 250 })), 3_000, 'carol has no lags of her own: the ceiling');
    await warm(ops, 'alice', 4, 600);
    assert.equal(await settledAfter(ops.confirm('to-alice', 3_000, { key: 'alice', floorMs: 250 })), 1_200);
  });

  it('should count an event that beat its 201 as a lag of 0', async () => {
    const ops = new OperationRegistry<string>();
    for (let i = 0; i < 4; i += 1) {
      ops.stream.issue(`e${i}`);
      ops.recordProof(`e${i}`, true);
      ops.answered(`e${i}`, 'k');
    }
    assert.equal(ops.lags.samples('k'), 4);
    assert.equal(ops.lags.bound('k', 0, 3_000), 0);
  });

  it('should keep waiting past the measured bound while a send answered earlier still has no event', async () => {
    const ops = new OperationRegistry<string>();
    await warm(ops, 'k', 4, 5);
    ops.stream.issue('earlier');
    ops.answered('earlier', 'other');
    let result: boolean | undefined;
    void ops.confirm('doubtful', 3_000, { key: 'k', floorMs: 250 }).then((r) => { result = r; });
    await clock.tickAsync(400);
    assert.equal(result, undefined, 'the stream lags behind the failure: not yet "not delivered"');
    ops.recordProof('earlier', true);
    await clock.tickAsync(63);
    assert.equal(result, false, 'caught up: settled at the next quarter-bound check');
  });

  it('should build event errors from the reason block', () => {
    const err = reasonToError('startMessaging', { code: 'RemoteFailure', subcode: 'DestinationNotFound', message: 'No such user' }, 'Failure', 'op');
    assert.equal(err.details.source, 'event');
    assert.equal(err.status, 0);
    assert.equal(err.message, 'startMessaging failed: RemoteFailure/DestinationNotFound: No such user (event status Failure)');
    assert.equal(reasonToError('sendMessage', undefined, 'Failure').code, 'RemoteFailure');
  });
});
