/**
 * The IM state machine between simulated users and applications (PROTOCOL.md §7, §8, §14.5, §14.6).
 * Route handlers and the simulated-user API both drive it; it queues the documented events and keeps the
 * simulated user's view (messages, state) in the same compact record.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { ErrorBody } from '../ucwa/wire-types.js';
import type { AppRecord, Conversation, MessageRecord, UserRecord } from './state.js';
import { ConversationEvents } from './events.js';
import type { ConversationHub } from './conversation-hub.js';
import { htmlToText } from './data-uri.js';

export interface ImEngineOptions {
  replayInvitationMessage: boolean;
  invitationTimeoutMs: number;
  htmlMessaging: boolean;
  botTypingMs: number;
  urlStyle: 'walkthrough' | 'reference';
  incomingMessageEvent: 'completed' | 'started';
}

/** Failure reasons carried by `completed` invitation events. Codes are undocumented (§6.5, §10.5), so: remote refusals → RemoteFailure. */
const REASONS: Record<string, ErrorBody> = {
  Declined: { code: 'RemoteFailure', subcode: 'Declined', message: 'The remote party declined the invitation.' },
  DestinationNotFound: { code: 'NotFound', subcode: 'DestinationNotFound', message: 'The person you are trying to reach does not exist.' },
  TemporarilyUnavailable: { code: 'RemoteFailure', subcode: 'TemporarilyUnavailable', message: 'The person you are trying to reach is not available.' },
  Busy: { code: 'RemoteFailure', subcode: 'Busy', message: 'The person you are trying to reach is busy.' },
  DoNotDisturb: { code: 'RemoteFailure', subcode: 'DoNotDisturb', message: 'The person you are trying to reach does not want to be disturbed.' },
  Timeout: { code: 'Timeout', subcode: 'Timeout', message: 'The invitation was not answered in time.' },
  Missed: { code: 'Timeout', subcode: 'Missed', message: 'The invitation was not answered in time.' },
  Canceled: { code: 'LocalFailure', subcode: 'Canceled', message: 'The invitation was canceled.' },
  LocalDeclined: { code: 'LocalFailure', subcode: 'Declined', message: 'The invitation was declined.' },
};

export class ImEngine {
  private seq = 0;
  private readonly inviteTimers = new Map<Conversation, ReturnType<typeof setTimeout>>();

  constructor(private readonly opts: ImEngineOptions, readonly hub: ConversationHub) {}

