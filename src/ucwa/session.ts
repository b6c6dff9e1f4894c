/**
 * Wiring of one signed-in session: the application, the conversation tracker, messaging and the event channel,
 * connected to each other and to the client's recovery callbacks. `UcwaClient` owns the lifecycle; this file
 * only builds the object graph and the event-channel glue (`fetchEvents`, `processResponse`).
 */
import { ApplicationSession } from './application.js';
import type { ConversationStore } from './conversation-store.js';
import { ConversationTracker } from './conversations.js';
import { UcwaError } from './errors.js';
import { EventChannel } from './event-channel.js';
import { dispatchEvents, type EventHandler } from './event-dispatch.js';
import { isResource, withQuery } from './links.js';
import { Messaging } from './messaging.js';
import type { OperationRegistry } from './operations.js';
import type { ResolvedClientOptions } from './options.js';
import type { RetryRunner } from './retrying.js';
import type { UcwaHttp } from './ucwa-http.js';
import type { ConversationInfo, UcwaClientHandlers } from './types.js';
import type { EventsResponse } from './wire-types.js';

export interface SessionContext {
  options: ResolvedClientOptions;
  http: UcwaHttp;
  retry: RetryRunner;
  store: ConversationStore;
  operations: OperationRegistry<ConversationInfo>;
  applicationsUrl: string;
  handlers(): UcwaClientHandlers;
  ready(): Promise<void>;
  onApplicationLost(error: UcwaError): void;
  recoverApplication(): Promise<void>;
  recoverConversation(key: string): Promise<void>;
  fail(error: Error): void;
  onReconnecting(reason: string): void;
  onRecovered(): void;
}

export interface Session {
  app: ApplicationSession;
  tracker: ConversationTracker;
  messaging: Messaging;
  channel: EventChannel;
}

export function createSession(ctx: SessionContext): Session {
  const o = ctx.options;
  const logger = o.logger;
  const failOn = (p: Promise<void>) => p.catch((err: unknown) => ctx.fail(err instanceof Error ? err : new Error(String(err))));
  const app = new ApplicationSession({
    http: ctx.http, retry: ctx.retry, applicationsUrl: ctx.applicationsUrl, userAgent: o.userAgent, endpointId: o.endpointId, culture: o.culture,
    logger, reportMyActivityIntervalMs: o.reportMyActivityIntervalMs,
    // A 404 from reportMyActivity (a sub-resource) is confirmed with GET application first (§15 item 36).
    onLost: (error) => (error.status === 404 ? void failOn(ctx.recoverApplication()) : ctx.onApplicationLost(error)),
  });
  const tracker = new ConversationTracker({
    store: ctx.store, operations: ctx.operations, resolve: (href) => app.resolve(href),
    get: async (href, resource) => {
      try {
        return (await ctx.http.request({ method: 'GET', url: href, resource })).body;
      } catch (err) {
        logger.debug({ resource, err: err instanceof Error ? err.message : String(err) }, 'ucwa:events GET of a non-embedded resource failed');
        return undefined;
      }
    },
    post: async (href, resource, json) => {
      await ctx.retry(resource, () => ctx.http.request({ method: 'POST', url: href, resource, json, idempotent: true }));
    },
    handlers: ctx.handlers,
    acceptInvitation: o.acceptInvitations,
    self: () => app.me ?? { uri: '' },
    logger, metrics: o.metrics,
  });
  const messaging = new Messaging({
    http: ctx.http, retry: ctx.retry, store: ctx.store, tracker, operations: ctx.operations, application: app,
    ready: ctx.ready, maxMessageBytes: o.maxMessageBytes, invitationTimeoutMs: o.invitationTimeoutMs,
    confirmDeliveryTimeoutMs: o.confirmDeliveryTimeoutMs, confirmDeliveryMinMs: o.confirmDeliveryMinMs, metrics: o.metrics, logger,
  });
  messaging.recover = ctx.recoverConversation;

  /** One P-GET with our `timeout` added by URL builder (server params kept, §6.1); the HTTP timeout sits above it. */
  const fetchEvents = async (url: string, signal: AbortSignal): Promise<EventsResponse> => {
    const response = await ctx.http.request({
      method: 'GET', url: withQuery(url, { timeout: o.eventTimeoutSeconds }), resource: 'events', channel: 'events',
      timeoutMs: (o.eventTimeoutSeconds + 30) * 1000, signal,
    });
    const body = response.body;
    if (!body || !isResource(body['_links'])) {
      throw new UcwaError('GET events returned a body without _links', response.status, 'ServiceFailure', 'MalformedBody', { source: 'http', resource: 'events', uncertain: false });
    }
    return body as unknown as EventsResponse;
  };

  /** One response, in order; a malformed sender block or event is logged and skipped. */
  const processResponse = async (response: EventsResponse, kind: 'next' | 'resync' | 'resume'): Promise<void> => {
    const warn = (what: string) => (err: unknown) => logger.warn({ err: String(err) }, `ucwa:events re-reading the application after ${what} failed`);
    // resync: events may have been missed (EventChannelDetails.md); re-read capability links. Replayed message
    // events are harmless: messages are de-duplicated by href.
    if (kind === 'resync') app.refresh().catch(warn('resync'));
    if (kind === 'resume') {
      // Conversations were closed server-side (§6.7): end them, re-read the application, re-offer availability.
      tracker.endAll();
      app.refresh().then(() => app.makeMeAvailable()).catch(warn('resume'));
    }
    // Events may have been missed: sends answered before will not necessarily report (stream-lag.ts).
    if (kind !== 'next') ctx.operations.stream.restart();
    await dispatchEvents(response, lagAware, logger);
  };

  /**
   * A message event whose resource is not embedded is read with a GET that may fail; if it was an outgoing
   * delivery event we would miss it, so the stream stops vouching for earlier sends first (stream-lag.ts).
   */
  const lagAware: EventHandler = {
    handleEvent: (sender, event) => {
      if (event.link.rel === 'message' && !isResource(event._embedded?.['message'])) ctx.operations.stream.restart();
      return tracker.handleEvent(sender, event);
    },
  };

  const channel = new EventChannel({
    fetchEvents, processResponse,
    onApplicationLost: ctx.onApplicationLost,
    onFatal: ctx.fail,
    onReconnecting: (reason) => {
      o.metrics.eventChannelReconnect?.(reason);
      ctx.onReconnecting(reason);
    },
    onRecovered: ctx.onRecovered,
    base: () => app.base,
    policy: o.policy,
    logger,
  });
  return { app, tracker, messaging, channel };
}
