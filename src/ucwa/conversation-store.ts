/**
 * Conversation records and their durable keys. Hrefs are per application (PROTOCOL.md §8.8, `Hypermedia.md`):
 * the key (threadId when the server gave one, else the first conversation href) survives application
 * re-creation and maps to whatever conversation currently serves it.
 */
import type { ConversationInfo, ParticipantInfo } from './types.js';

export interface MessagingLinks {
  sendMessage?: string;
  setIsTyping?: string;
  stopMessaging?: string;
  addMessaging?: string;
}

export interface ConversationRecord {
  info: ConversationInfo;
  messagingHref?: string;
  messagingState?: string;
  links: MessagingLinks;
  /** Remote participants by participant href. */
  participants: Map<string, ParticipantInfo>;
  invitation?: {
    href: string;
    accept?: string;
    decline?: string;
    firstMessage?: { text: string; html?: string };
    /** The first message went to the handler (from the invitation or a message event). */
    firstDelivered: boolean;
    /** Suppress one replay of the first message as a message event (ReceiveAnIM.md, §7.5). */
    replayPending: boolean;
    declined?: boolean;
  };
  /** conversationStarted was called (and conversationEnded not yet). */
  started: boolean;
  messagesSeen: number;
}

const MAX_SEEN = 5000;

/** Limits on what the store keeps of conversations that are gone server-side (see `ConversationStore.prune`). */
export interface ConversationStoreLimits {
  /** Detached records kept at most; the oldest go first. @default 1000 */
  maxDetached?: number;
  /** A detached record is forgotten after this long. @default 3_600_000 (1 h) */
  detachedTtlMs?: number;
  now?: () => number;
}

export class ConversationStore {
  private readonly byHref = new Map<string, ConversationRecord>();
  private readonly byKey = new Map<string, ConversationRecord>();
  private readonly seenMessages = new Set<string>();
  /** Detached records by key, oldest first, with the time they were detached. */
  private readonly detached = new Map<string, { record: ConversationRecord; at: number }>();
  private readonly maxDetached: number;
  private readonly detachedTtlMs: number;
  private readonly now: () => number;

  constructor(limits: ConversationStoreLimits = {}) {
    this.maxDetached = limits.maxDetached ?? 1000;
    this.detachedTtlMs = limits.detachedTtlMs ?? 3_600_000;
    this.now = limits.now ?? Date.now;
  }

  /** Records by key (live and detached), for tests and diagnostics. */
  get size(): number {
    return this.byKey.size;
  }

  get(key: string): ConversationRecord | undefined {
    return this.byKey.get(key);
  }

  byConversationHref(href: string | undefined): ConversationRecord | undefined {
    return href ? this.byHref.get(href) : undefined;
  }

  /** Find by the messaging href (a message's `messaging` link) when the sender href is unknown. */
  byMessagingHref(href: string | undefined): ConversationRecord | undefined {
    if (!href) return undefined;
    for (const r of this.byHref.values()) if (r.messagingHref === href) return r;
    return undefined;
  }

  all(): ConversationRecord[] {
    return [...this.byKey.values()];
  }

  /** The record for a conversation href, created when new. `key` (re-open of a known key) wins over threadId. */
  ensure(href: string, init: { key?: string; threadId?: string; direction: 'Incoming' | 'Outgoing'; local: ParticipantInfo; remote?: ParticipantInfo }): ConversationRecord {
    let record = this.byHref.get(href);
    if (record) {
      if (init.key && record.info.key !== init.key && !record.started) this.rekey(record, init.key);
      if (init.remote?.uri && !record.info.remote.uri) record.info.remote = init.remote;
      return record;
    }
    const key = init.key ?? init.threadId ?? href;
    record = {
      info: { key, href, threadId: init.threadId, state: 'Connecting', remote: init.remote ?? { uri: '' }, local: { ...init.local }, direction: init.direction },
      links: {},
      participants: new Map(),
      started: false,
      messagesSeen: 0,
    };
    this.byHref.set(href, record);
    this.detached.delete(key);
    const previous = this.byKey.get(key);
    if (previous && previous !== record) {
      // A re-opened conversation takes over the key; keep the remote party if the new one has none yet.
      if (!record.info.remote.uri) record.info.remote = previous.info.remote;
    }
    this.byKey.set(key, record);
    return record;
  }

