import { strict as assert } from 'node:assert';
import { ActivityTypes, TestAdapter, type Activity } from 'botbuilder';
import { validateCommandManifest } from '../../../src/commands/manifest.js';
import { createHelpdeskBot, type HelpdeskBotOptions } from '../../../src/bot/create-bot.js';
import { formatDuration } from '../../../src/bot/commands/status.js';
import { groupsOf } from '../../../src/bot/commands/whoami.js';
import { loadBotManifest } from '../../../src/server/manifest.js';

const ALICE = { id: 'sip:alice@contoso.com', name: 'Alice' };
const BOB = { id: 'sip:bob@contoso.com', name: 'Bob' };

function setup(user = ALICE, options: Partial<HelpdeskBotOptions> = {}) {
  let clock = 1_000_000;
  const restarted: string[] = [];
  const bot = createHelpdeskBot({
    botName: 'Help Bot',
    groups: { admins: ['sip:alice@contoso.com'], staff: ['@contoso.com'] },
    connection: () => ({ state: 'ready' }),
    restartService: async (s) => { restarted.push(s); },
    now: () => clock,
    ...options,
  });
  const template: Partial<Activity> = {
    channelId: 'ucwa', from: user, recipient: { id: 'sip:bot@contoso.com', name: 'Help Bot' }, conversation: { id: 'conv-1', isGroup: false, conversationType: '', name: '' },
  };
  const adapter = new TestAdapter(bot.logic, template);
  for (const mw of bot.middleware) adapter.use(mw);
  adapter.onTurnError = bot.onTurnError;
  return { adapter, bot, restarted, tick: (ms: number) => { clock += ms; } };
}

const text = (a: Partial<Activity>) => String(a.text);

