/**
 * The simulated-user API (issue #2): a simulated user opens conversations with the bot, sends plain or HTML
 * messages, types, leaves, sets its availability and reads what the bot sent. Waiting is event-driven
 * (ConversationHub), never a sleep.
 */
import type { Availability, SimulatedConversation, SimulatedMessage, SimulatedUser } from './types.js';
import type { Conversation, MessageRecord, UserRecord } from './state.js';
import type { Env } from './env.js';

const AVAILABILITIES: readonly Availability[] = ['online', 'offline', 'busy', 'doNotDisturb', 'declines', 'noAnswer'];
const DEFAULT_WAIT_MS = 10_000;

export function assertAvailability(value: unknown): Availability {
  if (!AVAILABILITIES.includes(value as Availability)) {
    throw new TypeError(`Unknown availability "${String(value)}": expected one of ${AVAILABILITIES.join(', ')}`);
  }
  return value as Availability;
}

/** A simulated far end's acknowledgement delay: an integer number of ms, at most 60 s. */
export function assertAckDelay(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 60_000) {
    throw new TypeError(`${name} must be an integer number of ms between 0 and 60000, got ${String(value)}`);
  }
  return value;
}

export function toSimulatedMessage(m: MessageRecord): SimulatedMessage {
  const out: SimulatedMessage = { seq: m.seq, direction: m.dir, text: m.text, format: m.html !== undefined ? 'html' : 'plain', timestamp: new Date(m.at) };
  if (m.html !== undefined) out.html = m.html;
  if (m.failure !== undefined) out.failure = m.failure;
  return out;
}

/** A view of one conversation from the simulated user's side; holds no state of its own. */
export class SimConversationHandle implements SimulatedConversation {
  constructor(private readonly env: Env, readonly conv: Conversation) {}

  get id(): string { return this.conv.id; }
  get user(): string { return this.conv.remote.uri; }
  get state(): 'Connecting' | 'Connected' | 'Disconnected' {
    return this.conv.state === 'Incoming' ? 'Connecting' : this.conv.state;
  }
  get botTyping(): boolean { return this.conv.botTypingUntil > Date.now(); }
  /** Why the conversation ended or never connected (`Declined`, `TemporarilyUnavailable`, `Left`, ...). */
  get failure(): string | undefined { return this.conv.failure; }

  messages(): SimulatedMessage[] { return this.conv.messages.map(toSimulatedMessage); }
  /** What the bot sent and this user actually got (failed deliveries are only in `messages()`). */
  received(): SimulatedMessage[] { return this.conv.messages.filter((m) => m.dir === 'received' && m.failure === undefined).map(toSimulatedMessage); }

  async send(text: string, options: { format?: 'plain' | 'html' } = {}): Promise<void> {
    if (typeof text !== 'string' || text.length === 0) throw new TypeError('send(text): text must be a non-empty string');
    this.env.engine.remoteSend(this.conv, text, options.format ?? 'plain');
  }

  async typing(isTyping = true): Promise<void> {
    this.env.engine.remoteTyping(this.conv, isTyping);
  }

  async leave(): Promise<void> {
    this.env.engine.remoteLeave(this.conv);
  }

  waitForReceived(count: number, timeoutMs = DEFAULT_WAIT_MS): Promise<SimulatedMessage[]> {
    const test = (): SimulatedMessage[] | undefined => {
      const got = this.received();
      return got.length >= count ? got : undefined;
    };
    return this.env.hub.until(this.conv, test, timeoutMs, `${count} message(s) from the bot`);
  }

  async waitForState(state: 'Connected' | 'Disconnected', timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
    await this.env.hub.until(this.conv, () => (this.state === state ? true : undefined), timeoutMs, `state ${state}`);
  }
}

export class SimUserHandle implements SimulatedUser {
  constructor(private readonly env: Env, readonly rec: UserRecord) {}

  get uri(): string { return this.rec.uri; }
  get name(): string { return this.rec.name; }
  get availability(): Availability { return this.rec.availability; }
  set availability(value: Availability) { this.setAvailability(value); }

  setAvailability(availability: Availability): void {
    this.rec.availability = assertAvailability(availability);
  }

  get ackDelayMs(): number { return this.rec.ackDelayMs; }
  set ackDelayMs(value: number) { this.rec.ackDelayMs = assertAckDelay(value, 'ackDelayMs'); }

  /** Invites the bot (or `to`); resolves once the invitation is on the bot's event channel (or failed at once). */
  async startConversation(text: string, options: { to?: string; format?: 'plain' | 'html'; subject?: string } = {}): Promise<SimulatedConversation> {
    if (typeof text !== 'string' || text.length === 0) throw new TypeError('startConversation(text): text must be a non-empty string');
    const toUri = options.to ?? this.env.opts.botUri;
    const target = toUri ? this.env.findUser(toUri) : undefined;
    if (!target) throw new TypeError(`startConversation: unknown target "${toUri ?? '(no bot configured)'}"; pass { to: 'sip:...' } of a configured user`);
    if (target === this.rec) throw new TypeError('startConversation: a user cannot invite itself');
    const app = this.env.availableApp(target);
    const conv = this.env.engine.incoming(app, this.rec, text, options.format ?? 'plain', options.subject ?? '');
    return new SimConversationHandle(this.env, conv);
  }

  conversations(): SimulatedConversation[] {
    return this.rec.convs.map((c) => new SimConversationHandle(this.env, c));
  }

  received(): SimulatedMessage[] {
    const all = this.rec.convs.flatMap((c) => c.messages.filter((m) => m.dir === 'received' && m.failure === undefined));
    return all.sort((a, b) => a.at - b.at).map(toSimulatedMessage);
  }

  waitForConversation(timeoutMs = DEFAULT_WAIT_MS): Promise<SimulatedConversation> {
    const existing = this.rec.convs.find((c) => c.direction === 'Outgoing' && c.state === 'Connected' && !seen.has(c));
    if (existing) {
      seen.add(existing);
      return Promise.resolve(new SimConversationHandle(this.env, existing));
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        stop();
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for the bot to start a conversation with ${this.rec.uri}`));
      }, timeoutMs);
      const stop = this.env.hub.watchUser(this.rec, (conv) => {
        clearTimeout(timer);
        stop();
        seen.add(conv);
        resolve(new SimConversationHandle(this.env, conv));
      });
    });
  }
}

/** Bot-started conversations already handed out by waitForConversation (each is returned once). */
const seen = new WeakSet<Conversation>();
