/**
 * `UcwaAdapter`: a botbuilder `BotAdapter` whose bots run unchanged on Skype for Business (UCWA 2.0).
 *
 * Inbound: the client's handlers → `activity-mapper` → a turn queued per conversation → `runMiddleware`.
 * Outbound: `sendActivities` → `activityToMessages` → the client's `sendMessage` / `setIsTyping` / `stopMessaging`.
 */
import { ActivityTypes, BotAdapter, TurnContext } from 'botbuilder';
import type { Activity, ConversationParameters, ConversationReference, ResourceResponse } from 'botbuilder';
import type { ClientState, Logger, ParticipantInfo, UcwaClientLike, UcwaClientOptions } from '../ucwa/types.js';
import type { UcwaError } from '../ucwa/errors.js';
import type { MapContext } from './activity-mapper.js';
import { BoundedSet } from './bounded-set.js';
import { conversationToReference, referenceToKey } from './conversation-ref.js';
import { createUcwaClient } from './create-client.js';
import { createInboundHandlers } from './inbound-handlers.js';
import { NotSupportedError } from './not-supported-error.js';
import { OutboundSender } from './outbound-sender.js';
import { validateAdapterOptions } from './options.js';
import type { UcwaAdapterOptions } from './options.js';
import { TurnQueue } from './turn-queue.js';

/** The bot's turn handler, as passed to `start`, `continueConversation` and `createConversation`. */
export type BotLogic = (context: TurnContext) => Promise<void>;

/** Conversation keys remembered as greeted (first contact); the least recently greeted are forgotten first. */
const MAX_CONTACTED = 50_000;

/** How long `stop()` lets running turns finish before it stops the client anyway. */
const STOP_DRAIN_MS = 10_000;

const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Bot Framework adapter for Skype for Business Server over UCWA 2.0.
 *
 * @example
 * ```ts
 * const adapter = new UcwaAdapter({ discoveryUrl, username, password });
 * adapter.onTurnError = async (context, error) => { await context.sendActivity('Sorry, something went wrong.'); };
 * await adapter.start(async (context) => { await bot.run(context); });
 * ```
 */
export class UcwaAdapter extends BotAdapter {
  /** Called once when the client fails for good (another process took over the event channel, 410 Gone, bad credentials). */
  onFatal: (error: Error) => void;
  /**
   * Called when a message the server accepted was not delivered (the user went offline, the conversation ended):
   * `reference` targets the conversation, `error.subcode` is the documented reason (e.g. `TemporarilyUnavailable`),
   * `activityId` is the ResourceResponse id the send returned. Default: a warning in the log. Not a turn.
   */
  onDeliveryFailed: (reference: Partial<ConversationReference>, error: UcwaError, activityId: string) => void | Promise<void>;
  /** The fatal error, once there was one. */
  fatalError?: Error;

  private readonly options: UcwaAdapterOptions;
  private readonly logger: Logger;
  private readonly turns = new TurnQueue();
  /** Conversation keys that had their first contact (membersAdded), shared by the inbound and outbound sides. */
  private readonly contacted = new BoundedSet<string>(MAX_CONTACTED);
  private readonly outbound: OutboundSender;
  private client?: UcwaClientLike;
  private lifecycle: 'idle' | 'starting' | 'started' | 'stopping' | 'stopped' = 'idle';
  /** Until stop() has stopped the client's event channel. */
  private receiving = true;
  private stopping?: Promise<void>;

