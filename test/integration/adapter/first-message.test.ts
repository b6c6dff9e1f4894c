/**
 * The invitation's first message is delivered exactly once whether or not the server replays it as a message
 * event after the accept (PROTOCOL.md §7.5, §15 item 7), and a user who repeats that text later is heard.
 */
import assert from 'node:assert/strict';
import { UcwaEmulator } from '../../../src/emulator/index.js';
import { UcwaAdapter } from '../../../src/adapter/ucwa-adapter.js';
import { ALICE, BOT_USER, isMessage } from './harness.js';

for (const replayInvitationMessage of [true, false]) {
  describe(`UcwaAdapter + emulator: first message, server ${replayInvitationMessage ? 'replays' : 'does not replay'} it`, () => {
    let emu: UcwaEmulator;
    let adapter: UcwaAdapter;
    const texts: string[] = [];
    before(async () => {
      emu = await UcwaEmulator.start({ port: 0, users: [BOT_USER, ALICE], replayInvitationMessage });
      adapter = new UcwaAdapter({ discoveryUrl: emu.discoveryUrl, username: 'bot@contoso.com', password: BOT_USER.password, allowInsecureLoopback: true });
      await adapter.start(async (context) => {
        if (!isMessage(context.activity)) return;
        texts.push(context.activity.text ?? '');
        await context.sendActivity(`reply ${texts.length}`);
      });
    });
    after(async () => {
      await adapter.stop();
      await emu.close();
    });

    it('should deliver the first message once and a later identical message again', async () => {
      const conv = await emu.user(ALICE.uri).startConversation('hi');
      await conv.waitForReceived(1);
      await conv.send('hi');
      await conv.waitForReceived(2);
      await conv.send('hi');
      const replies = await conv.waitForReceived(3);
      assert.deepEqual(replies.map((m) => m.text), ['reply 1', 'reply 2', 'reply 3']);
      assert.deepEqual(texts, ['hi', 'hi', 'hi']);
    });
  });
}
