/**
 * Public contract of the UCWA emulator (issue #2). Tests, the host (`npm start`) and the browser chat page
 * are written against these names; the implementation lives beside this file.
 */

/** How a simulated user answers the bot. */
export type Availability = 'online' | 'offline' | 'busy' | 'doNotDisturb' | 'declines' | 'noAnswer';

export interface EmulatorUserConfig {
  /** SIP URI, `sip:alice@contoso.com`. */
  uri: string;
  /** Display name. */
  name: string;
  /** Password for the password grant; users without one cannot sign in (they can still be simulated). */
  password?: string;
  /** @default 'online' */
  availability?: Availability;
  /**
   * How long this user's endpoint takes to acknowledge an IM from the bot: the outgoing message's `completed` event
   * (the delivery result, PROTOCOL.md §8.4) is queued this long after the sendMessage was processed. Models far ends
   * that answer slowly (federation, a WAN link), so events of different conversations can come in another order than
   * their sends were processed. @default 0
   */
  ackDelayMs?: number;
}

export interface UcwaEmulatorOptions {
  /** @default 0 (an ephemeral port) */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** SIP domain. @default 'contoso.com' */
  domain?: string;
  users?: EmulatorUserConfig[];
  /** Token lifetime (`expires_in`). @default 28800 */
  tokenLifetimeSeconds?: number;
  /**
   * An application expires (404 ApplicationNotFound) when no P-GET was parked for this long after the last one was
   * answered (MeDashboard.md: 15 minutes; other requests do not keep a polling application alive), or, before it ever
   * polled, after this long without any request. @default 900_000
   */
  applicationIdleTimeoutMs?: number;
  /** After makeMeAvailable, no reportMyActivity for this long → 410 Gone/InactiveApplicationExpired. @default 600_000 */
  reportMyActivityTimeoutMs?: number;
  /** Outgoing/incoming invitation answer time (≈30 s in the docs). @default 30_000 */
  invitationTimeoutMs?: number;
  /**
   * An incoming message event no P-GET picks up within this time is withdrawn and the simulated sender sees the
   * message with `failure: 'Timeout'` (message_ref.md, PROTOCOL.md §12, §14.4). @default 30_000
   */
  incomingMessageTimeoutMs?: number;
  /** The user resource answers with a `redirect` to a second pool served by the same process. @default false */
  homePoolRedirect?: boolean;
  /** Replay an incoming invitation's first message as a `message` event after accept (ReceiveAnIM.md). @default true */
  replayInvitationMessage?: boolean;
  /**
   * Opt-in (PROTOCOL.md §8.4, §15 item 43): a repeated operationId on sendMessage/startMessaging is
   * answered 409 Conflict/AlreadyExists instead of creating a second message. @default false
   */
  rejectDuplicateOperationIds?: boolean;
  /**
   * At most this many live applications per user; one more → 410 Gone/TooManyApplications (ApplicationDashboard.md,
   * PROTOCOL.md §14.2). @default Infinity (no cap)
   */
  maxApplicationsPerUser?: number;
  /**
   * A POST applications whose userAgent starts with one of these (case-insensitive) → 410 Gone/UserAgentNotAllowed
   * (ApplicationDashboard.md, PROTOCOL.md §14.2). @default []
   */
  refusedUserAgents?: string[];
  /**
   * startMessaging / sendMessage answer their 201 only after the operation's events went out on a parked P-GET, so a
   * client sees the `started`/`completed` event before the Location (OperationResource.md, PROTOCOL.md §0.1 rule 5,
   * §14.6 "configurable race"). @default false
   */
  eventsBeforeCreated?: boolean;
  /**
   * A response that carries an operation's `completed` event (messagingInvitation, message) leaves out its earlier
   * `started`/`updated` events, as aggregation may (PROTOCOL.md §6.6, §9, §14.4 optional mode). @default false
   */
  collapseOperationEvents?: boolean;
  /** Largest accepted request body in bytes (413 EntityTooLarge beyond). @default 65536 */
  maxBodyBytes?: number;
  /** Largest sendMessage text in bytes (413 EntityTooLarge beyond). @default 16384 */
  maxMessageBytes?: number;
  /** Allow Html in negotiatedMessageFormats when the bot asks for it. @default true */
  htmlMessaging?: boolean;
  /**
   * Event type of incoming messages after the first: `completed` with `status:"Success"` (ReceiveAnIM.md step 16)
   * or `started` (the only type message_ref.md lists), PROTOCOL.md §15 item 6. @default 'completed'
   */
  incomingMessageEvent?: 'completed' | 'started';
  /** URL shapes: the walk-through form (`/ucwa/oauth/v1/...`) or the reference-page form (`/ucwa/v1/...`), PROTOCOL.md §13. @default 'walkthrough' */
  urlStyle?: 'walkthrough' | 'reference';
}

/** A message as the simulated user saw it: sent by them, or received from the bot. */
export interface SimulatedMessage {
  seq: number;
  direction: 'sent' | 'received';
  text: string;
  html?: string;
  format: 'plain' | 'html';
  timestamp: Date;
  /**
   * Set when delivery failed: `Timeout` for a message the bot did not pick up from its event channel in time;
   * `TemporarilyUnavailable` for a bot message to a user who is offline (the bot's message event completes with
   * Failure and a failedDeliveryParticipant link). Failed bot messages are left out of `received()`.
   */
  failure?: string;
}

