/** The load driver behind the soak and `npm run bench -- faults`: its closed-loop (duration) mode counts honestly. */
import assert from 'node:assert/strict';
import { runOutboundLoad } from './outbound-load.js';

describe('runOutboundLoad closed-loop mode (durationMs)', function () {
  this.timeout(20_000);

  it('should keep every conversation sending in order until the window closes, then check every send', async () => {
    const report = await runOutboundLoad({ conversations: 5, messagesPerConversation: 0, durationMs: 400, warmUpMessages: 2, faults: false, expiries: false, permanentFaults: false });
    assert.ok(report.messages >= 5, `every conversation sent (got ${report.messages})`);
    assert.equal(report.delivered, report.messages, 'sends finishing after the deadline are still checked; warm-up ones are not counted');
    assert.equal(report.lost + report.duplicated + report.outOfOrder, 0);
    // The rate counts only sends settled inside the window: never more than all of them over the window.
    assert.ok(report.messagesPerSecond > 0 && report.messagesPerSecond <= Math.round((report.messages / 400) * 1000));
  });

  it('should refuse the options placed by message count', async () => {
    for (const extra of [{ expiries: true }, { permanentFaults: true }]) {
      await assert.rejects(
        runOutboundLoad({ conversations: 1, messagesPerConversation: 0, durationMs: 100, faults: false, expiries: false, permanentFaults: false, ...extra }),
        /durationMs cannot be combined with expiries or permanentFaults/,
      );
    }
  });
});
