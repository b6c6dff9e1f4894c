import { strict as assert } from 'node:assert';
import type { TurnContext } from 'botbuilder';
import { UcwaAdapter } from '../../../src/adapter/ucwa-adapter.js';
import { CommandMiddleware } from '../../../src/commands/command-middleware.js';
import { UcwaEmulator } from '../../../src/emulator/index.js';
import type { SimulatedConversation, UcwaEmulator as Emulator } from '../../../src/emulator/types.js';
import { createClock, createFakeLogger } from '../../unit/commands/helpers.js';

const BOT = { uri: 'sip:opsbot@contoso.com', name: 'Ops Bot', password: 'integration-only-secret' };
const ALICE = 'sip:alice@contoso.com';
const BOB = 'sip:bob@contoso.com';

/** Sends `text` and resolves with the bot's next reply (waits on the emulator, never sleeps). */
async function ask(conversation: SimulatedConversation, text: string): Promise<string> {
  const before = conversation.received().length;
  await conversation.send(text);
  const received = await conversation.waitForReceived(before + 1, 10_000);
  return received[before]!.text;
}

/**
 * The real UcwaAdapter against the emulator over HTTP. The rate limiter uses an injected clock rather than
 * fake timers, because the adapter's HTTP and event channel need real timers.
 */
describe('CommandMiddleware through the UcwaAdapter and the emulator', function () {
  let emulator: Emulator;
  let adapter: UcwaAdapter;
  const clock = createClock();
  const logger = createFakeLogger();
  const turnErrors: Error[] = [];
  const restarted: string[] = [];

  before(async () => {
    emulator = await UcwaEmulator.start({
      port: 0,
      users: [BOT, { uri: ALICE, name: 'Alice Ops' }, { uri: BOB, name: 'Bob Guest' }],
    });
    const commands = new CommandMiddleware({ prefix: '!', groups: { ops: [ALICE] }, now: clock.now, logger })
      .command({ name: 'ping', summary: 'Check the bot is alive', rateLimit: { perUser: { max: 2, windowMs: 60_000 } },
        handler: async (ctx) => { await ctx.sendActivity('pong'); } })
      .command({ name: 'restart', summary: 'Restart a service', allow: { groups: ['ops'] }, args: [{ name: 'service', required: true }],
        handler: async (ctx, args) => { restarted.push(String(args['service'])); await ctx.sendActivity(`Restarting ${String(args['service'])}.`); } });
    adapter = new UcwaAdapter({
      discoveryUrl: emulator.discoveryUrl, username: 'opsbot@contoso.com', password: BOT.password, allowInsecureLoopback: true,
    });
    adapter.use(commands);
    adapter.onTurnError = async (_ctx, error) => { turnErrors.push(error); };
    await adapter.start(async (ctx: TurnContext) => {
      if (ctx.activity.type === 'message') await ctx.sendActivity(`You said: ${ctx.activity.text}`);
    });
  });

  after(async () => {
    await adapter?.stop();
    await emulator?.close();
  });

  it('should answer help with the commands the user may run', async () => {
    const alice = await emulator.user(ALICE).startConversation('help');
    const [help] = await alice.waitForReceived(1, 10_000);
    assert.match(help!.text, /Commands you can run:/);
    assert.match(help!.text, /!restart — Restart a service/);
    const bob = await emulator.user(BOB).startConversation('!help');
    const [bobHelp] = await bob.waitForReceived(1, 10_000);
    assert.match(bobHelp!.text, /!ping — Check the bot is alive/);
    assert.doesNotMatch(bobHelp!.text, /restart/);
  });

  it('should run a permitted command and deny another, logging the denial without the message', async () => {
    const alice = emulator.user(ALICE).conversations()[0]!;
    assert.equal(await ask(alice, 'restart web-01'), 'Restarting web-01.');
    const bob = emulator.user(BOB).conversations()[0]!;
    assert.equal(await ask(bob, '!restart web-02'),
      'You are not allowed to run !restart. Ask an administrator to add you to group ops.');
    assert.deepEqual(restarted, ['web-01']);
    const denied = logger.entries.filter((e) => e.level === 'warn' && (e.obj as { event?: string }).event === 'command.denied');
    assert.equal(denied.length, 1);
    assert.equal((denied[0]!.obj as { user: string }).user, BOB);
    assert.ok(!JSON.stringify(logger.entries).includes('web-02'));
  });

  it('should let free text reach the bot logic', async () => {
    const bob = emulator.user(BOB).conversations()[0]!;
    assert.equal(await ask(bob, 'hello there'), 'You said: hello there');
  });

  it('should trip the rate limit and lift it when the injected clock moves on', async () => {
    const bob = emulator.user(BOB).conversations()[0]!;
    assert.equal(await ask(bob, 'ping'), 'pong');
    assert.equal(await ask(bob, '!ping'), 'pong');
    assert.equal(await ask(bob, 'ping'), 'Slow down: you can run !ping again in 60 s.');
    clock.advance(60_000);
    assert.equal(await ask(bob, 'ping'), 'pong');
    assert.deepEqual(turnErrors, []);
  });
});
