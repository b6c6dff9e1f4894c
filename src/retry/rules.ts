/**
 * The default retry table (issue #4): one row per documented UCWA error a messaging bot can meet
 * (`errors.json`, PROTOCOL.md §10), keyed on (HTTP status, code, subcode). Which row wins is defined in
 * `match.ts` (`specificity`); no matching row means 'fail'.
 */
import { ruleKey } from './match.js';
import type { ResolvedRetryOptions, RetryOptions, RetryRule } from './types.js';
import { validateRetryOptions } from './validate.js';

/**
 * Ordinary transient server errors: 0.1 s, 0.2 s, 0.4 s, … capped at 8 s (full jitter, `backoff.ts`). A short first
 * wait because most 5xx a bot meets are one-offs (a front end recycling, a pool member failing over behind the
 * load balancer) that the next attempt no longer sees, and every wait holds up the conversation's later messages,
 * which must stay in order; a real outage reaches the long waits within a few attempts, and the default 10 attempts
 * keep retrying for up to ≈29 s (≈14 s on average with full jitter), about the old window, so a pool failover is
 * ridden out. Google's generated API clients commonly start at 100 ms too.
 */
const TRANSIENT = { baseDelayMs: 100, maxDelayMs: 8_000, factor: 2 } as const;
/**
 * ServiceUnavailable: the front end says it is busy or restarting, so `Retry-After` when it gives one, otherwise
 * 0.5 s, 1 s, 2 s, … capped at 15 s: waits that do not pile a thousand conversations' retries onto a busy server
 * within the same 100 ms. The 10 attempts usually take ≈38 s (full jitter); `maxElapsedMs` bounds a long draw.
 */
const UNAVAILABLE = { baseDelayMs: 500, maxDelayMs: 15_000, factor: 2, honorRetryAfter: true } as const;
/** Throttling (429): the server asked us to slow down, so honour `Retry-After`, otherwise start at 1 s. */
const THROTTLED = { baseDelayMs: 1_000, maxDelayMs: 15_000, factor: 2, honorRetryAfter: true } as const;
/** Waiting for server state to change (`me` initialising, another operation running): seconds, not milliseconds. */
const STATE = { baseDelayMs: 500, maxDelayMs: 8_000, factor: 2 } as const;
/** No response: short first wait, because most resets are a keep-alive socket the server closed. */
const NETWORK = { baseDelayMs: 100, maxDelayMs: 4_000, factor: 2 } as const;

/**
 * Default rows. Status 0 = no HTTP response: a network failure (code LocalFailure or Timeout, the network error
 * code as subcode, as `src/ucwa/http.ts` builds them), an event-channel `reason`, or a refusal by the client itself;
 * status-0 errors with any other code match no network row and fail. `subcode: null` = the error has no subcode;
 * `'*'` = any value.
 */
