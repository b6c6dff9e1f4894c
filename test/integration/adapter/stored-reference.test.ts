/**
 * A ConversationReference stored as JSON (in a database, by a bot that has since restarted) must keep working:
 * `continueConversation` re-opens the conversation under the SAME conversation id, so state stored under that id
 * carries on, and the user is not greeted a second time (membersAdded on first contact only).
 */
import assert from 'node:assert/strict';
import { TurnContext } from 'botbuilder';
import type { ConversationReference } from 'botbuilder';
import { UcwaAdapter } from '../../../src/adapter/ucwa-adapter.js';
import { ALICE, BOB, BOT_USER, isMessage, startHarness } from './harness.js';
import type { Activity, Harness } from './harness.js';

describe('UcwaAdapter + emulator: stored references and first contact', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness([ALICE, BOB], async (context) => {
      if (isMessage(context.activity)) await context.sendActivity(`echo: ${context.activity.text}`);
    });
  });
  after(async () => h.close());

  it('should re-open a conversation the user left under the same id, without greeting again', async () => {
    const conv = await h.emu.user(ALICE.uri).startConversation('hello');
    await conv.waitForReceived(1);
    const [first] = await h.waitForActivities(1, (a) => isMessage(a) && a.from.id === ALICE.uri);
    const reference = JSON.parse(JSON.stringify(TurnContext.getConversationReference(first!))) as ConversationReference;
    await conv.leave();
    await h.waitForActivities(1, (a) => a.type === 'endOfConversation' && a.conversation.id === reference.conversation.id);

    const reopened = h.emu.user(ALICE.uri).waitForConversation();
    await h.adapter.continueConversation(reference, async (context) => void (await context.sendActivity('Your ticket was updated')));
    const conv2 = await reopened;
    assert.deepEqual((await conv2.waitForReceived(1)).map((m) => m.text), ['Your ticket was updated']);
    await conv2.send('thanks');
    const [reply] = await h.waitForActivities(1, (a) => isMessage(a) && a.text === 'thanks');
    assert.equal(reply!.conversation.id, reference.conversation.id, 'the re-opened conversation keeps its id');
    const greetings = h.seen.filter((a: Activity) => a.conversation.id === reference.conversation.id && a.membersAdded?.length);
    assert.equal(greetings.length, 1, 'membersAdded on first contact only');
  });

  it('should continue a reference stored by an earlier process under the same conversation id', async () => {
    const conv = await h.emu.user(BOB.uri).startConversation('remember me');
    await conv.waitForReceived(1);
    const [first] = await h.waitForActivities(1, (a) => isMessage(a) && a.from.id === BOB.uri);
    const stored = JSON.stringify(TurnContext.getConversationReference(first!));
    await h.adapter.stop();

    // A new process: a new adapter (and client) that never saw the conversation.
    const seen: Activity[] = [];
    const restarted = new UcwaAdapter({ discoveryUrl: h.emu.discoveryUrl, username: 'bot@contoso.com', password: BOT_USER.password, allowInsecureLoopback: true });
    let answered!: (a: Activity) => void;
    const answer = new Promise<Activity>((resolve) => (answered = resolve));
    await restarted.start(async (context) => {
      seen.push(context.activity);
      if (isMessage(context.activity)) answered(context.activity);
    });
    try {
      const reopened = h.emu.user(BOB.uri).waitForConversation();
      await restarted.continueConversation(JSON.parse(stored) as ConversationReference, async (context) => void (await context.sendActivity('Still here after a restart')));
      const conv2 = await reopened;
      assert.deepEqual((await conv2.waitForReceived(1)).map((m) => m.text), ['Still here after a restart']);
      await conv2.send('great');
      const activity = await answer;
      assert.equal(activity.conversation.id, (JSON.parse(stored) as ConversationReference).conversation.id);
      assert.equal(activity.text, 'great');
      assert.deepEqual(seen.filter((a) => a.type === 'conversationUpdate'), [], 'a restored conversation is not greeted again');
    } finally {
      await restarted.stop();
    }
  });
});