  /** @throws TypeError naming the first invalid option. */
  constructor(options: UcwaAdapterOptions) {
    super();
    this.options = validateAdapterOptions(options);
    this.client = options.client;
    const logger = options.logger ?? silentLogger;
    this.logger = logger.child?.({ name: 'adapter' }) ?? logger;
    this.outbound = new OutboundSender({ logger: this.logger, sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))), contacted: this.contacted });
    this.onDeliveryFailed = (reference, error) =>
      this.logger.warn({ conversation: reference.conversation?.id, code: error.code, subcode: error.subcode }, 'message not delivered');
    this.onFatal = (error) => this.logger.error({ err: { name: error.name, message: error.message } }, 'UCWA client failed; the adapter has stopped receiving');
  }

  /** The client's state ('idle' before start), for readiness probes. */
  get state(): ClientState {
    return this.client?.state ?? 'idle';
  }
  /** Why the client is not ready, for /readyz. */
  get notReadyReason(): string | undefined {
    return this.client?.notReadyReason;
  }
  /** The signed-in bot (SIP URI and display name), known after `start`. */
  get self(): ParticipantInfo | undefined {
    return this.client?.self;
  }

  /**
   * Signs in (discovery → token → application → makeMeAvailable → event channel) and runs `logic` for every
   * inbound activity. Resolves once the client is receiving; rejects with the client's `UcwaError` otherwise.
   */
  async start(logic: BotLogic): Promise<void> {
    if (typeof logic !== 'function') throw new TypeError('UcwaAdapter.start(logic): expected logic to be a function (context) => Promise<void>');
    if (this.lifecycle !== 'idle') throw new Error(`UcwaAdapter.start: the adapter is ${this.lifecycle}; start it once (create a new adapter after stop)`);
    this.lifecycle = 'starting';
    try {
      const client = this.client ?? (this.client = this.createDefaultClient());
      client.setHandlers(
        createInboundHandlers({
          contacted: this.contacted,
          context: () => this.mapContext(),
          // While stopping, events the client delivers before stopReceiving() resolves still get their turn.
          accepting: () => this.lifecycle === 'starting' || this.lifecycle === 'started' || (this.lifecycle === 'stopping' && this.receiving),
          dispatch: (key, activity) => this.dispatch(key, activity, logic),
          fatal: (error) => {
            if (this.fatalError) return;
            this.fatalError = error;
            this.onFatal(error);
          },
          deliveryFailed: (conversation, failure) => {
            const reference = conversationToReference(conversation, this.mapContext());
            void Promise.resolve(this.onDeliveryFailed(reference, failure.error, failure.href)).catch((err: unknown) =>
              this.logger.warn({ err: String(err) }, 'onDeliveryFailed rejected'));
          },
          logger: this.logger,
        }),
      );
      await client.start();
      if (this.lifecycle === 'starting') this.lifecycle = 'started';
    } catch (error) {
      // stop() during start owns the lifecycle from here ('stopping' → 'stopped').
      if (this.lifecycle === 'starting') this.lifecycle = 'idle';
      throw error;
    }
  }

  /**
   * Stops receiving (the event channel ends, so no new activities), lets every turn already received or running
   * finish (up to 10 s) with its sends, then stops the client (stopMessaging, DELETE application). Safe to call
   * while `start()` is still signing in: `start()` then rejects with a UcwaError (subcode `Stopped`).
   */
  stop(): Promise<void> {
    if (this.lifecycle === 'stopped' || !this.client || (this.lifecycle === 'idle' && this.client.state === 'idle')) return Promise.resolve();
    this.stopping ??= this.doStop(this.client);
    return this.stopping;
  }

  private async doStop(client: UcwaClientLike): Promise<void> {
    const wasStarting = this.lifecycle === 'starting';
    this.lifecycle = 'stopping';
    if (!wasStarting && client.stopReceiving) {
      await client.stopReceiving().catch((error: Error) => this.logger.warn({ err: { name: error?.name, message: error?.message } }, 'stopping the event channel failed'));
    }
    this.receiving = false;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.turns.drain(), new Promise<void>((resolve) => (timer = setTimeout(resolve, STOP_DRAIN_MS).unref()))]);
    clearTimeout(timer);
    try {
      await client.stop();
    } finally {
      this.lifecycle = 'stopped';
    }
  }

  /** Runs `logic` with a turn addressed to a stored reference (proactive messages). Queued behind the conversation's turns. */
  async continueConversation(reference: Partial<ConversationReference>, logic: BotLogic): Promise<void> {
    const key = referenceToKey(reference);
    const activity = TurnContext.applyConversationReference({ type: ActivityTypes.Event, name: 'ContinueConversation' }, reference, true);
    await this.turns.enqueue(key, () => this.runTurn(activity, logic));
  }

  /** botbuilder's CloudAdapter-style signature; the identity / audience arguments do not apply to UCWA. */
  override async continueConversationAsync(_identity: unknown, reference: Partial<ConversationReference>, logicOrAudience: BotLogic | string, maybeLogic?: BotLogic): Promise<void> {
    const logic = typeof logicOrAudience === 'function' ? logicOrAudience : maybeLogic;
    if (!logic) throw new TypeError('UcwaAdapter.continueConversationAsync: expected a logic function');
    await this.continueConversation(reference, logic);
  }

  /**
   * Proactive: starts an IM with `to` (startMessaging), then runs `logic` with a turn addressed to the new
   * conversation. Rejects with the client's `UcwaError` when the invitation fails (its `subcode` is the
   * documented reason: Declined, TemporarilyUnavailable, DestinationNotFound, ...).
   */
  async createConversation(to: string, logic: BotLogic, options?: { subject?: string; importance?: 'Normal' | 'Urgent' | 'Emergency' }): Promise<void> {
    if (typeof to !== 'string' || !/^sip:[^@\s]+@[^@\s]+$/i.test(to)) throw new TypeError(`UcwaAdapter.createConversation: expected a SIP URI such as 'sip:user@contoso.com', got ${JSON.stringify(to)}`);
    if (typeof logic !== 'function') throw new TypeError('UcwaAdapter.createConversation: expected logic to be a function (context) => Promise<void>');
    const conversation = await this.requireClient('createConversation').startMessaging(to, options);
    const reference = conversationToReference(conversation, this.mapContext());
    const activity = TurnContext.applyConversationReference({ type: ActivityTypes.Event, name: 'CreateConversation' }, reference, true);
    await this.turns.enqueue(conversation.key, () => this.runTurn(activity, logic));
  }

  /** botbuilder's signature: the first member of `conversationParameters.members` is the SIP URI to invite. */
  override async createConversationAsync(_appId: string, _channelId: string, _serviceUrl: string, _audience: string, parameters: ConversationParameters, logic: BotLogic): Promise<void> {
    const to = parameters?.members?.[0]?.id ?? '';
    await this.createConversation(to, logic, parameters?.topicName ? { subject: parameters.topicName } : undefined);
  }

  /** Sends in order: `message` → sendMessage, `typing` → setIsTyping, `delay` → wait, `endOfConversation` → stopMessaging. */
  async sendActivities(_context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    return this.outbound.send(this.requireClient('sendActivities'), activities);
  }

  /** @throws NotSupportedError: UCWA cannot edit a sent IM. */
  async updateActivity(): Promise<void> {
    throw new NotSupportedError('UcwaAdapter.updateActivity: UCWA instant messages cannot be edited once sent; send a new message instead');
  }

  /** @throws NotSupportedError: UCWA cannot retract a sent IM. */
  async deleteActivity(): Promise<void> {
    throw new NotSupportedError('UcwaAdapter.deleteActivity: UCWA instant messages cannot be deleted once sent');
  }

  private dispatch(key: string, activity: Partial<Activity>, logic: BotLogic): void {
    this.turns.enqueue(key, () => this.runTurn(activity, logic)).catch((error: Error) => {
      // No onTurnError set (or it threw): nobody awaits an inbound turn, so the log is the last word.
      this.logger.error({ key, type: activity.type, err: { name: error?.name, message: error?.message } }, 'turn failed');
    });
  }

  private async runTurn(activity: Partial<Activity>, logic: BotLogic): Promise<void> {
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }

  private mapContext(): MapContext {
    return { serviceUrl: this.options.discoveryUrl, locale: this.options.culture ?? 'en-US', bot: this.client?.self };
  }

  private requireClient(operation: string): UcwaClientLike {
    if (!this.client) throw new Error(`UcwaAdapter.${operation}: call start(logic) first: the UCWA client is created when the adapter starts`);
    return this.client;
  }

  private clientOptions(): UcwaClientOptions {
    const { client: _client, sleep: _sleep, ...clientOptions } = this.options;
    return clientOptions;
  }

  private createDefaultClient(): UcwaClientLike {
    return createUcwaClient(this.clientOptions());
  }
}
