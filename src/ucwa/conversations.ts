/**
 * Conversation state from the event channel (PROTOCOL.md §6.4, §7, §8.2): invitations accepted or declined,
 * messaging links kept current, participants and typing, incoming messages handed over exactly once, and the
 * outcome of invitations we started. Called strictly in event-channel order by the client.
 */
import { isDataUri } from './data-uri.js';
import { readMessageBody, sameText } from './message-body.js';
import { getHref, getLink, getString, parseUcwaDate } from './links.js';
import type { ConversationRecord, ConversationStore } from './conversation-store.js';
import { deliverFirstMessage, onInvitation } from './invitations.js';
import { reasonToError } from './operations.js';
import type { OperationRegistry } from './operations.js';
import type { ConversationInfo, ConversationState, Logger, ParticipantInfo, UcwaClientHandlers, UcwaMetricsSink } from './types.js';
import type { Resource, UcwaEvent } from './wire-types.js';

export interface ConversationTrackerDeps {
  store: ConversationStore;
  operations: OperationRegistry<ConversationInfo>;
  /** Resolve an href against the UCWA base (origin of the applications URL). */
  resolve(href: string): string;
  /** GET a resource that was not embedded (`events_ref.md`: clients must work either way); undefined on failure. */
  get(href: string, resource: string): Promise<Resource | undefined>;
  post(href: string, resource: string, json?: unknown): Promise<void>;
  handlers(): UcwaClientHandlers;
  acceptInvitation(fromSipUri: string): boolean;
  self(): ParticipantInfo;
  logger: Logger;
  metrics: UcwaMetricsSink;
}

const STATES: readonly ConversationState[] = ['Incoming', 'Connecting', 'Connected', 'Conferencing', 'Conferenced', 'InLobby', 'Disconnecting', 'Disconnected'];

export class ConversationTracker {
  constructor(readonly deps: ConversationTrackerDeps) {}

  /** Handle one event of a sender block. Throws only on programming errors; bad events are logged and skipped by the caller. */
  async handleEvent(sender: { rel: string; href: string }, event: UcwaEvent): Promise<void> {
    const rel = event.link.rel;
    switch (rel) {
      case 'messagingInvitation': return onInvitation(this, event);
      case 'conversation': return this.onConversation(event);
      case 'localParticipant': return this.onLocalParticipant(sender, event);
      case 'participant': return this.onParticipant(sender, event);
      case 'messaging': return this.onMessaging(sender, event);
      case 'message': return this.onMessage(sender, event);
      default:
        return;
    }
  }

  /** @internal shared with invitations.ts */
  embedded(event: UcwaEvent): Resource | undefined {
    const value = event._embedded?.[event.link.rel];
    return value && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
  }

  /** @internal shared with invitations.ts */
  async resource(event: UcwaEvent): Promise<Resource | undefined> {
    return this.embedded(event) ?? (event.type === 'deleted' ? undefined : this.deps.get(this.deps.resolve(event.link.href), event.link.rel));
  }

  /** @internal shared with invitations.ts */
  href(resource: Resource | undefined, rel: string): string | undefined {
    const h = getHref(resource, rel);
    return h && !isDataUri(h) ? this.deps.resolve(h) : h;
  }

  private call<K extends keyof UcwaClientHandlers>(name: K, ...args: Parameters<NonNullable<UcwaClientHandlers[K]>>): void {
    const handler = this.deps.handlers()[name] as ((...a: unknown[]) => unknown) | undefined;
    if (!handler) return;
    try {
      const result = handler(...args);
      if (result && typeof (result as Promise<void>).catch === 'function') {
        (result as Promise<void>).catch((err: unknown) => this.deps.logger.error({ handler: name, err: String(err) }, 'ucwa:events handler rejected'));
      }
    } catch (err) {
      this.deps.logger.error({ handler: name, err: String(err) }, 'ucwa:events handler threw');
    }
  }

