/**
 * A quiet bot (one conversation) meets a reset: the client settles it with the conversation's MEASURED wait
 * (src/retry/event-lag.ts), fed by the real event flow, not with confirmDeliveryTimeoutMs. The ceiling is set to 20 s here so the two cannot be confused: the assertions
 * below have a 20× margin, they check which bound applied, not speed.
 */
import assert from 'node:assert/strict';
import { UcwaEmulator } from '../../../src/emulator/index.js';
import { UcwaClient } from '../../../src/ucwa/ucwa-client.js';

describe('retry: a quiet bot settles a reset with the measured wait', function () {
  this.timeout(30_000);

  it('should NOT settle our own request timeout with the measured wait: the server may still be processing it', async () => {
    const emu = await UcwaEmulator.start({ users: [{ uri: 'sip:bot@contoso.com', name: 'Bot', password: 'pw' }, { uri: 'sip:alice@contoso.com', name: 'Alice' }] });
    // Our timeout at 500 ms; the server processes (and delivers) only after 2.5 s, well within the 6 s confirmDelivery
    // bound (a timeout waits all of it), while the measured wait after a reset would be its 1 s floor.
    const client = new UcwaClient({ discoveryUrl: emu.discoveryUrl, username: 'sip:bot@contoso.com', password: 'pw', allowInsecureLoopback: true, requestTimeoutMs: 500, confirmDeliveryTimeoutMs: 6_000 });
    try {
      await client.start();
      const { key } = await client.startMessaging('sip:alice@contoso.com');
      for (let i = 0; i < 8; i += 1) await client.sendMessage(key, `warm ${i}`, 'plain');
      const since = emu.requests().at(-1)!.seq;
      const fault = emu.faults.inject({ resource: 'sendMessage', times: 1, latencyMs: 2_500 });
      await client.sendMessage(key, 'slow to process', 'plain');
      assert.equal(fault.hits, 1);
      // Settled by the delivery event of the ORIGINAL request (processed at 2.5 s), not by a resend: a resend after
      // the measured wait (≈1 s after our timeout) would deliver it a second time once the original was processed.
      const sends = emu.requests().filter((r) => r.resource === 'sendMessage' && r.seq > since);
      assert.equal(sends.length, 1, 'no resend');
      const got = emu.user('sip:alice@contoso.com').received().map((m) => m.text);
      assert.deepEqual(got.filter((t) => t === 'slow to process'), ['slow to process'], 'delivered once');
    } finally {
      await client.stop().catch(() => undefined);
      await emu.close();
    }
  });

  for (const reset of ['before', 'after'] as const) {
    it(`should deliver a send reset ${reset} processing exactly once, well inside confirmDeliveryTimeoutMs`, async () => {
      const emu = await UcwaEmulator.start({ users: [{ uri: 'sip:bot@contoso.com', name: 'Bot', password: 'pw' }, { uri: 'sip:alice@contoso.com', name: 'Alice' }] });
      const client = new UcwaClient({
        discoveryUrl: emu.discoveryUrl, username: 'sip:bot@contoso.com', password: 'pw', allowInsecureLoopback: true,
        confirmDeliveryTimeoutMs: 20_000,
      });
      try {
        await client.start();
        const { key } = await client.startMessaging('sip:alice@contoso.com');
        // 16 delivery events measured: the wait drops from the 20 s ceiling to the 1 s floor.
        for (let i = 0; i < 16; i += 1) await client.sendMessage(key, `warm ${i}`, 'plain');
        const fault = emu.faults.inject({ resource: 'sendMessage', times: 1, reset });
        const started = Date.now();
        await client.sendMessage(key, 'after the reset', 'plain');
        const elapsed = Date.now() - started;
        assert.equal(fault.hits, 1);
        const got = emu.user('sip:alice@contoso.com').received().map((m) => m.text);
        assert.equal(got.filter((t) => t === 'after the reset').length, 1, 'delivered once');
        assert.equal(got.at(-1), 'after the reset', 'and last, after the warm-up messages');
        assert.ok(elapsed < 10_000, `settled in ${elapsed} ms: the measured wait, not the 20 s ceiling`);
      } finally {
        await client.stop().catch(() => undefined);
        await emu.close();
      }
    });
  }
});
