/**
 * Serialises turns per conversation: turns of one conversation run one after another, in the order the
 * event channel delivered their events; turns of different conversations run concurrently.
 *
 * A turn that (directly or through its callees) queues another turn for its own conversation would wait for
 * itself forever — e.g. a handler awaiting `adapter.continueConversation(ownReference, ...)`. The queue knows
 * which conversations the current async context is already running (AsyncLocalStorage) and runs such a
 * nested turn at once instead.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** Per-conversation FIFO of turns (see the file comment). */
export class TurnQueue {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly running = new AsyncLocalStorage<ReadonlySet<string>>();

  /** Conversations with queued or running turns. */
  get size(): number {
    return this.tails.size;
  }

  /**
   * Queues `task` behind the conversation's earlier turns. The returned promise settles with the task;
   * a failed task never stops the turns queued after it.
   */
  enqueue<T>(key: string, task: () => Promise<T>): Promise<T> {
    const inside = this.running.getStore();
    const run = (): Promise<T> => this.running.run(new Set([...(inside ?? []), key]), task);
    if (inside?.has(key)) return run();
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(run);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Resolves when every turn queued so far (in any conversation) has finished. */
  async drain(): Promise<void> {
    while (this.tails.size > 0) await Promise.all([...this.tails.values()]);
  }
}
