import { strict as assert } from 'node:assert';
import { UcwaEmulator } from '../../../src/emulator/index.js';
import type { UcwaEmulatorOptions } from '../../../src/emulator/index.js';
import type { UcwaClient } from '../../../src/ucwa/ucwa-client.js';
import { ALICE, BOT, createClient } from './harness.js';

describe('UcwaClient resilience against the emulator', () => {
  let emu: UcwaEmulator | undefined;
  const clients: UcwaClient[] = [];
  async function setup(options: Partial<UcwaEmulatorOptions> = {}, extra: Parameters<typeof createClient>[1] = {}) {
    emu = await UcwaEmulator.start({ users: [BOT, ALICE], ...options });
    const made = createClient(emu.discoveryUrl, extra);
    clients.push(made.client);
    await made.client.start();
    return { emu, ...made };
  }
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.stop();
    await emu?.close();
    emu = undefined;
  });

  for (const urlStyle of ['walkthrough', 'reference'] as const) {
    it(`should only follow server links, never build URLs (urlStyle ${urlStyle})`, async () => {
      const { emu, client, seen } = await setup({ urlStyle });
      const conv = await emu.user(ALICE.uri).startConversation('hello');
      await seen.until(() => seen.messages.length === 1, 'a message');
      await client.sendMessage(seen.messages[0]!.conversation.key, 'hi back', 'plain');
      await client.setIsTyping(seen.messages[0]!.conversation.key);
      assert.deepEqual((await conv.waitForReceived(1)).map((m) => m.text), ['hi back']);
      const unrouted = emu.requests().filter((r) => r.resource === undefined);
      assert.deepEqual(unrouted.map((r) => `${r.method} ${r.path}`), [], 'every request hit a real resource');
    });
  }

  it('should sign in through a home-pool redirect', async () => {
    const { emu, client, seen } = await setup({ homePoolRedirect: true });
    assert.equal(client.state, 'ready');
    const conv = await emu.user(ALICE.uri).startConversation('via pool 2');
    await seen.until(() => seen.messages.length === 1, 'a message');
    await client.sendMessage(seen.messages[0]!.conversation.key, 'ok', 'plain');
    assert.deepEqual((await conv.waitForReceived(1)).map((m) => m.text), ['ok']);
  });

  it('should end the bot conversation when the user leaves', async () => {
    const { emu, seen } = await setup();
    const conv = await emu.user(ALICE.uri).startConversation('bye soon');
    await seen.until(() => seen.started.length === 1, 'the conversation');
    await conv.leave();
    await seen.until(() => seen.ended.length === 1, 'conversationEnded');
    assert.equal(seen.ended[0]!.key, seen.started[0]!.key);
    assert.equal(seen.ended[0]!.state, 'Disconnected');
  });

  it('should treat a resume link as "conversations closed": end them, re-offer availability, keep keys usable', async () => {
    const { emu, client, seen } = await setup();
    await emu.user(ALICE.uri).startConversation('before absence');
    await seen.until(() => seen.messages.length === 1, 'a message');
    const key = seen.messages[0]!.conversation.key;
    emu.simulateLongAbsence();
    await seen.until(() => seen.ended.length === 1, 'conversationEnded after resume');
    await client.sendMessage(key, 'still here', 'plain');
    const conv = await emu.user(ALICE.uri).waitForConversation();
    assert.deepEqual(conv.received().map((m) => m.text), ['still here']);
    const again = await emu.user(ALICE.uri).startConversation('new chat after resume');
    await seen.until(() => seen.messages.length === 2, 'incoming IM still arrives after resume');
    assert.ok(again);
  });

  it('should recover from a dropped event channel and from connection resets on the P-GET, with reconnect metrics', async () => {
    const reasons: string[] = [];
    const { emu, client, seen } = await setup({}, { metrics: { eventChannelReconnect: (r) => reasons.push(r) } });
    emu.faults.inject({ resource: 'events', times: 1, dropEventChannel: true });
    emu.faults.inject({ resource: 'events', times: 2, reset: 'before' });
    const conv = await emu.user(ALICE.uri).startConversation('after the drops');
    await seen.until(() => seen.messages.length === 1, 'a message after reconnecting', 8000);
    // A reset on the reused keep-alive P-GET socket is resent transparently once; the second one is a reconnect.
    assert.equal(reasons.length + client.stats.transparentRetries, 2);
    assert.ok(reasons.length >= 1);
    assert.ok(reasons.every((r) => /^0 LocalFailure\/(ECONNRESET|EPIPE|UND_ERR_SOCKET)$/.test(r)), JSON.stringify(reasons));
    assert.equal(client.state, 'ready');
    await client.sendMessage(seen.messages[0]!.conversation.key, 'back', 'plain');
    assert.deepEqual((await conv.waitForReceived(1)).map((m) => m.text), ['back']);
  });

  it('should retry a 503 on sendMessage (same operationId) and deliver once', async () => {
    const retried: string[] = [];
    const { emu, client, seen } = await setup({}, { metrics: { retry: (i) => retried.push(`${i.resource} ${i.status} ${i.action}`) } });
    const conv = await emu.user(ALICE.uri).startConversation('hi');
    await seen.until(() => seen.messages.length === 1, 'a message');
    emu.faults.inject({ resource: 'sendMessage', times: 1, error: { status: 503, code: 'ServiceUnavailable', retryAfterSeconds: 0 } });
    await client.sendMessage(seen.messages[0]!.conversation.key, 'after 503', 'plain');
    assert.deepEqual(retried, ['sendMessage 503 retry']);
    const ids = emu.requests().filter((r) => r.resource === 'sendMessage').map((r) => r.query['operationId']);
    assert.equal(ids.length, 2);
    assert.equal(ids[0], ids[1]);
    assert.deepEqual((await conv.waitForReceived(1)).map((m) => m.text), ['after 503']);
  });
});
