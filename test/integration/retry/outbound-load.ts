/**
 * Outbound load against the emulator, shared by the soak test (`soak.test.ts`) and `npm run bench -- faults`:
 * N conversations opened proactively, M messages sent in order in each (conversations concurrently), optional
 * fault injection (documented transient errors and reset connections on sendMessage and the event channel) plus
 * one token expiry and one application expiry midway. Then everything is checked against what the simulated
 * users received and against the emulator's request log.
 */
import { UcwaEmulator } from '../../../src/emulator/index.js';
import type { UcwaEmulator as Emulator, FaultHandle } from '../../../src/emulator/types.js';
import { RETRY_RULES } from '../../../src/retry/rules.js';
import type { RetryOptions, RetryRule } from '../../../src/retry/types.js';
import { isUcwaError, type UcwaError } from '../../../src/ucwa/errors.js';
import { UcwaClient } from '../../../src/ucwa/ucwa-client.js';
import { findPermanentRetries, isDuplicateAcrossApplicationLoss, PERMANENT_STATUSES } from './request-log-checks.js';

export interface OutboundLoadOptions {
  conversations: number;
  /** Messages each conversation sends. Ignored with `durationMs`. */
  messagesPerConversation: number;
  /**
   * Closed-loop throughput mode (as `wrk -c N -d T` measures a server): every conversation sends its next message, in
   * order, as soon as its previous one settled, until `durationMs` have passed; `messagesPerSecond` counts the sends
   * that settled within the window. Sends still running at the deadline finish (and are checked) but do not count.
   * Not combinable with `expiries` or `permanentFaults`, which are placed by message count.
   */
  durationMs?: number;
  /**
   * Messages each conversation sends before the measurement (no faults, not timed, not counted): a bot in steady
   * state, whose conversations already measured their far end's delivery lag (a send reset in a conversation with
   * fewer than 4 lags waits the full confirmDeliveryTimeoutMs, src/retry/event-lag.ts). @default 0
   */
  warmUpMessages?: number;
  /** Each simulated user's acknowledgement delay (emulator `ackDelayMs`): far ends of different speeds. @default 0 */
  ackDelayMs?: (conversation: number) => number;
  /** 20% faults on sendMessage and on the event channel. */
  faults: boolean;
  /** Which of the two get faults. @default both */
  faultTargets?: Array<'sendMessage' | 'events'>;
  /** One expireTokens() and one expireApplication() midway. */
  expiries: boolean;
  /** A few permanent errors (400, 403, 413) on sendMessage: must fail at once, the sender resends as a new message. */
  permanentFaults: boolean;
  /** Retry options for the client (`fastRetry()` for tests). Default: the production table. */
  retry?: RetryOptions;
  seed?: number;
  /** Client option: the longest confirmDelivery waits for the message event. @default the client's default (3 s; the measured wait is usually far shorter) */
  confirmDeliveryTimeoutMs?: number;
  /** The emulator's opt-in 409 AlreadyExists backstop (`rejectDuplicateOperationIds`). @default true */
  dedupe?: boolean;
  /**
   * A send the client gave up on (budget spent on transient errors) is surfaced to the sender, which sends the
   * text again as a new message; counted in `surfacedFailures`. Off: such a failure fails the run. @default false
   */
  resendAfterFailure?: boolean;
}

