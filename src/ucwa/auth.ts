/**
 * Token acquisition and refresh (PROTOCOL.md §3). The password grant is form-encoded to the challenge's
 * `href`; a `token` callback is the alternative for any other source. There is no refresh_token on-premises,
 * so refreshing means running the grant again (§3.5), proactively at ~80 % of `expires_in` and once after a 401.
 * Tokens and passwords never reach a log line or an error message.
 */
import { UcwaError, describeFailure } from './errors.js';
import type { HttpTransport } from './http.js';
import { redactUrl, safePath } from './http.js';
import { toUcwaError } from './response-error.js';
import type { TokenGuard } from './token-guard.js';
import type { Logger } from './types.js';
import type { MsRtcOAuthChallenge } from './www-authenticate.js';
import type { TokenErrorResponse, TokenResponse } from './wire-types.js';

export interface AuthenticatorOptions {
  username?: string;
  password?: string;
  token?: () => Promise<string>;
  transport: HttpTransport;
  guard: TokenGuard;
  logger: Logger;
  userAgent: string;
  now?: () => number;
  /** Fraction of `expires_in` after which the token is refreshed before use. @default 0.8 */
  refreshRatio?: number;
  timeoutMs: number;
}

const OAUTH_HINTS: Record<string, string> = {
  invalid_grant: 'the server rejected the credentials: check `username` and `password` (not retried, to avoid an account lockout)',
  unsupported_grant_type: 'the server does not accept the password grant for this user',
  invalid_request: 'the token request was malformed or missing a parameter',
  invalid_scope: 'the requested scope is not allowed',
  server_error: 'the token service failed; try again later',
};

export class Authenticator {
  private challenge?: MsRtcOAuthChallenge;
  private current?: { value: string; obtainedAt: number; expiresInMs?: number };
  private inflight?: Promise<void>;
  private readonly now: () => number;
  /** Tokens obtained so far (for metrics and tests; never the values). */
  acquisitions = 0;

