import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { UcwaEmulator } from '../../../src/emulator/index.js';
import { isUcwaError } from '../../../src/ucwa/errors.js';
import { startConnectProxy } from '../../fakes/ucwa/connect-proxy.js';
import { startRewritingProxy } from '../../fakes/ucwa/rewriting-proxy.js';
import type { RewritingProxy } from '../../fakes/ucwa/rewriting-proxy.js';
import { ALICE, BOT, createClient } from './harness.js';

const fixture = (name: string) => readFileSync(new URL(`../../fakes/ucwa/fixtures/${name}`, import.meta.url), 'utf8');
// A self-signed certificate for 127.0.0.1 made for these tests only (never trusted anywhere else).
const CERT = fixture('test-only-loopback.cert.pem');
const KEY = fixture('test-only-loopback.key.pem');

describe('UcwaClient over TLS (an https:// front end with an internal CA)', () => {
  let emu: UcwaEmulator;
  let front: RewritingProxy;

  before(async () => {
    emu = await UcwaEmulator.start({ users: [BOT, ALICE] });
    front = await startRewritingProxy(emu.baseUrl, '127.0.0.1', { key: KEY, cert: CERT });
  });
  after(async () => {
    await front.close();
    await emu.close();
  });

  it('should refuse a certificate it cannot verify (verification is always on) and send nothing', async () => {
    const { client } = createClient(front.rewrite(emu.discoveryUrl), { allowInsecureLoopback: false });
    const err = await client.start().catch((e: unknown) => e);
    assert.ok(isUcwaError(err), String(err));
    assert.equal(err.status, 0);
    assert.equal(err.details.uncertain, false, 'a TLS failure proves nothing was sent');
    assert.match(err.subcode ?? '', /SELF_SIGNED|UNABLE_TO_VERIFY|CERT/);
    assert.equal(front.exchanges.length, 0);
    await client.stop();
  });

  it('should work end to end over https when the internal CA is given with `ca`', async () => {
    const { client, seen } = createClient(front.rewrite(emu.discoveryUrl), { allowInsecureLoopback: false, ca: CERT });
    await client.start();
    const conv = await emu.user(ALICE.uri).startConversation('over tls');
    await seen.until(() => seen.messages.length === 1, 'a message over TLS');
    await client.sendMessage(seen.messages[0]!.conversation.key, 'secure reply', 'plain');
    assert.deepEqual((await conv.waitForReceived(1)).map((m) => m.text), ['secure reply']);
    assert.ok(front.exchanges.some((x) => x.path.includes('/events')), 'the event channel went through the TLS front end');
    await client.stop();
  });

  it('should tunnel TLS through an HTTPS proxy (CONNECT), verifying the server certificate end to end', async () => {
    const proxy = await startConnectProxy();
    const { client } = createClient(front.rewrite(emu.discoveryUrl), { allowInsecureLoopback: false, ca: CERT, proxy: proxy.url, noProxy: [] });
    try {
      await client.start();
      assert.equal(client.state, 'ready');
      await emu.waitForPendingPGet();
      // Two tunnels: one for commands, one for the event channel (its own keep-alive agent).
      assert.ok(proxy.tunnels.length === 2 && proxy.tunnels.every((t) => t === new URL(front.origin).host), JSON.stringify(proxy.tunnels));
    } finally {
      await client.stop();
      await proxy.close();
    }
  });
});
