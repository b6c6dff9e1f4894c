import assert from 'node:assert/strict';
import { TurnContext } from 'botbuilder';
import { isUcwaError } from '../../../src/ucwa/errors.js';
import { ALICE, BOB, CAROL, isMessage, startHarness } from './harness.js';
import type { Harness } from './harness.js';

describe('UcwaAdapter + UcwaClient + emulator: proactive and conversation end', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness([ALICE, BOB, CAROL], async (context) => {
      if (context.activity.type === 'message' && context.activity.text === 'bye') await context.sendActivity({ type: 'endOfConversation' });
    });
  });
  after(async () => h.close());

  it('should createConversation with an online user and deliver what the logic sends', async () => {
    const waiting = h.emu.user(BOB.uri).waitForConversation();
    let reference: ReturnType<typeof TurnContext.getConversationReference> | undefined;
    await h.adapter.createConversation(BOB.uri, async (context) => {
      reference = TurnContext.getConversationReference(context.activity);
      await context.sendActivity('Disk almost full on **db-1**');
    });
    const conv = await waiting;
    const [message] = await conv.waitForReceived(1);
    assert.equal(message!.text, 'Disk almost full on db-1');
    assert.equal(reference?.user?.id, BOB.uri);
    assert.equal(reference?.channelId, 'ucwa');

    await h.adapter.continueConversation(reference!, async (context) => void (await context.sendActivity('Resolved')));
    assert.equal((await conv.waitForReceived(2))[1]!.text, 'Resolved');
  });

  it('should reject createConversation to an offline user with the documented reason', async () => {
    let ran = false;
    await assert.rejects(
      h.adapter.createConversation(CAROL.uri, async () => void (ran = true)),
      (error: unknown) => {
        assert.ok(isUcwaError(error), String(error));
        assert.equal(error.subcode, 'TemporarilyUnavailable');
        assert.match(error.message, /TemporarilyUnavailable/);
        return true;
      },
    );
    assert.equal(ran, false, 'logic does not run for a failed invitation');
  });

  it('should turn the user leaving into endOfConversation', async () => {
    const conv = await h.emu.user(ALICE.uri).startConversation('hello');
    const [first] = await h.waitForActivities(1, (a) => isMessage(a) && a.from.id === ALICE.uri);
    await conv.leave();
    const [end] = await h.waitForActivities(1, (a) => a.type === 'endOfConversation' && a.conversation.id === first!.conversation.id);
    assert.equal(end!.from.id, ALICE.uri);
  });

  it("should end the conversation on the bot's endOfConversation (stopMessaging)", async () => {
    const conv = await h.emu.user(ALICE.uri).startConversation('bye');
    await conv.waitForState('Disconnected');
    assert.ok(h.emu.requests().some((r) => r.resource === 'stopMessaging' && r.status === 204));
  });
});

describe('UcwaAdapter + UcwaClient + emulator: conversation without Html', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness([ALICE], async (context) => {
      if (isMessage(context.activity)) await context.sendActivity('**bold** and [a link](https://x.contoso.com/)');
    }, { emulator: { htmlMessaging: false } });
  });
  after(async () => h.close());

  it('should send the plain-text rendering when Html was not negotiated', async () => {
    const conv = await h.emu.user(ALICE.uri).startConversation('hi');
    const [reply] = await conv.waitForReceived(1);
    assert.equal(reply!.format, 'plain');
    assert.equal(reply!.text, 'bold and a link (https://x.contoso.com/)');
  });
});

describe('UcwaAdapter + UcwaClient + emulator: acceptInvitations', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness([ALICE, BOB], async (context) => {
      if (isMessage(context.activity)) await context.sendActivity('welcome');
    }, { adapter: { acceptInvitations: (from) => from !== BOB.uri } });
  });
  after(async () => h.close());

  it('should decline invitations the predicate rejects and serve the others', async () => {
    const declined = await h.emu.user(BOB.uri).startConversation('let me in');
    await declined.waitForState('Disconnected');
    const accepted = await h.emu.user(ALICE.uri).startConversation('hello');
    assert.equal((await accepted.waitForReceived(1))[0]!.text, 'welcome');
    assert.ok(h.emu.requests().some((r) => r.resource === 'decline'));
    assert.equal(h.seen.filter((a) => a.from.id === BOB.uri).length, 0, 'no activity from a declined invitation');
  });
});
