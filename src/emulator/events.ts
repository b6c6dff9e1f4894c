/**
 * Event builders (PROTOCOL.md §6.3, §6.4): `{link, in?, _embedded?, status?, reason?, type}` keyed like the
 * walk-through captures. Each function queues one sender block on the application's event channel.
 */
import type { ErrorBody, Resource, UcwaEvent } from '../ucwa/wire-types.js';
import type { AppRecord, Conversation, UserRecord } from './state.js';
import {
  conversationResource, invitationResource, messageResource, messagingResource, participantMessagingResource, participantResource,
} from './resources.js';
import { userKey } from './urls.js';
import type { MessageRecord } from './state.js';
import { HIGH, type EventTtl } from './event-channel.js';
import { REASONS } from './reasons.js';

type Link = { rel: string; href: string; title?: string };

export function event(link: Link, type: string, embedded?: Resource, extra?: { in?: Link; status?: string; reason?: ErrorBody }): UcwaEvent {
  const ev: UcwaEvent = { link, type };
  if (extra?.in) ev.in = extra.in;
  if (extra?.status) ev.status = extra.status;
  if (extra?.reason) ev.reason = extra.reason;
  if (embedded) ev._embedded = { [link.rel]: embedded };
  return ev;
}

/** Emitters for one conversation; sender `communication` or `conversation` as in the event tables. */
export class ConversationEvents {
  constructor(private readonly app: AppRecord, private readonly conv: Conversation) {}

  private get u() { return this.app.urls; }

  communication(events: UcwaEvent[]): void {
    this.app.channel.push('communication', this.u.communication(), events);
  }

  /** `ttl`: withdraw the events if no P-GET picks them up in time (incoming messages, §14.4). */
  conversationSender(events: UcwaEvent[], ttl?: EventTtl): void {
    this.app.channel.push('conversation', this.u.conversation(this.conv.id), events, HIGH, ttl);
  }

  invitation(type: 'started' | 'updated' | 'completed', status?: string, reason?: ErrorBody): UcwaEvent {
    const href = this.u.invitation(this.conv.invitationId);
    // ReceiveAnIM.md step 10: the updated snapshot no longer shows accept/decline (§15 item 8).
    const embedded = invitationResource(this.app, this.conv, type === 'started');
    return event({ rel: 'messagingInvitation', href }, type, embedded, { status, reason });
  }

  conversation(type: 'added' | 'updated' | 'deleted'): UcwaEvent {
    const link = { rel: 'conversation', href: this.u.conversation(this.conv.id) };
    return event(link, type, type === 'deleted' ? undefined : conversationResource(this.app, this.conv));
  }

  messaging(): UcwaEvent {
    return event({ rel: 'messaging', href: this.u.messaging(this.conv.id) }, 'updated', messagingResource(this.app, this.conv));
  }

  localParticipant(type: 'added' | 'deleted'): UcwaEvent {
    const user = this.app.user;
    const link = { rel: 'localParticipant', href: this.u.participant(this.conv.id, userKey(user.uri)), title: user.name };
    return event(link, type, type === 'added' ? participantResource(this.app, this.conv, user, true) : undefined);
  }

  participantLink(user: UserRecord): Link {
    return { rel: 'participant', href: this.u.participant(this.conv.id, userKey(user.uri)), title: user.name };
  }

  participant(type: 'added' | 'updated' | 'deleted'): UcwaEvent {
    return event(this.participantLink(this.conv.remote), type);
  }

  /** participantMessaging with `in` = the participant it belongs to; embedded for the local one (ReceiveAnIM.md step 15). */
  participantMessaging(type: 'added' | 'deleted', local: boolean): UcwaEvent {
    const user = local ? this.app.user : this.conv.remote;
    const href = this.u.participantMessaging(this.conv.id, userKey(user.uri));
    const inLink = { ...this.participantLink(user), rel: local ? 'localParticipant' : 'participant' };
    const emb = local && type === 'added' ? participantMessagingResource(this.app, this.conv, user) : undefined;
    return event({ rel: 'participantMessaging', href }, type, emb, { in: inLink });
  }

  /** Remote typing: participant added/deleted in typingParticipants (typingParticipants_ref.md). */
  typing(on: boolean): UcwaEvent {
    const link = { rel: 'typingParticipants', href: this.u.typingParticipants(this.conv.id) };
    return event(this.participantLink(this.conv.remote), on ? 'added' : 'deleted', undefined, { in: link });
  }

  /** An outgoing message that could not be delivered completes with Failure and a reason (§6.5, §14.6). */
  message(m: MessageRecord, type: 'started' | 'completed' = 'completed'): UcwaEvent {
    const href = this.u.message(this.conv.id, m.mid);
    const failed = type === 'completed' && m.dir === 'received' && m.failure !== undefined;
    const extra = failed
      ? { status: 'Failure', reason: REASONS.Undelivered }
      : { status: type === 'completed' ? 'Success' : undefined };
    return event({ rel: 'message', href }, type, messageResource(this.app, this.conv, m), extra);
  }
}
