/**
 * One UCWA request: scheme check, bearer token only for allowed hosts, redirects followed by hand so that
 * `Authorization` is re-decided for every hop (it never follows a 3xx to another domain, PROTOCOL.md §2.4),
 * one token refresh and replay on 401 (§3.5), and every failure turned into a `UcwaError`.
 */
import type { Response } from 'node-fetch';
import type { Authenticator } from './auth.js';
import { UcwaError, describeFailure } from './errors.js';
import type { Channel, HttpTransport } from './http.js';
import { redactUrl, safePath } from './http.js';
import { resolveHref } from './links.js';
import { toUcwaError } from './response-error.js';
import { TokenGuardError } from './token-guard.js';
import type { TokenGuard } from './token-guard.js';
import type { Logger } from './types.js';
import type { Resource } from './wire-types.js';
import { findMsRtcOAuthChallenge } from './www-authenticate.js';

export const MAX_REDIRECTS = 5;

/** 401 errors this layer already answered with a token refresh and a replay (see `refreshedFor401`). */
const refreshedErrors = new WeakSet<UcwaError>();

/**
 * True when this 401 came back although the request was already replayed with a fresh token: the retry table's
 * refreshToken row has nothing left to try (at most one refresh per 401 per operation, issue #4).
 */
export function refreshedFor401(error: UcwaError): boolean {
  return refreshedErrors.has(error);
}

export interface UcwaRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Absolute URL (resolve hrefs with `resolveHref` against the right base first). */
  url: string;
  /** UCWA resource name for errors, metrics and logs (`sendMessage`, `events`, ...). */
  resource: string;
  /** JSON body (serialised here) or a raw string with `contentType`. */
  json?: unknown;
  text?: string;
  contentType?: string;
  channel?: Channel;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Send the bearer token (to allowed hosts only). @default true */
  auth?: boolean;
  /** A POST that may be resent after a reset on an idle keep-alive socket. GET/PUT/DELETE always may. */
  idempotent?: boolean;
  /** Extra headers (never Authorization). */
  headers?: Record<string, string>;
}

export interface UcwaResponse {
  status: number;
  /** The URL that answered (after redirects): the base for relative discovery hrefs. */
  url: string;
  headers: Response['headers'];
  /** Parsed JSON body, when there was one. */
  body?: Resource;
  /** `Location` resolved against the response URL. */
  location?: string;
}

export interface UcwaHttpOptions {
  transport: HttpTransport;
  guard: TokenGuard;
  auth: Authenticator;
  logger: Logger;
  userAgent: string;
  timeoutMs: number;
}

export class UcwaHttp {
  constructor(private readonly options: UcwaHttpOptions) {}

  get guard(): TokenGuard {
    return this.options.guard;
  }

