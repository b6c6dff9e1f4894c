/**
 * The sample bot's conversational part: a greeting when someone starts a conversation and a friendly fallback
 * for free text. Commands never reach it: `CommandMiddleware` answers them and only passes other text on.
 */
import { ActivityHandler } from 'botbuilder';

export class HelpdeskBot extends ActivityHandler {
  constructor(botName: string) {
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
      await context.sendActivity("Sorry, I didn't get that. Type help to see the commands I know, or ticket <summary> to ask the helpdesk.");
      await next();
    });
  }
}
