import { strict as assert } from 'node:assert';
import { TestAdapter, type TurnContext } from 'botbuilder';
import { CommandMiddleware } from '../../../src/commands/command-middleware.js';
import { ALICE, BOB, CAROL, createClock, createFakeLogger, message, textMatching } from './helpers.js';

function setup() {
  const logger = createFakeLogger();
  const clock = createClock();
  const ran: string[] = [];
  const commands = new CommandMiddleware({
    prefix: '!', logger, now: clock.now,
    groups: { ops: ['sip:alice@contoso.com', '@ops.contoso.com'], admins: ['Dave@Contoso.com'] },
  })
    .command({ name: 'ping', summary: 'Check the bot is alive', handler: async (ctx) => { await ctx.sendActivity('pong'); } })
    .command({
      name: 'restart', aliases: ['reboot'], summary: 'Restart a service', allow: { groups: ['ops'] },
      args: [{ name: 'service', required: true, description: 'service to restart' }],
      handler: async (ctx, args) => { ran.push(`restart ${String(args['service'])}`); await ctx.sendActivity(`restarting ${String(args['service'])}`); },
    })
    .command({
      name: 'deploy', aliases: ['ship'], summary: 'Deploy a service',
      args: [
        { name: 'service', required: true },
        { name: 'env', flag: true, type: 'enum', values: ['dev', 'prod'], default: 'dev', description: 'target' },
        { name: 'wait', flag: true, type: 'duration', default: '90s' },
      ],
      rateLimit: { perUser: { max: 2, windowMs: 60_000 } },
      handler: async (ctx, args) => { await ctx.sendActivity(`deploying ${String(args['service'])} to ${String(args['env'])}`); },
    })
    .command({
      name: 'failover', summary: 'Fail over the database', rateLimit: { perCommand: { max: 1, windowMs: 10_000 } },
      handler: async (ctx) => { await ctx.sendActivity('failing over'); },
    })
    .command({
      name: 'nuke', summary: 'Delete a cluster', allow: { users: ['sip:bob@contoso.com'], domains: ['fabrikam.com'] },
      handler: async (ctx) => { await ctx.sendActivity('nuked'); },
    });
  const adapter = new TestAdapter(async (ctx: TurnContext) => { await ctx.sendActivity(`bot: ${ctx.activity.text}`); }).use(commands);
  return { adapter, commands, logger, clock, ran };
}

describe('CommandMiddleware help', () => {
  it('should list only the commands the asking user may run', async () => {
    const { adapter } = setup();
    await adapter
      .send(message('help', ALICE)).assertReply((reply) => {
        assert.match(reply.text!, /^Commands you can run:\n!help — /);
        assert.match(reply.text!, /\n!restart — Restart a service\n/);
        assert.doesNotMatch(reply.text!, /!nuke/);
      })
      .send(message('!help', BOB)).assertReply((reply) => {
        assert.doesNotMatch(reply.text!, /!restart/);
        assert.match(reply.text!, /!nuke — Delete a cluster/);
        assert.match(reply.text!, /Type !help <command> for details\.$/);
      })
      .startTest();
  });

  it('should show usage, arguments with types and defaults, aliases and limits for help <command>', async () => {
    await setup().adapter.send('!help deploy').assertReply([
      '!deploy <service> [--env dev|prod] [--wait duration]',
      'Deploy a service',
      'Aliases: !ship',
      'Arguments:',
      '  service (string, required)',
      '  --env (one of dev, prod, default dev) — target',
      '  --wait (duration, default 90 s)',
      'Rate limit: 2 per user per 60 s.',
    ].join('\n')).startTest();
  });

  it('should resolve aliases and a leading prefix in help <command>', async () => {
    await setup().adapter
      .send(message('!help !reboot', ALICE)).assertReply(textMatching(/^!restart <service>\nRestart a service\nAliases: !reboot\nArguments:\n  service \(string, required\) — service to restart$/))
      .startTest();
  });

  it('should not disclose a command the user may not run', async () => {
    await setup().adapter
      .send(message('!help restart', BOB)).assertReply('There is no command !restart that you can run. Type !help to see the list.')
      .startTest();
  });

  it('should only suggest commands the user may run', async () => {
    await setup().adapter
      .send(message('!restat x', ALICE)).assertReply(textMatching(/Did you mean !restart\?/))
      .send(message('!restat x', BOB)).assertReply('Unknown command !restat. Type !help to see the commands you can run.')
      .startTest();
  });
});

