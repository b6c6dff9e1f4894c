/**
 * Bot Framework ConversationReference <-> the UCWA client's durable conversation key.
 *
 * `conversation.id` IS the client's key (`ConversationInfo.key`): conversation hrefs are valid only inside one
 * application instance (PROTOCOL.md §8.8, `Hypermedia.md`), the key survives application re-creation, so a
 * reference stored by a bot keeps working after the client recreated its application.
 */
import type { ConversationAccount, ConversationReference } from 'botbuilder';
import type { ConversationInfo } from '../ucwa/types.js';

/** `activity.channelId` of every activity this adapter produces. */
export const UCWA_CHANNEL_ID = 'ucwa';

/** One-to-one IM (UCWA P2P messaging) is what botbuilder calls a personal conversation. */
export function conversationAccount(conversation: ConversationInfo): ConversationAccount {
  return {
    id: conversation.key,
    conversationType: 'personal',
    isGroup: false,
    name: conversation.subject ?? conversation.remote.name ?? conversation.remote.uri,
  };
}

export interface ReferenceContext {
  serviceUrl: string;
  locale: string;
  /** The activity the reference points at (botbuilder's `activityId`), when there is one. */
  activityId?: string;
}

/** A complete ConversationReference for a conversation the client knows, e.g. one started by `createConversation`. */
export function conversationToReference(conversation: ConversationInfo, ctx: ReferenceContext): Partial<ConversationReference> {
  return {
    activityId: ctx.activityId,
    user: { id: conversation.remote.uri, name: conversation.remote.name ?? conversation.remote.uri, role: 'user' },
    bot: { id: conversation.local.uri, name: conversation.local.name ?? conversation.local.uri, role: 'bot' },
    conversation: conversationAccount(conversation),
    channelId: UCWA_CHANNEL_ID,
    serviceUrl: ctx.serviceUrl,
    locale: ctx.locale,
  };
}

/**
 * The client key a reference addresses. Throws a TypeError saying what is wrong with a reference that did not
 * come from this adapter (another channel's reference, or one missing its conversation id).
 */
export function referenceToKey(reference: Partial<ConversationReference> | undefined): string {
  if (!reference || typeof reference !== 'object') {
    throw new TypeError('Expected a ConversationReference (from TurnContext.getConversationReference), got ' + typeof reference);
  }
  if (reference.channelId !== undefined && reference.channelId !== UCWA_CHANNEL_ID) {
    throw new TypeError(`Expected a ConversationReference with channelId '${UCWA_CHANNEL_ID}', got '${String(reference.channelId)}': it belongs to another adapter`);
  }
  const id = reference.conversation?.id;
  if (typeof id !== 'string' || id === '') {
    throw new TypeError('Expected reference.conversation.id to be the non-empty conversation key from a UCWA activity');
  }
  return id;
}
