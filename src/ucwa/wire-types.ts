/**
 * JSON shapes of UCWA 2.0 as documented (PROTOCOL.md §1.3, §6.3, §10.1, §3.3).
 *
 * This is the only module shared by the client (`src/ucwa/`) and the emulator (`src/emulator/`):
 * both speak the documented wire format, neither imports the other's code, so a client bug
 * cannot hide behind a matching emulator bug (STYLE.md §1).
 *
 * Types only, no behaviour. Every member the docs mark optional is optional here, and every
 * resource tolerates unknown members (servers add properties and links at any time, §1.6).
 */

/** A web link: `{"href", "title"?, "revision"?}` (PROTOCOL.md §1.3, `WebLinks.md`). */
export interface Link {
  href: string;
  title?: string;
  revision?: number | string;
  [extra: string]: unknown;
}

/** `_links`: keyed by rel; a repeating rel is an array even with one element. */
export type Links = Record<string, Link | Link[] | undefined>;

/** Any UCWA resource: plain properties, `_links`, `_embedded`, and usually a trailing `rel`. */
export interface Resource {
  rel?: string;
  _links?: Links;
  _embedded?: Record<string, Resource | Resource[] | undefined>;
  [property: string]: unknown;
}

/** The UCWA error body (PROTOCOL.md §10.1). Only `code` is guaranteed. */
export interface ErrorBody {
  code: string;
  subcode?: string;
  message?: string;
  link?: string;
  parameters?: Record<string, unknown> | unknown[];
  debugInfo?: Record<string, unknown>;
}

/** OAuth token endpoint success body (PROTOCOL.md §3.3). */
export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  ms_rtc_identityscope?: string;
}

/** OAuth token endpoint error body (PROTOCOL.md §3.4); not a UCWA error body. */
export interface TokenErrorResponse {
  error: 'invalid_request' | 'invalid_grant' | 'unsupported_grant_type' | 'invalid_scope' | 'server_error' | string;
  ms_rtc_passiveauthuri?: string;
}

/** Event types: `added`/`updated`/`deleted` for resources, `started`/`updated`/`completed` for operations. */
export type EventType = 'added' | 'updated' | 'deleted' | 'started' | 'completed';

/** One event inside a sender block (PROTOCOL.md §6.3). `_embedded` is keyed by `link.rel`. */
export interface UcwaEvent {
  link: { rel: string; href: string; title?: string };
  in?: { rel: string; href: string; title?: string };
  type: EventType | string;
  _embedded?: Record<string, Resource | undefined>;
  /** On `completed` operation events: `"Success"`, or a failure value (the emulator sends `"Failure"`, §6.5). */
  status?: string;
  /** Present on failed operations and server-initiated changes; same shape as an error body. */
  reason?: ErrorBody;
}

/** A block of events emitted by one resource; the same sender may appear several times per response. */
export interface SenderBlock {
  rel: string;
  href: string;
  events: UcwaEvent[];
}

/**
 * An event-channel response. Exactly one of `next` / `resume` / `resync` says where to go next;
 * a resync response holds nothing but the resync link, an idle release has no `sender` (§6.3, §15.1 item 10).
 */
export interface EventsResponse {
  _links: {
    self?: Link;
    next?: Link;
    resume?: Link;
    resync?: Link;
  };
  sender?: SenderBlock[];
}

/** Media types UCWA uses for JSON (PROTOCOL.md §1.2). */
export const UCWA_JSON = 'application/json';
export const UCWA_VND_JSON = 'application/vnd.microsoft.com.ucwa+json';

/** The `MsRtcOAuth` challenge scheme name on a 401 (PROTOCOL.md §3.1). */
export const MS_RTC_OAUTH = 'MsRtcOAuth';

/** Error codes and subcodes spelled as in the docs (`error-enums.json`); unknown values are kept as strings. */
export type ErrorCode =
  | 'BadRequest' | 'Conflict' | 'EntityTooLarge' | 'ExchangeServiceFailure' | 'Forbidden' | 'GatewayTimeout'
  | 'Gone' | 'Informational' | 'LocalFailure' | 'MethodNotAllowed' | 'NotAcceptable' | 'NotFound'
  | 'PreconditionFailed' | 'PreconditionRequired' | 'RemoteFailure' | 'ServiceFailure' | 'ServiceUnavailable'
  | 'Timeout' | 'TooManyRequests' | 'UnsupportedMediaType' | 'Unauthorized';
