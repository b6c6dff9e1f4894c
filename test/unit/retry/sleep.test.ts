import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import sinon from 'sinon';
import { sleep } from '../../../src/retry/sleep.js';

describe('sleep', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => { clock = sinon.useFakeTimers(); });
  afterEach(() => clock.restore());

  it('should resolve after the delay', async () => {
    let done = false;
    const waiting = sleep(1_000).then(() => { done = true; });
    await clock.tickAsync(999);
    assert.equal(done, false);
    await clock.tickAsync(1);
    await waiting;
    assert.equal(done, true);
  });

  it('should reject every pending sleep with the abort reason, through one listener on the shared signal', async () => {
    const controller = new AbortController();
    const reason = new Error('stopped');
    const sleeps = Array.from({ length: 50 }, (_, i) => sleep(1_000 + i, controller.signal).then(() => 'woke', (e: unknown) => e));
    assert.equal(getEventListeners(controller.signal, 'abort').length, 1);
    controller.abort(reason);
    assert.deepEqual(new Set(await Promise.all(sleeps)), new Set([reason]));
  });

  it('should reject at once when the signal is already aborted', async () => {
    await assert.rejects(sleep(10, AbortSignal.abort(new Error('gone'))), /gone/);
  });

  it('should not wake a sleep that already finished when the signal aborts later', async () => {
    const controller = new AbortController();
    const first = sleep(10, controller.signal);
    await clock.tickAsync(10);
    await first;
    const second = sleep(1_000, controller.signal).then(() => 'woke', () => 'aborted');
    controller.abort();
    assert.equal(await second, 'aborted');
  });
});