export interface OutboundLoadReport {
  conversations: number;
  messages: number;
  delivered: number;
  lost: number;
  /** Messages delivered twice that the protocol could have prevented (must be 0). */
  duplicated: number;
  /**
   * Messages delivered twice because an uncertain send (request written, answer lost) landed in an application that
   * was then lost before its delivery event arrived: the proof went with the application, the resend went to the new
   * one, where UCWA documents no de-duplication (PROTOCOL.md §8.4, §9). See `isDuplicateAcrossApplicationLoss`.
   */
  duplicatedAcrossApplicationLoss: number;
  outOfOrder: number;
  /**
   * Sends that had landed in the application (a 2xx for their text in the request log, up to the moment it was
   * expired) while their sender was still waiting for the outcome: the only sends whose proof of delivery the
   * application loss can take away. Without the backstop, `duplicated + duplicatedAcrossApplicationLoss` is bounded
   * by this. 0 without expiries.
   */
  uncertainSendsAtLoss: number;
  elapsedMs: number;
  messagesPerSecond: number;
  sendMessageRequests: number;
  eventRequests: number;
  faultHits: Record<string, number>;
  retriesByAction: Record<string, number>;
  permanentFailuresSurfaced: number;
  /** Transient failures the client gave up on and surfaced (only with `resendAfterFailure`). */
  surfacedFailures: number;
  /** Requests the transport resent on its own after a reset on a long-idle keep-alive socket (client stats). */
  transparentResends: number;
  /** Requests repeated after a permanent answer (must be 0). */
  permanentRetried: number;
  alreadyExists409: number;
  tokenRequests: number;
  /** Requests answered 401 (the token expiry) and 404/410 (the application expiry). */
  unauthorized: number;
  applicationGone: number;
  applicationsCreated: number;
  violations: string[];
}

/**
 * The production table with every delay shrunk to a few ms and a budget of 12 attempts per operation (per-row
 * budgets lifted, except the single token refresh): at a 20% fault rate, 6 attempts would lose about one message
 * in 15,000 (0.2^6), which a 2,000-message soak must not leave to luck. For tests and benches only.
 */
export function fastRetry(maxDelayMs = 20): RetryOptions {
  const rules: RetryRule[] = RETRY_RULES.filter((r) => r.action !== 'fail' && r.action !== 'succeeded').map((r) => {
    const { maxAttempts, ...row } = r;
    return {
      ...row,
      ...(r.action === 'refreshToken' && maxAttempts !== undefined ? { maxAttempts } : {}),
      ...(r.action === 'retry' || r.baseDelayMs !== undefined ? { baseDelayMs: Math.min(r.baseDelayMs ?? 2, 2), maxDelayMs } : {}),
    };
  });
  return { maxAttempts: 12, maxElapsedMs: 30_000, rules };
}

const FAULTS = {
  sendMessage: [
    { name: 'sendMessage 503', spec: { probability: 0.06, error: { status: 503, code: 'ServiceUnavailable' } } },
    { name: 'sendMessage 500 CallbackChannelError', spec: { probability: 0.03, error: { status: 500, code: 'ServiceFailure', subcode: 'CallbackChannelError' } } },
    { name: 'sendMessage 504', spec: { probability: 0.02, error: { status: 504, code: 'Timeout' } } },
    { name: 'sendMessage reset before', spec: { probability: 0.05, reset: 'before' as const } },
    { name: 'sendMessage reset after', spec: { probability: 0.05, reset: 'after' as const } },
  ],
  events: [
    { name: 'events 503', spec: { probability: 0.08, error: { status: 503, code: 'ServiceUnavailable' } } },
    { name: 'events 500', spec: { probability: 0.04, error: { status: 500, code: 'ServiceFailure' } } },
    { name: 'events reset after', spec: { probability: 0.05, reset: 'after' as const } },
    { name: 'events dropped', spec: { probability: 0.04, dropEventChannel: true } },
  ],
};
const PERMANENT = [
  { name: 'sendMessage 400 ParameterValidationFailure', spec: { times: 1, error: { status: 400, code: 'BadRequest', subcode: 'ParameterValidationFailure' } } },
  { name: 'sendMessage 403', spec: { times: 1, error: { status: 403, code: 'Forbidden' } } },
  { name: 'sendMessage 413', spec: { times: 1, error: { status: 413, code: 'EntityTooLarge' } } },
];

const text = (c: number, m: number): string => `c${String(c).padStart(3, '0')} m${String(m).padStart(4, '0')}`;
const userUri = (c: number): string => `sip:user${c}@contoso.com`;

