/**
 * The lag-aware timed bound of OperationRegistry.confirm (stream-lag.ts): "not delivered" only once the stream holds
 * nothing older than the failure; and no early "not delivered" from the order of other sends' events (fake timers).
 */
import assert from 'node:assert/strict';
import sinon from 'sinon';
import { StreamLag } from '../../../src/retry/stream-lag.js';
import { OperationRegistry } from '../../../src/ucwa/operations.js';

/** 'true', 'false' or 'pending' once the microtasks queued so far have run (fake timers do not advance). */
async function state(p: Promise<boolean>): Promise<string> {
  let value = 'pending';
  void p.then((v) => { value = String(v); });
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
  return value;
}

describe('StreamLag', () => {
  it('should be behind a mark only while a send answered before it has no event', () => {
    const stream = new StreamLag();
    stream.issue('a');
    stream.answered('a');
    const mark = stream.mark();
    stream.issue('b');
    stream.answered('b');
    assert.equal(stream.isBehind(mark), true);
    stream.proven('a');
    assert.equal(stream.isBehind(mark), false, "b was issued after the mark: its missing event is not the stream's lag");
  });

  it('should keep the FIRST issue of an operationId: a resent op counts from its first attempt', () => {
    const stream = new StreamLag();
    stream.issue('x');
    const mark = stream.mark();
    stream.issue('x');
    stream.answered('x');
    assert.equal(stream.isBehind(mark), true, 'x was first written before the mark');
  });

  it('should vouch for nothing across a break (application re-created, resync, unreadable event)', () => {
    const stream = new StreamLag();
    stream.issue('a');
    stream.answered('a');
    const mark = stream.mark();
    stream.restart();
    assert.equal(stream.isBehind(mark), false, 'a will never report in the new stream');
    stream.issue('b');
    stream.answered('b');
    assert.equal(stream.isBehind(mark), false, 'a mark from an older epoch is never behind');
  });

  it('should count a resend into a new stream from its first issue there', () => {
    const stream = new StreamLag();
    stream.issue('x'); // written into the old application, outcome uncertain
    stream.restart(); // the application was re-created
    const before = stream.mark();
    stream.issue('x'); // the same operationId, resent into the new application
    stream.answered('x');
    assert.equal(stream.isBehind(before), false, 'issued after the mark in the new stream');
    assert.equal(stream.isBehind(stream.mark()), true, 'answered in the new stream and not yet reported: the stream lags');
  });

  it('should not count a send whose event beat its 201', () => {
    const stream = new StreamLag();
    stream.issue('fast');
    stream.proven('fast');
    stream.answered('fast');
    assert.equal(stream.isBehind(stream.mark()), false);
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
    ops.stream.issue('earlier');
    ops.answered('earlier', 'c1'); // 201 came, its event has not: the stream lags behind
    ops.stream.issue('ours');
    const answer = ops.confirm('ours', 1_000);
    await clock.tickAsync(5_000);
    assert.equal(await state(answer), 'pending', 'a slow stream is not read as "not delivered"');
    ops.recordProof('earlier', true);
    ops.recordProof('ours', true);
    assert.equal(await answer, true);
  });

  it('should answer "not delivered" at the next check once the stream caught up, and give up at maxWaitMs', async () => {
    const ops = new OperationRegistry<string>();
    ops.stream.issue('earlier');
    ops.answered('earlier', 'c1');
    ops.stream.issue('ours');
    const caughtUp = ops.confirm('ours', 1_000);
    await clock.tickAsync(2_000);
    ops.recordProof('earlier', true);
    await clock.tickAsync(250);
    assert.equal(await caughtUp, false);

    ops.stream.issue('stuck');
    ops.answered('stuck', 'c1');
    ops.stream.issue('ours2');
    const capped = ops.confirm('ours2', 1_000, { maxWaitMs: 4_000 });
    await clock.tickAsync(3_999);
    assert.equal(await state(capped), 'pending');
    await clock.tickAsync(1);
    assert.equal(await capped, false);
  });

  it('should not settle "not delivered" because a LATER send reported first: that is only its far end being quicker', async () => {
    const ops = new OperationRegistry<string>();
    ops.stream.issue('ours'); // written, then the connection reset: maybe processed, to a slow far end
    const answer = ops.confirm('ours', 3_000);
    ops.stream.issue('later');
    ops.answered('later', 'quick far end');
    ops.recordProof('later', true);
    await clock.tickAsync(2_999);
    assert.equal(await state(answer), 'pending');
    ops.recordProof('ours', true);
    assert.equal(await answer, true, 'its event came late, and it counts');
  });

  it('should fall back to the timed bound after the application was lost (failAll ends the stream)', async () => {
    const ops = new OperationRegistry<string>();
    ops.stream.issue('earlier');
    ops.answered('earlier', 'c1');
    ops.stream.issue('ours');
    const answer = ops.confirm('ours', 3_000);
    ops.failAll(new Error('application lost'));
    await clock.tickAsync(3_000);
    assert.equal(await answer, false, 'the old stream will never report earlier: no reason to wait on');
  });
});
