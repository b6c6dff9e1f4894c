/**
 * A reverse proxy on loopback in front of the emulator, for fault cases the emulator does not script:
 * it rewrites the emulator's origin to its own in JSON bodies (so every href leads back through it) and lets
 * a test replace or corrupt individual responses (malformed event-channel bodies, redirects elsewhere).
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

export interface ProxiedExchange {
  method: string;
  path: string;
  /** Lower-cased request headers as received from the client. */
  headers: http.IncomingHttpHeaders;
  status: number;
  body: string;
}

/** Return a replacement answer, or undefined to pass the (origin-rewritten) upstream answer through. */
export type Tamper = (exchange: ProxiedExchange) => { status: number; headers?: Record<string, string>; body: string } | undefined;

export interface RewritingProxy {
  readonly origin: string;
  readonly exchanges: ProxiedExchange[];
  tamper?: Tamper;
  /** Rewrite a URL of the upstream into this proxy's origin. */
  rewrite(url: string): string;
  close(): Promise<void>;
}

/** `tls` serves https:// with that key and certificate (the test-only loopback pair in fixtures/). */
export async function startRewritingProxy(upstream: string, host = '127.0.0.1', tls?: { key: string; cert: string }): Promise<RewritingProxy> {
  const target = new URL(upstream);
  const exchanges: ProxiedExchange[] = [];
  const sockets = new Set<import('node:net').Socket>();
  let origin = '';
  const proxy: RewritingProxy = {
    get origin() {
      return origin;
    },
    exchanges,
    rewrite: (url) => url.replaceAll(target.origin, origin),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers = { ...req.headers, host: target.host };
      const upstreamReq = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent: false }, (up) => {
        const body: Buffer[] = [];
        up.on('data', (c: Buffer) => body.push(c));
        up.on('end', () => {
          let text = Buffer.concat(body).toString('utf8');
          const outHeaders: Record<string, string | string[]> = {};
          for (const [k, v] of Object.entries(up.headers)) if (v !== undefined && k !== 'content-length' && k !== 'transfer-encoding' && k !== 'connection') outHeaders[k] = v;
          if (typeof outHeaders['location'] === 'string') outHeaders['location'] = proxy.rewrite(outHeaders['location']);
          if (typeof outHeaders['www-authenticate'] === 'string' || Array.isArray(outHeaders['www-authenticate'])) {
            const v = outHeaders['www-authenticate'];
            outHeaders['www-authenticate'] = Array.isArray(v) ? v.map((x) => proxy.rewrite(x)) : proxy.rewrite(v);
          }
          text = proxy.rewrite(text);
          const exchange: ProxiedExchange = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, status: up.statusCode ?? 502, body: text };
          exchanges.push(exchange);
          const replaced = proxy.tamper?.(exchange);
          if (replaced) {
            res.writeHead(replaced.status, { 'content-type': 'application/json; charset=utf-8', ...replaced.headers, 'content-length': Buffer.byteLength(replaced.body) });
            res.end(replaced.body);
            return;
          }
          res.writeHead(up.statusCode ?? 502, { ...outHeaders, 'content-length': Buffer.byteLength(text) });
          res.end(text);
        });
      });
      upstreamReq.on('error', () => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/html' });
        res.end('<html>bad gateway</html>');
      });
      res.on('close', () => {
        if (!res.writableEnded) upstreamReq.destroy();
      });
      upstreamReq.end(Buffer.concat(chunks));
    });
  };
  const server = tls ? https.createServer(tls, handler) : http.createServer(handler);
  server.on(tls ? 'secureConnection' : 'connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  origin = `${tls ? 'https' : 'http'}://${host}:${(server.address() as AddressInfo).port}`;
  return proxy;
}
