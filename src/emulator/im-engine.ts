/**
 * The IM state machine between simulated users and applications (PROTOCOL.md §7, §8, §14.5, §14.6).
 * Route handlers and the simulated-user API both drive it; it queues the documented events and keeps the
 * simulated user's view (messages, state) in the same compact record.
 */
import type { AppRecord, Conversation, MessageRecord, UserRecord } from './state.js';
import { ConversationEvents } from './events.js';
import { htmlToText } from './data-uri.js';
import { ConversationStore } from './conversation-store.js';
import { REASONS, answerOf } from './reasons.js';

export interface ImEngineOptions {
  replayInvitationMessage: boolean;
  invitationTimeoutMs: number;
  htmlMessaging: boolean;
  botTypingMs: number;
  urlStyle: 'walkthrough' | 'reference';
  incomingMessageEvent: 'completed' | 'started';
  incomingMessageTimeoutMs: number;
}

/** Incoming (§7, §14.5) and outgoing (§8, §14.6) IM: each method queues the documented events for the application. */
export class ImEngine extends ConversationStore {
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
      ev.conversationSender([ev.message(m, this.opts.incomingMessageEvent)], this.pickUpDeadline(conv, m));
    }
    this.hub.changed(conv);
  }

  /**
   * message_ref.md: an incoming message must be fetched through the event channel within 30 s, else it times
   * out and the sender is told (PROTOCOL.md §7.5, §14.4).
   */
  private pickUpDeadline(conv: Conversation, m: MessageRecord): { ms: number; onExpire: () => void } {
    return {
      ms: this.opts.incomingMessageTimeoutMs,
      onExpire: () => {
        m.failure = 'Timeout';
        this.hub.changed(conv);
      },
    };
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
      ev.conversationSender([ev.message(m, this.opts.incomingMessageEvent)], this.pickUpDeadline(conv, m));
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
    const remote = target ?? { uri: to, name: '', password: undefined, availability: 'offline', ackDelayMs: 0, convs: [] };
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
    // A user who went offline mid-conversation does not get it: completed Failure + failedDeliveryParticipant.
    if (conv.remote.availability === 'offline') m.failure = 'TemporarilyUnavailable';
    this.hub.stopBotTyping(conv);
    const app = conv.app!;
    const complete = (): void => {
      const ev = new ConversationEvents(app, conv);
      ev.conversationSender([ev.message(m)]);
    };
    // The delivery result waits for the far end's acknowledgement, in send order within the conversation (one SIP
    // dialog), even when ackDelayMs was lowered meanwhile. Whether it succeeds was decided when it was sent.
    if (conv.remote.ackDelayMs === 0 && !this.holdsAcks(conv)) complete();
    else this.holdAck(conv, Date.now() + conv.remote.ackDelayMs, () => { if (!app.dead && conv.app === app) complete(); });
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

}
