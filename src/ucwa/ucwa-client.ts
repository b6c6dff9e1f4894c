/**
 * `UcwaClient`: the UCWA 2.0 protocol client behind the adapter. Wires discovery → token → application →
 * makeMeAvailable → event channel, keeps it all alive (token refresh, reportMyActivity, application
 * re-creation) and offers conversation operations keyed by durable conversation keys.
 *
 * @example
 * const client = new UcwaClient({ discoveryUrl: 'https://lyncdiscover.contoso.com/', username, password });
 * client.setHandlers({ message: async (m) => { await client.sendMessage(m.conversation.key, `echo: ${m.text}`, 'plain'); } });
 * await client.start();
 */
import type { ApplicationSession } from './application.js';
import { Authenticator } from './auth.js';
import { ConversationStore } from './conversation-store.js';
import { discover } from './discovery.js';
import { UcwaError } from './errors.js';
import type { EventChannel } from './event-channel.js';
import { HttpTransport } from './http.js';
import type { Messaging } from './messaging.js';
import { OperationRegistry } from './operations.js';
import { resolveClientOptions } from './options.js';
import type { ResolvedClientOptions } from './options.js';
import { createRetryRunner } from './retrying.js';
import type { RetryRunner } from './retrying.js';
import { createSession } from './session.js';
import { explainStartFailure, startCancelled, untilStopped } from './start-error.js';
import { TokenGuard } from './token-guard.js';
import { UcwaHttp } from './ucwa-http.js';
import type { ClientState, ConversationInfo, ParticipantInfo, SendResult, UcwaClientHandlers, UcwaClientLike, UcwaClientOptions } from './types.js';

/** How long stopReceiving() waits for accepted invitations to complete (the server completes them within ms). */
const ACCEPT_SETTLE_MS = 5_000;

export class UcwaClient implements UcwaClientLike {
  private readonly o: ResolvedClientOptions;
  private readonly transport: HttpTransport;
  private readonly auth: Authenticator;
  private readonly http: UcwaHttp;
  private readonly store = new ConversationStore();
  private readonly operations = new OperationRegistry<ConversationInfo>();
  private readonly retry: RetryRunner;
  private handlers: UcwaClientHandlers = {};
  private app?: ApplicationSession;
  private messaging?: Messaging;
  private channel?: EventChannel;
  private currentState: ClientState = 'idle';
  private reason?: string = 'not started';
  private stopController = new AbortController();
  private recreating?: Promise<void>;
  /** False after stopReceiving() / stop(): a re-created application does not restart the event channel. */
  private receiving = true;

  /** @throws TypeError naming the option when an option is invalid. */
  constructor(options: UcwaClientOptions) {
    const resolved = resolveClientOptions(options);
    // Once stopReceiving()/stop() began, new invitations are declined (the user learns at once) instead of being
    // accepted into a conversation whose messages would never reach a turn.
    this.o = { ...resolved, acceptInvitations: (from) => this.receiving && resolved.acceptInvitations(from) };
    const logger = this.o.logger;
    const guard = new TokenGuard({ allowedDomains: this.o.allowedDomains, allowInsecureLoopback: this.o.allowInsecureLoopback });
    this.transport = new HttpTransport({ fetch: this.o.fetch, ca: this.o.ca, proxy: this.o.proxy, noProxy: this.o.noProxy, logger });
    this.auth = new Authenticator({ username: this.o.username, password: this.o.password, token: this.o.token, transport: this.transport, guard, logger, userAgent: this.o.userAgent, timeoutMs: this.o.requestTimeoutMs });
    this.http = new UcwaHttp({ transport: this.transport, guard, auth: this.auth, logger, userAgent: this.o.userAgent, timeoutMs: this.o.requestTimeoutMs });
    this.retry = createRetryRunner({
      policy: this.o.policy,
      metrics: this.o.metrics,
      logger,
      signal: () => this.stopController.signal,
      hooks: {
        refreshToken: () => this.auth.refresh(),
        recreateApplication: () => this.recoverApplication(),
        confirmDelivery: (operationId) => this.operations.confirm(operationId, this.o.confirmDeliveryTimeoutMs),
      },
    });
  }

  get state(): ClientState {
    return this.currentState;
  }

  get notReadyReason(): string | undefined {
    return this.currentState === 'ready' ? undefined : this.reason;
  }

  get self(): ParticipantInfo | undefined {
    return this.app?.me;
  }

  /** Counters for tests and diagnostics (no secrets). */
  get stats(): { applicationsCreated: number; tokensAcquired: number; transparentRetries: number; events?: EventChannel['stats'] } {
    return { applicationsCreated: this.app?.created ?? 0, tokensAcquired: this.auth.acquisitions, transparentRetries: this.transport.transparentRetries, events: this.channel?.stats };
  }

