/**
 * The early "not delivered" proof (delivery-order.ts) and its use by OperationRegistry.confirm: false as soon as a
 * send issued after our reset was proven in the same event stream; otherwise the timed bound (fake timers).
 */
import assert from 'node:assert/strict';
import sinon from 'sinon';
import { DeliveryOrder, settlesByOrder } from '../../../src/retry/delivery-order.js';
import { OperationRegistry } from '../../../src/ucwa/operations.js';
import { ucwaError } from './fixtures.js';

/** 'true', 'false' or 'pending' once the microtasks queued so far have run (fake timers do not advance). */
async function state(p: Promise<boolean>): Promise<string> {
  let value = 'pending';
  void p.then((v) => { value = String(v); });
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
  return value;
}

describe('DeliveryOrder', () => {
  it('should say "overtaken" only for a send issued after the failure, in the same epoch', async () => {
    const order = new DeliveryOrder();
    order.issue('before');
    order.issue('ours');
    order.failed('ours');
    order.issue('after');
    const wait = order.whenOvertaken('ours')!;
    let overtaken = false;
    void wait.overtaken.then(() => { overtaken = true; });
    order.proven('before'); // issued before our failure: proves nothing about ours
    await Promise.resolve();
    assert.equal(overtaken, false);
    order.proven('after');
    await Promise.resolve();
    assert.equal(overtaken, false, 'not before its whole response was handled');
    order.flush();
    await Promise.resolve();
    assert.equal(overtaken, true);
  });

  it('should resolve at once when a later send was already proven before the question', async () => {
    const order = new DeliveryOrder();
    order.issue('ours');
    order.failed('ours');
    order.issue('later');
    order.proven('later');
    order.flush();
    await order.whenOvertaken('ours')!.overtaken;
  });

  it('should keep the FIRST issue of an operationId: a resent op proves nothing about failures between its attempts', async () => {
    const order = new DeliveryOrder();
    order.issue('x'); // attempt 1 of x, may be the one that produced the event
    order.issue('ours');
    order.failed('ours');
    order.issue('x'); // attempt 2 of x, after our failure
    const wait = order.whenOvertaken('ours')!;
    let overtaken = false;
    void wait.overtaken.then(() => { overtaken = true; });
    order.proven('x');
    order.flush();
    await Promise.resolve();
    assert.equal(overtaken, false);
  });

  it('should give no early proof across a broken order (application re-created, resync, unreadable event)', async () => {
    const order = new DeliveryOrder();
    order.issue('ours');
    order.failed('ours');
    const wait = order.whenOvertaken('ours')!;
    let overtaken = false;
    void wait.overtaken.then(() => { overtaken = true; });
    order.breakOrder();
    order.issue('later');
    order.proven('later');
    order.flush();
    await Promise.resolve();
    assert.equal(overtaken, false);
    assert.equal(order.waiting, 0);
    order.issue('ours2');
    order.failed('ours2');
    order.breakOrder();
    assert.equal(order.whenOvertaken('ours2'), undefined, 'a failure from an older epoch has no early proof');
  });

  it('should apply only to resets seen on the connection, never to our own timeout or an answered error', () => {
    assert.equal(settlesByOrder(ucwaError(0, 'LocalFailure', 'ECONNRESET', { uncertain: true })), true);
    assert.equal(settlesByOrder(ucwaError(0, 'LocalFailure', 'UND_ERR_SOCKET', { uncertain: true })), true);
    assert.equal(settlesByOrder(ucwaError(0, 'Timeout', 'ETIMEDOUT', { uncertain: true })), false);
    assert.equal(settlesByOrder(ucwaError(0, 'LocalFailure', 'ECONNREFUSED', { uncertain: false })), false);
    assert.equal(settlesByOrder(ucwaError(503, 'ServiceUnavailable')), false);
  });
});