export const RETRY_RULES: readonly RetryRule[] = Object.freeze([
  // — No response (status 0, code LocalFailure or Timeout; the subcode is the network error code) —
  { status: 0, code: '*', subcode: 'ECONNREFUSED', action: 'retry', ...NETWORK, reason: 'Connection refused: nothing was written, so a resend cannot duplicate.' },
  { status: 0, code: '*', subcode: 'ECONNRESET', action: 'retry', ...NETWORK, reason: 'Reset mid-request: outcome uncertain, so a send is settled by confirmDelivery before any resend.' },
  { status: 0, code: '*', subcode: 'ECONNABORTED', action: 'retry', ...NETWORK, reason: 'Connection aborted mid-request: uncertain like a reset, settled the same way.' },
  { status: 0, code: '*', subcode: 'EPIPE', action: 'retry', ...NETWORK, reason: 'Server closed the socket while we wrote: uncertain like a reset, settled the same way.' },
  { status: 0, code: '*', subcode: 'UND_ERR_SOCKET', action: 'retry', ...NETWORK, reason: 'Socket closed by the peer: uncertain like a reset, settled the same way.' },
  { status: 0, code: '*', subcode: 'ETIMEDOUT', action: 'retry', ...NETWORK, reason: 'Connect or response timed out: transient; uncertain once the request was written.' },
  { status: 0, code: '*', subcode: 'EAI_AGAIN', action: 'retry', ...NETWORK, reason: 'Temporary DNS resolver failure: transient, nothing was written.' },
  { status: 0, code: '*', subcode: 'ENETUNREACH', action: 'retry', ...NETWORK, reason: 'No route to the front end (network flap): nothing was written.' },
  { status: 0, code: '*', subcode: 'EHOSTUNREACH', action: 'retry', ...NETWORK, reason: 'Host unreachable (network flap): nothing was written.' },
  { status: 0, code: '*', subcode: 'EPROXYCONNECT', action: 'retry', ...NETWORK, reason: 'The HTTPS proxy refused the tunnel: usually transient; nothing was written.' },
  { status: 0, code: '*', subcode: 'ENOTFOUND', action: 'fail', reason: 'DNS says the host does not exist (wrong discovery URL, retired pool): retries cannot fix it, so fail fast and show the configuration error; a flaky resolver is EAI_AGAIN.' },
  { status: 0, code: '*', subcode: 'ABORT_ERR', action: 'fail', reason: 'Aborted by our caller (stop() or the send\'s signal): never retried.' },
  ...[
    'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'ERR_TLS_CERT_ALTNAME_INVALID', 'ERR_SSL_WRONG_VERSION_NUMBER',
  ].map((subcode): RetryRule => ({ status: 0, code: '*', subcode, action: 'fail', reason: 'TLS refused (verification is always on): fix the server certificate or the `ca` option; retrying cannot.' })),
  { status: 0, code: '*', subcode: 'DomainNotAllowed', action: 'fail', reason: 'The bearer token would go to a host outside allowedDomains: refused by design, never retried.' },
  { status: 0, code: '*', subcode: 'InsecureTransport', action: 'fail', reason: 'http:// to a non-loopback host: refused by design, never retried.' },
  { status: 0, code: 'Timeout', subcode: 'InvitationTimeout', action: 'fail', reason: 'Nobody answered the invitation in time (~30 s, messagingInvitation_ref.md): re-inviting would pester the user.' },
  { status: 0, code: 'LocalFailure', subcode: '*', action: 'retry', ...NETWORK, reason: 'Any other network failure: transient, bounded; uncertain outcomes settled by confirmDelivery first.' },
  { status: 0, code: 'Timeout', subcode: '*', action: 'retry', ...NETWORK, reason: 'Our request timeout fired: uncertain, so a send is settled by confirmDelivery before any resend.' },
  { status: 0, code: 'RemoteFailure', subcode: '*', action: 'fail', reason: 'Event reason (no HTTP status, §10.2): the remote side failed the operation; resending repeats it.' },
  // — Asynchronous outcomes (event `reason` subcodes, §10.5): the far side answered —
  { status: '*', code: '*', subcode: 'Declined', action: 'fail', reason: 'The user declined the invitation: resending would pester them.' },
  { status: '*', code: '*', subcode: 'DestinationNotFound', action: 'fail', reason: 'No such SIP user: the address is wrong.' },
  { status: '*', code: '*', subcode: 'Unreachable', action: 'fail', reason: 'Target cannot be reached: report undeliverable to the bot.' },
  { status: '*', code: '*', subcode: 'TemporarilyUnavailable', action: 'fail', reason: 'User offline or unavailable: report to the bot, which decides whether to try later.' },
  { status: '*', code: '*', subcode: 'NotAllowed', action: 'fail', reason: 'Policy refuses the conversation: permanent.' },
  { status: '*', code: '*', subcode: 'FederationRequired', action: 'fail', reason: 'Target is in a non-federated domain: configuration, permanent.' },
  { status: '*', code: '*', subcode: 'ConversationNotFound', action: 'fail', reason: 'The conversation ended server-side: the client re-opens it, a resend to the old one fails.' },
  { status: '*', code: '*', subcode: 'Timeout', action: 'fail', reason: 'Event reason: the invitation or message got no answer in time (§10.5); resending re-invites, so report it to the bot.' },
  { status: '*', code: '*', subcode: 'AnotherOperationPending', action: 'retry', ...STATE, reason: 'Another operation of this kind is still running: wait, then retry.' },
  { status: '*', code: '*', subcode: 'MobileApplicationNoLongerAllowed', action: 'fail', reason: 'User may no longer use this kind of application: policy refusal, stop and alert.' },
  // — Authentication (AuthenticationInUCWA.md, §3). OAuth errors carry no subcode and are keyed on any status: the
  // docs say 400, but a token service answering 401 must not be mistaken for an expired UCWA token. —
  { status: 401, code: '*', subcode: '*', action: 'refreshToken', maxAttempts: 2, reason: 'Token missing, expired or replaced: get a new token and replay once; a second 401 means the credentials are refused.' },
  { status: '*', code: 'invalid_grant', subcode: null, action: 'fail', reason: 'OAuth: username or password refused (§3.4); fix the credentials.' },
  { status: '*', code: 'invalid_request', subcode: null, action: 'fail', reason: 'OAuth: malformed token request, a client bug.' },
  { status: '*', code: 'unsupported_grant_type', subcode: null, action: 'fail', reason: 'OAuth: the server does not offer this grant; configure another token source.' },
  { status: '*', code: 'invalid_scope', subcode: null, action: 'fail', reason: 'OAuth: scope refused; configuration.' },
  { status: '*', code: 'server_error', subcode: null, action: 'retry', ...TRANSIENT, reason: 'OAuth: the token service failed internally; transient.' },
  // — Request errors (GenericSynchronousErrors.md): resending the same request cannot succeed —
  { status: 400, code: 'BadRequest', subcode: null, action: 'fail', reason: 'Malformed request: a client bug; the same bytes fail again.' },
  { status: 400, code: 'BadRequest', subcode: 'DeserializationFailure', action: 'fail', reason: 'Body could not be parsed: a client bug; do not resend unchanged.' },
  { status: 400, code: 'BadRequest', subcode: 'ParameterValidationFailure', action: 'fail', reason: 'Invalid or missing input (listed in `parameters`): fix the input.' },
  { status: 400, code: '*', subcode: '*', action: 'fail', reason: 'Any other 400 (e.g. NormalizationFailed): the request itself is wrong.' },
  { status: 403, code: '*', subcode: '*', action: 'fail', reason: 'Forbidden by policy or origin check: permanent for this user; alert an operator.' },
  { status: 404, code: 'NotFound', subcode: null, action: 'fail', reason: 'ResourceNotFound: the conversation, invitation or message is gone; a dead href stays dead.' },
  { status: 404, code: 'NotFound', subcode: 'APIVersionNotSupported', action: 'fail', reason: 'Requested API revision unavailable (Versioning): configuration.' },
  { status: 404, code: '*', subcode: '*', action: 'fail', reason: 'Any other 404 (proxy page, unknown subcode): the target is gone.' },
  { status: 405, code: '*', subcode: '*', action: 'fail', reason: 'Method not allowed: a client bug.' },
  { status: 406, code: '*', subcode: '*', action: 'fail', reason: 'Not acceptable: the Accept header is wrong, a client bug.' },
  { status: 408, code: '*', subcode: '*', action: 'retry', ...TRANSIENT, reason: 'ClientTimeout: the server stopped waiting for our body; transient.' },
  { status: 412, code: '*', subcode: '*', action: 'fail', reason: 'ETag mismatch: re-GET, then PUT; a blind resend fails again.' },
  { status: 413, code: '*', subcode: '*', action: 'fail', reason: 'EntityTooLarge: the client splits long messages before sending; this body will never fit.' },
  { status: 415, code: '*', subcode: '*', action: 'fail', reason: 'UnsupportedMediaType (e.g. HTML not negotiated): fall back to text/plain, do not resend.' },
  { status: 428, code: '*', subcode: '*', action: 'fail', reason: 'PUT without If-Match: a client bug.' },
  // — Conflicts (409): the subcode decides —
  { status: 409, code: 'Conflict', subcode: 'AlreadyExists', action: 'succeeded', reason: 'On a retry with the same operationId the first attempt landed (our reading, §8.4; the delivery event is the primary proof); on a first attempt it is a real conflict: fail.' },
  { status: 409, code: 'Conflict', subcode: 'PGetReplaced', action: 'fail', reason: 'Another P-GET replaced ours (Event channel details): the event channel decides whether to stop; never re-poll blindly.' },
  { status: 409, code: 'Conflict', subcode: 'TooManyGroups', action: 'fail', reason: 'Contact-group limit (boilerplate row, §15 item 38): nothing a resend changes.' },
  { status: 409, code: 'Conflict', subcode: 'MakeMeAvailableRequired', action: 'fail', reason: 'makeMeAvailable is missing: the client re-runs it (§10.6); a blind resend fails again.' },
  { status: 409, code: 'Conflict', subcode: null, action: 'retry', ...STATE, maxAttempts: 3, reason: 'Not supported in the current state, e.g. `me` still initialising (§10.6): short, bounded retry.' },
  { status: 409, code: '*', subcode: '*', action: 'fail', reason: 'Any other conflict (LimitExceeded, NoDelegatesConfigured…): state must change first.' },
  // — Application lifetime (ApplicationDashboard.md, §4.4) and Gone —
  { status: 404, code: 'NotFound', subcode: 'ApplicationNotFound', action: 'recreateApplication', maxAttempts: 3, reason: 'Application gone: re-create it (confirm with GET application first, §15 item 36), makeMeAvailable, restart events, replay.' },
  { status: 410, code: 'Gone', subcode: 'InactiveApplicationExpired', action: 'recreateApplication', baseDelayMs: 1_000, maxDelayMs: 1_000, maxAttempts: 3, reason: 'Docs say wait for the user to restart; an unattended bot has no user, so it backs off briefly and re-creates the application.' },
  { status: 410, code: 'Gone', subcode: 'TooManyApplications', action: 'fail', reason: 'Application limit for this user reached: creating another makes it worse; alert an operator.' },
  { status: 410, code: 'Gone', subcode: 'UserAgentNotAllowed', action: 'fail', reason: 'This userAgent is refused: configuration, stop.' },
  { status: 410, code: 'Gone', subcode: 'CannotRedirect', action: 'fail', reason: 'No backup pool configured: Gone must not be retried (ErrorCode_ref.md, §15 item 44).' },
  { status: 410, code: '*', subcode: '*', action: 'fail', reason: 'Any other Gone (including the invitation pages\' 410 for content type): must not be retried.' },
  // — Throttling and server failures —
  { status: 429, code: '*', subcode: '*', action: 'retry', ...THROTTLED, reason: 'TooManyRequests: wait as long as Retry-After says, else back off.' },
  { status: 500, code: 'ServiceFailure', subcode: 'CallbackChannelError', action: 'retry', baseDelayMs: 500, maxDelayMs: 4_000, factor: 2, maxAttempts: 4, reason: 'Server could not reach our event channel, so nothing started: wait (≤ 0.5 s, 1 s, 2 s; ≤ 4 s after other failures) while the P-GET is parked again (first reconnect ≤ 0.1 s), then retry.' },
  { status: 500, code: 'ServiceFailure', subcode: null, action: 'retry', ...TRANSIENT, reason: 'Internal server error: transient; the reused operationId lets the AlreadyExists backstop catch a duplicate.' },
  { status: 500, code: 'ServiceFailure', subcode: 'Timeout', action: 'retry', ...TRANSIENT, reason: 'ServiceTimeout (no status documented, read as 500/Timeout): a back-end timeout, transient.' },
  { status: 500, code: 'ServiceFailure', subcode: 'InvalidExchangeServerVersion', action: 'fail', reason: 'Exchange version unsupported (boilerplate on GET pages): configuration.' },
  { status: 500, code: 'ServiceFailure', subcode: 'ProvisioningDataUnavailable', action: 'retry', ...TRANSIENT, reason: 'Provisioning data not loaded yet (policies): transient.' },
  { status: 500, code: '*', subcode: '*', action: 'retry', ...TRANSIENT, reason: 'Any other 500 (unknown subcode): assume transient, bounded.' },
  { status: 502, code: '*', subcode: '*', action: 'retry', ...TRANSIENT, reason: 'Reverse proxy could not reach the pool (RootURL.md): transient; if it persists the client re-runs discovery.' },
  { status: 503, code: '*', subcode: '*', action: 'retry', ...UNAVAILABLE, reason: 'ServiceUnavailable: a front end busy or restarting; honour Retry-After, else back off from 0.5 s (another pool member may answer).' },
  { status: 504, code: 'Timeout', subcode: '*', action: 'retry', ...TRANSIENT, reason: 'A back-end operation timed out: transient.' },
  { status: 504, code: 'GatewayTimeout', subcode: '*', action: 'retry', ...TRANSIENT, reason: 'GatewayTimeout (contactPhoto spelling of 504): transient.' },
  { status: 504, code: '*', subcode: '*', action: 'retry', ...TRANSIENT, reason: 'A proxy\'s 504 without a UCWA body: transient.' },
  { status: '*', code: 'ServiceTimeout', subcode: '*', action: 'retry', ...TRANSIENT, reason: 'ServiceTimeout sent as a code (generic error list): a back-end timeout, transient.' },
  { status: '*', code: 'ExchangeServiceFailure', subcode: '*', action: 'retry', ...TRANSIENT, reason: 'Exchange back end failed (no HTTP status documented): transient, and irrelevant to IM itself.' },
].map((row) => Object.freeze(row as RetryRule)));