  setHandlers(handlers: UcwaClientHandlers): void {
    this.handlers = handlers ?? {};
  }

  private setState(state: ClientState, reason?: string): void {
    this.currentState = state;
    this.reason = reason;
  }

  /** Discovery → token → application → makeMeAvailable → event channel. Resolves once the first P-GET is pending. */
  async start(): Promise<void> {
    if (this.currentState !== 'idle' && this.currentState !== 'stopped' && this.currentState !== 'failed') {
      throw new Error(`UcwaClient.start() called while ${this.currentState}; call stop() first`);
    }
    this.stopController = new AbortController();
    const signal = this.stopController.signal;
    this.receiving = true;
    this.setState('starting', 'signing in');
    const run = async (): Promise<void> => {
      try {
        const found = await discover(this.http, this.o.discoveryUrl, this.o.logger, signal);
        if (signal.aborted) throw signal.reason;
        this.build(found.applicationsUrl);
        await this.app!.create();
        if (signal.aborted) throw signal.reason;
        await this.channel!.start(this.app!.links!.events);
        this.setState('ready');
      } catch (err) {
        if (signal.aborted) {
          // stop() during start: stop() owns the state and deletes an application created meanwhile.
          throw startCancelled(err);
        }
        const error = explainStartFailure(err, this.o.discoveryUrl);
        this.setState('failed', error instanceof Error ? error.message : String(error));
        await this.channel?.stop();
        this.app?.stopActivityTimer();
        throw error;
      }
    };
    // stop() answers at once: start() rejects as soon as the stop signal fires, while a request still in flight
    // ends in the background (its application, if it creates one, is deleted by stop()).
    await untilStopped(run(), signal, () => startCancelled());
  }

  /**
   * Stops the event channel only: no further events (so no new inbound activities), while sends keep working.
   * The adapter calls it first in `stop()`, lets the turns already dispatched finish, then calls `stop()`.
   */
  async stopReceiving(): Promise<void> {
    this.receiving = false;
    await this.recreating?.catch(() => undefined);
    // An invitation accepted just before is completed on the event channel, which delivers its first message:
    // keep polling until those have settled (bounded), so no accepted message is left without a turn.
    const deadline = Date.now() + ACCEPT_SETTLE_MS;
    while (this.store.pendingAccepts() > 0 && Date.now() < deadline && this.channel?.running) {
      await new Promise((resolve) => setTimeout(resolve, 20).unref());
    }
    await this.channel?.stop();
  }

  private build(applicationsUrl: string): void {
    const session = createSession({
      options: this.o, http: this.http, retry: this.retry, store: this.store, operations: this.operations, applicationsUrl,
      handlers: () => this.handlers,
      ready: () => this.ready(),
      onApplicationLost: (error) => this.onApplicationLost(error),
      recoverApplication: () => this.recoverApplication(),
      recoverConversation: (key) => this.recoverConversation(key),
      fail: (error) => this.fail(error),
      onReconnecting: (reason) => {
        if (this.currentState === 'ready') this.setState('reconnecting', `event channel reconnecting after ${reason}`);
      },
      onRecovered: () => {
        if (this.currentState === 'reconnecting' && !this.recreating) this.setState('ready');
      },
    });
    ({ app: this.app, messaging: this.messaging, channel: this.channel } = session);
  }

  private onApplicationLost(error: UcwaError): void {
    this.recreateApplication(error).catch((err: unknown) => this.fail(err instanceof Error ? err : new Error(String(err))));
  }

  /** recreateApplication hook of the retry layer: re-create only when GET application confirms it is gone (§15 item 36). */
  private async recoverApplication(): Promise<void> {
    if (this.recreating) return this.recreating;
    if (await this.app!.isGone()) await this.recreateApplication();
  }

  /** A conversation request failed with ApplicationNotFound: re-create the application, or drop the dead conversation href. */
  private async recoverConversation(key: string): Promise<void> {
    if (this.recreating) return this.recreating;
    if (await this.app!.isGone()) return this.recreateApplication();
    const record = this.store.get(key);
    if (record) this.store.detach(record);
  }

