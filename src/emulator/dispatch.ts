/**
 * Request pipeline: record → route → faults → authenticate → expiry → handler, with every failure turned into
 * a documented error response (PROTOCOL.md §10, §14.7).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Context } from './context.js';
import type { Env } from './env.js';
import type { FaultRegistry } from './faults.js';
import type { Recorder } from './recorder.js';
import type { Router } from './router.js';
import type { FaultSpec } from './types.js';
import { HttpError, resourceNotFound } from './http-error.js';
import { handleDiscovery, matchDiscovery, sendChallenge } from './routes/discovery.js';
import { createApplication } from './routes/application.js';

export type ApiHandler = (ctx: Context) => void | Promise<void>;

export interface DispatchDeps {
  env: Env;
  router: Router;
  faults: FaultRegistry;
  recorder: Recorder;
  api: ApiHandler;
  /** Lets close() cancel fault latencies in flight. */
  timers: Set<ReturnType<typeof setTimeout>>;
}

function readBody(req: IncomingMessage, max: number): Promise<{ body: Buffer; tooLarge: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) tooLarge = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve({ body: tooLarge ? Buffer.alloc(0) : Buffer.concat(chunks), tooLarge }));
    req.on('error', () => resolve({ body: Buffer.alloc(0), tooLarge }));
  });
}

function delay(deps: DispatchDeps, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(() => {
      deps.timers.delete(t);
      resolve();
    }, ms);
    deps.timers.add(t);
  });
}

function methodNotAllowed(allow: string[]): HttpError {
  return new HttpError(405, 'MethodNotAllowed', undefined, `This resource supports ${allow.join(', ')} only.`, undefined, { Allow: allow.join(', ') });
}

/** A fault's error answer: a UCWA JSON body, or an HTML page as a proxy in front of UCWA would send (§10.1). */
function sendFaultError(ctx: Context, fault: FaultSpec): void {
  const e = fault.error!;
  const headers: Record<string, string> = {};
  if (e.retryAfterSeconds !== undefined) headers['Retry-After'] = String(e.retryAfterSeconds);
  if (e.html) {
    ctx.reply(e.status, { 'Content-Type': 'text/html', ...headers }, `<html><head><title>${e.status} Error</title></head><body><h1>${e.status} - proxy error</h1></body></html>`);
    return;
  }
  const code = e.code ?? defaultCode(e.status);
  ctx.error(new HttpError(e.status, code, e.subcode, e.message ?? `Injected fault: ${e.status} ${code}${e.subcode ? `/${e.subcode}` : ''}.`, undefined, headers));
}

function defaultCode(status: number): string {
  const map: Record<number, string> = {
    400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 405: 'MethodNotAllowed', 409: 'Conflict', 410: 'Gone',
    412: 'PreconditionFailed', 413: 'EntityTooLarge', 415: 'UnsupportedMediaType', 428: 'PreconditionRequired', 429: 'TooManyRequests',
    500: 'ServiceFailure', 502: 'ServiceFailure', 503: 'ServiceUnavailable', 504: 'Timeout',
  };
  return map[status] ?? (status >= 500 ? 'ServiceFailure' : 'BadRequest');
}

/**
 * The request target as a URL on this server. Origin-form (`/path?q`) is taken literally, so `//host/x` stays a
 * path (and 404s) instead of being read as a protocol-relative URL; absolute-form (`http://h/path`, RFC 9112
 * §3.2.2) keeps only its path and query. Undefined when the target cannot be parsed.
 */
export function requestUrl(target: string | undefined, origin: string): URL | undefined {
  const base = origin || 'http://localhost';
  const raw = target ?? '/';
  try {
    if (raw.startsWith('/')) return new URL(base + raw);
    const abs = new URL(raw);
    return new URL(base + abs.pathname + abs.search);
  } catch {
    return undefined;
  }
}

