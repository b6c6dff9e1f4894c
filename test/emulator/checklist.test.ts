/**
 * PROTOCOL.md §14 checklist items not covered elsewhere: makeMeAvailable / reportMyActivity / communication /
 * policies rules (§14.3), media types (§14.7), startMessaging validation and the correlation-id spellings (§14.6).
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import type { UcwaEmulator } from '../../src/emulator/index.js';
import { ALICE, BOB, BOT, startEmulator } from './support/fixture.js';
import { App, call, signIn } from './support/walker.js';

type Links = Record<string, { href: string }>;

describe('emulator PROTOCOL.md §14 checklist', () => {
  let emu: UcwaEmulator;
  let n = 0;
  before(async () => {
    emu = await startEmulator({ htmlMessaging: false });
  });
  after(() => emu.close());

  const newApp = async (): Promise<App> => App.create(await signIn(emu.discoveryUrl, BOT.uri, BOT.password), `check-${++n}`);
  const meLinks = (app: App): Links => app.embedded('me')._links as Links;
  const commLinks = (app: App): Links => app.embedded('communication')._links as Links;

  it('should refuse reportMyActivity before makeMeAvailable (409 MakeMeAvailableRequired) and a modality other than Messaging/PhoneAudio (403)', async () => {
    const app = await newApp();
    const report = await app.post(`${meLinks(app).self.href}/reportMyActivity`);
    assert.equal(report.status, 409);
    assert.deepEqual([report.json.code, report.json.subcode], ['Conflict', 'MakeMeAvailableRequired']);
    const video = await app.post(meLinks(app).makeMeAvailable.href, { supportedModalities: ['Messaging', 'Video'] });
    assert.equal(video.status, 403);
    assert.equal(video.json.code, 'Forbidden');
    assert.equal('subcode' in video.json, false);
    assert.equal((await app.makeMeAvailable()).status, 204);
    const me = (await app.get(meLinks(app).self.href)).json;
    assert.equal(me._links.makeMeAvailable, undefined, 'makeMeAvailable disappears after it succeeded');
    assert.equal((await app.post(me._links.reportMyActivity.href)).status, 204);
  });

  it('should guard PUT communication: 428 without If-Match, 412 on a stale ETag, 400 without the PUT guard member, 200 otherwise', async () => {
    const app = await newApp();
    const href = commLinks(app).self.href;
    const comm = (await app.get(href)).json;
    const guard = Object.keys(comm).find((k) => comm[k] === 'please pass this in a PUT request')!;
    const put = (body: object, ifMatch?: string) => call(app.abs(href), {
      method: 'PUT', token: app.s.token, headers: { 'Content-Type': 'application/json', ...(ifMatch ? { 'If-Match': ifMatch } : {}) }, body: JSON.stringify(body),
    });
    const full = { ...comm, supportedMessageFormats: ['Plain', 'Html'] };
    assert.equal((await put(full)).status, 428);
    assert.equal((await put(full, '"1"')).json.code, 'PreconditionFailed');
    const { [guard]: _dropped, ...noGuard } = full;
    const bad = await put(noGuard, `"${comm.etag}"`);
    assert.equal(bad.status, 400);
    assert.equal(bad.json.subcode, 'ParameterValidationFailure');
    const ok = await put(full, `"${comm.etag}"`);
    assert.equal(ok.status, 200);
    assert.notEqual(ok.headers.get('etag'), `"${comm.etag}"`, 'the ETag changes');
  });

  it('should report htmlMessaging in policies and accept the precise UCWA JSON media type both ways', async () => {
    const app = await newApp();
    const policies = await app.get(app.links.policies!.href);
    assert.equal(policies.json.htmlMessaging, 'Disabled');
    const r = await call(app.s.applicationsUrl, {
      method: 'POST', token: app.s.token,
      headers: { 'Content-Type': 'application/vnd.microsoft.com.ucwa+json', Accept: 'application/vnd.microsoft.com.ucwa+json' },
      body: JSON.stringify({ userAgent: 'vnd/1', endpointId: 'vnd', culture: 'en-US' }),
    });
    assert.equal(r.status, 201);
    assert.equal(r.headers.get('content-type'), 'application/json; charset=utf-8');
  });

  it('should validate startMessaging input with a parameters bag naming each bad member', async () => {
    const app = await newApp();
    const r = await app.post(commLinks(app).startMessaging.href, { to: 'alice', subject: 's'.repeat(251), operationId: 'o'.repeat(51), importance: 'Loud' });
    assert.equal(r.status, 400);
    assert.equal(r.json.subcode, 'ParameterValidationFailure');
    assert.deepEqual(Object.keys(r.json.parameters).sort(), ['importance', 'operationId', 'subject', 'to']);
    const badUri = await app.post(commLinks(app).startMessaging.href, { to: BOB.uri, _links: { message: { href: 'http://not-a-data-uri' } } });
    assert.deepEqual(Object.keys(badUri.json.parameters), ['_links.message']);
  });

  it('should echo each documented spelling of the correlation id (operationId, OperationContext, operationContext) as message.operationId', async () => {
    const app = await newApp();
    await app.makeMeAvailable();
    await app.post(commLinks(app).startMessaging.href, { to: ALICE.uri, operationId: 'start-1' });
    const events = await app.pollUntil((e) => e.link.rel === 'messagingInvitation' && e.type === 'completed');
    const messaging = events.filter((e) => e.link.rel === 'messaging').at(-1)!._embedded!.messaging as { _links: Links };
    const ids: string[] = [];
    for (const q of ['operationId=a-1', 'OperationContext=b-2', 'operationContext=c-3']) {
      const sent = await app.post(`${messaging._links.sendMessage.href}?${q}`, 'hi', 'text/plain; charset=UTF-8');
      assert.equal(sent.status, 201, q);
      assert.match(sent.headers.get('location')!, /\/messaging\/messages\/\d+$/);
      const ev = (await app.pollUntil((e) => e.link.rel === 'message')).at(-1)!;
      ids.push((ev._embedded!.message as { operationId: string }).operationId);
    }
    assert.deepEqual(ids, ['a-1', 'b-2', 'c-3']);
    const html = await app.post(messaging._links.sendMessage.href, '<b>hi</b>', 'text/html');
    assert.equal(html.status, 415, 'text/html without negotiated Html');
  });

  it('should offer accept/decline, not stopMessaging, on the messaging of a pending incoming invitation (absent link = not available)', async () => {
    const app = await newApp();
    await app.makeMeAvailable();
    await emu.user(BOB.uri).startConversation('knock knock');
    const started = (await app.pollUntil((e) => e.link.rel === 'messagingInvitation' && e.type === 'started')).at(-1)!;
    const invitation = started._embedded!.messagingInvitation as { _links: Links };
    assert.ok(invitation._links.accept && invitation._links.decline);
    const messaging = (await app.get(invitation._links.messaging.href)).json;
    assert.equal(messaging.state, 'Connecting');
    assert.equal(messaging._links.stopMessaging, undefined);
    const refused = await app.post(`${invitation._links.messaging.href}/terminate`);
    assert.equal(refused.status, 409);
    assert.equal((await app.post(invitation._links.decline.href, { reason: 'Local' })).status, 204);
  });
});

describe('emulator eventsBeforeCreated (OperationResource.md: events may arrive before the 201)', () => {
  /** The order in which a parked P-GET and a sendMessage POST, written on two raw sockets, get their first bytes back. */
  async function arrivalOrder(eventsBeforeCreated: boolean): Promise<string[]> {
    const emu = await startEmulator({ eventsBeforeCreated });
    try {
      const app = await App.create(await signIn(emu.discoveryUrl, BOT.uri, BOT.password), 'race');
      await app.makeMeAvailable();
      await app.post((app.embedded('communication')._links as Links).startMessaging.href, { to: ALICE.uri, operationId: 'race-start' });
      const events = await app.pollUntil((e) => e.link.rel === 'messagingInvitation' && e.type === 'completed');
      const sendHref = (events.filter((e) => e.link.rel === 'messaging').at(-1)!._embedded!.messaging as { _links: Links })._links.sendMessage.href;
      const order: string[] = [];
      const open = (label: string, head: string, body = ''): Promise<void> => new Promise((resolve, reject) => {
        const socket = net.connect(emu.port, '127.0.0.1', () => socket.write(`${head}\r\nHost: x\r\nAuthorization: Bearer ${app.s.token}\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(body)}${body ? '\r\nContent-Type: text/plain' : ''}\r\n\r\n${body}`));
        socket.once('data', () => order.push(label));
        socket.on('close', () => resolve());
        socket.on('error', reject);
      });
      const pget = open('events', `GET ${new URL(app.next).pathname}${new URL(app.next).search} HTTP/1.1`);
      await emu.waitForPendingPGet();
      const post = open('201', `POST ${sendHref}?operationId=race-1 HTTP/1.1`, 'who is first?');
      await Promise.all([pget, post]);
      return order;
    } finally {
      await emu.close();
    }
  }

  it('should send the message event ahead of the 201 only when eventsBeforeCreated is on', async () => {
    assert.deepEqual(await arrivalOrder(true), ['events', '201']);
    assert.deepEqual(await arrivalOrder(false), ['201', 'events']);
  });
});