  /** New application, makeMeAvailable, restart the event channel; conversation keys stay usable (single flight). */
  private recreateApplication(cause?: UcwaError): Promise<void> {
    this.recreating ??= (async () => {
      this.setState('reconnecting', `re-creating the application after ${cause ? `${cause.status} ${cause.code}/${cause.subcode ?? ''}` : 'it was lost'}`);
      this.o.logger.warn({ status: cause?.status, code: cause?.code, subcode: cause?.subcode }, 'ucwa:client re-creating the application');
      await this.channel!.stop();
      this.store.detachAll();
      this.operations.failAll(new UcwaError('The application was lost while the invitation was pending', 404, 'NotFound', 'ApplicationNotFound', { source: 'http', resource: 'startMessaging' }));
      await this.app!.create();
      // After stopReceiving() the channel stays stopped: the adapter is draining its last turns.
      if (this.receiving) await this.channel!.start(this.app!.links!.events);
      this.setState('ready');
    })().finally(() => {
      this.recreating = undefined;
    });
    return this.recreating;
  }

  private fail(error: Error): void {
    if (this.currentState === 'stopping' || this.currentState === 'stopped') return;
    this.setState('failed', error.message);
    this.o.logger.error({ err: error.message }, 'ucwa:client fatal');
    void this.channel?.stop();
    this.app?.stopActivityTimer();
    try {
      this.handlers.fatal?.(error);
    } catch (err) {
      this.o.logger.error({ err: String(err) }, 'ucwa:client fatal handler threw');
    }
  }

  private async ready(): Promise<void> {
    if (this.recreating) await this.recreating;
    if (this.currentState !== 'ready' && this.currentState !== 'reconnecting') {
      // Not a network code: a failed or stopped client is not retried by the table, the caller learns at once.
      throw new UcwaError(`UcwaClient is not ready (${this.currentState}${this.reason ? `: ${this.reason}` : ''})`, 0, 'ServiceUnavailable', 'NotReady', { source: 'network', uncertain: false });
    }
  }

  /** Ends the event channel and deletes the application (PROTOCOL.md §4.3). Safe to call twice. */
  async stop(): Promise<void> {
    if (this.currentState === 'stopped' || this.currentState === 'idle') {
      this.setState('stopped', 'stopped');
      this.transport.destroy();
      return;
    }
    this.setState('stopping', 'stopping');
    this.receiving = false;
    this.stopController.abort();
    await this.channel?.stop();
    this.operations.failAll(new UcwaError('UcwaClient stopped', 0, 'LocalFailure', 'Stopped', { source: 'network', uncertain: false }));
    await this.recreating?.catch(() => undefined);
    await this.app?.delete();
    this.transport.destroy();
    this.setState('stopped', 'stopped');
  }

  getConversation(key: string): ConversationInfo | undefined {
    return this.store.get(key)?.info;
  }

  /** See `UcwaClientLike.restoreConversation`: a detached record under `key`, re-opened by the next send. */
  restoreConversation(key: string, remote: ParticipantInfo): ConversationInfo {
    if (typeof key !== 'string' || key === '') throw new TypeError('Expected the conversation key to be a non-empty string');
    if (typeof remote?.uri !== 'string' || !/^sip:[^@\s]+@[^@\s]+$/i.test(remote.uri)) throw new TypeError(`Expected the remote party to have a SIP URI such as sip:alice@contoso.com, got ${JSON.stringify(remote?.uri)}`);
    return this.store.restore(key, remote, this.app?.me ?? { uri: '' }).info;
  }

  async sendMessage(key: string, body: string, format: 'plain' | 'html', options?: { signal?: AbortSignal }): Promise<SendResult> {
    return this.requireMessaging().sendMessage(key, body, format, options);
  }

  async setIsTyping(key: string): Promise<void> {
    return this.requireMessaging().setIsTyping(key);
  }

  async stopMessaging(key: string): Promise<void> {
    return this.requireMessaging().stopMessaging(key);
  }

  async startMessaging(to: string, options?: { subject?: string; importance?: 'Normal' | 'Urgent' | 'Emergency'; message?: string }): Promise<ConversationInfo> {
    return this.requireMessaging().startMessaging(to, options);
  }

  private requireMessaging(): Messaging {
    if (this.currentState === 'stopping' || this.currentState === 'stopped') {
      throw new UcwaError(`UcwaClient is ${this.currentState}: nothing can be sent after stop() (create and start a new client)`, 0, 'LocalFailure', 'Stopped', { source: 'network', uncertain: false });
    }
    if (!this.messaging) throw new Error('UcwaClient is not started: call start() first');
    return this.messaging;
  }

  /** Hook for the retry layer: true once the outgoing message event with this operationId proved delivery. */
  confirmDelivery(operationId: string, timeoutMs = this.o.confirmDeliveryTimeoutMs): Promise<boolean> {
    return this.operations.confirm(operationId, timeoutMs);
  }
}
