import { strict as assert } from 'node:assert';
import { PrometheusMetrics } from '../../../src/server/metrics.js';
import type { UcwaMetricsSink } from '../../../src/ucwa/types.js';

describe('PrometheusMetrics', () => {
  it('should implement UcwaMetricsSink and count messages in and out', async () => {
    const metrics = new PrometheusMetrics();
    const sink: UcwaMetricsSink = metrics;
    sink.messageReceived?.();
    sink.messageReceived?.();
    sink.messageSent?.(120);
    const text = await metrics.metrics();
    assert.match(text, /^ucwa_messages_received_total 2$/m);
    assert.match(text, /^ucwa_messages_sent_total 1$/m);
    assert.match(text, /^ucwa_send_latency_seconds_bucket\{le="0.1"\} 0$/m);
    assert.match(text, /^ucwa_send_latency_seconds_bucket\{le="0.25"\} 1$/m);
    assert.match(text, /^ucwa_send_latency_seconds_sum 0.12$/m);
    assert.match(text, /^ucwa_send_latency_seconds_count 1$/m);
  });

  it('should label retries by resource, status, code, subcode and action', async () => {
    const metrics = new PrometheusMetrics();
    metrics.retry({ resource: 'sendMessage', status: 503, code: 'ServiceUnavailable', action: 'retry' });
    metrics.retry({ resource: 'events', status: 404, code: 'NotFound', subcode: 'ApplicationNotFound', action: 'recreateApplication' });
    metrics.retry({ resource: 'events', status: 404, code: 'NotFound', subcode: 'ApplicationNotFound', action: 'recreateApplication' });
    const text = await metrics.metrics();
    assert.match(text, /^ucwa_retries_total\{resource="sendMessage",status="503",code="ServiceUnavailable",subcode="",action="retry"\} 1$/m);
    assert.match(text, /^ucwa_retries_total\{resource="events",status="404",code="NotFound",subcode="ApplicationNotFound",action="recreateApplication"\} 2$/m);
  });

  it('should count messages accepted but not delivered, by reason', async () => {
    const metrics = new PrometheusMetrics();
    const { deliveryFailed } = metrics; // the client may call it detached
    deliveryFailed({ code: 'RemoteFailure', subcode: 'TemporarilyUnavailable' });
    metrics.deliveryFailed({ code: 'RemoteFailure' });
    const text = await metrics.metrics();
    assert.match(text, /^ucwa_delivery_failures_total\{code="RemoteFailure",subcode="TemporarilyUnavailable"\} 1$/m);
    assert.match(text, /^ucwa_delivery_failures_total\{code="RemoteFailure",subcode=""\} 1$/m);
  });

  it('should count event-channel reconnects and cap label length', async () => {
    const metrics = new PrometheusMetrics();
    metrics.eventChannelReconnect('ECONNRESET');
    metrics.eventChannelReconnect('x'.repeat(500));
    const text = await metrics.metrics();
    assert.match(text, /^ucwa_event_channel_reconnects_total\{reason="ECONNRESET"\} 1$/m);
    assert.match(text, new RegExp(`^ucwa_event_channel_reconnects_total\\{reason="${'x'.repeat(64)}"\\} 1$`, 'm'));
  });

  it('should ignore a negative or non-finite latency but still count the message', async () => {
    const metrics = new PrometheusMetrics();
    metrics.messageSent(Number.NaN);
    const text = await metrics.metrics();
    assert.match(text, /^ucwa_messages_sent_total 1$/m);
    assert.match(text, /^ucwa_send_latency_seconds_count 0$/m);
  });

  it('should keep registries separate, so several instances can coexist', async () => {
    const a = new PrometheusMetrics({ defaultMetrics: true });
    const b = new PrometheusMetrics();
    a.messageReceived();
    assert.match(await b.metrics(), /^ucwa_messages_received_total 0$/m);
    assert.match(await a.metrics(), /^process_cpu_user_seconds_total /m);
    assert.doesNotMatch(await b.metrics(), /process_cpu_user_seconds_total/);
    assert.match(a.contentType, /^text\/plain/);
  });
});
