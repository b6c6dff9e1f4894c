/**
 * The HTTP transport under the UCWA client: node-fetch 3 with one keep-alive agent per UCWA origin for
 * commands and a separate one for the event channel, so the parked P-GET never makes a send wait for a
 * socket (PROTOCOL.md §6.1). Failures without a response become `UcwaError` with status 0.
 */
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import type { ClientRequest } from 'node:http';
import nodeFetch from 'node-fetch';
import type { RequestInit, Response } from 'node-fetch';
import { CONNECTION_RESET_CODES, UcwaError, describeFailure } from './errors.js';
import { createTunnelAgent } from './proxy-agent.js';
import type { Logger } from './types.js';

export type FetchLike = typeof nodeFetch;
export type Channel = 'command' | 'events';

export interface HttpTransportOptions {
  fetch?: FetchLike;
  ca?: string | string[];
  proxy?: string;
  /** Hosts (or parent domains) that bypass the proxy; loopback always does. */
  noProxy?: readonly string[];
  logger: Logger;
  /**
   * A reset on a reused socket that had been idle this long is the server's idle close racing our request:
   * resent transparently even for a POST (nothing was processed). Shorter idles are resent only when idempotent.
   * @default 2000 (servers close idle keep-alive sockets after 5 s or more)
   */
  idleCloseMs?: number;
  /** Injected clock for tests. */
  now?: () => number;
}

export interface RawRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  channel?: Channel;
  timeoutMs: number;
  signal?: AbortSignal;
  /** The UCWA resource name, for errors and logs. */
  resource: string;
  /** Safe to resend after a connection reset on a reused keep-alive socket. */
  idempotent: boolean;
}

/** Network codes that prove nothing reached the server: the outcome is certain (not sent). */
const NOT_SENT = new Set([
  'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPROXYCONNECT', 'ERR_TLS_CERT_ALTNAME_INVALID',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'CERT_HAS_EXPIRED',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'ERR_SSL_WRONG_VERSION_NUMBER',
]);
/**
 * Operations whose outcome the event channel proves (their POST carries an operationId, OperationResource.md).
 * A reset on them is never resent blindly, whatever the socket's idle time: a server that processed the request
 * and then reset the connection would deliver the message twice. The retry layer settles it with confirmDelivery
 * (the delivery event, or the measured wait), which costs a little latency in the rare idle-close race instead.
 */
const PROVEN_BY_EVENTS = new Set(['sendMessage', 'startMessaging', 'addMessaging']);

type TrackedAgent = http.Agent & { lastRequest?: ClientRequest };
const FREE_SINCE = Symbol('freeSince');
const IDLE_MS = Symbol('idleMs');
type Tagged = { [FREE_SINCE]?: number; [IDLE_MS]?: number };

/**
 * Records the ClientRequest node-fetch creates (so a reset can be checked against `req.reusedSocket`) and how
 * long a reused socket had been idle in the pool (a server closes idle keep-alive sockets after its timeout).
 */
function tracking<T extends http.Agent>(agent: T, now: () => number): T & TrackedAgent {
  const tracked = agent as T & TrackedAgent & { addRequest(req: ClientRequest, options: unknown): void };
  const original = tracked.addRequest.bind(tracked);
  tracked.addRequest = (req: ClientRequest, options: unknown) => {
    tracked.lastRequest = req;
    original(req, options);
  };
  tracked.on('free', (socket: Tagged) => {
    socket[FREE_SINCE] = now();
  });
  const reuse = tracked.reuseSocket.bind(tracked);
  tracked.reuseSocket = (socket, req) => {
    const since = (socket as Tagged)[FREE_SINCE];
    (req as Tagged)[IDLE_MS] = since === undefined ? 0 : now() - since;
    reuse(socket, req);
  };
  return tracked;
}

export class HttpTransport {
  private readonly fetch: FetchLike;
  private readonly agents = new Map<string, TrackedAgent>();
  private readonly ca?: string[];
  /** Connection resets answered with a transparent resend (for tests and metrics). */
  transparentRetries = 0;

  constructor(private readonly options: HttpTransportOptions) {
    this.fetch = options.fetch ?? nodeFetch;
    if (options.ca !== undefined) {
      // `ca` replaces Node's roots, so keep them and add the internal PKI on top.
      this.ca = [...tls.rootCertificates, ...(Array.isArray(options.ca) ? options.ca : [options.ca])];
    }
  }

  /** The keep-alive agent of an origin and channel (created on first use). */
  agentFor(url: URL, channel: Channel): TrackedAgent {
    const key = `${channel} ${url.protocol}//${url.host}`;
    let agent = this.agents.get(key);
    if (!agent) {
      const common = { keepAlive: true, ca: this.ca, maxFreeSockets: channel === 'events' ? 1 : 32 };
      const useProxy = this.options.proxy && !this.bypassProxy(url.hostname);
      const base = useProxy
        ? createTunnelAgent({ ...common, proxy: this.options.proxy!, targetTls: url.protocol === 'https:' })
        : url.protocol === 'https:' ? new https.Agent(common) : new http.Agent(common);
      agent = tracking(base, this.options.now ?? Date.now);
      this.agents.set(key, agent);
    }
    return agent;
  }

