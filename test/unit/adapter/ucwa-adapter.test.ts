import assert from 'node:assert/strict';
import type { TurnContext } from 'botbuilder';
import { UcwaError } from '../../../src/ucwa/errors.js';
import { BOT } from '../../fakes/adapter/fake-client.js';
import { ALICE, BOB, createRecorder, createTestAdapter, gate } from '../../fakes/adapter/test-adapter.js';

describe('UcwaAdapter lifecycle and inbound turns', () => {
  it('should start the client with handlers and report its state', async () => {
    const { adapter, client } = createTestAdapter();
    assert.equal(adapter.state, 'idle');
    await adapter.start(async () => {});
    assert.deepEqual(client.calls, ['start']);
    assert.equal(typeof client.handlers.message, 'function');
    assert.equal(adapter.state, 'ready');
    assert.deepEqual(adapter.self, BOT);
  });

  it("should reject start with the client's UcwaError, and allow a retry", async () => {
    const failure = new UcwaError('POST /applications failed: 403 Forbidden', 403, 'Forbidden', undefined, { source: 'http', resource: 'applications' });
    const { adapter, client } = createTestAdapter({ startError: failure });
    await assert.rejects(adapter.start(async () => {}), (error) => error === failure);
    await assert.rejects(adapter.start(async () => {}), (error) => error === failure);
    assert.deepEqual(client.calls, ['start', 'start']);
  });

  it('should refuse a second start and a logic that is not a function', async () => {
    const { adapter } = createTestAdapter();
    await assert.rejects(adapter.start('nope' as never), TypeError);
    await adapter.start(async () => {});
    await assert.rejects(adapter.start(async () => {}), /the adapter is started/);
  });

  it('should run an echo turn through middleware and answer with the message href as ResourceResponse id', async () => {
    const { adapter, client } = createTestAdapter();
    const order: string[] = [];
    adapter.use(async (_context, next) => {
      order.push('mw-before');
      await next();
      order.push('mw-after');
    });
    const responses: string[] = [];
    await adapter.start(async (context) => {
      order.push(`bot:${context.activity.type}`);
      if (context.activity.type === 'message') responses.push((await context.sendActivity(`echo: ${context.activity.text}`))!.id);
    });
    const conversation = client.addConversation({ remote: ALICE });
    client.emitStarted(conversation);
    client.emitMessage(conversation, 'hello');
    const [sent] = await client.waitForCalls(1, (l) => l.startsWith('sendMessage'));
    assert.equal(sent, 'sendMessage conv-1 plain echo: hello');
    await adapter.stop();
    assert.deepEqual(order, ['mw-before', 'bot:conversationUpdate', 'mw-after', 'mw-before', 'bot:message', 'mw-after']);
    assert.match(responses[0]!, /^\/ucwa\/conversations\/conv-1\/messaging\/messages\/\d+$/);
  });

  it('should deliver each event kind as its activity type', async () => {
    const { adapter, client } = createTestAdapter();
    const recorder = createRecorder();
    await adapter.start(async (context) => recorder.record(context));
    const c = client.addConversation({ remote: ALICE });
    client.emitStarted(c);
    client.handlers.typing?.(c, ALICE);
    client.emitMessage(c, 'hi');
    client.handlers.participantAdded?.(c, BOB);
    client.handlers.participantRemoved?.(c, BOB);
    client.handlers.conversationEnded?.(c);
    const seen = await recorder.waitFor(6);
    assert.deepEqual(seen.map((a) => a.type), ['conversationUpdate', 'typing', 'message', 'conversationUpdate', 'conversationUpdate', 'endOfConversation']);
    assert.deepEqual(seen[0]!.membersAdded?.map((m) => m.id), [ALICE.uri, BOT.uri]);
    assert.deepEqual(seen[3]!.membersAdded?.map((m) => m.id), [BOB.uri]);
    assert.deepEqual(seen[4]!.membersRemoved?.map((m) => m.id), [BOB.uri]);
    assert.equal(seen[2]!.locale, 'en-GB');
    assert.equal(seen[2]!.serviceUrl, 'https://lyncdiscover.contoso.com/');
  });

  it('should not repeat membersAdded for a participant the conversation already has', async () => {
    const { adapter, client } = createTestAdapter();
    const recorder = createRecorder();
    await adapter.start(async (context) => recorder.record(context));
    const c = client.addConversation({ remote: ALICE });
    client.emitStarted(c);
    client.handlers.participantAdded?.(c, ALICE);
    client.handlers.participantAdded?.(c, BOB);
    client.handlers.participantAdded?.(c, BOB);
    client.emitMessage(c, 'done');
    const seen = await recorder.waitFor(3);
    assert.deepEqual(seen.map((a) => a.membersAdded?.map((m) => m.id) ?? a.text), [[ALICE.uri, BOT.uri], [BOB.uri], 'done']);
  });

  it('should greet a conversation key exactly once, also when it is re-opened after it ended', async () => {
    const { adapter, client } = createTestAdapter();
    const recorder = createRecorder();
    await adapter.start(async (context) => recorder.record(context));
    const c = client.addConversation({ remote: ALICE });
    client.emitStarted(c);
    client.emitStarted(c);
    client.handlers.conversationEnded?.(c);
    // The bot re-opens the same key (a proactive message after the user left): same conversation, no greeting.
    client.emitStarted(c);
    client.emitMessage(c, 'back again');
    const seen = await recorder.waitFor(3);
    assert.deepEqual(seen.map((a) => a.type), ['conversationUpdate', 'endOfConversation', 'message']);
  });

  it('should keep turn order within a conversation even when an earlier turn is slow', async () => {
    const { adapter, client } = createTestAdapter();
    const slow = gate();
    await adapter.start(async (context) => {
      if (context.activity.type !== 'message') return;
      if (context.activity.text === '1') await slow.promise;
      await context.sendActivity(`reply ${context.activity.text}`);
    });
    const c = client.addConversation({ remote: ALICE });
    for (const n of ['1', '2', '3']) client.emitMessage(c, n);
    setImmediate(slow.open);
    const sent = await client.waitForCalls(3, (l) => l.startsWith('sendMessage'));
    assert.deepEqual(sent, ['sendMessage conv-1 plain reply 1', 'sendMessage conv-1 plain reply 2', 'sendMessage conv-1 plain reply 3']);
  });

  it('should run other conversations while one is busy, without blocking the client handler', async () => {
    const { adapter, client } = createTestAdapter();
    const hold = gate();
    await adapter.start(async (context) => {
      if (context.activity.type !== 'message') return;
      if (context.activity.from.id === ALICE.uri) await hold.promise;
      await context.sendActivity(`to ${context.activity.from.name}`);
    });
    const a = client.addConversation({ remote: ALICE });
    const b = client.addConversation({ remote: BOB });
    assert.equal(client.handlers.message?.({ conversation: a, href: 'm1', sender: ALICE, text: 'x', timestamp: new Date() }), undefined);
    client.emitMessage(b, 'y');
    assert.deepEqual(await client.waitForCalls(1, (l) => l.startsWith('sendMessage')), ['sendMessage conv-2 plain to Bob Jones']);
    hold.open();
    assert.equal((await client.waitForCalls(2, (l) => l.startsWith('sendMessage')))[1], 'sendMessage conv-1 plain to Alice Smith');
  });

  it('should give turn errors to onTurnError with the failing context', async () => {
    const { adapter, client } = createTestAdapter();
    const caught: Array<{ text?: string; message: string }> = [];
    adapter.onTurnError = async (context, error) => {
      caught.push({ text: context.activity.text, message: error.message });
      await context.sendActivity('Sorry, something went wrong.');
    };
    await adapter.start(async (context) => {
      if (context.activity.text === 'fail') throw new Error('bot bug');
    });
    const c = client.addConversation({ remote: ALICE });
    client.emitMessage(c, 'fail');
    await client.waitForCalls(1, (l) => l.startsWith('sendMessage'));
    assert.deepEqual(caught, [{ text: 'fail', message: 'bot bug' }]);
    assert.deepEqual(client.calls.slice(-1), ['sendMessage conv-1 plain Sorry, something went wrong.']);
  });

  it('should log a turn error without onTurnError (no message body) and keep serving the conversation', async () => {
    const { adapter, client, logger } = createTestAdapter();
    await adapter.start(async (context) => {
      if (context.activity.text === 'secret words') throw new Error('bot bug');
      await context.sendActivity('still here');
    });
    const c = client.addConversation({ remote: ALICE });
    client.emitMessage(c, 'secret words');
    client.emitMessage(c, 'next');
    await client.waitForCalls(1, (l) => l.startsWith('sendMessage'));
    const errors = logger.entries.filter((e) => e.level === 'error');
    assert.equal(errors.length, 1);
    assert.match(JSON.stringify(errors[0]), /bot bug/);
    assert.ok(!logger.text().includes('secret words'));
  });

  it('should log and skip a malformed event, and still deliver later ones', async () => {
    const { adapter, client, logger } = createTestAdapter();
    const recorder = createRecorder();
    await adapter.start(async (context) => recorder.record(context));
    const c = client.addConversation({ remote: ALICE });
    client.handlers.message?.({ conversation: undefined, href: 'x' } as never);
    client.handlers.message?.({ conversation: c, text: 'no href' } as never);
    client.handlers.typing?.(c, undefined as never);
    client.emitMessage(c, 'fine');
    const [activity] = await recorder.waitFor(1);
    assert.equal(activity!.text, 'fine');
    assert.equal(logger.entries.filter((e) => e.level === 'warn' && e.msg === 'malformed client event skipped').length, 3);
  });

  it('should let running turns finish on stop, stop the client, and drop later events', async () => {
    const { adapter, client, logger } = createTestAdapter();
    const hold = gate();
    let turns = 0;
    await adapter.start(async (context) => {
      turns++;
      await hold.promise;
      await context.sendActivity('bye');
    });
    const c = client.addConversation({ remote: ALICE });
    client.emitMessage(c, 'a');
    const stopped = adapter.stop();
    client.emitMessage(c, 'late');
    hold.open();
    await stopped;
    assert.deepEqual(client.calls, ['start', 'sendMessage conv-1 plain bye', 'stop']);
    assert.equal(turns, 1);
    assert.ok(logger.entries.some((e) => e.msg === 'event after stop() dropped'));
  });

  it('should report a fatal client error through onFatal', async () => {
    const { adapter, client } = createTestAdapter();
    const fatal: Error[] = [];
    adapter.onFatal = (error) => fatal.push(error);
    await adapter.start(async (_context: TurnContext) => {});
    const error = new UcwaError('GET events failed: 409 Conflict/PGetReplaced', 409, 'Conflict', 'PGetReplaced', { source: 'http', resource: 'events' });
    client.handlers.fatal?.(error);
    client.handlers.fatal?.(new Error('second report'));
    assert.deepEqual(fatal, [error]);
    assert.equal(adapter.fatalError, error);
  });
});