  /** @internal shared with invitations.ts */
  start(record: ConversationRecord): void {
    if (record.started || !record.info.href) return;
    record.started = true;
    this.call('conversationStarted', record.info);
  }

  // ── conversation, participants, messaging ──────────────────────────────────────────────────────────
  private async onConversation(event: UcwaEvent): Promise<void> {
    const href = this.deps.resolve(event.link.href);
    const record = this.deps.store.byConversationHref(href);
    if (!record) return;
    if (event.type === 'deleted') return this.end(record);
    const conv = this.embedded(event);
    const state = getString(conv, 'state');
    if (state && (STATES as readonly string[]).includes(state)) record.info.state = state as ConversationState;
    record.info.threadId ??= getString(conv, 'threadId');
    if (getString(conv, 'subject')) record.info.subject = getString(conv, 'subject');
    const messaging = this.href(conv, 'messaging');
    if (messaging) record.messagingHref = messaging;
    if (state === 'Disconnected') this.end(record);
  }

  /** Every conversation was closed server-side (`resume`, §6.7): end them all; keys stay usable. */
  endAll(): void {
    for (const record of this.deps.store.all()) this.end(record);
  }

  private end(record: ConversationRecord): void {
    if (!record.info.href) return;
    this.deps.store.detach(record);
    if (record.started) this.call('conversationEnded', record.info);
    // Not started any more: a later re-open (addMessaging / startMessaging under the same key) starts it again.
    record.started = false;
  }

  private onLocalParticipant(sender: { href: string }, event: UcwaEvent): void {
    const record = this.deps.store.byConversationHref(this.deps.resolve(sender.href));
    const p = this.embedded(event);
    if (!record || event.type === 'deleted') return;
    record.info.local = { uri: getString(p, 'uri') ?? record.info.local.uri, name: getString(p, 'name') ?? event.link.title ?? record.info.local.name, href: this.deps.resolve(event.link.href) };
  }

  private async onParticipant(sender: { href: string }, event: UcwaEvent): Promise<void> {
    const record = this.deps.store.byConversationHref(this.deps.resolve(sender.href));
    if (!record) return;
    const href = this.deps.resolve(event.link.href);
    if (event.in?.rel === 'typingParticipants') {
      if (event.type === 'added' && record.started) this.call('typing', record.info, await this.participant(record, href, event.link.title));
      return;
    }
    if (event.type === 'deleted') {
      const known = record.participants.get(href);
      record.participants.delete(href);
      if (record.started && known) this.call('participantRemoved', record.info, known);
      return;
    }
    const isNew = !record.participants.has(href);
    const participant = await this.participant(record, href, event.link.title, this.embedded(event));
    if (event.type === 'added' && isNew && record.started) this.call('participantAdded', record.info, participant);
  }

  /** The participant at `href`: from the cache, the embedded resource, or a GET (for its SIP URI). */
  private async participant(record: ConversationRecord, href: string, title?: string, embedded?: Resource): Promise<ParticipantInfo> {
    const known = record.participants.get(href);
    if (known?.uri) return known;
    const resource = embedded ?? (await this.deps.get(href, 'participant'));
    const uri = getString(resource, 'uri') ?? (record.info.remote.href === href || record.participants.size === 0 ? record.info.remote.uri : '');
    const info: ParticipantInfo = { uri, name: getString(resource, 'name') ?? title ?? known?.name, href };
    record.participants.set(href, info);
    if (!record.info.remote.uri && uri && uri !== record.info.local.uri) record.info.remote = info;
    return info;
  }

  private async onMessaging(sender: { href: string }, event: UcwaEvent): Promise<void> {
    const href = this.deps.resolve(event.link.href);
    const record = this.deps.store.byConversationHref(this.deps.resolve(sender.href)) ?? this.deps.store.byMessagingHref(href);
    if (!record) return;
    record.messagingHref = href;
    const m = await this.resource(event);
    if (!m) return;
    this.applyMessaging(record, m);
  }

