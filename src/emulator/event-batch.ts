/**
 * What one event-channel response is made of (PROTOCOL.md §6.3, §6.6): queued events, their grouping into sender
 * blocks, and the optional collapsing of fast operations.
 */
import type { SenderBlock, UcwaEvent } from '../ucwa/wire-types.js';
import type { Priority } from './event-channel.js';

export interface Queued {
  rel: string;
  href: string;
  event: UcwaEvent;
  priority: Priority;
  /** Events that must be picked up in time (incoming messages, message_ref.md: 30 s): when, and what to do then. */
  expiresAt?: number;
  onExpire?: () => void;
}

/** An event that expires if no P-GET picks it up within `ms` (PROTOCOL.md §12, §14.4). */
export interface EventTtl {
  ms: number;
  onExpire: () => void;
}

const OPERATION_PROGRESS = new Set(['started', 'updated']);

/** Drops `started`/`updated` events of operations whose `completed` event is in the same response. */
export function collapseOperations(queue: readonly Queued[]): Queued[] {
  const completed = new Set<string>();
  for (const q of queue) if (q.event.type === 'completed') completed.add(q.event.link.href);
  if (completed.size === 0) return queue as Queued[];
  return queue.filter((q) => !(OPERATION_PROGRESS.has(q.event.type) && completed.has(q.event.link.href)));
}

/** Groups consecutive events of one sender, starting a new block when the sender changes (ReceiveAnIM.md step 15). */
export function toSenderBlocks(queue: readonly Queued[]): SenderBlock[] {
  const blocks: SenderBlock[] = [];
  let cur: SenderBlock | undefined;
  for (const q of queue) {
    if (!cur || cur.href !== q.href || cur.rel !== q.rel) {
      cur = { rel: q.rel, href: q.href, events: [] };
      blocks.push(cur);
    }
    cur.events.push(q.event);
  }
  return blocks;
}
