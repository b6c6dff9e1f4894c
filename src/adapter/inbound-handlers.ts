/**
 * The handlers the adapter gives the UCWA client: each maps its payload to an activity and hands it to
 * `dispatch`, which only queues the turn — the client's event-channel loop is never held up by a bot turn
 * (see `UcwaClientHandlers`). A payload that cannot be mapped is logged and skipped, never thrown back.
 */
import type { Activity } from 'botbuilder';
import type { ConversationInfo, DeliveryFailure, Logger, ParticipantInfo, UcwaClientHandlers } from '../ucwa/types.js';
import {
  conversationEndedToActivity,
  conversationStartedToActivity,
  messageToActivity,
  participantAddedToActivity,
  participantRemovedToActivity,
  typingToActivity,
} from './activity-mapper.js';
import type { MapContext } from './activity-mapper.js';
import { BoundedMap } from './bounded-set.js';
import type { BoundedSet } from './bounded-set.js';

/** Conversations whose membership the handlers track at most (the oldest are forgotten first). */
const MAX_TRACKED = 10_000;

/** What the handlers need from the adapter. */
export interface InboundDeps {
  /**
   * Conversation keys that already had their first contact (membersAdded). Shared with the outbound side, which
   * adds keys it restores from stored references. Never cleared when a conversation ends: a re-opened key is the
   * same Bot Framework conversation, so `onMembersAdded` greets exactly once per conversation id.
   */
  contacted: BoundedSet<string>;
  context(): MapContext;
  /** False while stopping: late events are dropped instead of starting turns against a closing client. */
  accepting(): boolean;
  dispatch(key: string, activity: Partial<Activity>): void;
  fatal(error: Error): void;
  /** An accepted message was not delivered; not a turn (Bot Framework has no activity for it). */
  deliveryFailed(conversation: ConversationInfo, failure: DeliveryFailure): void;
  logger: Logger;
}

/**
 * Builds the handler set. Membership is tracked per conversation so a participant the client reports twice
 * (in the invitation and again as a participant event) yields one membersAdded, and a conversation key one
 * conversationUpdate ever (first contact), as botbuilder users expect.
 */
export function createInboundHandlers(deps: InboundDeps): UcwaClientHandlers {
  const members = new BoundedMap<string, Set<string>>(MAX_TRACKED);

  const handle = (event: string, conversation: ConversationInfo | undefined, map: (ctx: MapContext) => Partial<Activity> | undefined): void => {
    try {
      if (!conversation || typeof conversation.key !== 'string') throw new TypeError('payload has no conversation key');
      if (!deps.accepting()) {
        deps.logger.debug({ event, key: conversation.key }, 'event after stop() dropped');
        return;
      }
      const activity = map(deps.context());
      if (activity) deps.dispatch(conversation.key, activity);
    } catch (error) {
      const err = error as Error;
      deps.logger.warn({ event, err: { name: err?.name, message: err?.message } }, 'malformed client event skipped');
    }
  };

  const membersOf = (key: string): Set<string> => {
    let set = members.get(key);
    if (!set) members.set(key, (set = new Set()));
    return set;
  };

  return {
    conversationStarted(conversation) {
      handle('conversationStarted', conversation, (ctx) => {
        members.set(conversation.key, new Set([conversation.remote.uri, (ctx.bot ?? conversation.local).uri]));
        // A conversation re-opened under the same key (after an application re-creation or after it ended,
        // PROTOCOL.md §8.8, or restored from a stored reference) is the same Bot Framework conversation: no
        // second greeting.
        if (deps.contacted.has(conversation.key)) return undefined;
        deps.contacted.add(conversation.key);
        return conversationStartedToActivity(conversation, ctx);
      });
    },
    message(message) {
      handle('message', message?.conversation, (ctx) => {
        if (typeof message.href !== 'string' || typeof message.text !== 'string' || !message.sender?.uri) throw new TypeError('message without href, text or sender');
        return messageToActivity(message, ctx);
      });
    },
    typing(conversation, participant) {
      handle('typing', conversation, (ctx) => typingToActivity(conversation, requireParticipant(participant), ctx));
    },
    participantAdded(conversation, participant) {
      handle('participantAdded', conversation, (ctx) => {
        const set = membersOf(conversation.key);
        if (set.has(requireParticipant(participant).uri)) return undefined;
        set.add(participant.uri);
        return participantAddedToActivity(conversation, participant, ctx);
      });
    },
    participantRemoved(conversation, participant) {
      handle('participantRemoved', conversation, (ctx) => {
        membersOf(conversation.key).delete(requireParticipant(participant).uri);
        return participantRemovedToActivity(conversation, participant, ctx);
      });
    },
    conversationEnded(conversation) {
      handle('conversationEnded', conversation, (ctx) => {
        members.delete(conversation.key);
        return conversationEndedToActivity(conversation, ctx);
      });
    },
    fatal(error) {
      deps.fatal(error);
    },
    deliveryFailed(conversation, failure) {
      try {
        deps.deliveryFailed(conversation, failure);
      } catch (error) {
        deps.logger.warn({ err: String(error) }, 'onDeliveryFailed threw');
      }
    },
  };
}

function requireParticipant(participant: ParticipantInfo | undefined): ParticipantInfo {
  if (!participant || typeof participant.uri !== 'string') throw new TypeError('participant without uri');
  return participant;
}
