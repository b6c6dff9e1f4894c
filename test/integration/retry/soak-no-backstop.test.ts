/**
 * Characterisation of the faithful default (issue #4): the emulator does NOT de-duplicate operationIds, as UCWA
 * documents no such guarantee (PROTOCOL.md §8.4, §15). Then the only proof of delivery is the outgoing message
 * event, and an application loss can destroy it: a send written, unanswered, and landed in the application that is
 * then lost before its event arrives cannot be settled by any documented means, and at-least-once resends it.
 * So duplicates are allowed here, but only as many as there were such sends, counted from the emulator's request
 * log at the moment the application expired — a bound measured from the run, not a constant.
 */
import assert from 'node:assert/strict';
import { fastRetry, runOutboundLoad, type OutboundLoadReport } from './outbound-load.js';

describe('retry soak without the 409 backstop (faithful default): duplicates only from the application loss', function () {
  this.timeout(60_000);
  let report: OutboundLoadReport;

  before(async () => {
    report = await runOutboundLoad({
      conversations: 40, messagesPerConversation: 20, faults: true, expiries: true, permanentFaults: false, retry: fastRetry(), dedupe: false, seed: 7,
    });
    const { conversations, messages, delivered, lost, duplicated, duplicatedAcrossApplicationLoss, uncertainSendsAtLoss, outOfOrder, elapsedMs } = report;
    process.stdout.write(`      no-backstop counts: ${JSON.stringify({ conversations, messages, delivered, lost, duplicated, duplicatedAcrossApplicationLoss, uncertainSendsAtLoss, outOfOrder, elapsedMs })}\n`);
  });

  it('should lose nothing and keep the order', () => {
    assert.equal(report.lost, 0);
    assert.equal(report.outOfOrder, 0);
    assert.deepEqual(report.violations, []);
  });

  it('should duplicate only sends that were uncertain when the application was lost', () => {
    assert.equal(report.alreadyExists409, 0, 'the backstop is really off');
    assert.ok(report.applicationGone >= 1, 'the application expiry was met');
    // Every copy carried one operationId and the copies landed in different applications.
    assert.equal(report.duplicated, 0);
    assert.ok(
      report.duplicatedAcrossApplicationLoss <= report.uncertainSendsAtLoss,
      `${report.duplicatedAcrossApplicationLoss} duplicates > ${report.uncertainSendsAtLoss} sends uncertain at the loss`,
    );
    assert.equal(report.delivered, report.messages + report.duplicatedAcrossApplicationLoss);
  });
});