describe('sample helpdesk bot', () => {
  it('should register exactly the commands in manifest/bot.json', () => {
    validateCommandManifest(loadBotManifest().commands, setup().bot.commands);
  });

  it('should answer help with the command list', async () => {
    await setup().adapter.send('help').assertReply((a) => {
      assert.match(text(a), /^Commands you can run:/);
      for (const name of ['status', 'echo', 'whoami', 'ticket', 'tickets', 'restart']) assert.ok(text(a).includes(name), name);
    }).startTest();
  });

  it('should hide restart from the help of someone who is not an admin', async () => {
    await setup(BOB).adapter.send('help').assertReply((a) => assert.ok(!text(a).includes('restart'))).startTest();
  });

  it('should echo', async () => {
    await setup().adapter.send('echo hello   "world').assertReply('hello   "world').startTest();
  });

  it('should say who the sender is and which groups they are in', async () => {
    await setup().adapter.send('whoami').assertReply('You are Alice (sip:alice@contoso.com).\nGroups: admins, staff.').startTest();
  });

  it('should take a ticket summary as typed, stray quotes included', async () => {
    await setup().adapter.send('ticket VPN says "error 809')
      .assertReply('Opened ticket T-1001: "VPN says "error 809". The helpdesk will get back to you here.').startTest();
  });

  it('should open a ticket with an id and list it', async () => {
    const { adapter, bot } = setup();
    await adapter.send('ticket printer on floor 3 is jammed')
      .assertReply('Opened ticket T-1001: "printer on floor 3 is jammed". The helpdesk will get back to you here.')
      .send('tickets')
      .assertReply((a) => { assert.equal(a.textFormat, 'markdown'); assert.match(text(a), /\*\*T-1001\*\* printer on floor 3 is jammed/); })
      .startTest();
    assert.equal(bot.tickets.size, 1);
  });

  it('should ask for a summary when ticket has none', async () => {
    await setup().adapter.send('ticket').assertReply((a) => assert.match(text(a), /summary[\s\S]*Usage: ticket <summary\.\.\.>/)).startTest();
  });

  it('should report status: uptime, connection state and conversations', async () => {
    const { adapter, tick } = setup(ALICE, { connection: () => ({ state: 'reconnecting', notReadyReason: 'event channel: ECONNRESET' }) });
    tick(3_725_000);
    await adapter.send('status').assertReply((a) => {
      assert.equal(a.textFormat, 'markdown');
      assert.match(text(a), /Uptime: 1h 2m 5s/);
      assert.match(text(a), /UCWA connection: reconnecting \(event channel: ECONNRESET\)/);
      assert.match(text(a), /Open conversations: 1/);
    }).startTest();
  });

  it('should let an admin restart a service after confirming', async () => {
    const { adapter, restarted } = setup();
    await adapter.send('restart web')
      .assertReply((a) => assert.match(text(a), /^This restarts the service for everyone\.\nReply yes within 30 s/))
      .send('yes')
      .assertReply((a) => assert.equal(a.type, ActivityTypes.Typing))
      .assertReply('Restarted web.')
      .startTest();
    assert.deepEqual(restarted, ['web']);
  });

  it('should refuse restart to a non-admin', async () => {
    const { adapter, restarted } = setup(BOB);
    await adapter.send('restart web').assertReply((a) => assert.match(text(a), /^You are not allowed to run restart\. .*admins/)).startTest();
    assert.deepEqual(restarted, []);
  });

  it('should suggest help for free text', async () => {
    await setup().adapter.send('my laptop is broken').assertReply((a) => assert.match(text(a), /Type help/)).startTest();
  });

  it('should offer the command a typo probably meant, among those the user may run', async () => {
    await setup().adapter.send('stauts').assertReply("Sorry, I didn't get that. Did you mean status? Type help to see the commands I know.").startTest();
    await setup().adapter.send('restrat web').assertReply((a) => assert.match(text(a), /Did you mean restart\?/)).startTest();
    await setup(BOB).adapter.send('restrat web').assertReply((a) => assert.doesNotMatch(text(a), /Did you mean/)).startTest();
  });

  it('should greet a person who joins, not itself', async () => {
    const { adapter } = setup();
    await adapter.send({ type: ActivityTypes.ConversationUpdate, membersAdded: [ALICE, { id: 'sip:bot@contoso.com', name: 'Help Bot' }] })
      .assertReply("Hi Alice, I'm Help Bot. Type help to see what I can do.")
      .startTest();
  });

  it('should apologise on an unexpected error unless the command already replied', async () => {
    const { adapter, bot } = setup(ALICE, { connection: () => { throw new Error('boom'); } });
    await adapter.send('status').assertReply((a) => assert.match(text(a), /^Sorry, status failed \(ref [0-9a-f]+\)/)).startTest();
    const replies: string[] = [];
    const context = { activity: { conversation: { id: 'c' } }, sendActivity: async (t: string) => { replies.push(t); } };
    await bot.onTurnError(context as never, new Error('outside a command'));
    assert.deepEqual(replies, ['Sorry, something went wrong on my side. Please try again.']);
  });

  it('should log a failed command once (with its correlation id), not again in onTurnError', async () => {
    const logged: string[] = [];
    const logger = { debug() {}, info() {}, warn() {}, error: (_o: unknown, msg?: string) => { logged.push(String(msg)); } };
    const { adapter } = setup(ALICE, { logger, connection: () => { throw new Error('boom'); } });
    await adapter.send('status').assertReply((a) => assert.match(text(a), /^Sorry, status failed/)).startTest();
    assert.deepEqual(logged, ['command handler failed']);
  });

  it('should count conversations until they end', async () => {
    const { adapter, bot } = setup();
    await adapter.send('echo x').assertReply('x').startTest();
    assert.equal(bot.conversations.count, 1);
    await adapter.send({ type: ActivityTypes.EndOfConversation }).startTest();
    assert.equal(bot.conversations.count, 0);
  });
});

describe('sample bot helpers', () => {
  it('should format durations', () => {
    assert.equal(formatDuration(0), '0s');
    assert.equal(formatDuration(61_000), '1m 1s');
    assert.equal(formatDuration(90_061_000), '1d 1h 1m 1s');
  });

  it('should find groups by SIP URI or @domain', () => {
    assert.deepEqual(groupsOf('sip:Bob@Contoso.com', { a: ['sip:bob@contoso.com'], b: ['@contoso.com'], c: ['@fabrikam.com'] }), ['a', 'b']);
  });
});
