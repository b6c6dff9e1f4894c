import { strict as assert } from 'node:assert';
import { UcwaEmulator } from '../../../src/emulator/index.js';
import { BOT, createClient } from './harness.js';

describe('UcwaClient with many concurrent conversations', () => {
  it('should keep reply order per conversation across 100 concurrent conversations', async () => {
    const users = Array.from({ length: 100 }, (_, i) => ({ uri: `sip:user${i}@contoso.com`, name: `User ${i}` }));
    const emu = await UcwaEmulator.start({ users: [BOT, ...users] });
    const { client, seen } = createClient(emu.discoveryUrl);
    client.setHandlers({
      message: async (m) => {
        seen.messages.push(m);
        // Three replies without waiting: the per-conversation queue must keep them in order.
        await Promise.all([1, 2, 3].map((n) => client.sendMessage(m.conversation.key, `${m.text} #${n}`, 'plain')));
      },
    });
    try {
      await client.start();
      const convs = await Promise.all(users.map((u) => emu.user(u.uri).startConversation(`hello from ${u.name}`)));
      const replies = await Promise.all(convs.map((c) => c.waitForReceived(3, 15_000)));
      replies.forEach((r, i) => assert.deepEqual(r.map((m) => m.text), [1, 2, 3].map((n) => `hello from User ${i} #${n}`)));
      assert.equal(seen.messages.length, 100);
    } finally {
      await client.stop();
      await emu.close();
    }
  });
});
