/**
 * Conversation records and their bookkeeping (ids, messages, invitation timers, ending) shared by the
 * incoming and outgoing IM flows of ImEngine.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { AppRecord, Conversation, MessageRecord, UserRecord } from './state.js';
import type { ConversationHub } from './conversation-hub.js';
import type { ImEngineOptions } from './im-engine.js';

export class ConversationStore {
  private seq = 0;
  protected readonly inviteTimers = new Map<Conversation, ReturnType<typeof setTimeout>>();
  /** Delivery results held for a far end's `ackDelayMs`, per conversation, due times ascending; one timer each. */
  private readonly heldAcks = new Map<Conversation, { queue: Array<{ at: number; complete(): void }>; timer?: ReturnType<typeof setTimeout> }>();

  constructor(protected readonly opts: ImEngineOptions, readonly hub: ConversationHub) {}

  protected newConversation(app: AppRecord | undefined, remote: UserRecord, direction: 'Incoming' | 'Outgoing', subject: string): Conversation {
    const n = ++this.seq;
    const conv: Conversation = {
      id: (0xa000 + n).toString(16),
      app,
      remote,
      direction,
      state: direction === 'Incoming' ? 'Incoming' : 'Connecting',
      invitationId: this.opts.urlStyle === 'reference' ? String(600 + n) : randomUUID().replace(/-/g, ''),
      invitationState: 'Connecting',
      threadId: randomBytes(20).toString('base64'),
      subject,
      importance: 'Normal',
      operationId: undefined,
      html: false,
      firstText: undefined,
      firstHtml: undefined,
      nextMid: 1,
      messages: [],
      botTypingUntil: 0,
      remoteTyping: false,
      failure: undefined,
      version: 0,
    };
    remote.convs.push(conv);
    if (app) {
      conv.html = this.opts.htmlMessaging && app.supportedMessageFormats.includes('Html');
      app.convs.set(conv.id, conv);
      app.invitations.set(conv.invitationId, conv);
    }
    return conv;
  }

  protected addMessage(conv: Conversation, dir: 'sent' | 'received', text: string, html: string | undefined, operationId?: string): MessageRecord {
    const m: MessageRecord = { seq: conv.messages.length + 1, mid: conv.nextMid++, dir, text, html, at: Date.now(), operationId };
    conv.messages.push(m);
    return m;
  }

  protected armInvitationTimer(conv: Conversation, onTimeout: () => void): void {
    const t = setTimeout(() => {
      this.inviteTimers.delete(conv);
      if (conv.invitationState === 'Connecting') onTimeout();
    }, this.opts.invitationTimeoutMs);
    t.unref?.();
    this.inviteTimers.set(conv, t);
  }

  protected disarm(conv: Conversation): void {
    const t = this.inviteTimers.get(conv);
    if (t) clearTimeout(t);
    this.inviteTimers.delete(conv);
  }

  /** Ends the conversation on the bot side (no more hrefs) and for the simulated user. */
  protected holdsAcks(conv: Conversation): boolean {
    return this.heldAcks.has(conv);
  }

  /** Runs `complete` at `at`, never before an earlier held one of the same conversation (one SIP dialog, in order). */
  protected holdAck(conv: Conversation, at: number, complete: () => void): void {
    let held = this.heldAcks.get(conv);
    if (!held) this.heldAcks.set(conv, (held = { queue: [] }));
    held.queue.push({ at: Math.max(at, held.queue.at(-1)?.at ?? 0), complete });
    if (!held.timer) this.releaseAcks(conv);
  }

  private releaseAcks(conv: Conversation): void {
    const held = this.heldAcks.get(conv);
    if (!held) return;
    held.timer = undefined;
    while (held.queue.length > 0 && held.queue[0]!.at <= Date.now()) {
      try {
        held.queue.shift()!.complete();
      } catch {
        // One failed delivery result must not hold up the ones after it.
      }
    }
    if (held.queue.length === 0) {
      this.heldAcks.delete(conv);
      return;
    }
    held.timer = setTimeout(() => this.releaseAcks(conv), held.queue[0]!.at - Date.now());
    held.timer.unref?.();
  }

  protected finish(conv: Conversation, failure?: string): void {
    // A conversation that ended (left, expired, long absence) never reports what its far end had not acknowledged.
    clearTimeout(this.heldAcks.get(conv)?.timer);
    this.heldAcks.delete(conv);
    this.disarm(conv);
    this.hub.stopBotTyping(conv);
    conv.state = 'Disconnected';
    conv.remoteTyping = false;
    if (failure) conv.failure = failure;
    if (conv.app) {
      conv.app.convs.delete(conv.id);
      conv.app.invitations.delete(conv.invitationId);
    }
    this.hub.changed(conv);
  }

  close(): void {
    for (const t of this.inviteTimers.values()) clearTimeout(t);
    this.inviteTimers.clear();
    for (const held of this.heldAcks.values()) clearTimeout(held.timer);
    this.heldAcks.clear();
  }
}
