import assert from 'node:assert/strict';
import sinon from 'sinon';
import type { UcwaEmulator } from '../../src/emulator/index.js';
import type { SimulatedConversation } from '../../src/emulator/types.js';
import { ALICE, BOB, BOT, startEmulator } from './support/fixture.js';
import { App, flatten, signIn } from './support/walker.js';

type Links = Record<string, { href: string; title?: string } & Array<{ href: string; title?: string }>>;

/** A bot application with an accepted incoming conversation from Alice; no P-GET left outstanding. */
async function connected(emu: UcwaEmulator, endpointId: string, from = ALICE.uri, existing?: App): Promise<{ app: App; conv: SimulatedConversation; messaging: Links }> {
  const app = existing ?? await App.create(await signIn(emu.discoveryUrl, BOT.uri, BOT.password), endpointId);
  if (!existing) await app.makeMeAvailable();
  const conv = await emu.user(from).startConversation('hello');
  const seen = await app.pollUntil((e) => e.link.rel === 'messagingInvitation' && e.type === 'started');
  const invitation = seen.find((e) => e.link.rel === 'messagingInvitation')!._embedded!.messagingInvitation as { _links: Links };
  assert.equal((await app.post(invitation._links.accept.href)).status, 204);
  // ReceiveAnIM.md step 15: messaging Connected, then the invitation completed, in one response.
  const after = await app.pollUntil((e) => e.link.rel === 'messagingInvitation' && e.type === 'completed');
  const messaging = (after.find((e) => e.link.rel === 'messaging')!._embedded!.messaging as { _links: Links })._links;
  // The replayed first message (ReceiveAnIM.md step 16) follows in the same response; nothing stays queued.
  assert.equal(emu.applications().find((a) => a.endpointId === endpointId)!.pendingPGet, false);
  return { app, conv, messaging };
}

