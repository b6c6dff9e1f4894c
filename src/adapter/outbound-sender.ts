/**
 * `sendActivities` for UCWA: each outgoing activity becomes the client call that does it, in order.
 * `message` → sendMessage, `typing` → setIsTyping, `delay` → wait, `endOfConversation` → stopMessaging.
 */
import { ActivityTypes } from 'botbuilder';
import type { Activity, ResourceResponse } from 'botbuilder';
import type { Logger, UcwaClientLike } from '../ucwa/types.js';
import { activityToMessages } from './activity-mapper.js';
import { referenceToKey } from './conversation-ref.js';

/** What the sender needs from the adapter: its logger and the (injectable) sleep for `delay`. */
export interface OutboundDeps {
  logger: Logger;
  sleep(ms: number): Promise<void>;
}

/** Botbuilder's default for a `delay` activity without a numeric value (as in BotFrameworkAdapter). */
const DEFAULT_DELAY_MS = 1000;

/** Turns outgoing activities into client calls, one after another, for `UcwaAdapter.sendActivities`. */
export class OutboundSender {
  /** Keys the client does not know (references stored before a restart) → the key of the re-opened conversation. */
  private readonly reopened = new Map<string, Promise<string>>();

  constructor(private readonly deps: OutboundDeps) {}

  /** Sends the activities one after another; the ResourceResponse of a message is its href (or operationId). */
  async send(client: UcwaClientLike, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const responses: ResourceResponse[] = [];
    for (const activity of activities) {
      responses.push({ id: await this.sendOne(client, activity) });
    }
    return responses;
  }

  private async sendOne(client: UcwaClientLike, activity: Partial<Activity>): Promise<string> {
    const type = activity.type ?? ActivityTypes.Message;
    switch (type) {
      case 'delay':
        await this.deps.sleep(typeof activity.value === 'number' ? activity.value : DEFAULT_DELAY_MS);
        return '';
      case ActivityTypes.Typing: {
        const key = await this.resolveKey(client, activity);
        // Typing is a courtesy (setIsTyping_ref.md): a failure must not fail the reply that follows it.
        await client.setIsTyping(key).catch((error: Error) => this.deps.logger.warn({ key, err: { name: error?.name, message: error?.message } }, 'setIsTyping failed'));
        return '';
      }
      case ActivityTypes.EndOfConversation:
        await client.stopMessaging(await this.resolveKey(client, activity));
        return '';
      case ActivityTypes.Message:
        return this.sendMessage(client, activity);
      default:
        // trace (shown only by the Bot Framework Emulator), event, handoff...: IM has no way to show them.
        this.deps.logger.debug({ type }, 'activity type not sent over UCWA');
        return '';
    }
  }

  private async sendMessage(client: UcwaClientLike, activity: Partial<Activity>): Promise<string> {
    const messages = activityToMessages(activity);
    if (messages.length === 0) return '';
    const key = await this.resolveKey(client, activity);
    let id = '';
    for (const message of messages) {
      // HTML goes only when the activity needs it and the conversation negotiated Html, or its formats are not
      // known yet (then the client falls back); otherwise our plain rendering goes (PROTOCOL.md §7.8, §8.4).
      // Sending a message also ends the bot's typing indicator: UCWA clears it, nothing to send.
      const formats = client.getConversation(key)?.negotiatedMessageFormats;
      const result =
        message.html !== undefined && (formats === undefined || formats.includes('Html'))
          ? await client.sendMessage(key, message.html, 'html')
          : await client.sendMessage(key, message.plain, 'plain');
      id = result.href ?? result.operationId;
    }
    return id;
  }

  /**
   * The client key to send to. The client re-opens conversations it knows; a reference stored before a
   * restart names a key this client never saw, so the adapter re-opens it once (startMessaging to the user,
   * PROTOCOL.md §8.8) and later sends with that reference reuse the new conversation while the client knows it.
   */
  private async resolveKey(client: UcwaClientLike, activity: Partial<Activity>): Promise<string> {
    const key = referenceToKey({ channelId: activity.channelId, conversation: activity.conversation });
    if (client.getConversation(key)) return key;
    const user = activity.recipient?.id;
    if (!user?.startsWith('sip:')) return key;
    const known = this.reopened.get(key);
    if (known) {
      const reopenedKey = await known.catch(() => undefined);
      if (reopenedKey !== undefined && client.getConversation(reopenedKey)) return reopenedKey;
    }
    const reopening = client.startMessaging(user).then((conversation) => conversation.key);
    this.reopened.set(key, reopening);
    reopening.catch(() => this.reopened.delete(key));
    return reopening;
  }
}