export interface SimulatedConversation {
  readonly id: string;
  readonly user: string;
  readonly state: 'Connecting' | 'Connected' | 'Disconnected';
  /** True while the bot's typing indicator is set (setIsTyping keeps it for a few seconds). */
  readonly botTyping: boolean;
  /** Why the conversation ended or never connected (`Declined`, `TemporarilyUnavailable`, `Missed`, `Left`, `Ended`, ...). */
  readonly failure?: string;
  messages(): SimulatedMessage[];
  /** Messages the bot sent and this user got, in order (failed deliveries are only in `messages()`). */
  received(): SimulatedMessage[];
  send(text: string, options?: { format?: 'plain' | 'html' }): Promise<void>;
  typing(isTyping?: boolean): Promise<void>;
  leave(): Promise<void>;
  /** Resolves when the bot has sent at least `count` messages in this conversation. Never a sleep. */
  waitForReceived(count: number, timeoutMs?: number): Promise<SimulatedMessage[]>;
  waitForState(state: 'Connected' | 'Disconnected', timeoutMs?: number): Promise<void>;
}

export interface SimulatedUser {
  readonly uri: string;
  readonly name: string;
  availability: Availability;
  setAvailability(availability: Availability): void;
  /** See `EmulatorUserConfig.ackDelayMs`; settable at any time, applies to later sends. */
  ackDelayMs: number;
  /** Opens a conversation with the bot (or `to`) with a first message; resolves once the invitation is sent. */
  startConversation(text: string, options?: { to?: string; format?: 'plain' | 'html'; subject?: string }): Promise<SimulatedConversation>;
  conversations(): SimulatedConversation[];
  /** Everything the bot sent this user and it got, across conversations, in order (failed deliveries left out). */
  received(): SimulatedMessage[];
  /** Resolves when a conversation started by the bot (startMessaging) reaches this user. */
  waitForConversation(timeoutMs?: number): Promise<SimulatedConversation>;
}

/** Resources faults can target, named as in the docs. */
export type FaultResource =
  | 'discovery' | 'user' | 'token' | 'applications' | 'application' | 'makeMeAvailable' | 'reportMyActivity'
  | 'events' | 'startMessaging' | 'sendMessage' | 'setIsTyping' | 'stopMessaging' | 'accept' | 'decline'
  | 'conversation' | 'messaging' | 'message' | 'participant' | 'addMessaging' | '*';

export interface FaultSpec {
  resource: FaultResource;
  /** Apply to the next N matching requests. */
  times?: number;
  /** Or apply with this probability (0..1) until cleared. Uses the emulator's seeded random source. */
  probability?: number;
  /** Answer with this documented error. */
  error?: { status: number; code?: string; subcode?: string; message?: string; retryAfterSeconds?: number; html?: boolean };
  /** Add latency before answering. */
  latencyMs?: number;
  /**
   * Destroy the connection: 'before' the request is processed (nothing happened),
   * 'after' it was processed (it took effect, the client never sees the answer: an uncertain outcome).
   */
  reset?: 'before' | 'after';
  /** events only: answer the pending P-GET with an empty 200 at once (a dropped/recycled event channel). */
  dropEventChannel?: boolean;
}

export interface FaultHandle {
  readonly spec: FaultSpec;
  /** How many requests this fault has hit. */
  readonly hits: number;
  remove(): void;
}

export interface FaultApi {
  inject(spec: FaultSpec): FaultHandle;
  clear(): void;
  /** Seed for probability faults, so soak runs are reproducible. */
  seed(value: number): void;
}

export interface RecordedRequest {
  seq: number;
  at: Date;
  method: string;
  path: string;
  query: Record<string, string>;
  /** Lower-cased names; `authorization` masked as `Bearer ***`. */
  headers: Record<string, string>;
  body: string;
  /** The resource name the emulator routed it to (`sendMessage`, `events`, ...), or undefined for 404s. */
  resource?: string;
  status?: number;
}

export interface EmulatorApplicationInfo {
  id: string;
  user: string;
  endpointId: string;
  href: string;
  madeAvailable: boolean;
  pendingPGet: boolean;
}

export interface UcwaEmulator {
  readonly discoveryUrl: string;
  readonly baseUrl: string;
  readonly port: number;
  readonly domain: string;
  /** The chat page URL (`<baseUrl>/_emulator/chat`). */
  readonly chatUrl: string;
  readonly faults: FaultApi;
  /** Every request received, in order. */
  requests(): RecordedRequest[];
  clearRequests(): void;
  user(uri: string): SimulatedUser;
  users(): SimulatedUser[];
  applications(): EmulatorApplicationInfo[];
  /** Server-side expiry on demand: the next request of that application gets 404 ApplicationNotFound (or 410 when `gone`). */
  expireApplication(id?: string, options?: { gone?: boolean }): void;
  /** Invalidate every issued token: the next request carrying one gets 401 + challenge. */
  expireTokens(): void;
  /** Drop all conversations without events; the next P-GET answers with `resume` (PROTOCOL.md §6.7). */
  simulateLongAbsence(applicationId?: string): void;
  close(): Promise<void>;
}