describe('CommandMiddleware permissions', () => {
  it('should deny with a clear reply and log who, what and when without the body', async () => {
    const { adapter, logger, ran } = setup();
    await adapter
      .send(message('!restart secret-service-xyz', BOB))
      .assertReply('You are not allowed to run !restart. Ask an administrator to add you to group ops.')
      .startTest();
    assert.deepEqual(ran, []);
    const denied = logger.entries.filter((e) => e.level === 'warn');
    assert.equal(denied.length, 1);
    assert.deepEqual(denied[0]!.obj, { event: 'command.denied', user: BOB, command: 'restart', at: '2026-11-26T01:00:00.000Z' });
    assert.ok(!JSON.stringify(logger.entries).includes('secret-service-xyz'));
  });

  it('should allow group members by SIP URI (any case, with or without sip:) and by @domain', async () => {
    const { adapter, ran } = setup();
    await adapter
      .send(message('!restart web', 'SIP:Alice@CONTOSO.COM')).assertReply('restarting web')
      .send(message('!reboot db', 'carol@Ops.Contoso.com')).assertReply('restarting db')
      .startTest();
    assert.deepEqual(ran, ['restart web', 'restart db']);
  });

  it('should allow by user and by domain lists, and ask for access otherwise', async () => {
    await setup().adapter
      .send(message('!nuke', BOB)).assertReply('nuked')
      .send(message('!nuke', 'sip:eve@fabrikam.com')).assertReply('nuked')
      .send(message('!nuke', CAROL)).assertReply('You are not allowed to run !nuke. Ask an administrator for access.')
      .send(message('!nuke', 'sip:eve@evil-fabrikam.com')).assertReply(textMatching(/not allowed/))
      .startTest();
  });

  it('should deny a restricted command to a sender without an id', async () => {
    await setup().adapter
      .send({ type: 'message', text: '!nuke', from: { id: '', name: '' } }).assertReply(textMatching(/not allowed/))
      .startTest();
  });

  it('should deny before parsing, so a denied user learns nothing about the arguments', async () => {
    await setup().adapter.send(message('!restart', BOB)).assertReply(textMatching(/^You are not allowed/)).startTest();
  });
});

describe('CommandMiddleware rate limits', () => {
  it('should limit per user with a clear retry time, from the injected clock', async () => {
    const { adapter, clock } = setup();
    await adapter
      .send(message('!deploy a', ALICE)).assertReply('deploying a to dev')
      .send(message('!deploy b --env prod', ALICE)).assertReply('deploying b to prod')
      .send(message('!deploy c', ALICE)).assertReply('Slow down: you can run !deploy again in 60 s.')
      .send(message('!deploy c', BOB)).assertReply('deploying c to dev')
      .startTest();
    clock.advance(48_000);
    await adapter.send(message('!ship c', ALICE)).assertReply('Slow down: you can run !deploy again in 12 s.').startTest();
    clock.advance(12_000);
    await adapter.send(message('!deploy c', ALICE)).assertReply('deploying c to dev').startTest();
  });

  it('should not count rejected attempts or bad arguments', async () => {
    const { adapter, clock } = setup();
    await adapter
      .send(message('!deploy', ALICE)).assertReply(textMatching(/Missing required argument service/))
      .send(message('!deploy a', ALICE)).assertReply('deploying a to dev')
      .send(message('!deploy a', ALICE)).assertReply('deploying a to dev')
      .send(message('!deploy a', ALICE)).assertReply(textMatching(/Slow down/))
      .send(message('!deploy a', ALICE)).assertReply(textMatching(/Slow down/))
      .startTest();
    clock.advance(60_000);
    await adapter.send(message('!deploy a', ALICE)).assertReply('deploying a to dev').startTest();
  });

  it('should limit per command across users', async () => {
    const { adapter } = setup();
    await adapter
      .send(message('!failover', ALICE)).assertReply('failing over')
      .send(message('!failover', BOB)).assertReply('Slow down: you can run !failover again in 10 s.')
      .startTest();
  });
});
