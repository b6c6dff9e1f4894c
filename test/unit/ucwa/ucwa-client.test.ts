import { strict as assert } from 'node:assert';
import sinon from 'sinon';
import { isUcwaError } from '../../../src/ucwa/errors.js';
import { UcwaClient } from '../../../src/ucwa/ucwa-client.js';
import type { ConversationInfo, IncomingMessage, UcwaClientOptions } from '../../../src/ucwa/types.js';
import { createFakeLogger } from '../../fakes/ucwa/fake-transport.js';
import { APP, DISCOVERY, FakeUcwaServer, fixture } from '../../fakes/ucwa/fake-ucwa-server.js';

const THREAD = 'Ac7bUftwUcVMzgTzRl+OQchCsUn35Q==';

function setup(extra: Partial<UcwaClientOptions> = {}) {
  const server = new FakeUcwaServer();
  const logger = createFakeLogger();
  const client = new UcwaClient({ discoveryUrl: DISCOVERY, username: 'toshm@contoso.com', password: 'secret-pw', fetch: server.transport.fetch, logger, ...extra });
  const messages: IncomingMessage[] = [];
  const started: ConversationInfo[] = [];
  const ended: ConversationInfo[] = [];
  const fatal: Error[] = [];
  let onFatal: () => void = () => undefined;
  const fatalSeen = new Promise<void>((resolve) => {
    onFatal = resolve;
  });
  client.setHandlers({
    message: (m) => {
      messages.push(m);
    },
    conversationStarted: (c) => {
      started.push({ ...c });
    },
    conversationEnded: (c) => {
      ended.push({ ...c });
    },
    fatal: (e) => {
      fatal.push(e);
      onFatal();
    },
  });
  return { server, client, logger, messages, started, ended, fatal, fatalSeen };
}

const posts = (server: FakeUcwaServer, suffix: string) => server.transport.requests.filter((r) => r.method === 'POST' && new URL(r.url).pathname.endsWith(suffix));

