/**
 * The sample bot's conversational part: a greeting when someone starts a conversation and a friendly fallback
 * for free text. Commands never reach it: `CommandMiddleware` answers them and only passes other text on.
 */
import { ActivityHandler } from 'botbuilder';
import type { CommandMiddleware } from '../commands/command-middleware.js';

export class HelpdeskBot extends ActivityHandler {
  constructor(botName: string, commands: CommandMiddleware) {
    super();

    this.onMembersAdded(async (context, next) => {
      for (const member of context.activity.membersAdded ?? []) {
        if (member.id !== context.activity.recipient.id) {
          await context.sendActivity(`Hi ${member.name ?? 'there'}, I'm ${botName}. Type help to see what I can do.`);
        }
      }
      await next();
    });

    this.onMessage(async (context, next) => {
      // "stauts" is free text to the middleware; offer the command it probably meant.
      const guess = commands.didYouMean(context);
      await context.sendActivity(guess
        ? `Sorry, I didn't get that. Did you mean ${guess}? Type help to see the commands I know.`
        : "Sorry, I didn't get that. Type help to see the commands I know, or ticket <summary> to ask the helpdesk.");
      await next();
    });
  }
}
