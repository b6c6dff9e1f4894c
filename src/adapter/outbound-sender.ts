/**
 * `sendActivities` for UCWA: each outgoing activity becomes the client call that does it, in order.
 * `message` → sendMessage, `typing` → setIsTyping, `delay` → wait, `endOfConversation` → stopMessaging.
 */
import { ActivityTypes } from 'botbuilder';
import type { Activity, ResourceResponse } from 'botbuilder';
import type { Logger, UcwaClientLike } from '../ucwa/types.js';
import { activityToMessages } from './activity-mapper.js';
import { BoundedMap } from './bounded-set.js';
import type { BoundedSet } from './bounded-set.js';
import { referenceToKey } from './conversation-ref.js';

/** What the sender needs from the adapter: its logger, the (injectable) sleep for `delay`, first-contact keys. */
export interface OutboundDeps {
  logger: Logger;
  sleep(ms: number): Promise<void>;
  /** Keys restored from stored references are added: they had their first contact in an earlier process. */
  contacted?: BoundedSet<string>;
}

/** Stale keys remembered at most by the fallback re-open path (clients without `restoreConversation`). */
const MAX_REOPENED = 1000;

/** Botbuilder's default for a `delay` activity without a numeric value (as in BotFrameworkAdapter). */
const DEFAULT_DELAY_MS = 1000;

/** Turns outgoing activities into client calls, one after another, for `UcwaAdapter.sendActivities`. */
export class OutboundSender {
  /** Keys the client does not know (references stored before a restart) → the key of the re-opened conversation. */
  private readonly reopened = new BoundedMap<string, Promise<string>>(MAX_REOPENED);
  /** Messages being sent, per key: a typing indicator that would land after one of them is dropped. */
  private readonly sending = new Map<string, number>();
  /** The setIsTyping in flight, per key: a message waits for it so the message is what clears the indicator. */
  private readonly typing = new Map<string, Promise<void>>();

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
      case ActivityTypes.Typing:
        await this.sendTyping(client, knownKey(activity));
        return '';
      case ActivityTypes.EndOfConversation: {
        const key = knownKey(activity);
        // A conversation the client does not know (ended and pruned, or from an earlier process) has nothing to end.
        if (client.getConversation(key)) await client.stopMessaging(key);
        else this.deps.logger.debug({ key }, 'endOfConversation for a conversation the client does not know: nothing to stop');
        return '';
      }
      case ActivityTypes.Message:
        return this.sendMessage(client, activity);
      default:
        // trace (shown only by the Bot Framework Emulator), event, handoff...: IM has no way to show them.
        this.deps.logger.debug({ type }, 'activity type not sent over UCWA');
        return '';
    }
  }

  /**
   * setIsTyping, unless a message to the conversation is being sent: botbuilder's ShowTypingMiddleware sends typing
   * from a timer, concurrently with the turn's replies, and an indicator set after the last reply would linger
   * although the bot has answered. Typing is a courtesy (setIsTyping_ref.md): its failure never fails the turn.
   */
  private async sendTyping(client: UcwaClientLike, key: string): Promise<void> {
    if ((this.sending.get(key) ?? 0) > 0) {
      this.deps.logger.debug({ key }, 'typing dropped: a message to this conversation is being sent');
      return;
    }
    const pending = client.setIsTyping(key).catch((error: Error) => this.deps.logger.warn({ key, err: { name: error?.name, message: error?.message } }, 'setIsTyping failed'));
    this.typing.set(key, pending);
    try {
      await pending;
    } finally {
      if (this.typing.get(key) === pending) this.typing.delete(key);
    }
  }

  private async sendMessage(client: UcwaClientLike, activity: Partial<Activity>): Promise<string> {
    const messages = activityToMessages(activity);
    if (messages.length === 0) return '';
    const key = await this.resolveKey(client, activity);
    this.sending.set(key, (this.sending.get(key) ?? 0) + 1);
    try {
      // A typing request already on the wire goes first, so this message is what clears the indicator.
      await this.typing.get(key);
      return await this.sendParts(client, key, messages);
    } finally {
      const left = (this.sending.get(key) ?? 1) - 1;
      if (left > 0) this.sending.set(key, left);
      else this.sending.delete(key);
    }
  }

  private async sendParts(client: UcwaClientLike, key: string, messages: ReturnType<typeof activityToMessages>): Promise<string> {
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
   * The client key to send a message to. The client re-opens conversations it knows; a reference stored before a
   * restart (or one the client has pruned) names a key this client does not know. Then the client restores the
   * key with the reference's user (`restoreConversation`), re-opens it with startMessaging under the SAME key
   * (PROTOCOL.md §8.8) and the bot's conversation id and state carry on. A client without `restoreConversation`
   * gets a new conversation (a new key) that later sends with the old reference reuse while the client knows it.
   */
  private async resolveKey(client: UcwaClientLike, activity: Partial<Activity>): Promise<string> {
    const key = referenceToKey({ channelId: activity.channelId, conversation: activity.conversation });
    if (client.getConversation(key)) return key;
    const user = activity.recipient?.id;
    if (!user?.startsWith('sip:')) return key;
    if (client.restoreConversation) {
      client.restoreConversation(key, { uri: user, name: activity.recipient?.name });
      this.deps.contacted?.add(key);
      this.deps.logger.info({ key }, 'conversation restored from a stored reference; the client re-opens it');
      return key;
    }
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

/** The reference's key as is: typing and endOfConversation never re-open a conversation. */
function knownKey(activity: Partial<Activity>): string {
  return referenceToKey({ channelId: activity.channelId, conversation: activity.conversation });
}
