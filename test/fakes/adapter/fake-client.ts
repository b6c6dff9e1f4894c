/**
 * A scripted `UcwaClientLike` for adapter unit tests: records every outbound call as a log line
 * ("sendMessage conv-1 plain hello"), lets a test emit the handler callbacks the real client would make,
 * and resolves waiters on events instead of sleeping.
 */
import { UcwaError } from '../../../src/ucwa/errors.js';
import type {
  ClientState,
  ConversationInfo,
  IncomingMessage,
  ParticipantInfo,
  SendResult,
  UcwaClientHandlers,
  UcwaClientLike,
} from '../../../src/ucwa/types.js';

export const BOT: ParticipantInfo = { uri: 'sip:bot@contoso.com', name: 'Help Bot' };

export interface FakeClientOptions {
  /** start() rejects with this. */
  startError?: Error;
  /** startMessaging to these URIs fails with 'TemporarilyUnavailable' (the user is offline). */
  offline?: string[];
  /** Called before each sendMessage resolves; return a promise to hold the send. */
  beforeSend?: (key: string, body: string) => Promise<void> | void;
  /** Implement the optional `restoreConversation` (as the real client does). */
  restore?: boolean;
}

export class FakeUcwaClient implements UcwaClientLike {
  state: ClientState = 'idle';
  notReadyReason?: string = 'not started';
  self?: ParticipantInfo;
  handlers: UcwaClientHandlers = {};
  readonly calls: string[] = [];
  readonly conversations = new Map<string, ConversationInfo>();
  private waiters: Array<() => boolean> = [];
  private seq = 0;
  private conversationSeq = 0;

  /** Set when `options.restore`: restores an unknown key as a connected conversation, logged as `restore <key> <uri>`. */
  restoreConversation?: (key: string, remote: ParticipantInfo) => ConversationInfo;

  constructor(private readonly options: FakeClientOptions = {}) {
    if (options.restore) {
      this.restoreConversation = (key, remote) => {
        const known = this.conversations.get(key);
        if (known) return known;
        this.log(`restore ${key} ${remote.uri}`);
        return this.addConversation({ key, remote, direction: 'Outgoing' });
      };
    }
  }

  setHandlers(handlers: UcwaClientHandlers): void {
    this.handlers = handlers;
  }

  async start(): Promise<void> {
    this.log('start');
    if (this.options.startError) {
      this.state = 'failed';
      throw this.options.startError;
    }
    this.state = 'ready';
    this.notReadyReason = undefined;
    this.self = BOT;
  }

  async stop(): Promise<void> {
    this.log('stop');
    this.state = 'stopped';
  }

  getConversation(key: string): ConversationInfo | undefined {
    return this.conversations.get(key);
  }

  async sendMessage(key: string, body: string, format: 'plain' | 'html'): Promise<SendResult> {
    this.requireKnown(key);
    await this.options.beforeSend?.(key, body);
    const n = ++this.seq;
    this.log(`sendMessage ${key} ${format} ${body}`);
    return { href: `/ucwa/conversations/${key}/messaging/messages/${n}`, operationId: `op-${n}` };
  }

  async setIsTyping(key: string): Promise<void> {
    this.requireKnown(key);
    this.log(`setIsTyping ${key}`);
  }

  async stopMessaging(key: string): Promise<void> {
    this.requireKnown(key);
    this.log(`stopMessaging ${key}`);
  }

  async startMessaging(to: string, options?: { subject?: string }): Promise<ConversationInfo> {
    this.log(`startMessaging ${to}${options?.subject ? ` subject=${options.subject}` : ''}`);
    if (this.options.offline?.includes(to)) {
      throw new UcwaError(`startMessaging to ${to} failed: TemporarilyUnavailable`, 200, 'RemoteFailure', 'TemporarilyUnavailable', { source: 'event', resource: 'startMessaging' });
    }
    const conversation = this.addConversation({ remote: { uri: to, name: to.replace(/^sip:|@.*$/g, '') }, direction: 'Outgoing' });
    this.handlers.conversationStarted?.(conversation);
    return conversation;
  }

  /** Registers a conversation the way the real client would after accepting an invitation. */
  addConversation(partial: Partial<ConversationInfo> & { remote: ParticipantInfo }): ConversationInfo {
    const key = partial.key ?? `conv-${++this.conversationSeq}`;
    const conversation: ConversationInfo = {
      key,
      href: `/ucwa/oauth/v1/applications/1/communication/conversations/${key}`,
      threadId: `thread-${key}`,
      state: 'Connected',
      local: BOT,
      direction: 'Incoming',
      ...partial,
    };
    this.conversations.set(key, conversation);
    return conversation;
  }

  // --- emitting what the event channel would report -------------------------------------------------

  emitStarted(conversation: ConversationInfo): void {
    this.handlers.conversationStarted?.(conversation);
  }

  emitMessage(conversation: ConversationInfo, text: string, extra: Partial<IncomingMessage> = {}): IncomingMessage {
    const message: IncomingMessage = {
      conversation,
      href: `${conversation.href}/messaging/messages/in-${++this.seq}`,
      sender: conversation.remote,
      text,
      timestamp: new Date('2026-11-26T01:02:03.000Z'),
      ...extra,
    };
    this.handlers.message?.(message);
    return message;
  }

  // --- waiting on outcomes ---------------------------------------------------------------------------

  /** Resolves once at least `count` calls matching `filter` were logged. */
  waitForCalls(count: number, filter: (line: string) => boolean = () => true): Promise<string[]> {
    return new Promise((resolve) => {
      const check = (): boolean => {
        const matching = this.calls.filter(filter);
        if (matching.length < count) return false;
        resolve(matching);
        return true;
      };
      if (!check()) this.waiters.push(check);
    });
  }

  private log(line: string): void {
    this.calls.push(line);
    this.waiters = this.waiters.filter((done) => !done());
  }

  private requireKnown(key: string): void {
    if (!this.conversations.has(key)) throw new UcwaError(`unknown conversation ${key}`, 404, 'NotFound', undefined, { source: 'http' });
  }
}
