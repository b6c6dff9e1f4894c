import { strict as assert } from 'node:assert';
import { TestAdapter, type TurnContext } from 'botbuilder';
import sinon from 'sinon';
import { CommandMiddleware } from '../../../src/commands/command-middleware.js';
import { PendingConfirmations } from '../../../src/commands/pending-confirmations.js';
import { ALICE, BOB, createClock, message, textMatching } from './helpers.js';

function setup(now?: () => number) {
  const ran: string[] = [];
  const commands = new CommandMiddleware({ prefix: '!', ...(now ? { now } : {}) })
    .command({ name: 'ping', summary: 'Check the bot is alive', handler: async (ctx) => { await ctx.sendActivity('pong'); } })
    .command({
      name: 'restart', summary: 'Restart a service', confirm: true, args: [{ name: 'service', required: true }],
      handler: async (ctx, args) => { ran.push(String(args['service'])); await ctx.sendActivity(`restarting ${String(args['service'])}`); },
    })
    .command({
      name: 'wipe', summary: 'Wipe the cache', confirm: { prompt: 'This drops every cached page.', timeoutMs: 10_000 },
      handler: async (ctx) => { ran.push('wipe'); await ctx.sendActivity('wiped'); },
    });
  const adapter = new TestAdapter(async (ctx: TurnContext) => { await ctx.sendActivity(`bot: ${ctx.activity.text}`); }).use(commands);
  return { adapter, ran };
}

const ASK = 'Reply yes within 30 s to run !restart; anything else cancels.';

describe('CommandMiddleware confirm', () => {
  it('should run the handler with the original arguments after yes (any case, or y)', async () => {
    const { adapter, ran } = setup(createClock().now);
    await adapter
      .send('!restart web').assertReply(ASK)
      .send('YES').assertReply('restarting web')
      .send('!restart db').assertReply(ASK)
      .send(' y ').assertReply('restarting db')
      .startTest();
    assert.deepEqual(ran, ['web', 'db']);
  });

  it('should cancel on anything else, without treating the answer as a command', async () => {
    const { adapter, ran } = setup(createClock().now);
    await adapter
      .send('!restart web').assertReply(ASK)
      .send('!ping').assertReply('Cancelled !restart.')
      .send('!restart web').assertReply(ASK)
      .send('yes please').assertReply('Cancelled !restart.')
      .send('yes').assertReply('bot: yes')
      .startTest();
    assert.deepEqual(ran, []);
  });

  it('should expire by the injected clock', async () => {
    const clock = createClock();
    const { adapter, ran } = setup(clock.now);
    await adapter.send('!restart web').assertReply(ASK).startTest();
    clock.advance(30_001);
    await adapter
      .send('yes').assertReply('Too late: the confirmation for !restart expired. Run !restart again.')
      .send('yes').assertReply('bot: yes')
      .startTest();
    assert.deepEqual(ran, []);
  });

  it('should handle an expired confirmation followed by other text as a normal message', async () => {
    const clock = createClock();
    const { adapter } = setup(clock.now);
    await adapter.send('!restart web').assertReply(ASK).startTest();
    clock.advance(60_000);
    await adapter.send('!ping').assertReply('pong').startTest();
  });

  it('should expire by Date.now by default (sinon fake timers)', async () => {
    const timers = sinon.useFakeTimers({ now: 0, toFake: ['Date'] });
    try {
      const { adapter, ran } = setup();
      await adapter
        .send('!wipe').assertReply('This drops every cached page.\nReply yes within 10 s to run !wipe; anything else cancels.')
        .startTest();
      timers.tick(9_999);
      await adapter.send('yes').assertReply('wiped').startTest();
      await adapter.send('!wipe').assertReply(textMatching(/Reply yes within 10 s/)).startTest();
      timers.tick(10_001);
      await adapter.send('yes').assertReply(textMatching(/Too late/)).startTest();
      assert.deepEqual(ran, ['wipe']);
    } finally {
      timers.restore();
    }
  });

  it('should only accept the answer of the same user in the same conversation', async () => {
    const { adapter, ran } = setup(createClock().now);
    await adapter
      .send(message('!restart web', ALICE, 'g1')).assertReply(ASK)
      .send(message('yes', BOB, 'g1')).assertReply('bot: yes')
      .send(message('yes', ALICE, 'g2')).assertReply('bot: yes')
      .send(message('yes', ALICE, 'g1')).assertReply('restarting web')
      .startTest();
    assert.deepEqual(ran, ['web']);
  });
});

describe('PendingConfirmations', () => {
  it('should stay bounded, dropping expired entries first, then the oldest', () => {
    const clock = createClock();
    const pending = new PendingConfirmations<string>(clock.now, 3);
    pending.set('a', 'A', 1_000);
    pending.set('b', 'B', 60_000);
    pending.set('c', 'C', 60_000);
    clock.advance(2_000);
    pending.set('d', 'D', 60_000);
    assert.equal(pending.size, 3);
    assert.equal(pending.take('a'), undefined);
    pending.set('a', 'A2', 60_000);
    pending.set('e', 'E', 60_000);
    assert.equal(pending.size, 3);
    assert.equal(pending.take('b'), undefined);
    assert.equal(pending.take('c'), undefined);
    assert.equal(pending.take('e')?.value, 'E');
    assert.equal(pending.take('e'), undefined);
  });
});
