/**
 * FakeTransport: a scripted `fetch` for UcwaClient unit tests (STYLE.md §8 "fakes over mocks"). Records a request
 * log (`"GET /ucwa/.../events?ack=3"`) and answers from a route function or a queue of scripted responses.
 */
import { Response } from 'node-fetch';
import type { FetchLike } from '../../../src/ucwa/http.js';
import type { Logger } from '../../../src/ucwa/types.js';

export interface FakeRequest {
  method: string;
  url: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body?: string;
}

export interface Scripted {
  status?: number;
  headers?: Record<string, string | string[]>;
  json?: unknown;
  body?: string;
  /** Reject like node-fetch does for a network failure, with this code. */
  networkError?: string;
  /** Never answer until the request's signal aborts. */
  hang?: boolean;
}

export type Route = (req: FakeRequest) => Scripted | undefined | Promise<Scripted | undefined>;

export class FakeTransport {
  readonly requests: FakeRequest[] = [];
  private readonly queue: Scripted[];

  constructor(private readonly route: Route = () => undefined, queue: Scripted[] = []) {
    this.queue = [...queue];
  }

  /** `"METHOD /path?query"` per request, in order. */
  get log(): string[] {
    return this.requests.map((r) => {
      const u = new URL(r.url);
      return `${r.method} ${u.host === 'fake' ? '' : u.host}${u.pathname}${u.search}`;
    });
  }

  readonly fetch: FetchLike = (async (input: unknown, init?: { method?: string; headers?: Record<string, string>; body?: unknown; signal?: AbortSignal }) => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(init?.headers ?? {})) headers[k.toLowerCase()] = String(v);
    const req: FakeRequest = { method: init?.method ?? 'GET', url: String(input), headers, body: typeof init?.body === 'string' ? init.body : undefined };
    this.requests.push(req);
    // Like node-fetch: an abort rejects at once, whatever the server is doing.
    const aborted = new Promise<never>((_, reject) => {
      const signal = init?.signal;
      const abort = () => reject(Object.assign(new Error('The operation was aborted.'), { name: 'AbortError', type: 'aborted' }));
      if (signal?.aborted) abort();
      signal?.addEventListener('abort', abort, { once: true });
    });
    aborted.catch(() => undefined);
    const answered = Promise.resolve(this.route(req)).then((s) => s ?? this.queue.shift() ?? { status: 404, json: { code: 'NotFound' } });
    const scripted = await Promise.race([answered, aborted]);
    if (scripted.hang) await aborted;
    if (scripted.networkError) throw Object.assign(new Error(`request to ${req.url} failed, reason: ${scripted.networkError}`), { name: 'FetchError', type: 'system', code: scripted.networkError, errno: scripted.networkError });
    const h = new Map<string, string | string[]>(Object.entries(scripted.headers ?? {}));
    let body = scripted.body;
    if (scripted.json !== undefined) {
      body = JSON.stringify(scripted.json);
      if (!h.has('content-type')) h.set('content-type', 'application/json; charset=utf-8');
    }
    const pairs: [string, string][] = [];
    for (const [k, v] of h) for (const one of Array.isArray(v) ? v : [v]) pairs.push([k, one]);
    return new Response(body ?? '', { status: scripted.status ?? 200, headers: pairs });
  }) as unknown as FetchLike;
}

/** A logger that records entries, for asserting that something was logged (and that secrets were not). */
export function createFakeLogger(): Logger & { entries: { level: string; obj: unknown; msg?: string }[]; text(): string } {
  const entries: { level: string; obj: unknown; msg?: string }[] = [];
  const make = (level: string) => (obj: object | string, msg?: string) => {
    entries.push({ level, obj, msg });
  };
  return {
    entries,
    debug: make('debug'), info: make('info'), warn: make('warn'), error: make('error'),
    text: () => entries.map((e) => `${e.level} ${JSON.stringify(e.obj)} ${e.msg ?? ''}`).join('\n'),
  };
}