  constructor(private readonly options: AuthenticatorOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Remember the MsRtcOAuth challenge of a 401 (its href resolved by the caller). */
  setChallenge(challenge: MsRtcOAuthChallenge): void {
    this.challenge = challenge;
  }

  get hasToken(): boolean {
    return this.current !== undefined;
  }

  /** True when the token can be (re)acquired: a callback, or a password grant with a known challenge. */
  get canAcquire(): boolean {
    return this.options.token !== undefined || this.challenge !== undefined;
  }

  /** The Authorization header value, refreshing first when the token is past ~80 % of its lifetime. */
  async authorization(): Promise<string | undefined> {
    if (this.current && this.isStale()) {
      await this.refresh().catch((err: unknown) => {
        this.options.logger.warn({ err: describe(err) }, 'ucwa:client proactive token refresh failed; using the current token');
      });
    }
    return this.current ? `Bearer ${this.current.value}` : undefined;
  }

  private isStale(): boolean {
    const c = this.current;
    if (!c?.expiresInMs) return false;
    return this.now() - c.obtainedAt >= c.expiresInMs * (this.options.refreshRatio ?? 0.8);
  }

  /** Get a new token (single flight: concurrent callers share one grant). */
  refresh(): Promise<void> {
    this.inflight ??= this.acquire().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  /** Forget the current token (after sign-out or a rejected token). */
  invalidate(): void {
    this.current = undefined;
  }

  private async acquire(): Promise<void> {
    if (this.options.token) {
      const value = await callTokenSource(this.options.token);
      this.current = { value: value.replace(/^Bearer\s+/i, ''), obtainedAt: this.now() };
      this.acquisitions++;
      return;
    }
    const challenge = this.challenge;
    if (!challenge) throw new Error('No MsRtcOAuth challenge received yet: cannot request a token');
    if (challenge.grantTypes.length > 0 && !challenge.grantTypes.includes('password')) {
      throw new UcwaError(
        `The server does not offer the password grant (grant_type="${challenge.grantTypes.join(',')}"): use the \`token\` option`,
        401, 'Unauthorized', 'PasswordGrantNotOffered', { source: 'oauth', resource: 'token', request: { method: 'POST', url: redactUrl(challenge.href) } },
      );
    }
    if (!this.options.guard.mayReceiveToken(challenge.href)) {
      throw new UcwaError(
        `Refusing to send the password to ${new URL(challenge.href).host}: the token endpoint is outside allowedDomains (${this.options.guard.allowedDomains.join(', ')})`,
        0, 'Forbidden', 'DomainNotAllowed', { source: 'oauth', resource: 'token', request: { method: 'POST', url: redactUrl(challenge.href) }, uncertain: false },
      );
    }
    const body = new URLSearchParams({ grant_type: 'password', username: this.options.username ?? '', password: this.options.password ?? '' }).toString();
    const request = { method: 'POST', url: challenge.href };
    const response = await this.options.transport.send({
      ...request,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8', Accept: 'application/json', 'User-Agent': this.options.userAgent },
      body,
      resource: 'token',
      timeoutMs: this.options.timeoutMs,
      idempotent: true,
    });
    if (response.status === 400 || response.status === 401) {
      const text = await response.text().catch(() => '');
      let error: TokenErrorResponse | undefined;
      try {
        error = JSON.parse(text) as TokenErrorResponse;
      } catch {
        error = undefined;
      }
      // The OAuth `error` value is the code (not a UCWA error body, §3.4), so the retry table can key on it.
      const code = typeof error?.error === 'string' && error.error ? error.error : 'invalid_request';
      const hint = OAUTH_HINTS[code] ?? 'the token service refused the request';
      throw new UcwaError(
        `${describeFailure('POST', safePath(challenge.href), response.status, code)}: ${hint}`,
        response.status, code, undefined,
        { source: 'oauth', resource: 'token', request: { method: 'POST', url: redactUrl(challenge.href) }, diagnostics: response.headers.get('x-ms-diagnostics') ?? undefined },
      );
    }
    if (!response.ok) throw await toUcwaError(response, request, 'token', { source: 'oauth' });
    const json = (await response.json().catch(() => undefined)) as Partial<TokenResponse> | undefined;
    if (!json || typeof json.access_token !== 'string' || json.access_token.length === 0) {
      throw new UcwaError('POST ' + safePath(challenge.href) + ' returned no access_token', response.status, 'ServiceFailure', 'MalformedTokenResponse', { source: 'oauth', resource: 'token' });
    }
    const expiresIn = Number(json.expires_in);
    this.current = { value: json.access_token, obtainedAt: this.now(), expiresInMs: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn * 1000 : undefined };
    this.acquisitions++;
    this.options.logger.debug({ expiresIn: json.expires_in }, 'ucwa:client token acquired');
  }
}

/**
 * What the `token` callback returned, or a UcwaError (status 0, LocalFailure: the retry table backs off and tries
 * again, as for any local failure) naming the callback. Its own error is kept as `cause`; only its name and message
 * are quoted, never a returned value (which would be a token).
 */
async function callTokenSource(source: () => Promise<string>): Promise<string> {
  let value: unknown;
  try {
    value = await source();
  } catch (cause) {
    const why = cause instanceof Error ? `${cause.name}: ${cause.message}` : typeof cause;
    throw new UcwaError(`The \`token\` callback failed (${why}): fix the token source`, 0, 'LocalFailure', 'TokenCallbackFailed', { source: 'oauth', resource: 'token', uncertain: false }, { cause });
  }
  if (typeof value !== 'string' || value.trim().length === 0) {
    throw new UcwaError(`The \`token\` callback must resolve to a non-empty access token string, got ${value === '' ? 'an empty string' : typeof value}`, 0, 'LocalFailure', 'TokenCallbackInvalid', { source: 'oauth', resource: 'token', uncertain: false });
  }
  return value;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
