import assert from 'node:assert/strict';
import type { UcwaEmulator } from '../../src/emulator/index.js';
import { ALICE, BOB, BOT, startEmulator } from './support/fixture.js';
import { App, call, signIn } from './support/walker.js';

describe('emulator /_emulator/api routes', () => {
  let emu: UcwaEmulator;
  let app: App;
  let api: string;
  const alice = encodeURIComponent(ALICE.uri);
  const json = (method: string, body?: unknown) => ({ method, headers: { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

  before(async () => {
    emu = await startEmulator();
    api = `${emu.baseUrl}/_emulator/api`;
    app = await App.create(await signIn(emu.discoveryUrl, BOT.uri, BOT.password));
    await app.makeMeAvailable();
  });
  after(() => emu.close());

  it('GET users lists accounts without passwords', async () => {
    const r = await call(`${api}/users`);
    assert.deepEqual(r.json, [BOT, ALICE, BOB].map((u) => ({ uri: u.uri, name: u.name, availability: 'online', ackDelayMs: 0 })));
    assert.equal(r.text.includes('pass'), false);
  });

  it('POST users/{uri}/availability sets it and rejects unknown values', async () => {
    const bob = encodeURIComponent(BOB.uri);
    assert.equal((await call(`${api}/users/${bob}/availability`, json('POST', { availability: 'busy' }))).status, 200);
    assert.equal(emu.user(BOB.uri).availability, 'busy');
    const bad = await call(`${api}/users/${bob}/availability`, json('POST', { availability: 'sleepy' }));
    assert.equal(bad.status, 400);
    assert.match(bad.json.error, /Unknown availability "sleepy"/);
  });

  it('POST users/{uri}/ackDelayMs sets how late the far end acknowledges, and rejects a bad value', async () => {
    const bob = encodeURIComponent(BOB.uri);
    const ok = await call(`${api}/users/${bob}/ackDelayMs`, json('POST', { ackDelayMs: 250 }));
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.json, { uri: BOB.uri, ackDelayMs: 250 });
    assert.equal(emu.user(BOB.uri).ackDelayMs, 250);
    const bad = await call(`${api}/users/${bob}/ackDelayMs`, json('POST', { ackDelayMs: 'slow' }));
    assert.equal(bad.status, 400);
    assert.match(bad.json.error, /ackDelayMs must be an integer number of ms between 0 and 60000, got slow/);
    assert.equal(emu.user(BOB.uri).ackDelayMs, 250, 'unchanged by the refused value');
  });

  it('conversations: start, long-poll for the bot reply, send, type, leave', async () => {
    const start = await call(`${api}/users/${alice}/conversations`, json('POST', { text: 'hello from the page' }));
    assert.equal(start.status, 201);
    assert.equal(start.json.state, 'Connecting');
    const id: string = start.json.id;
    const inv = (await app.pollUntil((e) => e.link.rel === 'messagingInvitation')).at(-1)!._embedded!.messagingInvitation!;
    await app.post((inv._links as any).accept.href);
    const messaging = (await app.pollUntil((e) => e.link.rel === 'messaging')).at(-1)!._embedded!.messaging!;

    const waiting = call(`${api}/conversations/${id}?since=1&wait=10`);
    await app.post((messaging._links as any).setIsTyping.href);
    const typingView = await waiting;
    assert.equal(typingView.json.botTyping, true);

    const reply = call(`${api}/conversations/${id}?since=1&wait=10`);
    await app.post((messaging._links as any).sendMessage.href, 'Hi from the bot', 'text/plain');
    const view = (await reply).json;
    assert.equal(view.state, 'Connected');
    assert.deepEqual(view.messages.map((m: any) => [m.seq, m.direction, m.text, m.format]), [[1, 'sent', 'hello from the page', 'plain'], [2, 'received', 'Hi from the bot', 'plain']]);
    assert.ok(!Number.isNaN(Date.parse(view.messages[1].timestamp)));

    assert.equal((await call(`${api}/conversations/${id}/messages`, json('POST', { text: '<i>x</i>', format: 'html' }))).status, 200);
    const inc = (await app.pollUntil((e) => e.link.rel === 'message' && (e._embedded?.message as any)?.direction === 'Incoming')).at(-1)!;
    assert.equal((inc._embedded!.message!._links as any).plainMessage.href, 'data:text/plain;charset=utf-8,x');
    assert.equal((await call(`${api}/conversations/${id}/typing`, json('POST', { typing: true }))).status, 200);
    assert.equal((await app.pollUntil((e) => e.in?.rel === 'typingParticipants')).at(-1)!.type, 'added');
    assert.equal((await call(`${api}/conversations/${id}/typing`, json('POST', { typing: 'yes' }))).status, 400);

    const list = await call(`${api}/users/${alice}/conversations`);
    assert.equal(list.json.find((c: any) => c.id === id).messages.length, 3);
    assert.equal((await call(`${api}/conversations/${id}/leave`, json('POST'))).json.state, 'Disconnected');
    assert.equal((await call(`${api}/conversations/${id}/messages`, json('POST', { text: 'late' }))).status, 409);
  });

  it('GET conversations/{id} answers at once with wait=0 or an older since, and 404 for unknown ids', async () => {
    const start = await call(`${api}/users/${alice}/conversations`, json('POST', { text: 'quiet' }));
    const r = await call(`${api}/conversations/${start.json.id}?since=1&wait=0`);
    assert.equal(r.json.messages.length, 1);
    assert.equal((await call(`${api}/conversations/nope`)).status, 404);
  });

  it('GET conversations/{id} answers at once when the caller\'s known state or typing (query state / typing) is stale', async () => {
    const start = await call(`${api}/users/${alice}/conversations`, json('POST', { text: 'what do you show?' }));
    // wait=25 outlasts the test timeout: a long poll that parked instead of answering fails the test.
    const poll = async (known: string) => (await call(`${api}/conversations/${start.json.id}?since=1&wait=25&${known}`)).json;
    assert.equal((await poll('state=Connected&typing=0')).state, 'Connecting', 'a stale state is answered at once');
    assert.equal((await poll('state=Connecting&typing=1')).botTyping, false, 'a stale typing indicator is answered at once');
  });

  it('faults over HTTP: POST creates, DELETE clears; requests lists the log', async () => {
    const f = await call(`${api}/faults`, json('POST', { resource: 'application', times: 1, error: { status: 503 } }));
    assert.equal(f.status, 201);
    assert.equal(typeof f.json.id, 'number');
    assert.equal((await app.get(app.links.self!.href)).status, 503);
    await call(`${api}/faults`, json('POST', { resource: 'application', times: 1, error: { status: 500 } }));
    assert.equal((await call(`${api}/faults`, json('DELETE'))).status, 200);
    assert.equal((await app.get(app.links.self!.href)).status, 200);
    assert.equal((await call(`${api}/faults`, json('POST', { resource: 'bogus' }))).status, 400);
    const log = await call(`${api}/requests`);
    assert.ok(log.json.some((r: any) => r.resource === 'application' && r.status === 503));
  });

  it('GET /_emulator/chat serves the chat page for the bot', async () => {
    const r = await call(`${emu.baseUrl}/_emulator/chat`, { headers: { Accept: 'text/html' } });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type')!, /text\/html/);
    assert.ok(r.text.includes('Help Bot'));
    assert.ok(r.text.includes(ALICE.uri));
  });
});
