/**
 * The contract between the UCWA protocol client (`src/ucwa/`) and its users (the adapter, the alert relay).
 * Speaks UCWA, knows nothing of botbuilder.
 */
import type { RetryOptions } from '../retry/types.js';
import type { UcwaError } from './errors.js';

/** Minimal structured logger (pino-compatible subset). Never pass tokens, passwords or message bodies. */
export interface Logger {
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
  child?(bindings: Record<string, unknown>): Logger;
}

export interface UcwaClientOptions {
  /** Autodiscovery root URL (`https://lyncdiscover.contoso.com/`), or the emulator's `discoveryUrl`. */
  discoveryUrl: string;
  /** Password grant. Either username + password, or `token`. */
  username?: string;
  password?: string;
  /** Any other token source: returns the full access token (`cwt=...`). Called again on 401 / before expiry. */
  token?: () => Promise<string>;
  /** @default 'botbuilder-adapter-ucwa/<version>' */
  userAgent?: string;
  /** @default 'en-US' */
  culture?: string;
  /** Stable per deployment slot (PROTOCOL.md §15 item 28). @default derived from username + discovery host */
  endpointId?: string;
  /** Hosts (or parent domains) that may receive the bearer token. @default the discovery host's domain */
  allowedDomains?: string[];
  /** Allow http:// for 127.0.0.1 / localhost only. @default false */
  allowInsecureLoopback?: boolean;
  /** Accept incoming invitations: true, false, or a predicate on the inviter's SIP URI. @default true */
  acceptInvitations?: boolean | ((fromSipUri: string) => boolean);
  /** Extra PEM CA certificates (on-premises PKI). TLS verification is always on. */
  ca?: string | string[];
  /** HTTPS proxy URL. @default from HTTPS_PROXY / NO_PROXY */
  proxy?: string;
  retry?: RetryOptions;
  logger?: Logger;
  /** Injected for tests; defaults to node-fetch. */
  fetch?: typeof import('node-fetch').default;
  /** Event-channel `timeout` parameter, seconds (180..1800). @default 180 */
  eventTimeoutSeconds?: number;
  /** reportMyActivity cadence. @default 180_000 (the docs require at least every 4 min) */
  reportMyActivityIntervalMs?: number;
  /** Largest sendMessage body in UTF-8 bytes before the client splits it. @default 8000 */
  maxMessageBytes?: number;
  /** Counters for /metrics; all optional. */
  metrics?: UcwaMetricsSink;
  /**
   * Hosts (or parent domains, `*` for all) that bypass `proxy` (NO_PROXY semantics). When neither `proxy` nor
   * `noProxy` is given, the client reads HTTPS_PROXY/https_proxy and NO_PROXY/no_proxy (issue #3); loopback always
   * bypasses; `proxy: ''` turns the proxy off.
   * @default from NO_PROXY, else ['localhost', '127.0.0.1', '::1']
   */
  noProxy?: string[];
  /** Timeout of one command request (not the P-GET, which uses eventTimeoutSeconds + 30 s). @default 30_000 */
  requestTimeoutMs?: number;
  /** How long startMessaging / addMessaging wait for the invitation outcome. @default 60_000 (the server gives up after ≈30 s) */
  invitationTimeoutMs?: number;
  /**
   * The longest the retry layer's confirmDelivery waits for the outgoing message event of an uncertain send (reset,
   * timeout) before a resend, unless the event stream visibly lags. @default 3_000
   */
  confirmDeliveryTimeoutMs?: number;
  /**
   * The shortest such wait. In between, the wait is measured: twice the largest lag between a 201 and its delivery
   * event among the conversation's last 16 sends (src/retry/event-lag.ts), so a quick far end is not waited on for
   * 3 s and a slow one is. The floor is a margin for a far end that answers late once (a network stall): after a
   * reset that landed, a wait shorter than its acknowledgement means a duplicate. @default 1000 (or
   * confirmDeliveryTimeoutMs when that is smaller)
   */
  confirmDeliveryMinMs?: number;
}

/** Observations the host turns into Prometheus metrics. Never given message bodies. */
export interface UcwaMetricsSink {
  messageReceived?(): void;
  messageSent?(latencyMs: number): void;
  retry?(info: { resource: string; status: number; code: string; subcode?: string; action: string }): void;
  eventChannelReconnect?(reason: string): void;
  /** A message the server accepted (201) was not delivered: its completed event failed, with this reason. */
  deliveryFailed?(reason: { code: string; subcode?: string }): void;
}

export type ConversationState =
  | 'Incoming' | 'Connecting' | 'Connected' | 'Conferencing' | 'Conferenced' | 'InLobby' | 'Disconnecting' | 'Disconnected';

export interface ParticipantInfo {
  /** SIP URI, `sip:alice@contoso.com`. */
  uri: string;
  name?: string;
  /** Participant href in the current application (not durable). */
  href?: string;
}

/**
 * A conversation as the client tracks it. `key` is durable across application re-creation
 * (PROTOCOL.md §8.8: hrefs are per application; the key survives and maps to the current href).
 */