  /** NO_PROXY semantics: exact host or parent domain, `*` for all; loopback bypasses unless `noProxy` is given. */
  private bypassProxy(hostname: string): boolean {
    const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
    const list = this.options.noProxy ?? ['localhost', '127.0.0.1', '::1'];
    return list.some((d) => {
      const domain = d.toLowerCase().replace(/^\*?\./, '').replace(/^\[|\]$/g, '');
      return domain === '*' || h === domain || h.endsWith('.' + domain);
    });
  }

  /** Send one request (no redirects followed: the caller checks each hop). Throws UcwaError status 0 on no response. */
  async send(req: RawRequest): Promise<Response> {
    try {
      return await this.sendOnce(req);
    } catch (err) {
      const blindResendSafe = req.idempotent || (!PROVEN_BY_EVENTS.has(req.resource) && err instanceof ResetOnReusedSocket && err.idleMs >= (this.options.idleCloseMs ?? 2000));
      if (err instanceof ResetOnReusedSocket && blindResendSafe) {
        // A keep-alive socket the server closed while idle: nothing was processed, resend once (Node http docs,
        // `request.reusedSocket`). A POST on a socket reused soon after its last answer may have been processed
        // and reset afterwards: it surfaces as uncertain and the retry layer settles it with confirmDelivery.
        this.transparentRetries++;
        this.options.logger.debug({ resource: req.resource, method: req.method }, 'ucwa:client keep-alive socket was closed by the server; resending');
        try {
          return await this.sendOnce(req);
        } catch (again) {
          throw again instanceof ResetOnReusedSocket ? again.error : again;
        }
      }
      throw err instanceof ResetOnReusedSocket ? err.error : err;
    }
  }

  private async sendOnce(req: RawRequest): Promise<Response> {
    const url = new URL(req.url);
    const agent = this.agentFor(url, req.channel ?? 'command');
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, req.timeoutMs);
    const onAbort = () => controller.abort();
    req.signal?.addEventListener('abort', onAbort, { once: true });
    const init: RequestInit = {
      method: req.method,
      headers: req.headers,
      body: req.body,
      redirect: 'manual',
      agent,
      signal: controller.signal as RequestInit['signal'],
      compress: true,
    };
    agent.lastRequest = undefined;
    const pending = this.fetch(req.url, init);
    const clientRequest = agent.lastRequest as ClientRequest | undefined;
    try {
      return await pending;
    } catch (error) {
      const mapped = this.toNetworkError(error, req, timedOut, req.signal?.aborted ?? false);
      if (clientRequest?.reusedSocket && CONNECTION_RESET_CODES.has(mapped.subcode ?? '')) throw new ResetOnReusedSocket(mapped, (clientRequest as Tagged)[IDLE_MS] ?? 0);
      throw mapped;
    } finally {
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
    }
  }

  private toNetworkError(error: unknown, req: RawRequest, timedOut: boolean, aborted: boolean): UcwaError {
    const err = error as { code?: string; errno?: string; name?: string; message?: string; cause?: { code?: string } };
    const path = safePath(req.url);
    let code = 'LocalFailure';
    let subcode = err.code ?? err.cause?.code ?? err.errno ?? (err.name === 'AbortError' ? 'ABORT_ERR' : 'UNKNOWN');
    if (timedOut) {
      code = 'Timeout';
      subcode = 'ETIMEDOUT';
    } else if (aborted) subcode = 'ABORT_ERR';
    if (/socket hang up/i.test(err.message ?? '') && subcode === 'UNKNOWN') subcode = 'ECONNRESET';
    const uncertain = !NOT_SENT.has(subcode);
    return new UcwaError(
      describeFailure(req.method, path, 0, code, subcode),
      0,
      code,
      subcode,
      { source: 'network', resource: req.resource, request: { method: req.method, url: redactUrl(req.url) }, networkCode: subcode, uncertain },
      { cause: error },
    );
  }

  /** Close every pooled socket (call on stop, and in test teardown). */
  destroy(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }
}

class ResetOnReusedSocket extends Error {
  constructor(readonly error: UcwaError, readonly idleMs: number) {
    super(error.message);
  }
}

/** The path (without query) of a URL, for messages. */
export function safePath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '(invalid url)';
  }
}

/** A URL with token-like query parameters removed, for error details (STYLE.md §4). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    for (const name of [...u.searchParams.keys()]) {
      if (/token|cwt|password|secret|sig/i.test(name)) u.searchParams.set(name, '[REDACTED]');
    }
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return '(invalid url)';
  }
}