describe('UcwaClient (fake server, documented walk-through payloads)', () => {
  it('should sign in, create the application, make itself available and park a P-GET with timeout added', async () => {
    const { server, client } = setup();
    await client.start();
    assert.equal(client.state, 'ready');
    assert.equal(client.self?.uri, 'sip:toshm@contoso.com');
    const body = JSON.parse(posts(server, '/applications')[0]!.body!);
    assert.deepEqual(Object.keys(body).sort(), ['culture', 'endpointId', 'userAgent']);
    assert.match(body.endpointId, /^ucwa-bot-[0-9a-f]{32}$/);
    assert.deepEqual(JSON.parse(posts(server, '/makeMeAvailable')[0]!.body!), { supportedModalities: ['Messaging'], supportedMessageFormats: ['Plain', 'Html'] });
    await server.whenPolled(1);
    assert.ok(server.transport.log.includes(`GET lyncweb.contoso.com${APP}/events?ack=1&timeout=180`));
    await client.stop();
    assert.equal(client.state, 'stopped');
    assert.ok(server.transport.log.includes(`DELETE lyncweb.contoso.com${APP}`));
  });

  it('should report activity every 180 s by default, and re-create the application when it answers 404', async () => {
    const clock = sinon.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const { server, client } = setup();
      await client.start();
      await clock.tickAsync(179_999);
      assert.equal(posts(server, '/reportMyActivity').length, 0);
      await clock.tickAsync(1);
      await server.waitFor((r) => r.url.endsWith('/reportMyActivity'));
      const gone = { status: 404, json: { code: 'NotFound', subcode: 'ApplicationNotFound' } };
      let expired = true;
      server.handlers.push((req) => {
        if (!expired) return undefined;
        if (req.url.endsWith('/reportMyActivity')) return gone;
        if (req.method === 'GET' && new URL(req.url).pathname === APP) return gone; // confirmed gone (§15 item 36)
        if (req.method === 'POST' && new URL(req.url).pathname === '/ucwa/oauth/v1/applications') expired = false;
        return undefined;
      });
      await clock.tickAsync(180_000);
      await server.waitFor((r) => r.method === 'POST' && new URL(r.url).pathname === '/ucwa/oauth/v1/applications', 2);
      await server.waitFor((r) => new URL(r.url).pathname.endsWith('/events') && new URL(r.url).searchParams.get('ack') === '1', 2);
      assert.equal(client.stats.applicationsCreated, 2);
      await client.stop();
    } finally {
      clock.restore();
    }
  });

  it('should keep the same endpointId across restarts (stable per deployment slot)', async () => {
    const a = setup();
    const b = setup();
    await a.client.start();
    await b.client.start();
    const id = (s: FakeUcwaServer) => JSON.parse(posts(s, '/applications')[0]!.body!).endpointId;
    assert.equal(id(a.server), id(b.server));
    await a.client.stop();
    await b.client.stop();
  });

  it('should accept an incoming invitation and deliver its first message exactly once (ReceiveAnIM.md)', async () => {
    const { server, client, messages, started } = setup();
    await client.start();
    for (let n = 1; n <= 6; n++) server.push(fixture(`events__receive-im-${n}-${['after-makeMeAvailable', 'incoming-invitation-started', 'remote-participant-added', 'invitation-updated', 'accepted-connected', 'incoming-message-completed'][n - 1]}.json`));
    server.handlers.push((req) => (req.method === 'POST' && req.url.endsWith('/accept') ? { status: 204 } : undefined));
    await server.whenPolled(7);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(posts(server, '/accept').map((r) => new URL(r.url).pathname), [`${APP}/communication/messagingInvitations/6408/accept`]);
    assert.equal(started.length, 1);
    assert.equal(started[0]!.key, THREAD);
    assert.equal(started[0]!.remote.uri, 'sip:lenea@contoso.com');
    assert.equal(messages.length, 1, 'the replayed first message is not delivered twice');
    assert.equal(messages[0]!.text, 'Hi Tosh\n');
    assert.equal(messages[0]!.sender.uri, 'sip:lenea@contoso.com');
    const info = client.getConversation(THREAD);
    assert.equal(info?.state, 'Connected');
    assert.deepEqual(info?.negotiatedMessageFormats, ['Plain']);

    server.handlers.push((req) => (req.method === 'POST' && new URL(req.url).pathname.endsWith('/messaging/messages') ? { status: 201, headers: { location: `${APP}/communication/conversations/eee0/messaging/messages/3` } } : undefined));
    const sent = await client.sendMessage(THREAD, 'Hi Lene, ünïcode', 'plain');
    const post = posts(server, '/messaging/messages')[0]!;
    assert.equal(new URL(post.url).searchParams.get('operationId'), sent.operationId);
    assert.equal(post.headers['content-type'], 'text/plain; charset=UTF-8');
    assert.equal(post.body, 'Hi Lene, ünïcode');
    assert.equal(sent.href, `https://lyncweb.contoso.com${APP}/communication/conversations/eee0/messaging/messages/3`);
    await client.stop();
  });

  it('should re-open IM with addMessaging when messaging was Disconnected, then send', async () => {
    const { server, client, messages } = setup();
    await client.start();
    server.handlers.push((req) => (req.method === 'POST' && req.url.endsWith('/accept') ? { status: 204 } : undefined));
    for (const n of [2, 5]) server.push(fixture(`events__receive-im-${n}-${n === 2 ? 'incoming-invitation-started' : 'accepted-connected'}.json`));
    const CONV = `${APP}/communication/conversations/eee0`;
    const MESSAGING = `${CONV}/messaging`;
    server.push({ sender: [{ rel: 'conversation', href: CONV, events: [{ link: { rel: 'messaging', href: MESSAGING }, type: 'updated', _embedded: { messaging: {
      state: 'Disconnected', _links: { self: { href: MESSAGING }, addMessaging: { href: `${MESSAGING}/addMessaging` } } } } }] }] });
    await server.whenPolled(4);
    await new Promise((r) => setImmediate(r));
    assert.equal(messages.length, 1);
    server.handlers.push(async (req) => {
      if (req.method !== 'POST' || !req.url.endsWith('/addMessaging')) return undefined;
      const { operationId } = JSON.parse(req.body!);
      const INV = `${APP}/communication/messagingInvitations/77`;
      server.push({ sender: [
        { rel: 'communication', href: `${APP}/communication`, events: [{ link: { rel: 'messagingInvitation', href: INV }, type: 'started', _embedded: { messagingInvitation: { direction: 'Outgoing', operationId, _links: { self: { href: INV }, conversation: { href: CONV } } } } }] },
        { rel: 'conversation', href: CONV, events: [{ link: { rel: 'messaging', href: MESSAGING }, type: 'updated', _embedded: { messaging: { state: 'Connected', negotiatedMessageFormats: ['Plain'], _links: { self: { href: MESSAGING }, sendMessage: { href: `${MESSAGING}/messages` } } } } }] },
        { rel: 'communication', href: `${APP}/communication`, events: [{ link: { rel: 'messagingInvitation', href: INV }, type: 'completed', status: 'Success', _embedded: { messagingInvitation: { direction: 'Outgoing', operationId, _links: { self: { href: INV }, conversation: { href: CONV } } } } }] },
      ] });
      return { status: 201, headers: { location: INV } };
    });
    server.handlers.push((req) => (req.method === 'POST' && new URL(req.url).pathname === `${MESSAGING}/messages` ? { status: 201, headers: { location: `${MESSAGING}/messages/9` } } : undefined));
    const sent = await client.sendMessage(THREAD, 'back again', 'plain');
    assert.equal(posts(server, '/addMessaging').length, 1);
    assert.match(JSON.parse(posts(server, '/addMessaging')[0]!.body!).operationId, /^[0-9a-f-]{36}$/);
    assert.equal(posts(server, '/messages')[0]!.body, 'back again');
    assert.equal(sent.href, `https://lyncweb.contoso.com${MESSAGING}/messages/9`);
    assert.equal(client.getConversation(THREAD)?.href, `https://lyncweb.contoso.com${CONV}`, 'same conversation, same key');
    await client.stop();
  });

  it('should decline when acceptInvitations says no, with reason Local', async () => {
    const { server, client, started } = setup({ acceptInvitations: (uri) => uri !== 'sip:lenea@contoso.com' });
    server.handlers.push((req) => (req.method === 'POST' && req.url.endsWith('/decline') ? { status: 204 } : undefined));
    await client.start();
    server.push(fixture('events__receive-im-2-incoming-invitation-started.json'));
    await server.whenPolled(2);
    await new Promise((r) => setImmediate(r));
    assert.equal(posts(server, '/accept').length, 0);
    assert.deepEqual(JSON.parse(posts(server, '/decline')[0]!.body!), { reason: 'Local' });
    assert.equal(started.length, 0);
    await client.stop();
  });

  it('should resolve startMessaging from events that arrive before the 201 (SendAnIM.md, operationId correlation)', async () => {
    const { server, client, started } = setup();
    await client.start();
    server.handlers.push(async (req) => {
      if (req.method !== 'POST' || !req.url.endsWith('/communication/messagingInvitations')) return undefined;
      const { operationId, to, _links } = JSON.parse(req.body!);
      assert.equal(to, 'sip:lenea@contoso.com');
      assert.match(_links.message.href, /^data:text\/plain;charset=utf-8,Hello\+Lene$/);
      const swap = (name: string) => JSON.parse(JSON.stringify(fixture(name)).replaceAll('5028e824-2268-4b14-9e59-1abad65ff393', operationId));
      server.push(swap('events__send-im-1-invitation-started.json'));
      server.push(swap('events__send-im-2-invitation-completed-success.json'));
      await server.whenPolled(3); // both batches consumed before the 201 is sent
      return { status: 201, headers: { location: `${APP}/communication/messagingInvitations/60c` } };
    });
    const conversation = await client.startMessaging('sip:lenea@contoso.com', { subject: 'Task Sample', message: 'Hello Lene' });
    assert.equal(conversation.state, 'Connected');
    assert.equal(conversation.direction, 'Outgoing');
    assert.equal(conversation.remote.uri, 'sip:lenea@contoso.com');
    assert.equal(started.length, 1);
    assert.ok(client.getConversation(conversation.key)?.negotiatedMessageFormats?.includes('Plain'));
    await client.stop();
  });

  it('should reject startMessaging with the documented reason of a failed invitation (source event)', async () => {
    const { server, client } = setup();
    await client.start();
    server.handlers.push(async (req) => {
      if (req.method !== 'POST' || !req.url.endsWith('/communication/messagingInvitations')) return undefined;
      const { operationId } = JSON.parse(req.body!);
      server.push({
        sender: [{ rel: 'communication', href: `${APP}/communication`, events: [{
          link: { rel: 'messagingInvitation', href: `${APP}/communication/messagingInvitations/9` }, type: 'completed', status: 'Failure',
          reason: { code: 'RemoteFailure', subcode: 'TemporarilyUnavailable', message: 'The person is offline.' },
          _embedded: { messagingInvitation: { direction: 'Outgoing', state: 'Failed', operationId, _links: { self: { href: `${APP}/communication/messagingInvitations/9` } } } },
        }] }],
      });
      return { status: 201, headers: { location: `${APP}/communication/messagingInvitations/9` } };
    });
    const err = await client.startMessaging('sip:offline@contoso.com').catch((e: unknown) => e);
    assert.ok(isUcwaError(err));
    assert.equal(err.details.source, 'event');
    assert.equal(err.code, 'RemoteFailure');
    assert.equal(err.subcode, 'TemporarilyUnavailable');
    assert.match(err.message, /startMessaging failed: RemoteFailure\/TemporarilyUnavailable/);
    await client.stop();
  });

  it('should log and skip malformed events while later events in the same and later responses still arrive', async () => {
    const { server, client, logger, started } = setup();
    await client.start();
    server.handlers.push((req) => (req.method === 'POST' && req.url.endsWith('/accept') ? { status: 204 } : undefined));
    const invitation = fixture('events__receive-im-2-incoming-invitation-started.json') as { sender: { events: unknown[] }[] };
    invitation.sender[0]!.events.unshift({ type: 'added' }, 'garbage', { link: { rel: 'message' }, type: 'started' });
    server.push({ sender: 'not-an-array' } as unknown as Record<string, unknown>);
    server.push({ sender: [null, { rel: 'x' }] } as unknown as Record<string, unknown>);
    server.push(invitation);
    server.push(fixture('events__receive-im-5-accepted-connected.json'));
    await server.whenPolled(5);
    await new Promise((r) => setImmediate(r));
    assert.equal(started.length, 1, 'the valid events after the bad ones were processed');
    assert.ok(logger.entries.filter((e) => e.level === 'warn' && /malformed/.test(e.msg ?? '')).length >= 4);
    assert.ok(!logger.text().includes('secret-pw') && !logger.text().includes('cwt='), 'no secret logged');
    await client.stop();
  });

  it('should stop with a clear fatal error when the P-GET is replaced by another process', async () => {
    let retries = 0;
    const { server, client, fatal, fatalSeen } = setup({ metrics: { retry: () => retries++ } });
    await client.start();
    server.push({ status: 409, json: { code: 'Conflict', subcode: 'PGetReplaced' } });
    await fatalSeen;
    assert.match(fatal[0]!.message, /another process signed in as the same bot \(409 Conflict\/PGetReplaced\)/);
    assert.equal(client.state, 'failed');
    assert.match(client.notReadyReason ?? '', /PGetReplaced/);
    const err = await client.startMessaging('sip:lenea@contoso.com').catch((e: unknown) => e);
    assert.ok(isUcwaError(err) && err.subcode === 'NotReady', 'a failed client answers at once');
    assert.equal(retries, 0, 'and the retry table does not retry NotReady');
    await client.stop();
  });

  it('should re-create the application on 404 ApplicationNotFound from the event channel and carry on', async () => {
    const { server, client } = setup();
    await client.start();
    server.push({ status: 404, json: { code: 'NotFound', subcode: 'ApplicationNotFound' } });
    await server.waitFor((r) => new URL(r.url).pathname.endsWith('/events') && new URL(r.url).searchParams.get('ack') === '1', 2);
    await new Promise((r) => setImmediate(r));
    assert.equal(client.state, 'ready');
    assert.equal(posts(server, '/applications').length, 2);
    assert.equal(posts(server, '/makeMeAvailable').length, 2, 'makeMeAvailable again on the new application');
    assert.equal(client.stats.applicationsCreated, 2);
    await client.stop();
  });
});
