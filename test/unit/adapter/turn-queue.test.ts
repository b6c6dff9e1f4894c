import assert from 'node:assert/strict';
import { TurnQueue } from '../../../src/adapter/turn-queue.js';

function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('TurnQueue', () => {
  it('should run turns of one conversation one at a time, in order', async () => {
    const queue = new TurnQueue();
    const log: string[] = [];
    const first = gate();
    const a = queue.enqueue('k', async () => { log.push('a:start'); await first.promise; log.push('a:end'); });
    const b = queue.enqueue('k', async () => { log.push('b'); });
    await Promise.resolve();
    assert.deepEqual(log, ['a:start']);
    first.open();
    await Promise.all([a, b]);
    assert.deepEqual(log, ['a:start', 'a:end', 'b']);
  });

  it('should run different conversations concurrently', async () => {
    const queue = new TurnQueue();
    const hold = gate();
    const started: string[] = [];
    const a = queue.enqueue('k1', async () => { started.push('k1'); await hold.promise; });
    const b = queue.enqueue('k2', async () => { started.push('k2'); });
    await b;
    assert.deepEqual(started, ['k1', 'k2']);
    hold.open();
    await a;
  });

  it('should keep going after a failed turn and report the failure to its caller', async () => {
    const queue = new TurnQueue();
    const failed = queue.enqueue('k', async () => { throw new Error('boom'); });
    const next = queue.enqueue('k', async () => 'ok');
    await assert.rejects(failed, /boom/);
    assert.equal(await next, 'ok');
  });

  it('should run a nested turn for the same conversation at once instead of deadlocking', async () => {
    const queue = new TurnQueue();
    const result = await queue.enqueue('k', () => queue.enqueue('k', async () => 'inner'));
    assert.equal(result, 'inner');
  });

  it('should forget idle conversations and drain', async () => {
    const queue = new TurnQueue();
    const hold = gate();
    void queue.enqueue('k', () => hold.promise);
    assert.equal(queue.size, 1);
    const drained = queue.drain();
    hold.open();
    await drained;
    assert.equal(queue.size, 0);
  });
});
