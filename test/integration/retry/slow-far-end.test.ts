/**
 * A reset on a send to a far end that acknowledges slowly, while the bot keeps sending to a fast one (issue #4:
 * nothing sent twice). The outgoing message's `completed` event is the DELIVERY result (PROTOCOL.md §8.4): it comes
 * when the far end acknowledged, so a later send to a fast far end can report before an earlier send to a slow one
 * was processed AND reported. Neither the order of events across conversations nor a lag measured on other
 * conversations may therefore settle the slow send as "not delivered"; only its own conversation's lags may.
 * Faithful emulator: no operationId de-duplication, so a wrong resend shows as a duplicate.
 */
import assert from 'node:assert/strict';
import { UcwaEmulator } from '../../../src/emulator/index.js';
import { UcwaClient } from '../../../src/ucwa/ucwa-client.js';

const ALICE = 'sip:alice@contoso.com';
const BOB = 'sip:bob@contoso.com';

describe('retry: a reset on a send to a slow far end while a fast one keeps receiving', function () {
  this.timeout(30_000);

  it('should deliver the slow send exactly once, however fast the other conversation reports', async () => {
    const emu = await UcwaEmulator.start({
      users: [{ uri: 'sip:bot@contoso.com', name: 'Bot', password: 'pw' }, { uri: ALICE, name: 'Alice', ackDelayMs: 300 }, { uri: BOB, name: 'Bob' }],
    });
    const client = new UcwaClient({ discoveryUrl: emu.discoveryUrl, username: 'sip:bot@contoso.com', password: 'pw', allowInsecureLoopback: true });
    try {
      await client.start();
      const alice = (await client.startMessaging(ALICE)).key;
      const bob = (await client.startMessaging(BOB)).key;
      // Alice's lags (≈300 ms) are measured, then pushed out of any client-wide window by 200 fast sends to Bob.
      for (let i = 0; i < 4; i += 1) await client.sendMessage(alice, `alice warm ${i}`, 'plain');
      for (let i = 0; i < 200; i += 1) await client.sendMessage(bob, `bob warm ${i}`, 'plain');

      // Processed, then the connection reset: the client cannot know it landed until Alice's event comes (300 ms).
      const fault = emu.faults.inject({ resource: 'sendMessage', times: 1, reset: 'after' });
      const slow = client.sendMessage(alice, 'to Alice, once', 'plain');
      let settled = false;
      void slow.finally(() => { settled = true; }).catch(() => undefined);
      while (fault.hits === 0) await new Promise((r) => setImmediate(r));
      // Bob's sends, issued after the reset, report within milliseconds: the tempting "later send proven" evidence.
      let n = 0;
      while (!settled) await client.sendMessage(bob, `bob ${n++}`, 'plain');
      await slow;

      const got = emu.user(ALICE).received().map((m) => m.text);
      assert.equal(got.filter((t) => t === 'to Alice, once').length, 1, `delivered once (Bob got ${n} meanwhile)`);
      assert.ok(n > 0, 'Bob kept receiving while the slow send was in doubt');
    } finally {
      await client.stop().catch(() => undefined);
      await emu.close();
    }
  });
});