  private newConversation(app: AppRecord | undefined, remote: UserRecord, direction: 'Incoming' | 'Outgoing', subject: string): Conversation {
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

  private addMessage(conv: Conversation, dir: 'sent' | 'received', text: string, html: string | undefined, operationId?: string): MessageRecord {
    const m: MessageRecord = { seq: conv.messages.length + 1, mid: conv.nextMid++, dir, text, html, at: Date.now(), operationId };
    conv.messages.push(m);
    return m;
  }

  private armInvitationTimer(conv: Conversation, onTimeout: () => void): void {
    const t = setTimeout(() => {
      this.inviteTimers.delete(conv);
      if (conv.invitationState === 'Connecting') onTimeout();
    }, this.opts.invitationTimeoutMs);
    t.unref?.();
    this.inviteTimers.set(conv, t);
  }

  private disarm(conv: Conversation): void {
    const t = this.inviteTimers.get(conv);
    if (t) clearTimeout(t);
    this.inviteTimers.delete(conv);
  }

  /** Ends the conversation on the bot side (no more hrefs) and for the simulated user. */
  private finish(conv: Conversation, failure?: string): void {
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

  // ---- incoming IM (simulated user → application), PROTOCOL.md §7, §14.5 ----

  /** A simulated user invites `app`'s user; `app` undefined → nobody can take it (TemporarilyUnavailable, §14.3). */
  incoming(app: AppRecord | undefined, from: UserRecord, text: string, format: 'plain' | 'html', subject = ''): Conversation {
    const conv = this.newConversation(app, from, 'Incoming', subject);
    const html = format === 'html' ? text : undefined;
    const plain = html !== undefined ? htmlToText(html) : text;
    this.addMessage(conv, 'sent', plain, html);
    if (!app) {
      conv.invitationState = 'Failed';
      this.finish(conv, 'TemporarilyUnavailable');
      return conv;
    }
    conv.firstText = plain;
    conv.firstHtml = html;
    const ev = new ConversationEvents(app, conv);
    // ReceiveAnIM.md steps 8-10: invitation started + conversation added, localParticipant added,
    // then the remote participant added and the invitation updated.
    ev.communication([ev.invitation('started'), ev.conversation('added')]);
    ev.conversationSender([ev.localParticipant('added'), ev.participant('added')]);
    ev.communication([ev.invitation('updated')]);
    this.armInvitationTimer(conv, () => {
      conv.invitationState = 'Failed';
      ev.communication([ev.invitation('completed', 'Failure', REASONS.Missed), ev.conversation('deleted')]);
      this.finish(conv, 'Missed');
    });
    this.hub.changed(conv);
    return conv;
  }

  /** POST accept (accept_ref.md, ReceiveAnIM.md step 15). */
  accept(conv: Conversation): void {
    const app = conv.app!;
    this.disarm(conv);
    conv.state = 'Connected';
    conv.invitationState = 'Connected';
    const ev = new ConversationEvents(app, conv);
    ev.conversationSender([ev.messaging()]);
    ev.communication([ev.conversation('updated')]);
    ev.conversationSender([ev.participantMessaging('added', true), ev.participantMessaging('added', false), ev.participant('updated')]);
    ev.communication([ev.invitation('completed', 'Success')]);
    const [first, ...rest] = conv.messages;
    if (first && this.opts.replayInvitationMessage) {
      // ReceiveAnIM.md step 16: the first message arrives again as a message event (§7.5, §15 item 7).
      ev.conversationSender([ev.message(first)]);
      ev.communication([ev.conversation('updated')]);
    }
    for (const m of rest) {
      if (!m.queued) continue;
      m.queued = false;
      ev.conversationSender([ev.message(m, this.opts.incomingMessageEvent)]);
    }
    this.hub.changed(conv);
  }

  /** POST decline (decline_ref.md; event shape inferred, §14.5). */
  decline(conv: Conversation): void {
    const app = conv.app!;
    conv.invitationState = 'Declined';
    const ev = new ConversationEvents(app, conv);
    ev.communication([ev.invitation('completed', 'Failure', REASONS.LocalDeclined)]);
    ev.conversationSender([ev.messaging()]);
    ev.communication([ev.conversation('deleted')]);
    this.finish(conv, 'Declined');
  }

  /** The simulated user sends a message; before accept it waits in the conversation. */
  remoteSend(conv: Conversation, text: string, format: 'plain' | 'html'): MessageRecord {
    if (conv.state === 'Disconnected') throw new Error(`Conversation ${conv.id} is Disconnected; start a new one`);
    const html = format === 'html' ? text : undefined;
    const m = this.addMessage(conv, 'sent', html !== undefined ? htmlToText(html) : text, html);
    if (conv.state === 'Connected' && conv.app) {
      const ev = new ConversationEvents(conv.app, conv);
      if (conv.remoteTyping) {
        conv.remoteTyping = false;
        ev.conversationSender([ev.typing(false)]);
      }
      ev.conversationSender([ev.message(m, this.opts.incomingMessageEvent)]);
    } else m.queued = true;
    this.hub.changed(conv);
    return m;
  }

  remoteTyping(conv: Conversation, on: boolean): void {
    if (conv.state !== 'Connected' || !conv.app || conv.remoteTyping === on) return;
    conv.remoteTyping = on;
    const ev = new ConversationEvents(conv.app, conv);
    ev.conversationSender([ev.typing(on)]);
  }

  /** The simulated user hangs up: the inferred order of §7.8. */
  remoteLeave(conv: Conversation): void {
    if (conv.state === 'Disconnected') return;
    const app = conv.app;
    if (app && conv.state === 'Connected') {
      conv.state = 'Disconnected';
      const ev = new ConversationEvents(app, conv);
      ev.conversationSender([ev.participantMessaging('deleted', false), ev.participant('deleted'), ev.messaging()]);
      ev.communication([ev.conversation('updated'), ev.conversation('deleted')]);
    } else if (app) {
      // Caller gave up before the answer: the invitation ends as canceled by the remote side.
      conv.invitationState = 'Cancelled';
      const ev = new ConversationEvents(app, conv);
      ev.communication([ev.invitation('completed', 'Failure', { ...REASONS.Canceled!, code: 'RemoteFailure' }), ev.conversation('deleted')]);
    }
    this.finish(conv, 'Left');
  }

  // ---- outgoing IM (application → simulated user), PROTOCOL.md §8, §14.6 ----

  /** startMessaging after validation; the outcome follows the target's availability. */
  startMessaging(app: AppRecord, target: UserRecord | undefined, to: string, input: { operationId?: string; subject: string; importance: string; text?: string; html?: string }): Conversation {
    const remote = target ?? { uri: to, name: '', password: undefined, availability: 'offline', convs: [] };
    const conv = this.newConversation(app, remote, 'Outgoing', input.subject);
    if (!target) remote.convs.length = 0; // an unknown address keeps no history
    conv.operationId = input.operationId;
    conv.importance = input.importance;
    if (input.text !== undefined) {
      conv.firstText = input.text;
      conv.firstHtml = input.html;
    }
    const ev = new ConversationEvents(app, conv);
    // SendAnIM.md step 4.
    ev.communication([ev.invitation('started'), ev.conversation('added')]);
    ev.conversationSender([ev.localParticipant('added'), ev.messaging()]);
    const outcome = !target ? 'DestinationNotFound' : answerOf(target.availability);
    if (outcome === 'noAnswer') this.armInvitationTimer(conv, () => this.failOutgoing(conv, 'Timeout'));
    else queueMicrotask(() => (outcome === 'accept' ? this.remoteAccept(conv) : this.failOutgoing(conv, outcome)));
    return conv;
  }

  private remoteAccept(conv: Conversation): void {
    if (conv.invitationState !== 'Connecting' || !conv.app) return;
    conv.state = 'Connected';
    conv.invitationState = 'Connected';
    const ev = new ConversationEvents(conv.app, conv);
    // SendAnIM.md step 6.
    ev.communication([ev.conversation('updated')]);
    ev.conversationSender([ev.participant('added'), ev.participantMessaging('added', false), ev.participantMessaging('added', true), ev.messaging()]);
    ev.communication([ev.invitation('completed', 'Success')]);
    if (conv.firstText !== undefined) this.addMessage(conv, 'received', conv.firstText, conv.firstHtml, conv.operationId);
    this.hub.changed(conv);
    this.hub.arrived(conv.remote, conv);
  }

  private failOutgoing(conv: Conversation, why: string): void {
    if (conv.invitationState !== 'Connecting' || !conv.app) return;
    conv.invitationState = why === 'Declined' ? 'Declined' : why === 'Canceled' ? 'Cancelled' : 'Failed';
    const ev = new ConversationEvents(conv.app, conv);
    ev.communication([ev.invitation('completed', 'Failure', REASONS[why]), ev.conversation('deleted')]);
    this.finish(conv, why);
  }

  /** sendMessage after validation: the message reaches the simulated user and its `completed` event is queued. */
  sendMessage(conv: Conversation, text: string, html: string | undefined, operationId: string | undefined): MessageRecord {
    const m = this.addMessage(conv, 'received', text, html, operationId);
    this.hub.stopBotTyping(conv);
    const ev = new ConversationEvents(conv.app!, conv);
    ev.conversationSender([ev.message(m)]);
    this.hub.changed(conv);
    return m;
  }

  setIsTyping(conv: Conversation): void {
    this.hub.botTyping(conv, this.opts.botTypingMs);
  }

  /** stopMessaging: cancels a pending outgoing invitation, or ends IM and (two-party) the conversation (§8.6). */
  stopMessaging(conv: Conversation): void {
    if (conv.invitationState === 'Connecting' && conv.direction === 'Outgoing') {
      this.failOutgoing(conv, 'Canceled');
      return;
    }
    const app = conv.app!;
    conv.state = 'Disconnected';
    const ev = new ConversationEvents(app, conv);
    ev.conversationSender([ev.participantMessaging('deleted', true), ev.messaging()]);
    ev.communication([ev.conversation('updated'), ev.conversation('deleted')]);
    this.finish(conv, 'Ended');
  }

  /** DELETE conversation: the application leaves (conversation_ref.md). */
  leaveConversation(conv: Conversation): void {
    const app = conv.app!;
    if (conv.invitationState === 'Connecting') {
      if (conv.direction === 'Outgoing') this.failOutgoing(conv, 'Canceled');
      else this.decline(conv);
      return;
    }
    const ev = new ConversationEvents(app, conv);
    ev.conversationSender([ev.localParticipant('deleted')]);
    ev.communication([ev.conversation('deleted')]);
    this.finish(conv, 'Ended');
  }

  /** Application deleted, expired or absent for long: its conversations end without events. */
  dropAll(app: AppRecord, why: string): void {
    for (const conv of [...app.convs.values()]) this.finish(conv, why);
  }

  close(): void {
    for (const t of this.inviteTimers.values()) clearTimeout(t);
    this.inviteTimers.clear();
  }
}

function answerOf(a: string): 'accept' | 'noAnswer' | string {
  switch (a) {
    case 'online': return 'accept';
    case 'offline': return 'TemporarilyUnavailable';
    case 'busy': return 'Busy';
    case 'doNotDisturb': return 'DoNotDisturb';
    case 'declines': return 'Declined';
    default: return 'noAnswer';
  }
}
