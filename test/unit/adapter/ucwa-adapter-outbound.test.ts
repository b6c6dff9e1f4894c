import assert from 'node:assert/strict';
import { TurnContext } from 'botbuilder';
import type { ConversationReference } from 'botbuilder';
import { UcwaError } from '../../../src/ucwa/errors.js';
import { UcwaAdapter } from '../../../src/adapter/ucwa-adapter.js';
import { ALICE, createRecorder, createTestAdapter, gate } from '../../fakes/adapter/test-adapter.js';

describe('UcwaAdapter outbound and proactive', () => {
  async function started(options: Parameters<typeof createTestAdapter>[0] = {}) {
    const t = createTestAdapter(options);
    const recorder = createRecorder();
    await t.adapter.start(async (context) => recorder.record(context));
    const conversation = t.client.addConversation({ remote: ALICE });
    t.client.emitMessage(conversation, 'hi');
    const [activity] = await recorder.waitFor(1);
    const reference = TurnContext.getConversationReference(activity!);
    return { ...t, conversation, reference };
  }

  it('should map typing, delay, message and endOfConversation in order', async () => {
    const { adapter, client, sleeps, reference } = await started();
    let ids: string[] = [];
    await adapter.continueConversation(reference, async (context) => {
      const responses = await context.sendActivities([
        { type: 'typing' },
        { type: 'delay', value: 1500 },
        { type: 'delay' },
        { type: 'message', text: 'done' },
        { type: 'trace', name: 'debug' },
        { type: 'endOfConversation' },
      ]);
      ids = responses.map((r) => r.id);
    });
    assert.deepEqual(client.calls.slice(1), ['setIsTyping conv-1', 'sendMessage conv-1 plain done', 'stopMessaging conv-1']);
    assert.deepEqual(sleeps, [1500, 1000]);
    assert.equal(ids.length, 6);
    assert.match(ids[3]!, /messages\/\d+$/);
  });

  it('should not fail a reply when setIsTyping fails', async () => {
    const { adapter, client, logger, reference } = await started();
    client.setIsTyping = async () => {
      throw new UcwaError('POST setIsTyping failed: 500 ServiceFailure', 500, 'ServiceFailure', undefined, { source: 'http' });
    };
    await adapter.continueConversation(reference, async (context) => {
      await context.sendActivities([{ type: 'typing' }, { type: 'message', text: 'answer' }]);
    });
    assert.equal(client.calls.at(-1), 'sendMessage conv-1 plain answer');
    assert.ok(logger.entries.some((e) => e.level === 'warn' && e.msg === 'setIsTyping failed'));
  });

  it('should send html only when needed and negotiated, else the plain fallback', async () => {
    const { adapter, client, conversation, reference } = await started();
    const send = (text: string) => adapter.continueConversation(reference, async (context) => void (await context.sendActivity(text)));
    await send('**bold** [docs](https://d.test)');
    conversation.negotiatedMessageFormats = ['Plain', 'Html'];
    await send('**bold**');
    conversation.negotiatedMessageFormats = ['Plain'];
    await send('**bold** [docs](https://d.test)');
    await send('plain words');
    assert.deepEqual(client.calls.slice(1), [
      'sendMessage conv-1 html <p><b>bold</b> <a href="https://d.test">docs</a></p>',
      'sendMessage conv-1 html <p><b>bold</b></p>',
      'sendMessage conv-1 plain bold docs (https://d.test)',
      'sendMessage conv-1 plain plain words',
    ]);
  });

  it('should sanitise HTML: script tags and javascript: links never reach the client', async () => {
    const { adapter, client, reference } = await started();
    await adapter.continueConversation(reference, async (context) => {
      await context.sendActivity({ text: '<p>hi<script>alert(1)</script> <a href="javascript:alert(2)">x</a></p>', textFormat: 'xml' });
      await context.sendActivity('[y](javascript:alert(3)) **z**');
    });
    const sent = client.calls.slice(1).join('\n');
    assert.ok(!/script|javascript/i.test(sent), sent);
    assert.match(sent, /<b>z<\/b>/);
  });

  it('should render suggested actions and cards as text choices', async () => {
    const { adapter, client, reference } = await started();
    await adapter.continueConversation(reference, async (context) => {
      await context.sendActivity({ text: 'Pick one', suggestedActions: { to: [], actions: [{ type: 'imBack', title: 'Yes', value: 'yes' }, { type: 'imBack', title: 'No', value: 'no' }] } });
    });
    assert.equal(client.calls.at(-1), 'sendMessage conv-1 plain Pick one\n\n1. Yes\n2. No');
  });

  it('should send nothing for a message with nothing to show', async () => {
    const { adapter, client, reference } = await started();
    let id: string | undefined;
    await adapter.continueConversation(reference, async (context) => void (id = (await context.sendActivity({ speak: 'only voice' }))?.id));
    assert.deepEqual(client.calls, ['start']);
    assert.equal(id, '');
  });

  it('should run continueConversation with a ContinueConversation event addressed to the reference', async () => {
    const { adapter, reference } = await started();
    let seen: Partial<ConversationReference> | undefined;
    await adapter.continueConversation(reference, async (context) => {
      assert.equal(context.activity.type, 'event');
      assert.equal(context.activity.name, 'ContinueConversation');
      seen = TurnContext.getConversationReference(context.activity);
    });
    assert.deepEqual(seen?.conversation, reference.conversation);
    assert.deepEqual(seen?.user, reference.user);
    assert.deepEqual(seen?.bot, reference.bot);
  });

  it('should let a turn await continueConversation on its own conversation without deadlock', async () => {
    const { adapter, client } = createTestAdapter();
    await adapter.start(async (context) => {
      if (context.activity.type !== 'message') return;
      await adapter.continueConversation(TurnContext.getConversationReference(context.activity), async (inner) => void (await inner.sendActivity('nested')));
    });
    client.emitMessage(client.addConversation({ remote: ALICE }), 'go');
    assert.deepEqual(await client.waitForCalls(1, (l) => l.startsWith('sendMessage')), ['sendMessage conv-1 plain nested']);
  });

  it('should support the CloudAdapter-style continueConversationAsync', async () => {
    const { adapter, client, reference } = await started();
    await adapter.continueConversationAsync('app-id', reference, async (context) => void (await context.sendActivity('via async')));
    assert.equal(client.calls.at(-1), 'sendMessage conv-1 plain via async');
  });

  it('should give a continueConversation error to the caller when there is no onTurnError', async () => {
    const { adapter, reference } = await started();
    await assert.rejects(adapter.continueConversation(reference, async () => { throw new Error('alert failed'); }), /alert failed/);
    await assert.rejects(adapter.continueConversation({ ...reference, channelId: 'slack' }, async () => {}), /channelId 'ucwa'/);
  });

  it('should restore a key the client does not know under the same key, and not greet it again', async () => {
    const { adapter, client } = createTestAdapter({ restore: true });
    const recorder = createRecorder();
    await adapter.start(async (context) => recorder.record(context));
    const stored = {
      channelId: 'ucwa', serviceUrl: 'https://lyncdiscover.contoso.com/', conversation: { id: 'key-from-last-week', isGroup: false, conversationType: 'personal', name: 'Alice' },
      user: { id: ALICE.uri, name: ALICE.name, role: 'user' }, bot: { id: 'sip:bot@contoso.com', name: 'Help Bot', role: 'bot' },
    } as ConversationReference;
    await adapter.continueConversation(stored, async (context) => void (await context.sendActivity('ticket closed')));
    assert.deepEqual(client.calls.slice(1), ['restore key-from-last-week sip:alice@contoso.com', 'sendMessage key-from-last-week plain ticket closed']);
    // The client then reports the re-opened conversation started: the same conversation, so no membersAdded.
    const conversation = client.getConversation('key-from-last-week')!;
    client.emitStarted(conversation);
    client.emitMessage(conversation, 'thanks');
    const seen = await recorder.waitFor(1);
    assert.deepEqual(seen.map((a) => `${a.type}:${a.conversation.id}`), ['message:key-from-last-week']);
  });

  it('should not re-open a conversation for typing or endOfConversation', async () => {
    const { adapter, client, logger, reference } = await started({ restore: true });
    const stale = { ...reference, conversation: { ...reference.conversation!, id: 'gone-key' } };
    await adapter.continueConversation(stale, async (context) => void (await context.sendActivities([{ type: 'typing' }, { type: 'endOfConversation' }])));
    assert.ok(!client.calls.some((l) => l.startsWith('restore') || l.startsWith('startMessaging') || l.startsWith('stopMessaging')), client.calls.join('\n'));
    assert.ok(logger.entries.some((e) => e.level === 'warn' && e.msg === 'setIsTyping failed'), 'typing to an unknown key fails quietly');
  });

  it('should drop a typing indicator sent while a message to the conversation is in flight (ShowTypingMiddleware)', async () => {
    const held = gate();
    let sending!: () => void;
    const sendStarted = new Promise<void>((resolve) => (sending = resolve));
    const { adapter, client, reference } = await started({
      beforeSend: async (_key, body) => {
        if (body !== 'slow reply') return;
        sending();
        await held.promise;
      },
    });
    const turn = adapter.continueConversation(reference, async (context) => void (await context.sendActivity('slow reply')));
    await sendStarted;
    // What ShowTypingMiddleware's timer does mid-turn: adapter.sendActivities with a typing activity.
    const typing = TurnContext.applyConversationReference({ type: 'typing' }, reference);
    await adapter.sendActivities(new TurnContext(adapter, TurnContext.applyConversationReference({ type: 'message' }, reference, true)), [typing]);
    held.open();
    await turn;
    assert.deepEqual(client.calls.slice(1), ['sendMessage conv-1 plain slow reply'], 'no setIsTyping after the reply');
  });

  it('should re-open a conversation the client no longer knows (stored reference) once', async () => {
    const { adapter, client, reference } = await started();
    const stale = { ...reference, conversation: { ...reference.conversation!, id: 'gone-key' } };
    for (const text of ['one', 'two']) await adapter.continueConversation(stale, async (context) => void (await context.sendActivity(text)));
    assert.deepEqual(client.calls.slice(1), ['startMessaging sip:alice@contoso.com', 'sendMessage conv-2 plain one', 'sendMessage conv-2 plain two']);
  });

  it('should re-open again when the re-opened conversation is gone too, and retry after a failed re-open', async () => {
    const { adapter, client, reference } = await started({ offline: [] });
    const stale = { ...reference, conversation: { ...reference.conversation!, id: 'gone-key' } };
    const say = (text: string) => adapter.continueConversation(stale, async (context) => void (await context.sendActivity(text)));
    await say('one');
    client.conversations.delete('conv-2');
    await say('two');
    const realStart = client.startMessaging.bind(client);
    client.startMessaging = async () => {
      throw new UcwaError('startMessaging failed: Declined', 0, 'RemoteFailure', 'Declined', { source: 'event' });
    };
    client.conversations.delete('conv-3');
    await assert.rejects(say('three'), (e: UcwaError) => e.subcode === 'Declined');
    client.startMessaging = realStart;
    await say('four');
    assert.deepEqual(client.calls.slice(1).filter((l) => !l.startsWith('startMessaging')), ['sendMessage conv-2 plain one', 'sendMessage conv-3 plain two', 'sendMessage conv-4 plain four']);
  });

  it('should create a conversation proactively and run logic in it', async () => {
    const { adapter, client } = createTestAdapter();
    const recorder = createRecorder();
    await adapter.start(async (context) => recorder.record(context));
    let reference: Partial<ConversationReference> | undefined;
    await adapter.createConversation('sip:carol@contoso.com', async (context) => {
      assert.equal(context.activity.name, 'CreateConversation');
      reference = TurnContext.getConversationReference(context.activity);
      await context.sendActivity('Build 42 failed');
    }, { subject: 'CI' });
    assert.deepEqual(client.calls.slice(1), ['startMessaging sip:carol@contoso.com subject=CI', 'sendMessage conv-1 plain Build 42 failed']);
    assert.equal(reference?.conversation?.id, 'conv-1');
    assert.equal(reference?.user?.id, 'sip:carol@contoso.com');
    assert.equal(reference?.channelId, 'ucwa');
    const [update] = await recorder.waitFor(1);
    assert.equal(update!.type, 'conversationUpdate');
  });

  it('should reject createConversation with the documented reason when the user is offline', async () => {
    const { adapter } = createTestAdapter({ offline: ['sip:dave@contoso.com'] });
    await adapter.start(async () => {});
    let ran = false;
    await assert.rejects(
      adapter.createConversation('sip:dave@contoso.com', async () => void (ran = true)),
      (error: UcwaError) => error.name === 'UcwaError' && error.subcode === 'TemporarilyUnavailable',
    );
    assert.equal(ran, false);
  });

  it('should validate createConversation arguments and need a started adapter', async () => {
    const { adapter } = createTestAdapter();
    await assert.rejects(adapter.createConversation('alice@contoso.com', async () => {}), /SIP URI/);
    await assert.rejects(adapter.createConversation('sip:alice@contoso.com', 'logic' as never), /logic to be a function/);
    const lazy = new UcwaAdapter({ discoveryUrl: 'https://lyncdiscover.contoso.com/', token: async () => 't' });
    await assert.rejects(lazy.createConversation('sip:alice@contoso.com', async () => {}), /call start\(logic\) first/);
    await assert.rejects(lazy.continueConversation({ channelId: 'ucwa', conversation: { id: 'k' } as never }, async (c) => void (await c.sendActivity('x'))), /call start\(logic\) first/);
  });

  it('should support createConversationAsync with the first member as the invitee', async () => {
    const { adapter, client } = createTestAdapter();
    await adapter.start(async () => {});
    await adapter.createConversationAsync('app', 'ucwa', '', '', { isGroup: false, bot: { id: '', name: '' }, members: [{ id: 'sip:erin@contoso.com', name: 'Erin' }], topicName: 'Hi', activity: undefined as never, channelData: undefined }, async () => {});
    assert.equal(client.calls[1], 'startMessaging sip:erin@contoso.com subject=Hi');
  });

  it('should throw NotSupported for updateActivity and deleteActivity', async () => {
    const { adapter, reference } = await started();
    await adapter.continueConversation(reference, async (context) => {
      await assert.rejects(context.updateActivity({ id: 'x', text: 'edited' }), (e: Error) => e.name === 'NotSupported' && /cannot be edited/.test(e.message));
      await assert.rejects(context.deleteActivity('x'), (e: Error) => e.name === 'NotSupported' && /cannot be deleted/.test(e.message));
    });
  });
});