  /** Take state, negotiated formats and capability links from a messaging resource (links come and go with state, §1.3). */
  applyMessaging(record: ConversationRecord, m: Resource): void {
    record.messagingState = getString(m, 'state') ?? record.messagingState;
    const formats = m['negotiatedMessageFormats'];
    if (Array.isArray(formats)) record.info.negotiatedMessageFormats = formats.filter((f): f is 'Plain' | 'Html' => f === 'Plain' || f === 'Html');
    record.links = {
      sendMessage: this.href(m, 'sendMessage'),
      setIsTyping: this.href(m, 'setIsTyping'),
      stopMessaging: this.href(m, 'stopMessaging'),
      addMessaging: this.href(m, 'addMessaging'),
    };
  }

  private async onMessage(sender: { href: string }, event: UcwaEvent): Promise<void> {
    if (event.type !== 'started' && event.type !== 'completed') return;
    const href = this.deps.resolve(event.link.href);
    const message = await this.resource(event);
    const direction = getString(message, 'direction');
    if (direction === 'Outgoing') {
      const operationId = getString(message, 'operationId');
      if (operationId && event.type === 'completed') this.deps.operations.recordProof(operationId, event.status === 'Success' && !event.reason, href);
      // The replay of the invitation's first message comes right after the accept (ReceiveAnIM.md step 16), before
      // any reply of ours. Once our own message went out, the same text again is the user repeating it (a server
      // that does not replay, §15 item 7): deliver it.
      const own = this.deps.store.byConversationHref(this.deps.resolve(sender.href));
      if (own?.invitation) own.invitation.replayPending = false;
      // A 201 only says the server took the message; the completed event says whether the user got it. Only a
      // completed failure is reported (a missing event is the delivery proof's business, not a failure).
      if (own && event.type === 'completed' && (event.status !== 'Success' || event.reason)) {
        const error = reasonToError('sendMessage', event.reason, event.status, operationId);
        this.deps.logger.warn({ key: own.info.key, code: error.code, subcode: error.subcode }, 'ucwa:events outgoing message not delivered');
        this.deps.metrics.deliveryFailed?.({ code: error.code, subcode: error.subcode });
        this.call('deliveryFailed', own.info, { href, operationId, error });
      }
      return;
    }
    if (direction !== 'Incoming' || !message) return;
    const record = this.deps.store.byConversationHref(this.deps.resolve(sender.href)) ?? this.deps.store.byMessagingHref(this.href(message, 'messaging'));
    if (!record) return;
    if (!this.deps.store.markSeen(href)) return;
    const body = readMessageBody(message, this.deps.logger);
    if (!body) {
      this.deps.logger.warn({ rel: 'message' }, 'ucwa:events incoming message without a readable body; skipped');
      return;
    }
    const { text, html } = body;
    const inv = record.invitation;
    if (inv?.firstMessage && record.messagesSeen === 0 && sameText(inv.firstMessage.text, text)) {
      record.messagesSeen++;
      if (inv.replayPending) {
        inv.replayPending = false;
        return; // the invitation's first message, replayed after accept (ReceiveAnIM.md, §7.5)
      }
      inv.firstDelivered = true; // arrived before the invitation completed: deliver this one instead
    } else if (inv) {
      inv.replayPending = false;
      deliverFirstMessage(this, record);
      inv.replayPending = false;
    }
    record.messagesSeen++;
    this.start(record);
    const participantHref = this.href(message, 'participant');
    const senderInfo = participantHref ? await this.participant(record, participantHref, getLink(message, 'participant')?.title) : record.info.remote;
    this.emitMessage(record, href, senderInfo, text, html, parseUcwaDate(message['timeStamp']) ?? new Date());
  }

  /** @internal shared with invitations.ts */
  emitMessage(record: ConversationRecord, href: string, sender: ParticipantInfo, text: string, html: string | undefined, timestamp: Date): void {
    this.deps.metrics.messageReceived?.();
    this.call('message', { conversation: record.info, href, sender, text, html, timestamp });
  }
}
