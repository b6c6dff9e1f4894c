/**
 * Prometheus metrics for `GET /metrics`, fed by the UCWA client through `UcwaMetricsSink` (src/ucwa/types.ts).
 * Each instance owns a private registry, so several hosts (or tests) in one process never collide.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { UcwaMetricsSink } from '../ucwa/types.js';

export interface PrometheusMetricsOptions {
  /** Also export Node process metrics (CPU, memory, event loop lag). @default false */
  defaultMetrics?: boolean;
  /** Prefix for the process metrics only. @default '' */
  prefix?: string;
}

/** Longest label value kept: UCWA may invent new subcodes, but a label must never carry free text. */
const MAX_LABEL = 64;

function label(value: string | number | undefined): string {
  const s = value === undefined ? '' : String(value);
  return s.length > MAX_LABEL ? s.slice(0, MAX_LABEL) : s;
}

/**
 * The host's metrics and the `UcwaMetricsSink` the adapter reports into.
 * @example
 * const metrics = new PrometheusMetrics({ defaultMetrics: true });
 * new UcwaAdapter({ ..., metrics });
 * res.end(await metrics.metrics());
 */
export class PrometheusMetrics implements UcwaMetricsSink {
  readonly registry = new Registry();
  readonly contentType: string = this.registry.contentType;
  private readonly received: Counter;
  private readonly sent: Counter;
  private readonly retries: Counter<'resource' | 'status' | 'code' | 'subcode' | 'action'>;
  private readonly reconnects: Counter<'reason'>;
  private readonly sendLatency: Histogram;
  private readonly deliveryFailures: Counter<'code' | 'subcode'>;

  constructor(options: PrometheusMetricsOptions = {}) {
    const registers = [this.registry];
    this.received = new Counter({
      name: 'ucwa_messages_received_total', help: 'Messages received from UCWA (message events from other participants).', registers,
    });
    this.sent = new Counter({ name: 'ucwa_messages_sent_total', help: 'Messages the bot sent (sendMessage succeeded).', registers });
    this.retries = new Counter({
      name: 'ucwa_retries_total',
      help: 'UCWA requests the retry layer acted on, by resource and documented error (status, code, subcode) and the action taken.',
      labelNames: ['resource', 'status', 'code', 'subcode', 'action'],
      registers,
    });
    this.reconnects = new Counter({
      name: 'ucwa_event_channel_reconnects_total', help: 'Event channel (P-GET) reconnects, by reason.', labelNames: ['reason'], registers,
    });
    this.sendLatency = new Histogram({
      name: 'ucwa_send_latency_seconds',
      help: 'Time from sendMessage to the server accepting the message (including retries).',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.deliveryFailures = new Counter({
      name: 'ucwa_delivery_failures_total',
      help: 'Messages the server accepted (201) but could not deliver (completed event failed), by reason code and subcode.',
      labelNames: ['code', 'subcode'],
      registers,
    });
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry, prefix: options.prefix ?? '' });
    // The client may call the sink's methods detached (`const { messageSent } = metrics`).
    this.messageReceived = this.messageReceived.bind(this);
    this.messageSent = this.messageSent.bind(this);
    this.retry = this.retry.bind(this);
    this.eventChannelReconnect = this.eventChannelReconnect.bind(this);
    this.deliveryFailed = this.deliveryFailed.bind(this);
  }

  messageReceived(): void {
    this.received.inc();
  }

  messageSent(latencyMs: number): void {
    this.sent.inc();
    if (Number.isFinite(latencyMs) && latencyMs >= 0) this.sendLatency.observe(latencyMs / 1000);
  }

  retry(info: { resource: string; status: number; code: string; subcode?: string; action: string }): void {
    this.retries.inc({
      resource: label(info.resource), status: label(info.status), code: label(info.code),
      subcode: label(info.subcode), action: label(info.action),
    });
  }

  eventChannelReconnect(reason: string): void {
    this.reconnects.inc({ reason: label(reason) });
  }

  deliveryFailed(reason: { code: string; subcode?: string }): void {
    this.deliveryFailures.inc({ code: label(reason.code), subcode: label(reason.subcode) });
  }

  /** The Prometheus text exposition of every metric. */
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