describe('emulator delivery failures', () => {
  let emu: UcwaEmulator;
  let clock: sinon.SinonFakeTimers | undefined;
  afterEach(async () => {
    clock?.restore();
    clock = undefined;
    await emu.close();
  });

  it('should withdraw an incoming message no P-GET picks up within incomingMessageTimeoutMs and tell the sender (Timeout)', async () => {
    emu = await startEmulator({ incomingMessageTimeoutMs: 30_000 });
    const { app, conv } = await connected(emu, 'expiry');
    clock = sinon.useFakeTimers({ now: Date.now(), toFake: ['setTimeout', 'clearTimeout', 'Date'], shouldClearNativeTimers: true });
    await conv.send('lost');
    await clock.tickAsync(29_999);
    assert.equal(conv.messages().at(-1)!.failure, undefined, 'not yet expired');
    await clock.tickAsync(1);
    const lost = conv.messages().at(-1)!;
    assert.equal(lost.text, 'lost');
    assert.equal(lost.failure, 'Timeout');
    await conv.send('kept');
    const r = await app.poll();
    const texts = flatten(r).filter((e) => e.link.rel === 'message').map((e) => (e._embedded!.message as { _links: Links })._links.plainMessage.href);
    assert.deepEqual(texts, ['data:text/plain;charset=utf-8,kept'], 'the expired message never reaches the bot');
    await clock.tickAsync(60_000);
    assert.equal(conv.messages().at(-1)!.failure, undefined, 'a message picked up in time never expires');
  });

  it('should answer a pending /_emulator/api long poll when an incoming message expires', async () => {
    emu = await startEmulator({ incomingMessageTimeoutMs: 10_000 });
    const { conv } = await connected(emu, 'expiry-poll');
    clock = sinon.useFakeTimers({ now: Date.now(), toFake: ['setTimeout', 'clearTimeout', 'Date'], shouldClearNativeTimers: true });
    await conv.send('will expire');
    const seq = conv.messages().at(-1)!.seq;
    const poll = fetch(`${emu.baseUrl}/_emulator/api/conversations/${conv.id}?since=${seq}&wait=30&state=Connected&typing=0`).then((r) => r.json());
    // The long poll is parked once it registered its cleanup hook (apiClosers); only then let the deadline pass.
    for (let i = 0; i < 1000 && emu.apiClosers.size === 0; i++) await new Promise((r) => setImmediate(r));
    assert.equal(emu.apiClosers.size, 1);
    await clock.tickAsync(10_000);
    const view = (await poll) as { messages: { text: string; failure?: string }[] };
    assert.equal(view.messages.at(-1)!.text, 'will expire');
    assert.equal(view.messages.at(-1)!.failure, 'Timeout');
  });

  it('should fail a bot message to a user who went offline: completed Failure, reason, status Failed and failedDeliveryParticipant', async () => {
    emu = await startEmulator();
    const { app, conv, messaging } = await connected(emu, 'offline');
    emu.user(ALICE.uri).setAvailability('offline');
    const sent = await app.post(`${messaging.sendMessage.href}?operationId=op-fail`, 'are you there?', 'text/plain');
    assert.equal(sent.status, 201);
    const ev = (await app.pollUntil((e) => e.link.rel === 'message')).at(-1)!;
    assert.equal(ev.type, 'completed');
    assert.equal(ev.status, 'Failure');
    assert.deepEqual(ev.reason, { code: 'RemoteFailure', subcode: 'TemporarilyUnavailable', message: 'The message could not be delivered to every participant.' });
    const message = ev._embedded!.message as { status: string; operationId: string; _links: Links };
    assert.equal(message.status, 'Failed');
    assert.equal(message.operationId, 'op-fail');
    const failed = message._links.failedDeliveryParticipant;
    assert.ok(Array.isArray(failed), 'failedDeliveryParticipant is an array of links');
    assert.match(failed[0]!.href, /\/participants\/alice@contoso\.com$/);
    assert.equal(failed[0]!.title, ALICE.name);
    const got = await app.get(sent.headers.get('location')!);
    assert.equal(got.json.status, 'Failed');
    assert.equal(conv.received().length, 0, 'the offline user did not get it');
    assert.equal(conv.messages().at(-1)!.failure, 'TemporarilyUnavailable');

    emu.user(ALICE.uri).setAvailability('online');
    await app.post(messaging.sendMessage.href, 'back?', 'text/plain');
    const ok = (await app.pollUntil((e) => e.link.rel === 'message')).at(-1)!;
    assert.equal(ok.status, 'Success');
    assert.equal((ok._embedded!.message as { _links: Links })._links.failedDeliveryParticipant, undefined);
    assert.deepEqual(conv.received().map((m) => m.text), ['back?']);
  });

  it("should hold a sent message's completed event for the far end's ackDelayMs, so another conversation's can overtake it", async () => {
    emu = await startEmulator();
    const alice = await connected(emu, 'slow-far-end');
    const bob = await connected(emu, 'slow-far-end', BOB.uri, alice.app);
    emu.user(ALICE.uri).ackDelayMs = 200;
    assert.throws(() => { emu.user(ALICE.uri).ackDelayMs = -1; }, /ackDelayMs must be an integer number of ms between 0 and 60000, got -1/);
    const app = alice.app;
    assert.equal((await app.post(`${alice.messaging.sendMessage.href}?operationId=op-slow`, 'to Alice', 'text/plain')).status, 201);
    assert.deepEqual(alice.conv.received().map((m) => m.text), ['to Alice'], 'the message itself arrives at once');
    assert.equal((await app.post(`${bob.messaging.sendMessage.href}?operationId=op-fast`, 'to Bob', 'text/plain')).status, 201);
    const order: string[] = [];
    while (order.length < 2) {
      for (const e of flatten(await app.poll())) {
        if (e.link.rel === 'message' && e.type === 'completed') order.push((e._embedded!.message as { operationId: string }).operationId);
      }
    }
    assert.deepEqual(order, ['op-fast', 'op-slow'], 'processed first, delivered (and reported) second');
  });

  it('should keep the delivery results of one conversation in send order, even when ackDelayMs is lowered meanwhile', async () => {
    emu = await startEmulator();
    const { app, messaging } = await connected(emu, 'ack-order');
    emu.user(ALICE.uri).ackDelayMs = 150;
    assert.equal((await app.post(`${messaging.sendMessage.href}?operationId=first`, 'one', 'text/plain')).status, 201);
    emu.user(ALICE.uri).ackDelayMs = 0;
    assert.equal((await app.post(`${messaging.sendMessage.href}?operationId=second`, 'two', 'text/plain')).status, 201);
    const order: string[] = [];
    while (order.length < 2) {
      for (const e of flatten(await app.poll())) {
        if (e.link.rel === 'message' && e.type === 'completed') order.push((e._embedded!.message as { operationId: string }).operationId);
      }
    }
    assert.deepEqual(order, ['first', 'second']);
  });

  it('should drop a held delivery result when the conversation ends before the far end acknowledged', async () => {
    emu = await startEmulator();
    const alice = await connected(emu, 'ack-ended');
    const bob = await connected(emu, 'ack-ended', BOB.uri, alice.app);
    const app = alice.app;
    clock = sinon.useFakeTimers({ now: Date.now(), toFake: ['setTimeout', 'clearTimeout', 'Date'], shouldClearNativeTimers: true });
    emu.user(ALICE.uri).ackDelayMs = 200;
    assert.equal((await app.post(`${alice.messaging.sendMessage.href}?operationId=held`, 'to Alice', 'text/plain')).status, 201);
    await alice.conv.leave();
    const seen = await app.pollUntil((e) => e.link.rel === 'conversation' && e.type === 'deleted');
    await clock.tickAsync(1_000); // well past Alice's acknowledgement time
    assert.equal((await app.post(`${bob.messaging.sendMessage.href}?operationId=after`, 'to Bob', 'text/plain')).status, 201);
    seen.push(...await app.pollUntil((e) => e.link.rel === 'message' && e.type === 'completed'));
    const reported = seen.filter((e) => e.link.rel === 'message' && e.type === 'completed').map((e) => (e._embedded!.message as { operationId?: string }).operationId);
    assert.deepEqual(reported, ['after'], 'the ended conversation never reports its held message');
  });

  it('should refuse a bad ackDelayMs in the users option, naming it', async () => {
    await assert.rejects(startEmulator({ users: [{ ...ALICE, ackDelayMs: 1.5 }] }), /users\[0\]\.ackDelayMs must be an integer number of ms between 0 and 60000, got 1\.5/);
    emu = await startEmulator({ users: [BOT, { ...ALICE, ackDelayMs: 50 }] });
    assert.equal(emu.user(ALICE.uri).ackDelayMs, 50);
  });

  it('should answer addMessaging 409 while IM is connected and 404 once the two-party conversation ended', async () => {
    emu = await startEmulator();
    const { app, conv, messaging } = await connected(emu, 'add');
    const self = messaging.self.href;
    const addHref = `${self}/addMessaging`;
    const live = await app.post(addHref, {});
    assert.equal(live.status, 409);
    assert.equal(live.json.code, 'Conflict');
    await conv.leave();
    const evs = await app.pollUntil((e) => e.link.rel === 'conversation' && e.type === 'deleted');
    const disconnected = evs.find((e) => e.link.rel === 'messaging')!._embedded!.messaging as { state: string; _links: Links };
    assert.equal(disconnected.state, 'Disconnected');
    assert.equal(disconnected._links.addMessaging.href, addHref);
    const ended = await app.post(addHref, {});
    assert.equal(ended.status, 404);
    assert.equal(ended.json.code, 'NotFound');
  });
});