/** Last resort when even an error answer could not be written: never leave the client (or the process) hanging. */
function abandon(req: IncomingMessage, res: ServerResponse): void {
  if (!res.headersSent) {
    try {
      res.statusCode = 500;
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.end(JSON.stringify({ code: 'ServiceFailure', message: 'Internal emulator error.' }));
      return;
    } catch {
      /* fall through to destroying the socket */
    }
  }
  req.socket.destroy();
}

/** Handles one request; never rejects (a hostile request must not take the emulator down). */
export async function dispatch(deps: DispatchDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    await dispatchRequest(deps, req, res);
  } catch {
    abandon(req, res);
  }
}

async function dispatchRequest(deps: DispatchDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { env, router, faults, recorder } = deps;
  const parsed = requestUrl(req.url, env.origin);
  if (!parsed) {
    req.resume();
    const body = JSON.stringify({ code: 'BadRequest', message: 'The request target is not a valid URL.' });
    res.writeHead(400, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body), Connection: 'close' });
    res.end(body);
    return;
  }
  const url = parsed;
  const rec = recorder.start(req, url);
  const { body, tooLarge } = await readBody(req, env.opts.maxBodyBytes);
  recorder.setBody(rec, body, String(req.headers['content-type'] ?? ''));
  const ctx = new Context(req, res, url, body, { fqdn: env.fqdn }, rec);
  const method = req.method ?? 'GET';
  try {
    if (url.pathname.startsWith('/_emulator/')) {
      if (rec) rec.resource = 'emulator';
      await deps.api(ctx);
      return;
    }
    const disc = matchDiscovery(env, url.pathname);
    const ucwa = disc ? undefined : router.match(url.pathname);
    const resource = disc?.resource
      ?? (ucwa?.kind === 'applications' ? 'applications' : ucwa ? (ucwa.route.methods[method] ?? Object.values(ucwa.route.methods)[0])?.resource : undefined);
    ctx.resource = resource;
    if (rec) rec.resource = resource;
    const fault = faults.take(resource);
    if (fault?.latencyMs) await delay(deps, fault.latencyMs);
    if (fault?.reset === 'before') {
      if (rec) rec.status = 0;
      req.socket.destroy();
      return;
    }
    if (fault?.error) {
      // A real 401 always carries the challenge (AuthenticationInUCWA.md), so an injected one does too.
      if (fault.error.status === 401 && !fault.error.html) sendChallenge(env, ctx, disc?.pool ?? ucwa?.pool ?? 1);
      else sendFaultError(ctx, fault);
      return;
    }
    if (fault?.reset === 'after') ctx.resetAfter = true;
    if (tooLarge) throw new HttpError(413, 'EntityTooLarge', undefined, `The request body is larger than ${env.opts.maxBodyBytes} bytes.`);
    env.sweep();
    if (disc) {
      handleDiscovery(env, ctx, disc);
      return;
    }
    if (!ucwa) throw resourceNotFound(`${url.pathname}`);
    const user = env.tokens.check(req.headers.authorization, ucwa.pool);
    if (!user) {
      sendChallenge(env, ctx, ucwa.pool);
      return;
    }
    if (ucwa.kind === 'applications') {
      if (method !== 'POST') throw methodNotAllowed(['POST']);
      createApplication({ env, ctx, pool: ucwa.pool, user, app: undefined as never, params: {} });
      return;
    }
    const app = env.liveApp(ucwa.appId ?? '', ucwa.pool, user);
    const allowed = Object.keys(ucwa.route.methods);
    if (allowed.length === 0) throw resourceNotFound(url.pathname);
    const mr = ucwa.route.methods[method];
    if (!mr) throw methodNotAllowed(allowed);
    if (env.opts.eventsBeforeCreated && (resource === 'startMessaging' || resource === 'sendMessage')) ctx.createdAfterEvents = true;
    mr.handler({ env, ctx, pool: ucwa.pool, user, app, params: ucwa.params });
    if (fault?.dropEventChannel && resource === 'events') app.channel.releaseNow(true);
  } catch (err) {
    if (err instanceof HttpError) ctx.error(err);
    else ctx.error(new HttpError(500, 'ServiceFailure', undefined, `Internal emulator error: ${(err as Error).message}`));
  }
}