  async request(req: UcwaRequest): Promise<UcwaResponse> {
    let url = req.url;
    let method: string = req.method;
    let body = req.json !== undefined ? JSON.stringify(req.json) : req.text;
    let contentType = req.json !== undefined ? 'application/json' : req.contentType;
    let refreshed = false;
    let sentAuthorization: string | undefined;
    for (let hop = 0; ; ) {
      this.assertTransport(url, method, req.resource);
      const headers: Record<string, string> = { Accept: 'application/json', 'User-Agent': this.options.userAgent, ...req.headers };
      if (body !== undefined) headers['Content-Type'] = contentType ?? 'text/plain; charset=UTF-8';
      else if (method === 'POST') headers['Content-Length'] = '0';
      if (req.auth !== false && this.options.guard.mayReceiveToken(url)) {
        const authorization = await this.options.auth.authorization();
        if (authorization) headers['Authorization'] = authorization;
        sentAuthorization = authorization;
      }
      const started = Date.now();
      const response = await this.options.transport.send({
        method, url, headers, body, resource: req.resource, channel: req.channel, signal: req.signal,
        timeoutMs: req.timeoutMs ?? this.options.timeoutMs,
        idempotent: method !== 'POST' || req.idempotent === true,
      });
      this.options.logger.debug({ method, path: safePath(url), status: response.status, resource: req.resource, ms: Date.now() - started }, 'ucwa:client request');
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.arrayBuffer().catch(() => undefined);
        if (++hop > MAX_REDIRECTS) {
          throw new UcwaError(`${describeFailure(method, safePath(url), response.status, 'TooManyRedirects')}: more than ${MAX_REDIRECTS} redirects`, response.status, 'TooManyRedirects', undefined, { source: 'http', resource: req.resource, request: { method, url: redactUrl(url) } });
        }
        const target = resolveHref(location, url);
        if (!this.options.guard.isAllowedHost(new URL(target).hostname)) {
          // RootURL.md: a redirect to another domain is a failed attempt; never follow it (with or without the token).
          throw new UcwaError(
            `${describeFailure(method, safePath(url), response.status, 'RedirectNotAllowed')}: redirect to ${new URL(target).host} is outside allowedDomains (${this.options.guard.allowedDomains.join(', ')})`,
            response.status, 'Forbidden', 'RedirectNotAllowed', { source: 'http', resource: req.resource, request: { method, url: redactUrl(url) }, uncertain: false },
          );
        }
        url = target;
        if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
          method = 'GET';
          body = undefined;
          contentType = undefined;
        }
        continue;
      }
      if (response.status === 401) {
        const raw = (response.headers as unknown as { raw?: () => Record<string, string[]> }).raw?.()['www-authenticate'] ?? response.headers.get('www-authenticate');
        const challenge = findMsRtcOAuthChallenge(raw);
        // Only a host that may hold the token may tell us where to get one (§2.4 (d)).
        if (challenge && this.options.guard.mayReceiveToken(url)) this.options.auth.setChallenge({ ...challenge, href: resolveHref(challenge.href, url) });
        if (!refreshed && req.auth !== false && this.options.guard.mayReceiveToken(url) && this.options.auth.canAcquire) {
          refreshed = true;
          await response.arrayBuffer().catch(() => undefined);
          await this.refreshAfter401(sentAuthorization);
          continue;
        }
      }
      if (!response.ok) {
        const error = await toUcwaError(response, { method, url }, req.resource);
        if (response.status === 401 && refreshed) refreshedErrors.add(error);
        throw error;
      }
      return { status: response.status, url, headers: response.headers, body: await this.parseBody(response, method, url, req.resource), location: location ? resolveHref(location, url) : undefined };
    }
  }

  /**
   * One token for every request that met the same expiry: when the token was already replaced since this request
   * was sent (another request's 401 got there first), replay with the new one instead of refreshing again; while a
   * refresh is in flight, `auth.refresh()` joins it (single flight). So one expiry costs one token request.
   */
  private async refreshAfter401(sentAuthorization: string | undefined): Promise<void> {
    const current = await this.options.auth.authorization();
    if (current !== undefined && current !== sentAuthorization) return;
    await this.options.auth.refresh();
  }

  private assertTransport(url: string, method: string, resource: string): void {
    try {
      this.options.guard.assertTransport(url);
    } catch (err) {
      if (!(err instanceof TokenGuardError)) throw err;
      throw new UcwaError(`${method} ${safePath(url)} refused: ${err.message}`, 0, 'LocalFailure', 'InsecureTransport', { source: 'network', resource, request: { method, url: redactUrl(url) }, uncertain: false }, { cause: err });
    }
  }

  private async parseBody(response: Response, method: string, url: string, resource: string): Promise<Resource | undefined> {
    const text = await response.text();
    if (text.trim().length === 0) return undefined;
    const ct = response.headers.get('content-type') ?? '';
    if (!/json/i.test(ct)) return undefined;
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Resource;
      throw new Error('not a JSON object');
    } catch (cause) {
      throw new UcwaError(`${method} ${safePath(url)}: malformed JSON body (${response.status})`, response.status, 'ServiceFailure', 'MalformedBody', { source: 'http', resource, request: { method, url: redactUrl(url) }, uncertain: false }, { cause });
    }
  }
}