describe('emulator collapseOperationEvents (PROTOCOL.md §6.6, §9: a fast operation may show only completed)', () => {
  for (const [on, expected] of [[true, ['completed']], [false, ['started', 'completed']]] as const) {
    it(`should ${on ? 'leave out' : 'keep'} the outgoing invitation's started event when it completes in the same response (option ${on ? 'on' : 'off'})`, async () => {
      const emu = await startEmulator({ collapseOperationEvents: on });
      try {
        const app = await App.create(await signIn(emu.discoveryUrl, BOT.uri, BOT.password), 'collapse');
        await app.makeMeAvailable();
        // No P-GET is parked: the invitation starts and completes before anyone polls, so one response carries both.
        assert.equal((await app.post((app.embedded('communication')._links as Links).startMessaging.href, { to: ALICE.uri, operationId: 'fast' })).status, 201);
        const events = (await app.pollUntil((e) => e.link.rel === 'messagingInvitation' && e.type === 'completed'));
        assert.deepEqual(events.filter((e) => e.link.rel === 'messagingInvitation').map((e) => e.type), expected);
        assert.ok(events.some((e) => e.link.rel === 'conversation' && e.type === 'added'), 'ordinary resources keep their events');
      } finally {
        await emu.close();
      }
    });
  }
});