export interface ConversationInfo {
  key: string;
  /** Current conversation self href; undefined once it is gone. */
  href?: string;
  threadId?: string;
  subject?: string;
  state: ConversationState;
  /** The other party of a one-to-one conversation. */
  remote: ParticipantInfo;
  /** The signed-in bot. */
  local: ParticipantInfo;
  direction: 'Incoming' | 'Outgoing';
  /**
   * The messaging resource's `negotiatedMessageFormats` (PROTOCOL.md §7.8), when known. The adapter sends its
   * plain-text rendering instead of HTML when this is present and lacks 'Html'; undefined means "unknown",
   * and then the adapter sends HTML and leaves the fallback to the client. (Added by the adapter, issue #3.)
   */
  negotiatedMessageFormats?: Array<'Plain' | 'Html'>;
}

export interface IncomingMessage {
  conversation: ConversationInfo;
  /** The message self href: the identity used for de-duplication and as activity.id. */
  href: string;
  sender: ParticipantInfo;
  /** Plain text with CRLF normalised to \n (from plainMessage, or the HTML reduced to text). */
  text: string;
  /** The htmlMessage, when the server sent one. */
  html?: string;
  timestamp: Date;
}

export interface SendResult {
  /** The created message's href (Location), or undefined when delivery was proven without it. */
  href?: string;
  operationId: string;
}

/**
 * What the client tells its user, called in event-channel order. The client does not await the returned
 * promises: a bot turn that sends and waits for its delivery event must never block the event channel.
 * The adapter serialises turns per conversation. A handler's rejection is logged, never fatal.
 */
export interface UcwaClientHandlers {
  /** A conversation became usable (incoming accepted, or outgoing connected). */
  conversationStarted?(conversation: ConversationInfo): void | Promise<void>;
  message?(message: IncomingMessage): void | Promise<void>;
  /** The remote participant started typing. */
  typing?(conversation: ConversationInfo, participant: ParticipantInfo): void | Promise<void>;
  participantAdded?(conversation: ConversationInfo, participant: ParticipantInfo): void | Promise<void>;
  participantRemoved?(conversation: ConversationInfo, participant: ParticipantInfo): void | Promise<void>;
  conversationEnded?(conversation: ConversationInfo): void | Promise<void>;
  /**
   * A message the server accepted (201) was not delivered: its outgoing `message` event completed with a failure
   * (message_ref.md: status Failed, failedDeliveryParticipant). `error` carries the event's reason (source 'event').
   */
  deliveryFailed?(conversation: ConversationInfo, failure: DeliveryFailure): void | Promise<void>;
  /** Fatal for the client (PGetReplaced by another process, 410 Gone on the application, bad credentials). */
  fatal?(error: Error): void;
}

/** An outgoing message that was accepted but not delivered. */
export interface DeliveryFailure {
  /** The message href (its identity, and the ResourceResponse id the send returned). */
  href: string;
  operationId?: string;
  error: UcwaError;
}

export type ClientState = 'idle' | 'starting' | 'ready' | 'reconnecting' | 'stopping' | 'stopped' | 'failed';

/**
 * What the adapter needs from the client. `UcwaClient` implements it; adapter unit tests use a fake.
 * Conversation methods take the durable key; the client re-opens a conversation that has gone
 * (addMessaging, or startMessaging to the remote party) before sending.
 */
export interface UcwaClientLike {
  readonly state: ClientState;
  /** Why the client is not ready, for /readyz. */
  readonly notReadyReason?: string;
  /** The signed-in user (the bot), known after start. */
  readonly self?: ParticipantInfo;
  setHandlers(handlers: UcwaClientHandlers): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  getConversation(key: string): ConversationInfo | undefined;
  sendMessage(key: string, body: string, format: 'plain' | 'html', options?: { signal?: AbortSignal }): Promise<SendResult>;
  setIsTyping(key: string): Promise<void>;
  stopMessaging(key: string): Promise<void>;
  /** Proactive: startMessaging to a SIP URI; resolves when connected, rejects with UcwaError (reason) on failure. */
  startMessaging(to: string, options?: { subject?: string; importance?: 'Normal' | 'Urgent' | 'Emergency'; message?: string }): Promise<ConversationInfo>;
  /**
   * Make a key this client does not know usable again (a ConversationReference stored by an earlier process, or a
   * conversation the client has since forgotten): the next `sendMessage` re-opens it with startMessaging to
   * `remote` under the SAME key, so the bot's conversation id (and the state stored under it) stays the same.
   * A known key is returned unchanged. Optional: without it the adapter opens a new conversation with a new key.
   * (Added by the adapter review, issue #3.)
   */
  restoreConversation?(key: string, remote: ParticipantInfo): ConversationInfo;
  /**
   * Stop the event channel only (no new events), keeping sends working, so the adapter's `stop()` can let the turns
   * of every event already received finish before `stop()` deletes the application. Optional.
   * (Added by the adapter review, issue #3.)
   */
  stopReceiving?(): Promise<void>;
}
