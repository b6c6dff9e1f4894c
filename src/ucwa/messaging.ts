/**
 * Outgoing IM (PROTOCOL.md §8): sendMessage with a per-conversation queue so replies keep their order,
 * setIsTyping, stopMessaging, and startMessaging / addMessaging to (re-)open a conversation. Every POST that
 * creates something carries an operationId, registered before the POST because events can beat the 201
 * (§0.1 rule 5) and reused by the retry layer across attempts.
 */
import { randomUUID } from 'node:crypto';
import { measuredWaitApplies } from '../retry/event-lag.js';
import type { ApplicationSession } from './application.js';
import type { ConversationRecord, ConversationStore } from './conversation-store.js';
import type { ConversationTracker } from './conversations.js';
import { encodeDataUri } from './data-uri.js';
import { UcwaError, isUcwaError } from './errors.js';
import { htmlToText } from './html-to-text.js';
import { withQuery } from './links.js';
import { splitMessage, utf8Length } from './message-splitter.js';
import type { OperationRegistry } from './operations.js';
import type { RetryRunner } from './retrying.js';
import type { UcwaHttp } from './ucwa-http.js';
import type { ConversationInfo, Logger, SendResult, UcwaMetricsSink } from './types.js';

export interface MessagingOptions {
  http: UcwaHttp;
  retry: RetryRunner;
  store: ConversationStore;
  tracker: ConversationTracker;
  operations: OperationRegistry<ConversationInfo>;
  application: ApplicationSession;
  /** Resolves when the client is ready (waits out an application re-creation). */
  ready(): Promise<void>;
  maxMessageBytes: number;
  invitationTimeoutMs: number;
  confirmDeliveryTimeoutMs: number;
  confirmDeliveryMinMs: number;
  metrics: UcwaMetricsSink;
  logger: Logger;
}

export interface StartMessagingOptions {
  subject?: string;
  importance?: 'Normal' | 'Urgent' | 'Emergency';
  message?: string;
}

const SIP_URI = /^sip:[^@\s]+@[^@\s]+$/i;

function conversationNotFound(key: string): UcwaError {
  return new UcwaError(`No conversation with key ${JSON.stringify(key)}: it was never seen by this client`, 404, 'NotFound', 'ConversationNotFound', { source: 'http', resource: 'conversation', uncertain: false });
}

export class Messaging {
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly reopening = new Map<string, Promise<void>>();

  constructor(private readonly o: MessagingOptions) {}

