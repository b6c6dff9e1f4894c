import { strict as assert } from 'node:assert';
import { TestAdapter, type TurnContext } from 'botbuilder';
import fc from 'fast-check';
import { pingCommand } from '../../../src/commands/builtin/ping.js';
import { CommandMiddleware } from '../../../src/commands/command-middleware.js';
import { isCommandHandlerError } from '../../../src/commands/handler-error.js';
import type { CommandMiddlewareOptions } from '../../../src/commands/types.js';
import { ALICE, BOB, createFakeLogger, message, textMatching } from './helpers.js';

function setup(options: CommandMiddlewareOptions = {}) {
  const logger = createFakeLogger();
  const commands = new CommandMiddleware({ prefix: '!', logger, ...options })
    .command({ name: 'ping', aliases: ['p'], summary: 'Check the bot is alive', handler: async (ctx) => { await ctx.sendActivity('pong'); } })
    .command({
      name: 'echo', summary: 'Repeat text', args: [{ name: 'text', rest: true, required: true }],
      handler: async (ctx, args) => { await ctx.sendActivity(`said: ${String(args['text'])}`); },
    });
  const adapter = new TestAdapter(async (ctx: TurnContext) => {
    await ctx.sendActivity(ctx.activity.type === 'message' ? `bot: ${ctx.activity.text}` : `event: ${ctx.activity.type}`);
  }).use(commands);
  return { adapter, commands, logger };
}

describe('CommandMiddleware routing', () => {
  it('should run a prefixed command', async () => {
    await setup().adapter.send('!ping').assertReply('pong').startTest();
  });

  it('should run a command by alias and case-insensitively', async () => {
    await setup().adapter.send('!P').assertReply('pong').send('!PING').assertReply('pong').startTest();
  });

  it('should run a command without the prefix in a one-to-one conversation', async () => {
    await setup().adapter.send('ping').assertReply('pong').startTest();
  });

  it('should treat conversationType personal as one-to-one even if other fields differ', async () => {
    const activity = { ...message('ping'), conversation: { id: 'c1', conversationType: 'personal', isGroup: false, name: 'c1' } };
    await setup().adapter.send(activity).assertReply('pong').startTest();
  });

  it('should pass free text to next() in a one-to-one conversation', async () => {
    await setup().adapter.send('hello there').assertReply('bot: hello there').startTest();
  });

  it('should pass an unknown first word without prefix to next(), even if it looks like a typo', async () => {
    await setup().adapter.send('pnig me later "unclosed').assertReply('bot: pnig me later "unclosed').startTest();
  });

  it('should require the prefix in a group conversation', async () => {
    await setup().adapter
      .send(message('ping', ALICE, 'g1')).assertReply('bot: ping')
      .send(message('!ping', ALICE, 'g1')).assertReply('pong')
      .startTest();
  });

  it('should pass non-message activities and punctuation to next()', async () => {
    await setup().adapter
      .send({ type: 'conversationUpdate' }).assertReply('event: conversationUpdate')
      .send('!!!').assertReply('bot: !!!')
      .send('!').assertReply('bot: !')
      .startTest();
  });

  it('should ignore leading whitespace, NBSP and a mention of the bot without changing the activity', async () => {
    const { adapter } = setup();
    const mention = {
      ...message('<at>Opsbot</at> \u00a0!ping'),
      recipient: { id: 'bot', name: 'Opsbot' },
      entities: [{ type: 'mention', text: '<at>Opsbot</at>', mentioned: { id: 'bot', name: 'Opsbot' } }],
    };
    await adapter
      .send(mention).assertReply('pong')
      .send({ ...message('  @Opsbot echo hi'), recipient: { id: 'bot', name: 'Opsbot' } }).assertReply('said: hi')
      .send({ ...message('@Opsbot how are you'), recipient: { id: 'bot', name: 'Opsbot' } }).assertReply('bot: @Opsbot how are you')
      .startTest();
  });

  it('should suggest a close command for an unknown prefixed command (Damerau-Levenshtein)', async () => {
    await setup().adapter
      .send('!pnig').assertReply('Unknown command !pnig. Did you mean !ping? Type !help to see the commands you can run.')
      .send('!ehco hi').assertReply(textMatching(/Did you mean !echo\?/))
      .send('!zzzzzz').assertReply('Unknown command !zzzzzz. Type !help to see the commands you can run.')
      .startTest();
  });

  it('should reply with the reason and the usage line for a bad argument', async () => {
    const { adapter } = setup();
    await adapter
      .send('!echo').assertReply('Missing required argument text.\nUsage: !echo <text...>')
      .send('!echo \u0007bell').assertReply(textMatching(/^The command contains a control character U\+0007 at column 7.*\nUsage: !echo <text\.\.\.>$/s))
      .startTest();
  });

  it('should take the rest of the line verbatim for a command without flags (odd quotes, --, backslashes)', async () => {
    await setup().adapter
      .send('!echo VPN says "error 809').assertReply('said: VPN says "error 809')
      .send('!echo  --help   me  ').assertReply('said: --help   me')
      .send('!echo C:\\temp "a b"').assertReply('said: C:\\temp "a b"')
      .startTest();
  });

  it('should log through a child logger with component, not a second name key', () => {
    const bindings: object[] = [];
    const logger = { debug() {}, info() {}, warn() {}, error() {}, child: (b: object) => { bindings.push(b); return logger; } };
    new CommandMiddleware({ logger });
    assert.deepEqual(bindings, [{ component: 'commands' }]);
  });

  it('should suggest the closest command the user may run for an unprefixed typo (didYouMean)', async () => {
    const commands = new CommandMiddleware({ groups: { ops: [ALICE] } })
      .command({ name: 'status', summary: 'Status', handler: () => undefined })
      .command({ name: 'restart', summary: 'Restart', allow: { groups: ['ops'] }, handler: () => undefined });
    const guess = (text: string, user = ALICE) => commands.didYouMean({ activity: message(text, user) } as never);
    assert.equal(guess('stauts please'), 'status');
    assert.equal(guess('restrat web'), 'restart');
    assert.equal(guess('restrat web', BOB), undefined, 'Bob may not run restart, so it is not suggested');
    assert.equal(guess('hello there'), undefined);
    assert.equal(guess('status'), undefined, 'a command is not a typo');
  });

  it('should reject an over-long command line with a clear reply', async () => {
    await setup({ maxLength: 100 }).adapter
      .send(`!echo ${'x'.repeat(200)}`).assertReply(textMatching(/^The command is too long: \d+ characters \(the limit is 100\)\.\nUsage: !echo/))
      .startTest();
  });

  it('should work with no prefix configured: known names run anywhere, other text falls through', async () => {
    const { adapter } = setup({ prefix: '' });
    await adapter
      .send(message('ping', ALICE, 'g1')).assertReply('pong')
      .send(message('!ping', ALICE, 'g1')).assertReply('bot: !ping')
      .startTest();
  });

  it('should offer ping as a ready-made builtin', async () => {
    const commands = new CommandMiddleware({ prefix: '/' }).command(pingCommand);
    await new TestAdapter(async () => {}).use(commands).send('/ping').assertReply('pong').startTest();
  });

  it('should reject a bad prefix', () => {
    assert.throws(() => new CommandMiddleware({ prefix: '! ' }), /options\.prefix must be a short string without spaces/);
  });
});

