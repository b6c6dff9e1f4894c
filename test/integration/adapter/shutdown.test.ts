/**
 * `UcwaAdapter.stop()` under load, against the emulator: every invitation the client accepted gets its turn and
 * every reply of a running turn is sent (nothing lost); stop() during start() cancels cleanly and leaves no
 * application behind; sends after stop() fail with a clear UcwaError. An unhandled rejection anywhere fails the test.
 */
import assert from 'node:assert/strict';
import { TurnContext } from 'botbuilder';
import type { ConversationReference } from 'botbuilder';
import { UcwaEmulator } from '../../../src/emulator/index.js';
import { UcwaAdapter } from '../../../src/adapter/ucwa-adapter.js';
import { isUcwaError } from '../../../src/ucwa/errors.js';
import { BOT_USER, isMessage } from './harness.js';

const USERS = Array.from({ length: 5 }, (_, i) => ({ uri: `sip:user${i}@contoso.com`, name: `User ${i}` }));

describe('UcwaAdapter.stop() with turns and sends in flight', () => {
  let emu: UcwaEmulator;
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => void rejections.push(reason);
  before(async () => {
    process.on('unhandledRejection', onRejection);
    emu = await UcwaEmulator.start({ port: 0, users: [BOT_USER, ...USERS] });
  });
  after(async () => {
    process.off('unhandledRejection', onRejection);
    await emu.close();
  });
  afterEach(() => assert.deepEqual(rejections, [], 'no unhandled rejections'));

  const newAdapter = () => new UcwaAdapter({ discoveryUrl: emu.discoveryUrl, username: 'bot@contoso.com', password: BOT_USER.password, allowInsecureLoopback: true });

  it('should run the turn of every accepted invitation and send all its replies', async () => {
    const adapter = newAdapter();
    let turns = 0;
    let firstTurn!: () => void;
    const turnRunning = new Promise<void>((resolve) => (firstTurn = resolve));
    await adapter.start(async (context) => {
      if (!isMessage(context.activity)) return;
      turns++;
      firstTurn();
      await context.sendActivity('part 1');
      await context.sendActivities([{ type: 'delay', value: 50 }, { type: 'message', text: 'part 2' }]);
    });
    emu.faults.inject({ resource: 'sendMessage', latencyMs: 30, times: 4 });
    const conversations = await Promise.all(USERS.map((u) => emu.user(u.uri).startConversation('help')));
    await turnRunning;
    await adapter.stop();

    const accepted = emu.requests().filter((r) => r.resource === 'accept').length;
    assert.ok(accepted >= 1);
    assert.equal(turns, accepted, 'every accepted invitation got its turn');
    for (const conversation of conversations) {
      const texts = conversation.received().map((m) => m.text);
      assert.ok(texts.length === 0 || texts.join('|') === 'part 1|part 2', `${conversation.user}: ${texts.join('|')}`);
    }
    assert.equal(conversations.filter((c) => c.received().length === 2).length, accepted);
    assert.equal(adapter.state, 'stopped');
    assert.deepEqual(emu.applications(), [], 'the application was deleted');
  });

  it('should cancel a start() in progress and leave no application behind', async () => {
    const adapter = newAdapter();
    emu.faults.inject({ resource: 'applications', latencyMs: 150, times: 1 });
    const starting = adapter.start(async () => {}).then(() => undefined, (e: unknown) => e);
    await new Promise<void>((resolve) => setImmediate(resolve));
    await adapter.stop();
    const error = await starting;
    assert.ok(isUcwaError(error), String(error));
    assert.equal(error.subcode, 'Stopped');
    assert.match(error.message, /stop\(\) was called while signing in/);
    assert.equal(adapter.state, 'stopped');
    assert.deepEqual(emu.applications(), []);
  });

  it('should refuse sends after stop() with a UcwaError saying so', async () => {
    const adapter = newAdapter();
    let reference: Partial<ConversationReference> | undefined;
    let got!: () => void;
    const gotMessage = new Promise<void>((resolve) => (got = resolve));
    await adapter.start(async (context) => {
      if (!isMessage(context.activity)) return;
      reference = TurnContext.getConversationReference(context.activity);
      got();
    });
    await emu.user(USERS[0]!.uri).startConversation('remember me');
    await gotMessage;
    await adapter.stop();
    await assert.rejects(
      adapter.continueConversation(reference!, async (context) => void (await context.sendActivity('too late'))),
      (error: unknown) => isUcwaError(error) && error.subcode === 'Stopped' && /nothing can be sent after stop\(\)/.test(error.message),
    );
  });
});