describe('OperationRegistry.confirm with the order proof', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers();
  });
  afterEach(() => clock.restore());

  it('should answer "not delivered" early when a later send is proven first (no timer needed)', async () => {
    const ops = new OperationRegistry<string>();
    ops.order.issue('ours');
    ops.order.failed('ours');
    const answer = ops.confirm('ours', 3_000, { ordered: true });
    ops.order.issue('later');
    assert.equal(await state(answer), 'pending');
    ops.recordProof('later', true);
    ops.order.flush();
    assert.equal(await state(answer), 'false');
    assert.equal(clock.now, 0, 'settled without waiting for the timed bound');
  });

  it('should not rely on the order within one response: ours later in the same response still proves delivery', async () => {
    const ops = new OperationRegistry<string>();
    ops.order.issue('ours');
    ops.order.failed('ours');
    const answer = ops.confirm('ours', 3_000, { ordered: true });
    ops.order.issue('later');
    ops.recordProof('later', true); // a server may group the response by sender: the later send's block first
    assert.equal(await state(answer), 'pending');
    ops.recordProof('ours', true);
    ops.order.flush();
    assert.equal(await answer, true);
  });

  it('should still answer "delivered" when our own event comes first', async () => {
    const ops = new OperationRegistry<string>();
    ops.order.issue('ours');
    ops.order.failed('ours');
    const answer = ops.confirm('ours', 3_000, { ordered: true });
    ops.order.issue('later');
    ops.recordProof('ours', true);
    ops.recordProof('later', true);
    assert.equal(await answer, true);
  });

  it('should fall back to the timed bound when no later send completes, and when ordered is off', async () => {
    const ops = new OperationRegistry<string>();
    ops.order.issue('a');
    ops.order.failed('a');
    const ordered = ops.confirm('a', 3_000, { ordered: true });
    ops.order.issue('b');
    ops.order.failed('b');
    const timedOnly = ops.confirm('b', 3_000);
    ops.order.issue('c');
    ops.recordProof('c', true);
    ops.order.flush();
    assert.equal(await state(ordered), 'false');
    assert.equal(await state(timedOnly), 'pending', 'a timeout (ordered off) waits the full bound');
    await clock.tickAsync(2_999);
    assert.equal(await state(timedOnly), 'pending');
    await clock.tickAsync(1);
    assert.equal(await timedOnly, false);
  });

  it('should fall back to the timed bound after the application was lost (failAll breaks the order)', async () => {
    const ops = new OperationRegistry<string>();
    ops.order.issue('ours');
    ops.order.failed('ours');
    const answer = ops.confirm('ours', 3_000, { ordered: true });
    ops.failAll(new Error('application lost'));
    ops.order.issue('later');
    ops.recordProof('later', true);
    ops.order.flush();
    assert.equal(await state(answer), 'pending');
    await clock.tickAsync(3_000);
    assert.equal(await answer, false);
  });
});

describe('OperationRegistry.confirm: a lag-aware timed bound', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers();
  });
  afterEach(() => clock.restore());

  it('should keep waiting past the bound while an earlier answered send has no event yet, then settle on our event', async () => {
    const ops = new OperationRegistry<string>();
    ops.order.issue('earlier');
    ops.order.answered('earlier'); // 201 came, its event has not: the stream lags behind
    ops.order.issue('ours');
    const answer = ops.confirm('ours', 1_000);
    await clock.tickAsync(5_000);
    assert.equal(await state(answer), 'pending', 'a slow stream is not read as "not delivered"');
    ops.recordProof('earlier', true);
    ops.recordProof('ours', true);
    assert.equal(await answer, true);
  });

  it('should answer "not delivered" at the next check once the stream caught up, and give up at maxWaitMs', async () => {
    const ops = new OperationRegistry<string>();
    ops.order.issue('earlier');
    ops.order.answered('earlier');
    ops.order.issue('ours');
    const caughtUp = ops.confirm('ours', 1_000);
    await clock.tickAsync(2_000);
    ops.recordProof('earlier', true);
    await clock.tickAsync(250);
    assert.equal(await caughtUp, false);

    ops.order.issue('stuck');
    ops.order.answered('stuck');
    ops.order.issue('ours2');
    const capped = ops.confirm('ours2', 1_000, { maxWaitMs: 4_000 });
    await clock.tickAsync(3_999);
    assert.equal(await state(capped), 'pending');
    await clock.tickAsync(1);
    assert.equal(await capped, false);
  });

  it('should not count a send whose event beat its 201 as lagging', async () => {
    const ops = new OperationRegistry<string>();
    ops.order.issue('fast');
    ops.recordProof('fast', true);
    ops.order.answered('fast');
    ops.order.issue('ours');
    const answer = ops.confirm('ours', 1_000);
    await clock.tickAsync(1_000);
    assert.equal(await answer, false);
  });
});