  /** Queue `task` behind earlier sends of the same conversation; other conversations run concurrently. */
  private enqueue<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(key) ?? Promise.resolve();
    const next = previous.then(task, task);
    const tail = next.catch(() => undefined);
    this.queues.set(key, tail);
    void tail.then(() => {
      if (this.queues.get(key) === tail) this.queues.delete(key);
    });
    return next;
  }

  /** Send a message (split when longer than maxMessageBytes); resolves with the last part's result. */
  sendMessage(key: string, body: string, format: 'plain' | 'html', options: { signal?: AbortSignal } = {}): Promise<SendResult> {
    if (typeof body !== 'string') return Promise.reject(new TypeError('Expected the message body to be a string'));
    return this.enqueue(key, async () => {
      const record = this.record(key);
      let contentType = 'text/plain; charset=UTF-8';
      let text = body;
      const formats = record.info.negotiatedMessageFormats;
      if (format === 'html') {
        // HTML only when negotiated (§8.4, §15 item 17); a long HTML body is split as text (tags cannot be cut).
        if ((formats === undefined || formats.includes('Html')) && utf8Length(body) <= this.o.maxMessageBytes) contentType = 'text/html; charset=UTF-8';
        else text = htmlToText(body);
      }
      if (contentType.startsWith('text/html')) {
        try {
          return await this.sendPart(key, text, contentType, options.signal);
        } catch (err) {
          // 415: HTML not accepted after all (policy htmlMessaging off, §15 item 17): fall back to plain text.
          if (!(isUcwaError(err) && err.status === 415)) throw err;
          this.o.logger.info({ key }, 'ucwa:client HTML refused (415); sending plain text');
          contentType = 'text/plain; charset=UTF-8';
          text = htmlToText(body);
        }
      }
      let result: SendResult | undefined;
      for (const part of splitMessage(text, this.o.maxMessageBytes)) {
        result = await this.sendPart(key, part, contentType, options.signal);
      }
      return result!;
    });
  }

  /**
   * One part = one logical send with ONE operationId for every attempt, including a resend after the application
   * was re-created and the conversation re-opened (the same id is what lets a de-duplicating server answer 409
   * AlreadyExists, and what the delivery event carries).
   */
  private async sendPart(key: string, text: string, contentType: string, signal?: AbortSignal): Promise<SendResult> {
    const operationId = randomUUID();
    const started = Date.now();
    const { operations } = this.o;
    const result = await this.o.retry<SendResult>(
      'sendMessage',
      async () => {
        const href = await this.ensureConnected(key);
        operations.stream.issue(operationId);
        const response = await this.o.http.request({ method: 'POST', url: withQuery(href, { operationId }), resource: 'sendMessage', text, contentType, signal });
        operations.answered(operationId, key);
        return { href: response.location ?? operations.provenHref(operationId), operationId };
      },
      {
        operationId,
        signal,
        onAlreadyDone: () => ({ href: operations.provenHref(operationId), operationId }),
        hooks: {
          recreateApplication: () => this.recover(key),
          confirmDelivery: (id, error) => operations.confirm(id, this.o.confirmDeliveryTimeoutMs, measuredWaitApplies(error) ? { key, floorMs: this.o.confirmDeliveryMinMs } : {}),
        },
      },
    );
    this.o.metrics.messageSent?.(Date.now() - started);
    return result;
  }

  /** recreateApplication hook for a conversation request: the client decides whether the application is gone. */
  recover: (key: string) => Promise<void> = async () => undefined;

  /** The sendMessage href of a connected conversation, re-opening it first when needed (§8.7, §8.8). */
  private async ensureConnected(key: string): Promise<string> {
    await this.o.ready();
    let record = this.record(key);
    if (record.links.sendMessage) return record.links.sendMessage;
    await this.reopen(key);
    record = this.record(key);
    if (!record.links.sendMessage && record.messagingHref) await this.refreshMessaging(record);
    if (record.links.sendMessage) return record.links.sendMessage;
    throw new UcwaError(`Conversation ${JSON.stringify(key)} has no sendMessage link (messaging ${record.messagingState ?? 'unknown'})`, 409, 'Conflict', 'MessagingNotConnected', { source: 'http', resource: 'sendMessage', uncertain: false });
  }

  private reopen(key: string): Promise<void> {
    let running = this.reopening.get(key);
    if (!running) {
      running = this.doReopen(key).finally(() => this.reopening.delete(key));
      this.reopening.set(key, running);
    }
    return running;
  }

  private async doReopen(key: string): Promise<void> {
    const record = this.record(key);
    if (record.info.href && record.messagingHref && !record.links.addMessaging) await this.refreshMessaging(record);
    if (record.links.sendMessage) return;
    if (record.info.href && record.links.addMessaging) {
      this.o.logger.info({ key }, 'ucwa:client re-adding messaging to the conversation (addMessaging)');
      await this.invite('addMessaging', record.links.addMessaging, { key }, {});
      return;
    }
    if (!record.info.remote.uri) throw new UcwaError(`Conversation ${JSON.stringify(key)} is gone and its remote party is unknown`, 404, 'NotFound', 'ConversationNotFound', { source: 'http', resource: 'startMessaging', uncertain: false });
    this.o.logger.info({ key }, 'ucwa:client conversation gone; starting a new one with the same party (startMessaging)');
    await this.startMessagingFor(record.info.remote.uri, {}, key);
  }

  private async refreshMessaging(record: ConversationRecord): Promise<void> {
    const href = record.messagingHref;
    if (!href) return;
    try {
      const response = await this.o.http.request({ method: 'GET', url: href, resource: 'messaging' });
      if (response.body) this.o.tracker.applyMessaging(record, response.body);
    } catch (err) {
      this.o.logger.debug({ err: err instanceof Error ? err.message : String(err) }, 'ucwa:client GET messaging failed');
    }
  }

  private record(key: string): ConversationRecord {
    const record = this.o.store.get(key);
    if (!record) throw conversationNotFound(key);
    return record;
  }

  /** POST setIsTyping when messaging is connected; a conversation that is not is not re-opened for typing. */
  async setIsTyping(key: string): Promise<void> {
    const href = this.record(key).links.setIsTyping;
    if (!href) return;
    await this.o.retry('setIsTyping', () => this.o.http.request({ method: 'POST', url: href, resource: 'setIsTyping', idempotent: true }));
  }

  /** POST stopMessaging (ends IM; in a one-to-one conversation, the conversation). Queued behind pending sends. */
  stopMessaging(key: string): Promise<void> {
    return this.enqueue(key, async () => {
      const href = this.record(key).links.stopMessaging;
      if (!href) return;
      await this.o.retry('stopMessaging', () => this.o.http.request({ method: 'POST', url: href, resource: 'stopMessaging', idempotent: true }));
    });
  }

  /** Proactive: startMessaging to a SIP URI; resolves when the invitation completed with Success. */
  async startMessaging(to: string, options: StartMessagingOptions = {}): Promise<ConversationInfo> {
    if (typeof to !== 'string' || !SIP_URI.test(to)) throw new TypeError(`Expected \`to\` to be a SIP URI like sip:alice@contoso.com, got ${JSON.stringify(to)}`);
    if (options.subject !== undefined && (typeof options.subject !== 'string' || options.subject.length > 250)) throw new TypeError('Expected `subject` to be a string of at most 250 characters');
    if (options.importance !== undefined && !['Normal', 'Urgent', 'Emergency'].includes(options.importance)) throw new TypeError(`Expected \`importance\` to be Normal, Urgent or Emergency, got ${JSON.stringify(options.importance)}`);
    await this.o.ready();
    return this.startMessagingFor(to, options);
  }

  private async startMessagingFor(to: string, options: StartMessagingOptions, key?: string): Promise<ConversationInfo> {
    const body = {
      to,
      subject: options.subject,
      importance: options.importance ?? 'Normal',
      ...(options.message ? { _links: { message: { href: encodeDataUri(options.message) } } } : {}),
    };
    return this.invite('startMessaging', () => this.o.application.links?.startMessaging, { key, to }, body);
  }

  /** Register the operation, POST the invitation (retried with the same operationId), await its completed event. */
  private async invite(resource: 'startMessaging' | 'addMessaging', href: string | (() => string | undefined), target: { key?: string; to?: string }, body: Record<string, unknown>): Promise<ConversationInfo> {
    const operationId = randomUUID();
    const outcome = this.o.operations.registerInvitation({ operationId, resource, ...target }, this.o.invitationTimeoutMs);
    outcome.catch(() => undefined);
    try {
      await this.o.retry(resource, async () => {
        const url = typeof href === 'function' ? href() : href;
        if (!url) throw new UcwaError(`The application offers no ${resource} link`, 0, 'NotFound', 'LinkMissing', { source: 'http', resource, uncertain: false });
        const response = await this.o.http.request({ method: 'POST', url, resource, json: { ...body, operationId } });
        if (response.location) this.o.operations.attachHref(operationId, response.location);
      }, { operationId, onAlreadyDone: () => undefined, hooks: { confirmDelivery: (id) => this.o.operations.confirm(id, this.o.confirmDeliveryTimeoutMs) } });
    } catch (err) {
      this.o.operations.cancelInvitation(operationId, err as Error);
      throw err;
    }
    return outcome;
  }
}