/** Runs one load (see the file comment) and returns its counts; always closes the client and the emulator. */
export async function runOutboundLoad(options: OutboundLoadOptions): Promise<OutboundLoadReport> {
  const { conversations, messagesPerConversation: perConversation, durationMs } = options;
  if (durationMs !== undefined && (options.expiries || options.permanentFaults)) {
    throw new TypeError('durationMs cannot be combined with expiries or permanentFaults');
  }
  const users = Array.from({ length: conversations }, (_, c) => ({ uri: userUri(c), name: `User ${c}`, ackDelayMs: options.ackDelayMs?.(c) ?? 0 }));
  const emu: Emulator = await UcwaEmulator.start({
    users: [{ uri: 'sip:bot@contoso.com', name: 'Soak Bot', password: 'soak-password' }, ...users],
    rejectDuplicateOperationIds: options.dedupe ?? true,
    // Duration mode: room for ≈5,000 sends/s with their retries and events (the log-based checks need every request).
    maxRecordedRequests: Math.max(10_000, durationMs !== undefined ? Math.ceil(durationMs / 1000) * 15_000 : conversations * perConversation * 3),
  });
  const retriesByAction: Record<string, number> = {};
  const client = new UcwaClient({
    discoveryUrl: emu.discoveryUrl,
    username: 'sip:bot@contoso.com',
    password: 'soak-password',
    allowInsecureLoopback: true,
    retry: options.retry,
    // The client's default (a wait measured per conversation, ≤ 3 s) unless given.
    ...(options.confirmDeliveryTimeoutMs !== undefined ? { confirmDeliveryTimeoutMs: options.confirmDeliveryTimeoutMs } : {}),
    metrics: { retry: ({ action }) => { retriesByAction[action] = (retriesByAction[action] ?? 0) + 1; } },
  });
  const handles: Array<{ name: string; handle: FaultHandle }> = [];
  const violations: string[] = [];
  let permanentFailuresSurfaced = 0;
  let surfacedFailures = 0;
  try {
    await client.start();
    // Opened 25 at a time (a capacity run opens hundreds); keys keep their conversation's index.
    const keys: string[] = new Array<string>(conversations);
    for (let first = 0; first < conversations; first += 25) {
      const batch = Array.from({ length: Math.min(25, conversations - first) }, (_, k) => first + k);
      await Promise.all(batch.map(async (c) => { keys[c] = (await client.startMessaging(userUri(c))).key; }));
    }
    for (let m = 0; m < (options.warmUpMessages ?? 0); m += 1) {
      await Promise.all(keys.map((key, c) => client.sendMessage(key, `warm ${text(c, m)}`, 'plain')));
    }
    emu.clearRequests();
    emu.faults.seed(options.seed ?? 20261126);
    if (options.faults) {
      const targets = options.faultTargets ?? ['sendMessage', 'events'];
      if (targets.includes('sendMessage')) for (const f of FAULTS.sendMessage) handles.push({ name: f.name, handle: emu.faults.inject({ resource: 'sendMessage', ...f.spec }) });
      if (targets.includes('events')) for (const f of FAULTS.events) handles.push({ name: f.name, handle: emu.faults.inject({ resource: 'events', ...f.spec }) });
    }
    const total = conversations * perConversation;
    let sent = 0;
    const milestones = new Map<number, () => void>();
    /** Texts whose sendMessage has not settled yet, and that set and the last logged request when the application expired. */
    const pending = new Set<string>();
    let atLoss: { pending: string[]; seq: number } | undefined;
    if (options.expiries) {
      milestones.set(Math.floor(total * 0.35), () => emu.expireTokens());
      milestones.set(Math.floor(total * 0.65), () => {
        atLoss = { pending: [...pending], seq: emu.requests().at(-1)?.seq ?? 0 };
        emu.expireApplication();
      });
    }
    if (options.permanentFaults) {
      milestones.set(Math.floor(total * 0.5), () => {
        for (const f of PERMANENT) handles.push({ name: f.name, handle: emu.faults.inject({ resource: 'sendMessage', ...f.spec }) });
      });
    }
    const started = performance.now();
    const deadline = durationMs !== undefined ? started + durationMs : Infinity;
    let settledInWindow = 0;
    const sentBy = new Array<number>(conversations).fill(0);
    await Promise.all(keys.map(async (key, c) => {
      const share = durationMs !== undefined ? Infinity : perConversation;
      for (let m = 0; m < share && performance.now() < deadline; m += 1) {
        sentBy[c] = m + 1;
        for (;;) {
          try {
            pending.add(text(c, m));
            await client.sendMessage(key, text(c, m), 'plain');
            pending.delete(text(c, m));
            break;
          } catch (error) {
            pending.delete(text(c, m));
            if (options.resendAfterFailure && isUcwaError(error) && !PERMANENT_STATUSES.has(error.status)) {
              surfacedFailures += 1;
              continue;
            }
            // A permanent failure reaches the bot after one attempt; the bot decides to send a corrected copy.
            if (!isUcwaError(error) || !PERMANENT_STATUSES.has(error.status)) throw error;
            // It may follow transient failures of the same send, but it must be the last attempt (checked on the
            // request log by findPermanentRetries) and say why it stopped.
            if (!/not retried: /.test((error as UcwaError).message)) violations.push(`permanent ${error.status} surfaced without its reason: ${error.message}`);
            permanentFailuresSurfaced += 1;
          }
        }
        sent += 1;
        if (performance.now() <= deadline) settledInWindow += 1;
        milestones.get(sent)?.();
      }
    }));
    const elapsedMs = performance.now() - started;
    for (const { handle } of handles) handle.remove();

    const log = emu.requests();
    let delivered = 0;
    let duplicated = 0;
    let duplicatedAcrossApplicationLoss = 0;
    let outOfOrder = 0;
    let lost = 0;
    for (let c = 0; c < conversations; c += 1) {
      const got = emu.user(userUri(c)).received().map((m) => m.text).filter((t) => !t.startsWith('warm '));
      const expected = Array.from({ length: sentBy[c]! }, (_, m) => text(c, m));
      delivered += got.length;
      lost += expected.filter((t) => !got.includes(t)).length;
      const firsts = expected.map((t) => got.indexOf(t)).filter((i) => i >= 0);
      outOfOrder += firsts.filter((i, k) => k > 0 && i < firsts[k - 1]!).length;
      for (const t of new Set(got.filter((x, i) => got.indexOf(x) !== i))) {
        if (isDuplicateAcrossApplicationLoss(log, t)) duplicatedAcrossApplicationLoss += 1;
        else duplicated += 1;
      }
    }
    violations.push(...findPermanentRetries(log));
    const landedBeforeLoss = (body: string): boolean => log.some((r) => r.resource === 'sendMessage' && r.body === body && r.status !== undefined && r.status >= 200 && r.status < 300 && r.seq <= atLoss!.seq);
    const uncertainSendsAtLoss = atLoss ? atLoss.pending.filter(landedBeforeLoss).length : 0;
    const count = (resource: string, method?: string): number => log.filter((r) => r.resource === resource && (!method || r.method === method)).length;
    return {
      conversations,
      messages: durationMs !== undefined ? sent : total,
      delivered,
      lost,
      duplicated,
      duplicatedAcrossApplicationLoss,
      outOfOrder,
      uncertainSendsAtLoss,
      elapsedMs: Math.round(elapsedMs),
      messagesPerSecond: durationMs !== undefined ? Math.round((settledInWindow / durationMs) * 1000) : Math.round((total / elapsedMs) * 1000),
      sendMessageRequests: count('sendMessage'),
      eventRequests: count('events'),
      faultHits: Object.fromEntries(handles.map(({ name, handle }) => [name, handle.hits])),
      retriesByAction,
      permanentFailuresSurfaced,
      surfacedFailures,
      transparentResends: client.stats.transparentRetries,
      permanentRetried: violations.filter((v) => v.includes('resent after')).length,
      alreadyExists409: log.filter((r) => r.resource === 'sendMessage' && r.status === 409).length,
      tokenRequests: count('token'),
      unauthorized: log.filter((r) => r.status === 401).length,
      applicationGone: log.filter((r) => r.status === 404 || r.status === 410).length,
      applicationsCreated: count('applications', 'POST'),
      violations,
    };
  } finally {
    emu.faults.clear();
    await client.stop().catch(() => undefined);
    await emu.close();
  }
}
