import assert from 'node:assert/strict';
import { TurnContext } from 'botbuilder';
import { ALICE, BOB, BOT_USER, isMessage, startHarness } from './harness.js';
import type { Harness } from './harness.js';

describe('UcwaAdapter + UcwaClient + emulator: echo bot', () => {
  let h: Harness;
  const counted = { received: 0, sent: 0 };
  before(async () => {
    h = await startHarness(
      [ALICE, BOB],
      async (context) => {
        if (context.activity.type === 'message') await context.sendActivity(`echo: ${context.activity.text}`);
      },
      { adapter: { metrics: { messageReceived: () => void counted.received++, messageSent: () => void counted.sent++ } } },
    );
  });
  after(async () => h.close());

  it('should greet with conversationUpdate, then echo every message exactly once', async () => {
    const conv = await h.emu.user(ALICE.uri).startConversation('hi bot');
    await conv.waitForReceived(1);
    await conv.send('second');
    const received = await conv.waitForReceived(2);
    assert.deepEqual(received.map((m) => m.text), ['echo: hi bot', 'echo: second']);

    const mine = h.seen.filter((a) => a.conversation.id === h.seen.find(isMessage)!.conversation.id);
    assert.deepEqual(mine.map((a) => `${a.type}:${a.text ?? ''}`), ['conversationUpdate:', 'message:hi bot', 'message:second']);
    assert.deepEqual(mine[0]!.membersAdded?.map((m) => m.id), [ALICE.uri, BOT_USER.uri]);
  });

  it('should fill the activity fields botbuilder users expect', async () => {
    const conv = await h.emu.user(BOB.uri).startConversation('fields please');
    await conv.waitForReceived(1);
    const [activity] = await h.waitForActivities(1, (a) => isMessage(a) && a.from.id === BOB.uri);
    assert.equal(activity!.channelId, 'ucwa');
    assert.equal(activity!.serviceUrl, h.emu.discoveryUrl);
    assert.deepEqual(activity!.from, { id: BOB.uri, name: 'Bob Jones', role: 'user' });
    assert.deepEqual(activity!.recipient, { id: BOT_USER.uri, name: 'Help Bot', role: 'bot' });
    assert.equal(activity!.conversation.conversationType, 'personal');
    // The first message of an invitation is identified by the invitation href (the client's de-duplication key).
    assert.match(activity!.id!, /^http:\/\/127\.0\.0\.1:\d+\/ucwa\/.+\/(messages|messagingInvitations)\//);
    assert.equal(activity!.textFormat, 'plain');
    assert.ok(activity!.timestamp instanceof Date);
    const ucwa = (activity!.channelData as { ucwa: { conversationHref: string } }).ucwa;
    assert.match(ucwa.conversationHref, /\/conversations\//);
    const reference = TurnContext.getConversationReference(activity!);
    for (const field of ['activityId', 'user', 'bot', 'conversation', 'channelId', 'serviceUrl', 'locale'] as const) assert.ok(reference[field], field);
  });

  it('should deliver a proactive continueConversation to a stored reference', async () => {
    const [activity] = await h.waitForActivities(1, (a) => isMessage(a) && a.from.id === BOB.uri);
    const reference = TurnContext.getConversationReference(activity!);
    await h.adapter.continueConversation(reference, async (context) => void (await context.sendActivity('Build 7 is green')));
    const conv = h.emu.user(BOB.uri).conversations()[0]!;
    const received = await conv.waitForReceived(2);
    assert.equal(received[1]!.text, 'Build 7 is green');
  });

  it('should pass the metrics sink through to the client', () => {
    assert.ok(counted.received >= 3, `messageReceived ${counted.received}`);
    assert.ok(counted.sent >= 3, `messageSent ${counted.sent}`);
  });

  it('should never log message bodies or the password', () => {
    const text = h.logger.text();
    for (const secret of ['hi bot', 'fields please', 'Build 7 is green', BOT_USER.password!]) assert.ok(!text.includes(secret), secret);
  });
});
