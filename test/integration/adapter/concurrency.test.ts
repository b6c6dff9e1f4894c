import assert from 'node:assert/strict';
import type { EmulatorUserConfig } from '../../../src/emulator/index.js';
import { startHarness } from './harness.js';
import type { Harness } from './harness.js';

const USERS: EmulatorUserConfig[] = Array.from({ length: 100 }, (_, i) => ({ uri: `sip:user${i}@contoso.com`, name: `User ${i}` }));

/** Yields a varying number of macrotask turns, so turns of different conversations interleave differently. */
async function jitter(seed: string): Promise<void> {
  let n = 0;
  for (const ch of seed) n = (n * 31 + ch.charCodeAt(0)) % 7;
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('UcwaAdapter + UcwaClient + emulator: 100 concurrent conversations', function () {
  this.timeout(30_000);
  let h: Harness;
  let inFlight = 0;
  let maxInFlight = 0;
  const perConversation = new Map<string, number>();
  let overlapsWithinConversation = 0;
  before(async () => {
    h = await startHarness(USERS, async (context) => {
      if (context.activity.type !== 'message') return;
      const key = context.activity.conversation.id;
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      if ((perConversation.get(key) ?? 0) > 0) overlapsWithinConversation++;
      perConversation.set(key, (perConversation.get(key) ?? 0) + 1);
      try {
        await jitter(`${context.activity.from.id}${context.activity.text}`);
        await context.sendActivity(`reply ${context.activity.text}`);
      } finally {
        perConversation.set(key, perConversation.get(key)! - 1);
        inFlight--;
      }
    });
  });
  after(async () => h.close());

  it('should answer 3 numbered messages per conversation in order, with conversations running concurrently', async () => {
    const started = Date.now();
    const conversations = await Promise.all(
      USERS.map(async (u) => {
        const conv = await h.emu.user(u.uri).startConversation('1');
        // Sent without waiting for replies: only the adapter's per-conversation queue keeps the order.
        await conv.send('2');
        await conv.send('3');
        return conv;
      }),
    );
    const replies = await Promise.all(conversations.map((c) => c.waitForReceived(3, 25_000)));
    const elapsed = Date.now() - started;
    for (const [i, received] of replies.entries()) {
      assert.deepEqual(received.map((m) => m.text), ['reply 1', 'reply 2', 'reply 3'], USERS[i]!.uri);
    }
    assert.deepEqual(conversations.map((c) => c.received().length), USERS.map(() => 3), 'no duplicate replies');
    assert.equal(overlapsWithinConversation, 0, 'turns of one conversation never overlap');
    assert.ok(maxInFlight > 1, `turns of different conversations overlapped (max in flight ${maxInFlight})`);
    console.log(`      100 conversations x 3 messages: ${elapsed} ms, max concurrent turns ${maxInFlight}`);
  });
});