  private rekey(record: ConversationRecord, key: string): void {
    if (this.byKey.get(record.info.key) === record) this.byKey.delete(record.info.key);
    const previous = this.byKey.get(key);
    if (previous && !record.info.remote.uri) record.info.remote = previous.info.remote;
    record.info.key = key;
    this.byKey.set(key, record);
    this.detached.delete(key);
  }

  /**
   * A key this client has not seen (a ConversationReference stored by an earlier process, or one pruned here)
   * with its remote party: kept as a detached record, so the next send re-opens it with startMessaging under
   * the same key (PROTOCOL.md §8.8) and the bot's conversation id stays stable. A known key is returned as is.
   */
  restore(key: string, remote: ParticipantInfo, local: ParticipantInfo): ConversationRecord {
    const known = this.byKey.get(key);
    if (known) return known;
    const record: ConversationRecord = {
      info: { key, state: 'Disconnected', remote: { uri: remote.uri, name: remote.name }, local: { ...local }, direction: 'Outgoing' },
      links: {},
      participants: new Map(),
      started: false,
      messagesSeen: 0,
      messagingState: 'Disconnected',
    };
    this.byKey.set(key, record);
    this.markDetached(record);
    return record;
  }

  /** The conversation is gone server-side: drop its href, keep the key so it can be re-opened. */
  detach(record: ConversationRecord): void {
    if (record.info.href && this.byHref.get(record.info.href) === record) this.byHref.delete(record.info.href);
    record.info.href = undefined;
    record.info.state = 'Disconnected';
    record.links = {};
    record.messagingHref = undefined;
    record.messagingState = 'Disconnected';
    // Participant hrefs die with the conversation; the invitation is answered and its first message delivered.
    record.participants.clear();
    record.invitation = undefined;
    if (this.byKey.get(record.info.key) === record) this.markDetached(record);
  }

  /**
   * Forget detached records beyond `maxDetached` or older than `detachedTtlMs`, so a long-running bot does not
   * keep every conversation it ever had. Nothing is lost for the bot: a send to a forgotten key comes with the
   * reference's user, and the adapter restores the key (`restore`) before sending.
   */
  prune(): void {
    const cutoff = this.now() - this.detachedTtlMs;
    for (const [key, entry] of this.detached) {
      if (this.detached.size <= this.maxDetached && entry.at > cutoff) break;
      this.detached.delete(key);
      if (this.byKey.get(key) === entry.record && !entry.record.info.href) this.byKey.delete(key);
    }
  }

  private markDetached(record: ConversationRecord): void {
    this.detached.delete(record.info.key);
    this.detached.set(record.info.key, { record, at: this.now() });
    this.prune();
  }

  /** Forget a conversation that never became usable (declined or failed invitation). */
  remove(record: ConversationRecord): void {
    this.detach(record);
    if (this.byKey.get(record.info.key) === record) {
      this.byKey.delete(record.info.key);
      this.detached.delete(record.info.key);
    }
  }

  /** Every href is dead (application re-created, or `resume`): detach all, keep keys. */
  detachAll(): ConversationRecord[] {
    const live = [...this.byHref.values()];
    for (const r of live) this.detach(r);
    return live;
  }

  /** Incoming invitations accepted (not declined) whose conversation has not started yet. */
  pendingAccepts(): number {
    let n = 0;
    for (const r of this.byHref.values()) if (r.invitation && r.invitation.declined === false && !r.started) n++;
    return n;
  }

  /** True the first time a message href is seen (de-duplication across replays and resyncs, §7.5, §15 item 2). */
  markSeen(messageHref: string): boolean {
    if (this.seenMessages.has(messageHref)) return false;
    if (this.seenMessages.size >= MAX_SEEN) this.seenMessages.delete(this.seenMessages.values().next().value as string);
    this.seenMessages.add(messageHref);
    return true;
  }
}
