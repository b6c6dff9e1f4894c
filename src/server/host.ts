/**
 * The HTTP host: a restify server that serves the route table (routes.ts). restify is an implementation detail:
 * routes never see it. Graceful: `stop()` stops accepting connections, lets in-flight requests finish, then closes
 * idle keep-alive sockets.
 */
import restify from 'restify';
import type { Server, Request, Response } from 'restify';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../ucwa/types.js';
import type { Route, RouteRequest, RouteResponse } from './routes.js';

export interface HostOptions {
  routes: readonly Route[];
  /** 0 picks a free port. */
  port: number;
  host: string;
  /** A pino logger (restify 11 logs through pino; its types still say bunyan). */
  logger: Logger;
  /** @default 'botbuilder-adapter-ucwa' */
  name?: string;
  /** Largest accepted request body. @default 1 MiB */
  maxBodyBytes?: number;
  /** How long `stop()` waits for in-flight requests before closing their sockets. @default 10_000 */
  shutdownGraceMs?: number;
}

export interface Host {
  /** Listens; resolves with the base URL (`http://127.0.0.1:3978`). */
  start(): Promise<string>;
  stop(): Promise<void>;
  /** The base URL once started. */
  readonly url: string;
}

/**
 * Creates the host around restify.
 * @example const host = createHost({ routes: createRoutes(deps), port: 3978, host: '0.0.0.0', logger });
 */
export function createHost(options: HostOptions): Host {
  const logger = options.logger.child?.({ component: 'host' }) ?? options.logger;
  // restify 11's runtime logger is pino, as ours; @types/restify still says bunyan (DEPS.md §5).
  const server: Server = restify.createServer({
    name: options.name ?? 'botbuilder-adapter-ucwa',
    log: logger as unknown as NonNullable<restify.ServerOptions['log']>,
    handleUncaughtExceptions: false,
  });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(restify.plugins.bodyParser({ mapParams: false, maxBodySize: options.maxBodyBytes ?? 1_048_576, rejectUnknown: true }));

  for (const route of options.routes) {
    const register = {
      GET: server.get, POST: server.post, PUT: server.put, DELETE: server.del,
    }[route.method].bind(server);
    register(route.path, async (req: Request, res: Response) => {
      const response = await runRoute(route, req, logger);
      // While stopping, ask keep-alive clients to go away so the server can close as soon as work is done.
      send(res, closing ? { ...response, headers: { ...response.headers, connection: 'close' } } : response);
    });
  }

  let url = '';
  let closing = false;
  return {
    get url() {
      return url;
    },
    start: () =>
      new Promise<string>((resolve, reject) => {
        // restify re-emits the http server's errors on itself: listen there, or a busy port is an uncaught error.
        server.once('error', reject);
        server.listen(options.port, options.host, () => {
          server.off('error', reject);
          const address = server.server.address() as AddressInfo;
          const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
          url = `http://${hostPart === '0.0.0.0' ? '127.0.0.1' : hostPart}:${address.port}`;
          logger.info({ url, routes: options.routes.map((r) => `${r.method} ${r.path}`) }, 'host listening');
          resolve(url);
        });
      }),
    stop: async () => {
      if (!server.server.listening) return;
      closing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // close() waits for open sockets: idle keep-alive ones would hold it forever, busy ones get a grace period.
      server.server.closeIdleConnections();
      const grace = setTimeout(() => server.server.closeAllConnections(), options.shutdownGraceMs ?? 10_000);
      grace.unref();
      await closed;
      clearTimeout(grace);
      logger.info('host stopped');
    },
  };
}

async function runRoute(route: Route, req: Request, logger: Logger): Promise<RouteResponse> {
  const request: RouteRequest = {
    method: req.method ?? route.method,
    path: req.path(),
    params: (req.params ?? {}) as Record<string, string>,
    query: (typeof req.query === 'object' && req.query !== null ? req.query : {}) as Record<string, string | string[]>,
    headers: req.headers,
    body: req.body,
  };
  try {
    return await route.handler(request);
  } catch (error) {
    // The full error goes to the log; the caller gets an id to quote, never internals.
    const correlationId = randomUUID();
    logger.error({ err: error, route: `${route.method} ${route.path}`, correlationId }, 'route handler failed');
    return { status: 500, body: { error: 'Internal error', correlationId } };
  }
}

function send(res: Response, response: RouteResponse): void {
  const isText = typeof response.body === 'string';
  const payload = response.body === undefined ? '' : isText ? (response.body as string) : JSON.stringify(response.body);
  const contentType = response.contentType ?? (isText ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8');
  res.writeHead(response.status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(payload),
    'cache-control': 'no-store',
    ...response.headers,
  });
  res.end(payload);
}
