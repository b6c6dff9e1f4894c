/**
 * Soak (issue #4): 2,000 outbound messages over 50 conversations through the UcwaClient while 20% of sendMessage
 * and event-channel requests fail with documented transient errors or reset connections, plus one token expiry,
 * one application expiry and three permanent errors midway, with the emulator's opt-in 409 AlreadyExists backstop
 * on (the faithful default, backstop off, is characterised in `soak-no-backstop.test.ts`). Production proof
 * settings: the client's confirmDelivery wait, measured per conversation (at most 3 s). Checked against what the
 * simulated users received and against the emulator's request log, never against client internals.
 */
import assert from 'node:assert/strict';
import { fastRetry, runOutboundLoad, type OutboundLoadReport } from './outbound-load.js';

describe('retry soak: 2,000 messages over 50 conversations with 20% faults', function () {
  this.timeout(60_000);
  let report: OutboundLoadReport;

  before(async () => {
    report = await runOutboundLoad({
      conversations: 50, messagesPerConversation: 40, faults: true, expiries: true, permanentFaults: true, retry: fastRetry(),
    });
    const { faultHits, retriesByAction, violations, ...counts } = report;
    process.stdout.write(`      soak counts: ${JSON.stringify(counts)}\n      soak faults: ${JSON.stringify(faultHits)}\n      soak retries: ${JSON.stringify(retriesByAction)}\n`);
  });

  it('should deliver every message, in order within its conversation, none lost', () => {
    assert.equal(report.messages, 2_000);
    assert.equal(report.lost, 0);
    assert.equal(report.outOfOrder, 0);
  });

  it('should deliver no message twice, not even across the application loss (409 AlreadyExists backstop on)', () => {
    // Within one application the delivery event (or the measured wait) settles every uncertain send; a
    // send left uncertain by the application loss is resent with the SAME operationId into the re-created
    // application, where the emulator's per-(user, endpointId) registry answers 409 AlreadyExists.
    assert.equal(report.duplicated, 0);
    assert.equal(report.duplicatedAcrossApplicationLoss, 0);
    assert.equal(report.delivered, 2_000);
  });

  it('should have met the injected faults, the token expiry and the application expiry', () => {
    const hits = Object.values(report.faultHits).reduce((a, b) => a + b, 0);
    assert.ok(hits >= 300, `expected hundreds of fault hits, got ${hits}`);
    assert.ok((report.retriesByAction.retry ?? 0) > 100, 'transient errors were retried');
    assert.ok(report.unauthorized >= 1 && report.tokenRequests >= 1, 'the token expiry was met (401) and answered with a new token');
    assert.ok(report.applicationGone >= 1 && report.applicationsCreated >= 1, 'the application expiry was met (404/410) and the application re-created');
  });

  it('should never retry a permanent error, and surface each to the sender with its reason', () => {
    assert.deepEqual(report.violations, []);
    assert.equal(report.permanentRetried, 0);
    assert.equal(report.permanentFailuresSurfaced, 3);
  });
});
