/**
 * Botbuilder compatibility end to end: a real ActivityHandler bot with a DialogSet (WaterfallDialog, TextPrompt,
 * ChoicePrompt) and ConversationState over MemoryStorage, through the UcwaAdapter, the UCWA client and the
 * emulator. The conversation id must be stable across turns (dialog state is keyed on it) and a ChoicePrompt's
 * suggested actions must reach the user as numbered choices the user can answer with a number.
 */
import assert from 'node:assert/strict';
import { ActivityHandler, ConversationState, MemoryStorage } from 'botbuilder';
import type { TurnContext } from 'botbuilder';
import { ChoicePrompt, DialogSet, DialogTurnStatus, ListStyle, TextPrompt, WaterfallDialog } from 'botbuilder-dialogs';
import type { FoundChoice } from 'botbuilder-dialogs';
import { ALICE, BOB, startHarness } from './harness.js';
import type { Harness } from './harness.js';

class HelpdeskBot extends ActivityHandler {
  readonly greeted: string[] = [];

  constructor(conversationState: ConversationState) {
    super();
    const dialogs = new DialogSet(conversationState.createProperty('dialogState'));
    dialogs.add(new TextPrompt('name'));
    dialogs.add(new ChoicePrompt('system'));
    dialogs.add(
      new WaterfallDialog('ticket', [
        async (step) => step.prompt('name', 'What is your name?'),
        async (step) => {
          (step.values as { name?: string }).name = String(step.result);
          return step.prompt('system', { prompt: `Which system is broken, ${String(step.result)}?`, choices: ['Email', 'VPN', 'Printer'], style: ListStyle.suggestedAction });
        },
        async (step) => {
          await step.context.sendActivity(`Ticket opened for ${(step.values as { name?: string }).name ?? ''}: ${(step.result as FoundChoice).value}`);
          return step.endDialog();
        },
      ]),
    );
    this.onMembersAdded(async (context, next) => {
      for (const member of context.activity.membersAdded ?? []) {
        if (member.id !== context.activity.recipient.id) {
          this.greeted.push(member.id);
          await context.sendActivity(`Hello ${member.name ?? member.id}, I am the helpdesk bot.`);
        }
      }
      await next();
    });
    this.onMessage(async (context, next) => {
      const dc = await dialogs.createContext(context);
      const result = await dc.continueDialog();
      if (result.status === DialogTurnStatus.empty) await dc.beginDialog('ticket');
      await next();
    });
    this.onDialog(async (context, next) => {
      await conversationState.saveChanges(context, false);
      await next();
    });
  }
}

describe('UcwaAdapter + emulator: botbuilder dialogs and prompts', () => {
  let h: Harness;
  let bot: HelpdeskBot;
  const turnErrors: Error[] = [];
  before(async () => {
    bot = new HelpdeskBot(new ConversationState(new MemoryStorage()));
    h = await startHarness([ALICE, BOB], async (context: TurnContext) => bot.run(context));
    h.adapter.onTurnError = async (_context, error) => void turnErrors.push(error);
  });
  after(async () => h.close());

  it('should run a waterfall with a TextPrompt and a numbered ChoicePrompt answered with "2"', async () => {
    const conv = await h.emu.user(ALICE.uri).startConversation('my stuff is broken');
    let received = await conv.waitForReceived(2);
    assert.deepEqual(received.map((m) => m.text), ['Hello Alice Smith, I am the helpdesk bot.', 'What is your name?']);

    await conv.send('Alice');
    received = await conv.waitForReceived(3);
    // Suggested actions become numbered choices in the same IM as the prompt.
    assert.equal(received[2]!.text, 'Which system is broken, Alice?\n\n1. Email\n2. VPN\n3. Printer');

    await conv.send('2');
    received = await conv.waitForReceived(4);
    assert.equal(received[3]!.text, 'Ticket opened for Alice: VPN');
    assert.deepEqual(turnErrors, []);
  });

  it('should re-prompt on an invalid choice, then accept the choice by its title', async () => {
    const conv = await h.emu.user(BOB.uri).startConversation('printer again');
    await conv.waitForReceived(2);
    await conv.send('Bob');
    await conv.waitForReceived(3);
    await conv.send('7');
    let received = await conv.waitForReceived(4);
    assert.match(received[3]!.text, /1\. Email\n2\. VPN\n3\. Printer$/, 'a retry shows the choices again');
    await conv.send('printer');
    received = await conv.waitForReceived(5);
    assert.equal(received[4]!.text, 'Ticket opened for Bob: Printer');
  });

  it('should greet each user exactly once', () => {
    assert.deepEqual(bot.greeted.sort(), [ALICE.uri, BOB.uri].sort());
  });
});
