import { strict as assert } from 'node:assert';
import { UcwaEmulator } from '../../../src/emulator/index.js';
import { isUcwaError } from '../../../src/ucwa/errors.js';
import type { UcwaClient } from '../../../src/ucwa/ucwa-client.js';
import { ALICE, BOT, OLGA, createClient } from './harness.js';

describe('UcwaClient against the emulator', () => {
  let emu: UcwaEmulator;
  const clients: UcwaClient[] = [];
  const make = (extra: Parameters<typeof createClient>[1] = {}) => {
    const made = createClient(emu.discoveryUrl, extra);
    clients.push(made.client);
    return made;
  };

  beforeEach(async () => {
    emu = await UcwaEmulator.start({ users: [BOT, ALICE, OLGA], invitationTimeoutMs: 2000 });
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.stop();
    await emu.close();
  });

  it('should sign in end to end: discovery, token, application, makeMeAvailable, parked P-GET', async () => {
    const { client, logger } = make();
    await client.start();
    assert.equal(client.state, 'ready');
    assert.equal(client.self?.uri, BOT.uri);
    const [app] = emu.applications();
    assert.equal(app?.user, BOT.uri);
    assert.equal(app?.madeAvailable, true);
    const resources = emu.requests().map((r) => r.resource);
    assert.deepEqual(resources.slice(0, 7), ['discovery', 'user', 'token', 'user', 'applications', 'makeMeAvailable', 'application']);
    assert.ok(emu.requests().filter((r) => r.resource !== 'discovery' && r.resource !== 'token' && r.status !== 401).every((r) => r.headers['authorization'] === 'Bearer ***'));
    assert.ok(!logger.text().includes(BOT.password), 'password never logged');
    await client.stop();
    assert.equal(emu.applications().length, 0, 'application deleted on stop');
  });

  it('should accept an incoming IM and deliver every message exactly once, including the replayed first message', async () => {
    const { client, seen } = make();
    await client.start();
    const conv = await emu.user(ALICE.uri).startConversation('first message');
    await seen.until(() => seen.messages.length >= 1, 'the first message');
    await conv.send('second message');
    await conv.send('third message');
    await seen.until(() => seen.messages.length >= 3, 'three messages');
    assert.deepEqual(seen.messages.map((m) => m.text), ['first message', 'second message', 'third message']);
    assert.equal(new Set(seen.messages.map((m) => m.href)).size, 3);
    assert.equal(seen.started.length, 1);
    assert.equal(seen.messages[1]!.sender.uri, ALICE.uri);
    assert.equal(seen.messages[1]!.conversation.remote.uri, ALICE.uri);
    assert.ok(emu.requests().some((r) => r.resource === 'accept'));
  });

  it('should send plain and HTML, set typing, keep reply order, split long messages and stop messaging', async () => {
    const { client, seen } = make({ maxMessageBytes: 30 });
    await client.start();
    const conv = await emu.user(ALICE.uri).startConversation('hi');
    await seen.until(() => seen.messages.length >= 1, 'the first message');
    const key = seen.messages[0]!.conversation.key;
    await client.setIsTyping(key);
    assert.equal(conv.botTyping, true);
    const sends = Array.from({ length: 12 }, (_, i) => client.sendMessage(key, `reply ${i}`, 'plain'));
    const results = await Promise.all(sends);
    assert.ok(results.every((r) => typeof r.href === 'string' && r.operationId.length > 0));
    await client.sendMessage(key, '<b>bold</b> move', 'html');
    await client.sendMessage(key, 'First sentence is here. Second sentence is here. Third one.', 'plain');
    const received = await conv.waitForReceived(16);
    assert.deepEqual(received.slice(0, 12).map((m) => m.text), Array.from({ length: 12 }, (_, i) => `reply ${i}`));
    assert.equal(received[12]!.format, 'html');
    assert.deepEqual(received.slice(13).map((m) => m.text), ['First sentence is here.', 'Second sentence is here.', 'Third one.']);
    await client.stopMessaging(key);
    await conv.waitForState('Disconnected');
    await seen.until(() => seen.ended.length === 1, 'conversationEnded');
    assert.equal(seen.ended[0]!.key, key);
  });

  it('should report the remote user typing', async () => {
    const { client, seen } = make();
    await client.start();
    const conv = await emu.user(ALICE.uri).startConversation('hi');
    await seen.until(() => seen.started.length === 1, 'the conversation');
    await conv.typing(true);
    await seen.until(() => seen.typing.length >= 1, 'typing');
    assert.equal(seen.typing[0]!.uri, ALICE.uri);
  });

  it('should fall back to plain text when the server refuses HTML with 415', async () => {
    const { client, seen } = make();
    await client.start();
    const conv = await emu.user(ALICE.uri).startConversation('hi');
    await seen.until(() => seen.messages.length === 1, 'the first message');
    emu.faults.inject({ resource: 'sendMessage', times: 1, error: { status: 415, code: 'UnsupportedMediaType' } });
    await client.sendMessage(seen.messages[0]!.conversation.key, '<p>Build <b>green</b></p><ul><li>api</li></ul>', 'html');
    const [received] = await conv.waitForReceived(1);
    assert.equal(received!.format, 'plain');
    assert.equal(received!.text, 'Build green\n- api');
  });

  it('should start a conversation proactively with an online user and keep talking in it', async () => {
    const { client } = make();
    await client.start();
    const info = await client.startMessaging(ALICE.uri, { subject: 'Alert', message: 'Disk full on db1' });
    assert.equal(info.state, 'Connected');
    assert.equal(info.remote.uri, ALICE.uri);
    const conv = await emu.user(ALICE.uri).waitForConversation();
    await client.sendMessage(info.key, 'follow-up', 'plain');
    const texts = (await conv.waitForReceived(2)).map((m) => m.text);
    assert.deepEqual(texts, ['Disk full on db1', 'follow-up']);
    const invitation = emu.requests().find((r) => r.resource === 'startMessaging')!;
    assert.match(JSON.parse(invitation.body).operationId, /^[0-9a-f-]{36}$/);
  });

  it('should fail clearly, with the documented reason, when the proactive target is offline', async () => {
    const { client } = make();
    await client.start();
    const err = await client.startMessaging(OLGA.uri, { message: 'are you there?' }).catch((e: unknown) => e);
    assert.ok(isUcwaError(err), String(err));
    assert.equal(err.details.source, 'event');
    assert.equal(err.subcode, 'TemporarilyUnavailable');
    assert.match(err.message, /TemporarilyUnavailable/);
  });

  it('should survive token expiry in the middle of a conversation (refresh once, replay)', async () => {
    const { client, seen } = make();
    await client.start();
    const conv = await emu.user(ALICE.uri).startConversation('before expiry');
    await seen.until(() => seen.messages.length === 1, 'the first message');
    const key = seen.messages[0]!.conversation.key;
    emu.expireTokens();
    await client.sendMessage(key, 'after expiry', 'plain');
    await conv.send('inbound after expiry');
    await seen.until(() => seen.messages.length === 2, 'a message after the token expired');
    assert.deepEqual((await conv.waitForReceived(1)).map((m) => m.text), ['after expiry']);
    assert.ok(client.stats.tokensAcquired >= 2);
    assert.equal(client.state, 'ready');
  });

  for (const gone of [false, true]) {
    it(`should re-create an expired application (${gone ? '410 InactiveApplicationExpired' : '404 ApplicationNotFound'}) mid-conversation, keeping the conversation key usable`, async () => {
      const { client, seen } = make();
      await client.start();
      const conv = await emu.user(ALICE.uri).startConversation('before');
      await seen.until(() => seen.messages.length === 1, 'the first message');
      const key = seen.messages[0]!.conversation.key;
      const oldHref = client.getConversation(key)?.href;
      emu.expireApplication(undefined, { gone });
      await client.sendMessage(key, 'after application expiry', 'plain');
      assert.equal(client.stats.applicationsCreated, 2);
      const info = client.getConversation(key);
      assert.ok(info?.href && info.href !== oldHref, 'the key maps to a new conversation');
      const alice = emu.user(ALICE.uri);
      const all = alice.received().map((m) => m.text);
      assert.ok(all.includes('after application expiry'), `alice got ${JSON.stringify(all)}`);
      assert.equal(conv.received().length, 0, 'the old conversation is gone');
      const applications = emu.applications();
      assert.equal(applications.length, 1);
      assert.equal(applications[0]!.madeAvailable, true);
    });
  }

  for (const reset of ['after', 'before'] as const) {
    it(`should deliver exactly once when the connection is reset ${reset} the server processed a send (uncertain outcome settled by confirmDelivery)`, async () => {
      const retries: string[] = [];
      const { client, seen } = make({ confirmDeliveryTimeoutMs: 300, metrics: { retry: (i) => retries.push(`${i.resource} ${i.code}/${i.subcode} ${i.action}`) } });
      await client.start();
      const conv = await emu.user(ALICE.uri).startConversation('hello');
      await seen.until(() => seen.messages.length === 1, 'the first message');
      const fault = emu.faults.inject({ resource: 'sendMessage', times: 1, reset });
      const result = await client.sendMessage(seen.messages[0]!.conversation.key, 'exactly once', 'plain');
      assert.equal(fault.hits, 1);
      assert.ok(result.operationId);
      await conv.waitForReceived(1);
      if (reset === 'before') {
        assert.equal(retries.length, 1, 'nothing was delivered, so it was sent again');
        assert.match(retries[0]!, /^sendMessage LocalFailure\/(ECONNRESET|EPIPE|UND_ERR_SOCKET) retry$/);
      }
      const sends = emu.requests().filter((r) => r.resource === 'sendMessage');
      assert.ok(sends.every((r) => r.query['operationId'] === result.operationId), 'the same operationId on every attempt');
      assert.deepEqual(conv.received().map((m) => m.text), ['exactly once']);
    });
  }

  it('should turn an incoming HTML message into text, keep the HTML and report metrics', async () => {
    const counts = { received: 0, sent: 0, reconnects: 0 };
    const { client, seen } = make({ metrics: { messageReceived: () => counts.received++, messageSent: (ms) => { assert.ok(ms >= 0); counts.sent++; } } });
    await client.start();
    const conv = await emu.user(ALICE.uri).startConversation('hi');
    await seen.until(() => seen.messages.length === 1, 'the first message');
    await conv.send('<p>Server <b>db1</b> is down:</p><ul><li>disk</li><li>cpu</li></ul><a href="https://status.contoso.com">status</a>', { format: 'html' });
    await seen.until(() => seen.messages.length === 2, 'the HTML message');
    const html = seen.messages[1]!;
    assert.equal(html.text, 'Server db1 is down:\n- disk\n- cpu\nstatus (https://status.contoso.com)');
    assert.match(html.html ?? '', /<b>db1<\/b>/);
    await client.sendMessage(html.conversation.key, 'ack', 'plain');
    assert.deepEqual(counts, { received: 2, sent: 1, reconnects: 0 });
  });

  it('should stop with a clear error when another process signs in as the same bot (409 PGetReplaced)', async () => {
    const first = make();
    await first.client.start();
    const second = make();
    await second.client.start();
    await first.seen.until(() => first.seen.fatal.length + second.seen.fatal.length > 0, 'a fatal PGetReplaced');
    const fatal = [...first.seen.fatal, ...second.seen.fatal][0]!;
    assert.match(fatal.message, /another process signed in as the same bot \(409 Conflict\/PGetReplaced\)/);
  });

  it('should reject start() with an oauth error naming the fix when the password is wrong', async () => {
    const { client } = make({ password: 'wrong' });
    const err = await client.start().catch((e: unknown) => e);
    assert.ok(isUcwaError(err));
    assert.equal(err.code, 'invalid_grant');
    assert.equal(err.details.source, 'oauth');
    assert.match(err.message, /`username` and `password`/);
    assert.ok(!err.message.includes('wrong'));
    assert.equal(client.state, 'failed');
    assert.equal(emu.requests().filter((r) => r.resource === 'token').length, 1, 'a refused password is not retried');
  });
});
