/**
 * HTTPS proxy support through an HTTP CONNECT tunnel (the usual corporate proxy): the agent opens
 * `CONNECT host:port` on the proxy, then runs TLS (with full certificate verification, SNI and the
 * configured `ca`) over the tunnel. Keep-alive works as with any Agent: a tunnel is one pooled socket.
 */
import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import net from 'node:net';

export interface TunnelAgentOptions extends https.AgentOptions {
  /** `http://proxy:3128` or `https://proxy:3128` (the proxy itself reached over TLS). */
  proxy: string;
  /** Whether the target speaks TLS (https://) or plain HTTP over the tunnel (http:// loopback only). */
  targetTls: boolean;
}

type Callback = (err: Error | null, socket?: Duplex) => void;

/** Error raised when the proxy refuses the tunnel; the request was never sent to the target. */
export class ProxyConnectError extends Error {
  override name = 'ProxyConnectError' as const;
  readonly code = 'EPROXYCONNECT';
}

/** Open a CONNECT tunnel to `host:port` through `proxyUrl`. */
export function openTunnel(proxyUrl: URL, host: string, port: number, headers: Record<string, string>, cb: (err: Error | null, socket?: net.Socket) => void): void {
  const auth = proxyUrl.username ? { 'Proxy-Authorization': `Basic ${Buffer.from(`${decodeURIComponent(proxyUrl.username)}:${decodeURIComponent(proxyUrl.password)}`).toString('base64')}` } : {};
  const request = (proxyUrl.protocol === 'https:' ? https : http).request({
    host: proxyUrl.hostname,
    port: Number(proxyUrl.port) || (proxyUrl.protocol === 'https:' ? 443 : 80),
    method: 'CONNECT',
    path: `${host.includes(':') ? `[${host}]` : host}:${port}`,
    headers: { Host: `${host}:${port}`, ...headers, ...auth },
    agent: false,
  });
  let done = false;
  request.once('connect', (res, socket) => {
    done = true;
    if (res.statusCode !== 200) {
      socket.destroy();
      cb(new ProxyConnectError(`Proxy ${proxyUrl.host} refused CONNECT ${host}:${port} with ${res.statusCode}`));
      return;
    }
    cb(null, socket);
  });
  request.once('error', (err) => {
    if (!done) cb(err);
  });
  request.end();
}

function mixinTunnel<T extends typeof http.Agent>(Base: T, options: TunnelAgentOptions) {
  const proxyUrl = new URL(options.proxy);
  return class extends (Base as typeof http.Agent) {
    override createConnection(opts: Record<string, unknown>, cb: Callback): undefined {
      const host = String(opts['host'] ?? opts['hostname']);
      const port = Number(opts['port']);
      openTunnel(proxyUrl, host, port, {}, (err, socket) => {
        if (err || !socket) return cb(err ?? new ProxyConnectError('Proxy tunnel failed'));
        if (!options.targetTls) return cb(null, socket);
        const secure = tls.connect({
          socket,
          servername: net.isIP(host) ? undefined : host,
          ca: options.ca,
          rejectUnauthorized: true,
          ALPNProtocols: ['http/1.1'],
        });
        let settled = false;
        secure.once('secureConnect', () => {
          settled = true;
          cb(null, secure);
        });
        secure.once('error', (e) => {
          if (!settled) cb(e);
        });
      });
      return undefined;
    }
  };
}

/** A keep-alive agent that reaches its target through a CONNECT tunnel. */
export function createTunnelAgent(options: TunnelAgentOptions): http.Agent {
  const Base = options.targetTls ? https.Agent : http.Agent;
  const Tunnel = mixinTunnel(Base as typeof http.Agent, options);
  return new Tunnel(options);
}