describe('CommandMiddleware on arbitrary text', () => {
  it('should always either answer or pass the message on, never throw', async () => {
    const { commands } = setup();
    const adapter = new TestAdapter(async (ctx: TurnContext) => { await ctx.sendActivity('fallthrough'); }).use(commands);
    const piece = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 12 }),
      fc.string({ unit: 'binary', maxLength: 12 }),
      fc.constantFrom('!', '!ping', '!echo', 'echo', 'help', '!help', '"', '“', '\\', '--x', ' ', '\u0000', 'yes'),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 12 }), async (parts) => {
        const replies: string[] = [];
        await adapter.send(parts.join('')).assertReply((reply) => { replies.push(reply.text ?? ''); }).startTest();
        assert.equal(replies.length, 1);
        assert.ok(replies[0]!.length > 0);
      }),
      { numRuns: 150 },
    );
  });
});

describe('CommandMiddleware handler errors', () => {
  it('should reply with a correlation id, log it, and rethrow to onTurnError marked as replied', async () => {
    const { adapter, commands, logger } = setup({ correlationId: () => '7f3a9c' });
    commands.command({ name: 'ticket', summary: 'Open a ticket', handler: () => { throw new Error('database is down'); } });
    const seen: unknown[] = [];
    adapter.onTurnError = async (_ctx, error) => { seen.push(error); };
    await adapter.send('!ticket secret body').assertReply('Sorry, !ticket failed (ref 7f3a9c). The team has been told.').startTest();
    assert.equal(seen.length, 1);
    const error = seen[0] as Error & { correlationId: string; replied: boolean; command: string };
    assert.equal(error.message, 'database is down');
    assert.equal(error.correlationId, '7f3a9c');
    assert.equal(error.replied, true);
    assert.equal(error.command, 'ticket');
    const logged = logger.entries.find((e) => e.level === 'error');
    assert.ok(logged);
    assert.equal((logged.obj as { correlationId: string }).correlationId, '7f3a9c');
    assert.ok(!JSON.stringify(logger.entries.map((e) => e.obj)).includes('secret body'));
  });

  it('should use a random 6-hex-digit id by default and wrap non-Error throws', async () => {
    const { adapter, commands } = setup();
    commands.command({ name: 'ticket', summary: 'Open a ticket', handler: () => { throw 'plain string'; } });
    let error: (Error & { correlationId?: string; replied?: boolean }) | undefined;
    adapter.onTurnError = async (_ctx, e) => { error = e; };
    await adapter.send('!ticket').assertReply(textMatching(/^Sorry, !ticket failed \(ref [0-9a-f]{6}\)\. The team has been told\.$/)).startTest();
    assert.ok(error instanceof Error);
    assert.match(error.correlationId ?? '', /^[0-9a-f]{6}$/);
    assert.equal(error.replied, true);
    assert.equal(error.cause, 'plain string');
  });

  it('should mark the error as not replied when the apology cannot be sent', async () => {
    const { adapter, commands, logger } = setup({ correlationId: () => 'abc123' });
    commands.command({ name: 'ticket', summary: 'Open a ticket', handler: () => { throw new Error('boom'); } });
    adapter.sendActivities = async () => { throw new Error('send failed'); };
    let error: unknown;
    adapter.onTurnError = async (_ctx, e) => { error = e; };
    await adapter.send('!ticket').startTest();
    assert.ok(isCommandHandlerError(error));
    assert.equal(error.message, 'boom');
    assert.equal(error.replied, false);
    assert.ok(logger.entries.some((e) => (e.obj as { event?: string }).event === 'command.reply-failed'));
    assert.ok(!isCommandHandlerError(new Error('plain')));
  });
});
