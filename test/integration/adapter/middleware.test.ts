/**
 * botbuilder's stock middleware on the UcwaAdapter, end to end against the emulator: ShowTypingMiddleware
 * (typing sent from a timer while the turn runs, concurrently with the turn's own sends) and
 * TranscriptLoggerMiddleware (incoming and outgoing activities logged with ids and timestamps).
 */
import assert from 'node:assert/strict';
import { MemoryTranscriptStore, ShowTypingMiddleware, TranscriptLoggerMiddleware, TurnContext } from 'botbuilder';
import { ALICE, BOB, isMessage, startHarness } from './harness.js';
import type { Harness } from './harness.js';

describe('UcwaAdapter + emulator: ShowTypingMiddleware and TranscriptLoggerMiddleware', () => {
  let h: Harness;
  const store = new MemoryTranscriptStore();
  const turnErrors: Error[] = [];
  before(async () => {
    h = await startHarness([ALICE, BOB], async (context) => {
      if (!isMessage(context.activity)) return;
      if (context.activity.text === 'slow question') {
        // Work that takes long enough for several typing indicators (not a synchronisation sleep).
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
      await context.sendActivity(`answer to ${context.activity.text}`);
    });
    h.adapter.onTurnError = async (_context, error) => void turnErrors.push(error);
    h.adapter.use(new ShowTypingMiddleware(10, 20));
    h.adapter.use(new TranscriptLoggerMiddleware(store));
  });
  after(async () => h.close());

  it('should show typing while a slow turn runs, and clear it with the reply', async () => {
    const conv = await h.emu.user(ALICE.uri).startConversation('slow question');
    const [reply] = await conv.waitForReceived(1);
    assert.equal(reply!.text, 'answer to slow question');
    const requests = h.emu.requests();
    const typing = requests.filter((r) => r.resource === 'setIsTyping');
    const sent = requests.find((r) => r.resource === 'sendMessage');
    assert.ok(typing.length >= 1, 'ShowTypingMiddleware sent setIsTyping');
    assert.ok(typing.every((r) => r.seq < sent!.seq), `no typing after the reply: typing ${typing.map((r) => r.seq)}, reply ${sent!.seq}`);
    assert.equal(conv.botTyping, false, 'the reply cleared the typing indicator');
    assert.deepEqual(turnErrors, []);
  });

  it('should log incoming and outgoing activities to the transcript store', async () => {
    const conv = await h.emu.user(BOB.uri).startConversation('quick one');
    const [reply] = await conv.waitForReceived(1);
    assert.equal(reply!.text, 'answer to quick one');
    const [incoming] = await h.waitForActivities(1, (a) => isMessage(a) && a.from.id === BOB.uri);
    const conversationId = incoming!.conversation.id;
    // The outgoing side is logged after the send resolved; the transcript is complete once the turn ended.
    await h.adapter.continueConversation(TurnContext.getConversationReference(incoming!), async () => {});
    const page = await store.getTranscriptActivities('ucwa', conversationId);
    const messages = page.items.filter((a) => a.type === 'message');
    assert.deepEqual(messages.map((a) => `${a.from.role}:${a.text}`), ['user:quick one', 'bot:answer to quick one']);
    assert.equal(messages[0]!.id, incoming!.id);
    // The outgoing id is the ResourceResponse id: the created message's href.
    assert.match(messages[1]!.id!, /\/messaging\/messages\//);
    for (const a of messages) assert.ok(a.timestamp instanceof Date, `${a.text}: timestamp is a Date`);
    assert.deepEqual(turnErrors, []);
  });
});

