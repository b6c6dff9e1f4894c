import assert from 'node:assert/strict';
import { TurnContext } from 'botbuilder';
import type { ConversationReference } from 'botbuilder';
import type { UcwaError } from '../../../src/ucwa/errors.js';
import { BOB, startHarness } from './harness.js';
import type { Harness } from './harness.js';

describe('UcwaAdapter + UcwaClient + emulator: a message accepted but not delivered', () => {
  let h: Harness;
  const counted: Array<{ code: string; subcode?: string }> = [];
  before(async () => {
    h = await startHarness([BOB], async () => undefined, { adapter: { metrics: { deliveryFailed: (reason) => counted.push(reason) } } });
  });
  after(async () => h.close());

  it('should tell onDeliveryFailed, with the documented reason and the id the send returned', async () => {
    const failures: { reference: Partial<ConversationReference>; error: UcwaError; activityId: string }[] = [];
    let notify!: () => void;
    const reported = new Promise<void>((resolve) => (notify = resolve));
    h.adapter.onDeliveryFailed = (reference, error, activityId) => {
      failures.push({ reference, error, activityId });
      notify();
    };

    const waiting = h.emu.user(BOB.uri).waitForConversation();
    let reference: Partial<ConversationReference> | undefined;
    await h.adapter.createConversation(BOB.uri, async (context) => {
      reference = TurnContext.getConversationReference(context.activity);
      await context.sendActivity('Backup finished');
    });
    const conv = await waiting;
    await conv.waitForReceived(1);
    assert.equal(failures.length, 0, 'a delivered message is no failure');

    // Bob goes offline in the middle of the conversation: the server still answers 201, the event says Failure.
    h.emu.user(BOB.uri).setAvailability('offline');
    let sentId: string | undefined;
    await h.adapter.continueConversation(reference!, async (context) => {
      sentId = (await context.sendActivity('Are you there?'))?.id;
    });
    await reported;
    assert.equal(failures.length, 1);
    assert.equal(failures[0]!.error.subcode, 'TemporarilyUnavailable');
    assert.equal(failures[0]!.error.details.source, 'event');
    assert.equal(failures[0]!.reference.conversation?.id, reference!.conversation?.id);
    assert.equal(failures[0]!.reference.user?.id, BOB.uri);
    assert.equal(failures[0]!.activityId, sentId, 'the same id the send returned');
    assert.deepEqual(conv.received().map((m) => m.text), ['Backup finished'], 'the failed message never reached Bob');
    assert.deepEqual(counted, [{ code: 'RemoteFailure', subcode: 'TemporarilyUnavailable' }], 'and /metrics counts it');
  });
});
