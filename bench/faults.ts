/**
 * `npm run bench -- faults`: outbound throughput with 20% faults on sendMessage and the event channel, as a ratio
 * of the fault-free run in the same process (issue #4 target ≥ 0.7). Both runs use 50 conversations × 40 messages
 * through the UcwaClient against the emulator on loopback, with the same retry options.
 *
 * Two ratios are reported: with the default production table (backoff from 250 ms / 500 ms, which is what a
 * deployment gets) and with the soak test's small backoff (which isolates the cost of the retry machinery itself).
 */
import type { BenchReport } from './run.js';
import { fastRetry, runOutboundLoad } from '../test/integration/retry/outbound-load.js';

const SHAPE = { conversations: 50, messagesPerConversation: 40, expiries: false, permanentFaults: false } as const;

async function ratio(retry: Parameters<typeof runOutboundLoad>[0]['retry']) {
  // Warm-up so JIT and socket pools do not penalise the first measured run.
  await runOutboundLoad({ ...SHAPE, messagesPerConversation: 5, faults: false, retry });
  const clean = await runOutboundLoad({ ...SHAPE, faults: false, retry });
  const faulty = await runOutboundLoad({ ...SHAPE, faults: true, retry });
  const check = (r: typeof clean): string => (r.lost || r.duplicated || r.outOfOrder ? `BROKEN lost=${r.lost} dup=${r.duplicated} order=${r.outOfOrder}` : 'ok');
  return {
    cleanPerSecond: clean.messagesPerSecond,
    faultyPerSecond: faulty.messagesPerSecond,
    ratio: Number((faulty.messagesPerSecond / clean.messagesPerSecond).toFixed(3)),
    faultHits: Object.values(faulty.faultHits).reduce((a, b) => a + b, 0),
    sendMessageRequests: faulty.sendMessageRequests,
    delivery: `${check(clean)} / ${check(faulty)}`,
  };
}

export default async function run(): Promise<BenchReport> {
  const production = await ratio(undefined);
  const fast = await ratio(fastRetry());
  return {
    messages: SHAPE.conversations * SHAPE.messagesPerConversation,
    conversations: SHAPE.conversations,
    faultRate: '20% of sendMessage and of events requests',
    ratioDefaultBackoff: production.ratio,
    ratioSmallBackoff: fast.ratio,
    target: 0.7,
    meetsTarget: production.ratio >= 0.7,
    defaultBackoff: production,
    smallBackoff: fast,
  };
}
