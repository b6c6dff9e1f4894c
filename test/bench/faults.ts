/**
 * `npm run bench -- faults`: outbound throughput with ~20% faults on sendMessage and on the event channel (documented
 * 5xx, CallbackChannelError, resets before and after processing, dropped P-GETs: the soak's mix), as a ratio of the
 * fault-free run in the same process (issue #4: target ≥ 0.7). UcwaClient against the emulator on loopback, both in
 * this one process, always with the PRODUCTION settings: the default retry table and budgets, the measured
 * confirmDelivery wait per conversation, and the faithful emulator (no operationId de-duplication), so
 * duplicates are counted, not hidden by the backstop. Every conversation sends in order, one message at a time.
 *
 * Shapes (clean and faulty runs alternate; 3 pairs; the median clean and median faulty rates give the ratio):
 * - `throughput` (the target): closed loop, as `wrk -c 1000 -d 5s` measures a server: 1,000 conversations each send
 *   their next message as soon as the previous one settled, for 5 s; the rate counts sends settled in the window.
 *   With enough conversations the client (and the emulator beside it) is the bottleneck, so this is what faults cost
 *   in work: ≈20% more requests, a new connection per reset, error handling, event-channel re-polls, delivery waits.
 *   Steady state: each conversation first delivers 4 messages, untimed and fault-free, so it has measured its far
 *   end's delivery lag (event-lag.ts), as the conversations of a running bot have.
 * - `concurrency50`: the same with the soak's 50 conversations. Latency-bound: the box idles while conversations
 *   wait out back-offs and delivery waits (a conversation's later messages must stay in order).
 * - `waitsRemoved50`: `concurrency50` with the test table (every retry wait ≤ 20 ms; the delivery wait after a
 *   reset is unchanged): the gap to `concurrency50` is the price of the production back-off.
 * - `batch`: the soak's shape from cold, timed to the end: 2,000 messages over 50 new conversations, 40 each, so the
 *   unluckiest conversation decides the time (a makespan, not a rate); a reset among a conversation's first 4
 *   sends waits the full 3 s, because its far end's lag is not known yet.
 */
import type { BenchReport } from './run.js';
import { fastRetry, runOutboundLoad, type OutboundLoadOptions, type OutboundLoadReport } from '../integration/retry/outbound-load.js';

type Shape = Pick<OutboundLoadOptions, 'conversations' | 'messagesPerConversation' | 'durationMs' | 'warmUpMessages' | 'retry'>;

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const sum = (values: Record<string, number>): number => Object.values(values).reduce((a, b) => a + b, 0);
const duplicates = (r: OutboundLoadReport): number => r.duplicated + r.duplicatedAcrossApplicationLoss;

async function measure(label: string, shape: Shape, repeats: number): Promise<Record<string, number | string>> {
  const clean: number[] = [];
  const faulty: number[] = [];
  const totals = { messages: 0, retries: 0, duplicates: 0, losses: 0, outOfOrder: 0, surfacedFailures: 0, hits: 0, requests: 0 };
  for (let i = 0; i < repeats; i += 1) {
    const base = { ...shape, expiries: false, permanentFaults: false, dedupe: false, resendAfterFailure: true, seed: 1_000 + i };
    const c = await runOutboundLoad({ ...base, faults: false });
    const f = await runOutboundLoad({ ...base, faults: true });
    clean.push(c.messagesPerSecond);
    faulty.push(f.messagesPerSecond);
    totals.retries += sum(f.retriesByAction);
    for (const r of [c, f]) {
      totals.messages += r.messages;
      totals.duplicates += duplicates(r);
      totals.losses += r.lost;
      totals.outOfOrder += r.outOfOrder;
      totals.surfacedFailures += r.surfacedFailures;
    }
    totals.hits += sum(f.faultHits);
    totals.requests += f.sendMessageRequests + f.eventRequests;
  }
  const cleanPerSecond = median(clean);
  const faultyPerSecond = median(faulty);
  const ratio = Number((faultyPerSecond / cleanPerSecond).toFixed(3));
  process.stdout.write(`  ${label}: clean ${cleanPerSecond}/s, faulty ${faultyPerSecond}/s, ratio ${ratio}\n`);
  return {
    conversations: shape.conversations,
    measure: shape.durationMs !== undefined ? `sends settled in a ${shape.durationMs / 1000} s window` : `${shape.conversations * shape.messagesPerConversation} messages, time to the last`,
    runs: repeats,
    cleanPerSecond,
    faultyPerSecond,
    ratio,
    pairRatios: clean.map((c, k) => (faulty[k]! / c).toFixed(2)).join('/'),
    samples: `clean ${clean.join('/')} faulty ${faulty.join('/')}`,
    messagesChecked: totals.messages,
    faultRateSeen: Number((totals.hits / totals.requests).toFixed(3)),
    retriesPerFaultyRun: Math.round(totals.retries / repeats),
    duplicates: totals.duplicates,
    losses: totals.losses,
    outOfOrder: totals.outOfOrder,
    surfacedFailures: totals.surfacedFailures,
  };
}

export default async function run(): Promise<BenchReport> {
  // Warm-up: JIT, sockets, emulator code paths.
  await runOutboundLoad({ conversations: 200, messagesPerConversation: 0, durationMs: 2_000, faults: true, expiries: false, permanentFaults: false, dedupe: false, resendAfterFailure: true });
  // Steady state: every conversation has measured its far end (4 delivered sends) before the window opens.
  const window = { messagesPerConversation: 0, durationMs: 5_000, warmUpMessages: 4 };
  const throughput = await measure('throughput (1,000 conversations)', { conversations: 1_000, ...window }, 3);
  const concurrency50 = await measure('concurrency50', { conversations: 50, ...window }, 3);
  const waitsRemoved50 = await measure('waitsRemoved50 (test table)', { conversations: 50, ...window, retry: fastRetry() }, 3);
  const batch = await measure('batch (2,000 / 50, makespan)', { conversations: 50, messagesPerConversation: 40 }, 3);
  const shapes = [throughput, concurrency50, waitsRemoved50, batch];
  return {
    settings: 'production retry table and budgets (except waitsRemoved50), confirmDelivery wait measured per conversation, emulator without de-duplication',
    faultRate: '~20% of sendMessage and of events requests (documented 5xx, CallbackChannelError, resets before/after, dropped P-GETs)',
    target: 0.7,
    ratio: throughput.ratio as number,
    meetsTarget: (throughput.ratio as number) >= 0.7,
    ratioConcurrency50: concurrency50.ratio as number,
    ratioWaitsRemoved50: waitsRemoved50.ratio as number,
    ratioBatch: batch.ratio as number,
    lostOrDuplicated: shapes.reduce((n, s) => n + (s.losses as number) + (s.duplicates as number) + (s.outOfOrder as number), 0),
    throughput,
    concurrency50,
    waitsRemoved50,
    batch,
  };
}
