/**
 * In-memory state of the emulator: accounts, applications, conversations.
 * Conversations are plain records (no timers, no closures) so an idle one costs well under 2 KB of heap
 * (issue #2 target); waiters and typing timers live in side tables only while someone needs them.
 */
import type { Availability } from './types.js';
import type { EventChannel } from './event-channel.js';
import type { AppUrls } from './urls.js';

export interface UserRecord {
  uri: string;
  name: string;
  password: string | undefined;
  availability: Availability;
  /** Delay of the delivery result of an IM from the bot (`EmulatorUserConfig.ackDelayMs`). */
  ackDelayMs: number;
  /** Conversations this user took part in as the simulated (remote) side, oldest first. */
  convs: Conversation[];
}

export interface AppRecord {
  id: string;
  user: UserRecord;
  pool: 1 | 2;
  endpointId: string;
  instanceId: string | undefined;
  userAgent: string;
  culture: string;
  urls: AppUrls;
  channel: EventChannel;
  available: boolean;
  supportedMessageFormats: string[];
  supportedModalities: string[];
  commEtag: number;
  /** Property name of the PUT guard ("please pass this in a PUT request", HTTP.md). */
  guard: string;
  lastSeen: number;
  lastActivity: number;
  /** Set when the application is gone: the error every later request gets. */
  dead: 'deleted' | 'notFound' | 'gone' | undefined;
  convs: Map<string, Conversation>;
  invitations: Map<string, Conversation>;
}

export type ConversationState = 'Incoming' | 'Connecting' | 'Connected' | 'Disconnected';

/** One message of a conversation; `mid` is the bot-side message resource number. */
export interface MessageRecord {
  seq: number;
  mid: number;
  /** From the simulated user's point of view. */
  dir: 'sent' | 'received';
  text: string;
  html: string | undefined;
  at: number;
  operationId: string | undefined;
  /** Sent by the simulated user before the bot accepted; delivered on accept. */
  queued?: boolean;
  /** Why delivery failed: `Timeout` (incoming, not picked up in time), `TemporarilyUnavailable` (to an offline user). */
  failure?: string;
}

/** A two-party IM conversation between a simulated user and a user with an application (the bot). */
export interface Conversation {
  id: string;
  app: AppRecord | undefined;
  remote: UserRecord;
  direction: 'Incoming' | 'Outgoing';
  state: ConversationState;
  invitationId: string;
  invitationState: 'Connecting' | 'Connected' | 'Declined' | 'Failed' | 'Cancelled';
  threadId: string;
  subject: string;
  importance: string;
  operationId: string | undefined;
  html: boolean;
  firstText: string | undefined;
  firstHtml: string | undefined;
  nextMid: number;
  messages: MessageRecord[];
  botTypingUntil: number;
  remoteTyping: boolean;
  /** Why the conversation ended or never started (`Declined`, `TemporarilyUnavailable`, ...). */
  failure: string | undefined;
  /** Bumped on every change the simulated-user API can observe (long polls compare it). */
  version: number;
}