/** @default 10 attempts per logical operation, including the first (9 waits: up to ≈29 s of transient backoff). */
export const DEFAULT_MAX_ATTEMPTS = 10;
/** @default 60 s per logical operation, sleeps and hooks included. */
export const DEFAULT_MAX_ELAPSED_MS = 60_000;

/**
 * Validates user options and merges their rows into the defaults by (status, code, subcode) key: a user row with
 * the key of a default row replaces it in place; a new key is appended. Codes and subcodes compare
 * case-insensitively, and `subcode: 'None'` means `null`.
 *
 * @throws TypeError naming the option path, e.g. "retry.rules[2].action must be one of 'retry', …, got 'again'"
 * @example
 * const policy = resolveRetryRules({ maxAttempts: 4, rules: [
 *   { status: 409, code: 'Conflict', subcode: null, action: 'fail', reason: 'We never see an initialising me' },
 * ] });
 */
export function resolveRetryRules(options?: RetryOptions): ResolvedRetryOptions {
  const valid = validateRetryOptions(options);
  const merged = new Map<string, RetryRule>(RETRY_RULES.map((rule) => [ruleKey(rule), rule]));
  const seen = new Map<string, number>();
  (valid.rules ?? []).forEach((rule, i) => {
    const key = ruleKey(rule);
    const first = seen.get(key);
    if (first !== undefined) {
      throw new TypeError(`retry.rules[${i}] has the same (status, code, subcode) as retry.rules[${first}]; keep one of them`);
    }
    seen.set(key, i);
    merged.set(key, Object.freeze({ ...rule }));
  });
  return Object.freeze({
    rules: Object.freeze([...merged.values()]),
    maxAttempts: valid.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    maxElapsedMs: valid.maxElapsedMs ?? DEFAULT_MAX_ELAPSED_MS,
  });
}
