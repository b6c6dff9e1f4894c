/**
 * The host's HTTP routes, as ONE table. Handlers are plain functions of a small request object, independent of
 * restify, so they are unit-tested without a server. Adding an endpoint (such as the alert-relay webhook) is
 * adding a row: `[...createRoutes(deps), { method: 'POST', path: '/api/alerts', summary: '...', handler }]`.
 */
import type { PrometheusMetrics } from './metrics.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** What a handler sees of the HTTP request. */
export interface RouteRequest {
  readonly method: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string | string[]>>;
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Parsed JSON body (POST/PUT), or undefined. */
  readonly body: unknown;
}

/** What a handler answers: a string body is sent as is, anything else as JSON. */
export interface RouteResponse {
  status: number;
  body?: unknown;
  /** @default 'application/json; charset=utf-8' for objects, 'text/plain; charset=utf-8' for strings */
  contentType?: string;
  headers?: Record<string, string>;
}

export interface Route {
  method: HttpMethod;
  /** restify path syntax (`/api/alerts/:id`). */
  path: string;
  /** One line, listed in `manifest/bot.json` `endpoints`. */
  summary: string;
  handler(request: RouteRequest): RouteResponse | Promise<RouteResponse>;
}

/** Whether the bot can take work, and why not. */
export interface Readiness {
  ready: boolean;
  reason?: string;
}

export interface RouteDeps {
  /** Asked on every `GET /readyz`. */
  readiness(): Readiness;
  metrics: PrometheusMetrics;
}

/**
 * The built-in routes: liveness, readiness, metrics.
 * @example createHost({ routes: createRoutes({ readiness, metrics }), ... })
 */
export function createRoutes(deps: RouteDeps): Route[] {
  return [
    {
      method: 'GET',
      path: '/healthz',
      summary: 'Liveness: 200 while the process is up.',
      handler: () => ({ status: 200, body: { status: 'ok' } }),
    },
    {
      method: 'GET',
      path: '/readyz',
      summary: 'Readiness: 200 when signed in to UCWA with a live event channel, else 503 with the reason.',
      handler: () => {
        const { ready, reason } = deps.readiness();
        return ready
          ? { status: 200, body: { status: 'ready' } }
          : { status: 503, body: { status: 'not ready', reason: reason ?? 'unknown' } };
      },
    },
    {
      method: 'GET',
      path: '/metrics',
      summary: 'Prometheus metrics: messages in and out, retries, event-channel reconnects, send latency.',
      handler: async () => ({ status: 200, body: await deps.metrics.metrics(), contentType: deps.metrics.contentType }),
    },
  ];
}

/** The subset of the UCWA client/adapter state that readiness depends on (`UcwaClientLike.state`). */
export interface ReadinessSource {
  readonly state: string;
  readonly notReadyReason?: string;
}

/**
 * Readiness from the adapter's client state: ready only in `ready` (signed in, event channel pending).
 * @param source a getter, since the adapter may not exist yet when the host starts
 */
export function readinessFrom(source: () => ReadinessSource | undefined, stopping: () => boolean = () => false): () => Readiness {
  return () => {
    if (stopping()) return { ready: false, reason: 'shutting down' };
    const s = source();
    if (!s) return { ready: false, reason: 'starting: not signed in yet' };
    if (s.state === 'ready') return { ready: true };
    return { ready: false, reason: s.notReadyReason ?? `UCWA connection is ${s.state}` };
  };
}
