/**
 * Counts the conversations the bot is in, for `status`: a tiny botbuilder middleware that watches
 * conversationUpdate (bot added), message and endOfConversation activities.
 */
import { ActivityTypes, type Middleware, type TurnContext } from 'botbuilder';

export class ConversationTracker implements Middleware {
  private readonly open = new Set<string>();

  /** Conversations seen and not ended. */
  get count(): number {
    return this.open.size;
  }

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const { type, conversation } = context.activity;
    const id = conversation?.id;
    if (id) {
      if (type === ActivityTypes.EndOfConversation) this.open.delete(id);
      else if (type === ActivityTypes.Message || type === ActivityTypes.ConversationUpdate) this.open.add(id);
    }
    await next();
  }
}
