/**
 * `UcwaAdapter`: a botbuilder `BotAdapter` whose bots run unchanged on Skype for Business (UCWA 2.0).
 *
 * Inbound: the client's handlers → `activity-mapper` → a turn queued per conversation → `runMiddleware`.
 * Outbound: `sendActivities` → `activityToMessages` → the client's `sendMessage` / `setIsTyping` / `stopMessaging`.
 */
import { ActivityTypes, BotAdapter, TurnContext } from 'botbuilder';
import type { Activity, ConversationParameters, ConversationReference, ResourceResponse } from 'botbuilder';
import type { ClientState, Logger, ParticipantInfo, UcwaClientLike, UcwaClientOptions } from '../ucwa/types.js';
import { activityToMessages } from './activity-mapper.js';
import type { MapContext } from './activity-mapper.js';
import { conversationToReference, referenceToKey } from './conversation-ref.js';
import { createUcwaClient } from './create-client.js';
import { createInboundHandlers } from './inbound-handlers.js';
import { NotSupportedError } from './not-supported-error.js';
import { validateAdapterOptions } from './options.js';
import type { UcwaAdapterOptions } from './options.js';
import { TurnQueue } from './turn-queue.js';

/** The bot's turn handler, as passed to `start`, `continueConversation` and `createConversation`. */
export type BotLogic = (context: TurnContext) => Promise<void>;

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
  /** The fatal error, once there was one. */
  fatalError?: Error;

  private readonly options: UcwaAdapterOptions;
  private readonly logger: Logger;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly turns = new TurnQueue();
  /** Conversation keys the client no longer knows (stored references) → the conversation re-opened for them. */
  private readonly reopened = new Map<string, Promise<string>>();
  private client?: UcwaClientLike;
  private lifecycle: 'idle' | 'starting' | 'started' | 'stopping' | 'stopped' = 'idle';

  /** @throws TypeError naming the first invalid option. */
  constructor(options: UcwaAdapterOptions) {
    super();
    this.options = validateAdapterOptions(options);
    this.client = options.client;
    const logger = options.logger ?? silentLogger;
    this.logger = logger.child?.({ name: 'adapter' }) ?? logger;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.onFatal = (error) => this.logger.error({ err: { name: error.name, message: error.message } }, 'UCWA client failed; the adapter has stopped receiving');
  }

  /** The client's state ('idle' before start), for readiness probes. */
  get state(): ClientState {
    return this.client?.state ?? 'idle';
  }
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
          context: () => this.mapContext(),
          accepting: () => this.lifecycle === 'starting' || this.lifecycle === 'started',
          dispatch: (key, activity) => this.dispatch(key, activity, logic),
          fatal: (error) => {
            this.fatalError = error;
            this.onFatal(error);
          },
          logger: this.logger,
        }),
      );
      await client.start();
      this.lifecycle = 'started';
    } catch (error) {
      this.lifecycle = 'idle';
      throw error;
    }
  }

  /** Stops taking events, lets running turns finish (up to 10 s), then stops the client. */
  async stop(): Promise<void> {
    if (this.lifecycle === 'idle' || this.lifecycle === 'stopped' || !this.client) return;
    this.lifecycle = 'stopping';
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.turns.drain(), new Promise<void>((resolve) => (timer = setTimeout(resolve, STOP_DRAIN_MS).unref()))]);
    clearTimeout(timer);
    try {
      await this.client.stop();
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
    const client = this.requireClient('sendActivities');
    const responses: ResourceResponse[] = [];
    for (const activity of activities) {
      const type = activity.type ?? ActivityTypes.Message;
      if (type === 'delay') {
        await this.sleep(typeof activity.value === 'number' ? activity.value : 1000);
      } else if (type === ActivityTypes.Message || type === ActivityTypes.Typing || type === ActivityTypes.EndOfConversation) {
        const key = await this.resolveKey(client, activity);
        if (type === ActivityTypes.Typing) {
          // Typing is a courtesy (setIsTyping_ref.md): a failure must not fail the reply that follows.
          await client.setIsTyping(key).catch((error: Error) => this.logger.warn({ key, err: { name: error.name, message: error.message } }, 'setIsTyping failed'));
        } else if (type === ActivityTypes.EndOfConversation) {
          await client.stopMessaging(key);
        } else {
          responses.push({ id: await this.sendMessage(client, key, activity) });
          continue;
        }
      } else {
        // trace (emulator-only in botbuilder), event, handoff...: IM has no way to show them.
        this.logger.debug({ type }, 'activity type not sent over UCWA');
      }
      responses.push({ id: '' });
    }
    return responses;
  }

  /** @throws NotSupportedError: UCWA cannot edit a sent IM. */
  async updateActivity(): Promise<void> {
    throw new NotSupportedError('UcwaAdapter.updateActivity: UCWA instant messages cannot be edited once sent; send a new message instead');
  }

  /** @throws NotSupportedError: UCWA cannot retract a sent IM. */
  async deleteActivity(): Promise<void> {
    throw new NotSupportedError('UcwaAdapter.deleteActivity: UCWA instant messages cannot be deleted once sent');
  }

  private async sendMessage(client: UcwaClientLike, key: string, activity: Partial<Activity>): Promise<string> {
    let id = '';
    for (const message of activityToMessages(activity)) {
      // The plain rendering goes when the conversation negotiated Plain only (PROTOCOL.md §8.4); when the
      // formats are unknown the HTML goes and the client falls back. The message also clears our typing indicator.
      const formats = client.getConversation(key)?.negotiatedMessageFormats;
      const asHtml = message.html !== undefined && (formats === undefined || formats.includes('Html'));
      const result = asHtml ? await client.sendMessage(key, message.html!, 'html') : await client.sendMessage(key, message.plain, 'plain');
      id = result.href ?? result.operationId;
    }
    return id;
  }

  /**
   * The client key to send to. A reference stored before a restart names a key this client never saw: the
   * conversation is re-opened once (startMessaging to the user) and later sends reuse it.
   */
  private async resolveKey(client: UcwaClientLike, activity: Partial<Activity>): Promise<string> {
    const key = referenceToKey({ channelId: activity.channelId, conversation: activity.conversation });
    if (client.getConversation(key)) return key;
    const user = activity.recipient?.id;
    if (!user?.startsWith('sip:')) return key;
    let reopening = this.reopened.get(key);
    if (!reopening) {
      reopening = client.startMessaging(user).then((c) => c.key);
      this.reopened.set(key, reopening);
      reopening.catch(() => this.reopened.delete(key));
    }
    return reopening;
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

  private createDefaultClient(): UcwaClientLike {
    const { client: _client, sleep: _sleep, ...clientOptions } = this.options;
    return createUcwaClient(clientOptions satisfies UcwaClientOptions);
  }
}
