import { strict as assert } from 'node:assert';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { UcwaEmulator } from '../../../src/emulator/index.js';
import { isUcwaError } from '../../../src/ucwa/errors.js';
import { HttpTransport } from '../../../src/ucwa/http.js';
import type { RawRequest } from '../../../src/ucwa/http.js';
import { startConnectProxy } from '../../fakes/ucwa/connect-proxy.js';
import { createFakeLogger } from '../../fakes/ucwa/fake-transport.js';
import { ALICE, BOT, createClient } from './harness.js';

function listen(server: http.Server | net.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

describe('HttpTransport over real sockets', () => {
  it('should resend once, transparently, when the server closed an idle keep-alive socket', async () => {
    // Every second request on a connection is answered by closing the socket before any byte of response:
    // exactly what a keep-alive socket closed by the server while idle looks like to the client.
    const perSocket = new WeakMap<net.Socket, number>();
    const server = http.createServer((req, res) => {
      const n = (perSocket.get(req.socket) ?? 0) + 1;
      perSocket.set(req.socket, n);
      if (n === 2) {
        req.socket.destroy();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
    const port = await listen(server);
    let now = 0;
    const transport = new HttpTransport({ logger: createFakeLogger(), now: () => now });
    const req = (method: string): RawRequest => ({ method, url: `http://127.0.0.1:${port}/x`, headers: {}, timeoutMs: 2000, resource: 'application', idempotent: method === 'GET' });
    try {
      assert.equal((await transport.send(req('GET'))).status, 200);
      assert.equal((await transport.send(req('GET'))).status, 200, 'the reset on the reused socket is not a failure');
      assert.equal(transport.transparentRetries, 1);
      // A non-idempotent POST on a reused socket is not resent blindly: it surfaces as an uncertain failure
      // that the retry layer settles with confirmDelivery.
      const err = await transport.send(req('POST')).catch((e: unknown) => e);
      assert.ok(isUcwaError(err));
      assert.equal(err.status, 0);
      assert.equal(err.details.uncertain, true);
      assert.ok(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET'].includes(err.subcode ?? ''), err.subcode);
      // The same reset on a socket that sat idle in the pool longer than idleCloseMs is the server's idle close:
      // resent transparently, POST included.
      assert.equal((await transport.send(req('POST'))).status, 200);
      now += 2000;
      assert.equal((await transport.send(req('POST'))).status, 200, 'idle-closed socket: not a failed send');
      assert.equal(transport.transparentRetries, 2);
      // A send whose outcome its delivery event proves is never resent blindly, however long the socket idled:
      // the server may have processed it before the reset (a duplicate IM); confirmDelivery settles it instead.
      now += 5000;
      const uncertain = await transport.send({ ...req('POST'), resource: 'sendMessage' }).catch((e: unknown) => e);
      assert.ok(isUcwaError(uncertain));
      assert.equal(uncertain.details.uncertain, true);
      assert.equal(transport.transparentRetries, 2);
    } finally {
      transport.destroy();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('should keep the P-GET on its own agent so that sends never wait behind it', () => {
    const transport = new HttpTransport({ logger: createFakeLogger() });
    const url = new URL('https://lyncweb.contoso.com/ucwa');
    assert.notEqual(transport.agentFor(url, 'events'), transport.agentFor(url, 'command'));
    assert.equal(transport.agentFor(url, 'command'), transport.agentFor(new URL('https://lyncweb.contoso.com/other'), 'command'), 'one agent per host');
    transport.destroy();
  });

  it('should reach the UCWA server through an HTTPS proxy (CONNECT tunnel)', async () => {
    const emu = await UcwaEmulator.start({ users: [BOT, ALICE] });
    const proxy = await startConnectProxy();
    const { client, seen } = createClient(emu.discoveryUrl, { proxy: proxy.url, noProxy: [] });
    try {
      await client.start();
      const conv = await emu.user(ALICE.uri).startConversation('via proxy');
      await seen.until(() => seen.messages.length === 1, 'a message through the tunnel');
      await client.sendMessage(seen.messages[0]!.conversation.key, 'reply via proxy', 'plain');
      assert.deepEqual((await conv.waitForReceived(1)).map((m) => m.text), ['reply via proxy']);
      const target = new URL(emu.baseUrl).host;
      assert.ok(proxy.tunnels.length >= 2 && proxy.tunnels.every((t) => t === target), JSON.stringify(proxy.tunnels));
    } finally {
      await client.stop();
      await proxy.close();
      await emu.close();
    }
  });

  it('should not use the proxy for hosts in noProxy (loopback by default)', async () => {
    const emu = await UcwaEmulator.start({ users: [BOT] });
    const { client } = createClient(emu.discoveryUrl, { proxy: 'http://127.0.0.1:9' });
    try {
      await client.start();
      assert.equal(client.state, 'ready');
    } finally {
      await client.stop();
      await emu.close();
    }
  });
});
