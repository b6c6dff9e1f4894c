import assert from 'node:assert/strict';
import type { UcwaEmulator } from '../../src/emulator/index.js';
import { ALICE, BOB, BOT, startEmulator } from './support/fixture.js';
import { App, call, signIn } from './support/walker.js';

describe('emulator lifecycle and options', () => {
  let emu: UcwaEmulator | undefined;
  afterEach(async () => {
    await emu?.close();
    emu = undefined;
  });

  it('should redirect to the home pool, which challenges again and refuses the first pool\'s token', async () => {
    emu = await startEmulator({ homePoolRedirect: true });
    const s = await signIn(emu.discoveryUrl, BOT.uri, BOT.password);
    assert.match(s.applicationsUrl, /\/pool2\/ucwa\/oauth\/v1\/applications$/);
    assert.match(s.tokenUrl, /\/pool2\/WebTicket\/oauthtoken$/);
    const root = await call(emu.discoveryUrl);
    const tok = await call(root.json._links.user.href.replace(/\/Autodiscover.*/, '/WebTicket/oauthtoken'), {
      method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'grant_type=password&username=bot&password=bot-pass',
    });
    const r = await call(s.applicationsUrl, { method: 'POST', token: tok.json.access_token, headers: { 'Content-Type': 'application/json' }, body: '{"userAgent":"a","endpointId":"b","culture":"en-US"}' });
    assert.equal(r.status, 401);
    assert.equal((await App.create(s)).links.self!.href.startsWith('/pool2/'), true);
  });

  it('should return the same application (200) for the same endpointId and a new one (201) otherwise', async () => {
    emu = await startEmulator();
    const s = await signIn(emu.discoveryUrl, BOT.uri, BOT.password);
    const body = (ep: string) => ({ method: 'POST', token: s.token, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ USERAGENT: 'a', endpointid: ep, Culture: 'en-US' }) });
    const a = await call(s.applicationsUrl, body('same'));
    const b = await call(s.applicationsUrl, body('same'));
    const c = await call(s.applicationsUrl, body('other'));
    assert.deepEqual([a.status, b.status, c.status], [201, 200, 201]);
    assert.equal(a.json._links.self.href, b.json._links.self.href);
    assert.notEqual(a.json._links.self.href, c.json._links.self.href);
  });

  it('should refuse a configured userAgent and the application over the cap with 410 Gone (UserAgentNotAllowed / TooManyApplications)', async () => {
    emu = await startEmulator({ maxApplicationsPerUser: 2, refusedUserAgents: ['BadBot/'] });
    const s = await signIn(emu.discoveryUrl, BOT.uri, BOT.password);
    const post = (ua: string, ep: string) => call(s.applicationsUrl, { method: 'POST', token: s.token, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ userAgent: ua, endpointId: ep, culture: 'en-US' }) });
    const refused = await post('badbot/2.0', 'x');
    assert.equal(refused.status, 410);
    assert.deepEqual([refused.json.code, refused.json.subcode], ['Gone', 'UserAgentNotAllowed']);
    assert.equal((await post('good/1', 'one')).status, 201);
    const two = await post('good/1', 'two');
    assert.equal(two.status, 201);
    assert.equal((await post('good/1', 'one')).status, 200, 'the same endpointId still reaches its application');
    const third = await post('good/1', 'three');
    assert.equal(third.status, 410);
    assert.deepEqual([third.json.code, third.json.subcode], ['Gone', 'TooManyApplications']);
    assert.equal((await call(new URL(two.json._links.self.href, s.applicationsUrl).toString(), { method: 'DELETE', token: s.token })).status, 204);
    assert.equal((await post('good/1', 'three')).status, 201, 'a deleted application frees its place');
    await assert.rejects(startEmulator({ refusedUserAgents: [''] }), /refusedUserAgents/);
  });

  it('should decline: the invitation completes with Failure/Declined and the simulated user sees Disconnected', async () => {
    emu = await startEmulator();
    const app = await App.create(await signIn(emu.discoveryUrl, BOT.uri, BOT.password));
    await app.makeMeAvailable();
    const conv = await emu.user(ALICE.uri).startConversation('hi');
    const inv = (await app.pollUntil((e) => e.link.rel === 'messagingInvitation')).at(-1)!._embedded!.messagingInvitation as any;
    assert.equal((await app.post(inv._links.decline.href, { reason: 'Local' })).status, 204);
    const done = (await app.pollUntil((e) => e.link.rel === 'messagingInvitation' && e.type === 'completed')).at(-1)!;
    assert.deepEqual([done.status, done.reason?.subcode], ['Failure', 'Declined']);
    assert.equal(conv.state, 'Disconnected');
    assert.equal((conv as any).failure, 'Declined');
    assert.equal((await app.post(inv._links.accept.href)).status, 404);
  });

  it('should tell a simulated user the bot is unavailable before makeMeAvailable', async () => {
    emu = await startEmulator();
    await App.create(await signIn(emu.discoveryUrl, BOT.uri, BOT.password));
    const conv = await emu.user(ALICE.uri).startConversation('anyone?');
    assert.equal(conv.state, 'Disconnected');
    assert.equal((conv as any).failure, 'TemporarilyUnavailable');
  });

  it('should negotiate Html: htmlMessage (base64) on incoming messages and text/html accepted by sendMessage', async () => {
    emu = await startEmulator({ replayInvitationMessage: false });
    const app = await App.create(await signIn(emu.discoveryUrl, BOT.uri, BOT.password));
    await app.makeMeAvailable(['Plain', 'Html']);
    const conv = await emu.user(ALICE.uri).startConversation('<p>hi</p>', { format: 'html' });
    const inv = (await app.pollUntil((e) => e.link.rel === 'messagingInvitation')).at(-1)!._embedded!.messagingInvitation as any;
    await app.post(inv._links.accept.href);
    const evs = await app.pollUntil((e) => e.link.rel === 'messagingInvitation' && e.type === 'completed');
    assert.equal(evs.some((e) => e.link.rel === 'message'), false); // replay off
    const messaging = evs.find((e) => e.link.rel === 'messaging')!._embedded!.messaging as any;
    assert.deepEqual(messaging.negotiatedMessageFormats, ['Plain', 'Html']);
    await conv.send('<b>x</b>', { format: 'html' });
    const m = (await app.pollUntil((e) => e.link.rel === 'message')).at(-1)!._embedded!.message as any;
    assert.equal(m._links.htmlMessage.href, `data:text/html;base64,${Buffer.from('<b>x</b>').toString('base64')}`);
    assert.equal((await app.post(messaging._links.sendMessage.href, '<i>ok</i>', 'text/html')).status, 201);
    const got = await conv.waitForReceived(1);
    assert.deepEqual([got[0]!.format, got[0]!.html, got[0]!.text], ['html', '<i>ok</i>', 'ok']);
  });

  it('should reject a repeated operationId with 409 AlreadyExists only when rejectDuplicateOperationIds is on', async () => {
    for (const reject of [false, true]) {
      emu = await startEmulator({ rejectDuplicateOperationIds: reject });
      const app = await App.create(await signIn(emu.discoveryUrl, BOT.uri, BOT.password));
      const start = (app.embedded('communication')._links as any).startMessaging.href;
      await app.post(start, { to: BOB.uri, operationId: 'same' });
      const messaging = (await app.pollUntil((e) => e.link.rel === 'messaging' && (e._embedded?.messaging as any)?.state === 'Connected')).at(-1)!._embedded!.messaging as any;
      const send = () => app.post(`${messaging._links.sendMessage.href}?operationId=dup`, 'hello', 'text/plain');
      assert.equal((await send()).status, 201);
      const again = await send();
      assert.equal(again.status, reject ? 409 : 201);
      if (reject) assert.deepEqual([again.json.code, again.json.subcode], ['Conflict', 'AlreadyExists']);
      assert.equal((await app.post(start, { to: BOB.uri, operationId: 'same' })).status, reject ? 409 : 201);
      await emu.close();
      emu = undefined;
    }
  });

  it('should expire on demand: 410 InactiveApplicationExpired with gone, 404 otherwise', async () => {
    emu = await startEmulator();
    const s = await signIn(emu.discoveryUrl, BOT.uri, BOT.password);
    const a = await App.create(s, 'a');
    const b = await App.create(s, 'b');
    emu.expireApplication(a.links.self!.href.split('/').pop(), { gone: true });
    emu.expireApplication(b.links.self!.href.split('/').pop());
    assert.equal((await a.get(a.links.self!.href)).json.subcode, 'InactiveApplicationExpired');
    assert.equal((await b.get(b.links.self!.href)).json.subcode, 'ApplicationNotFound');
    assert.deepEqual(emu.applications(), []);
  });

  it('should serve the reference URL shapes with urlStyle "reference"', async () => {
    emu = await startEmulator({ urlStyle: 'reference' });
    const app = await App.create(await signIn(emu.discoveryUrl, BOT.uri, BOT.password));
    assert.match(app.links.self!.href, /^\/ucwa\/v1\/applications\/\d+$/);
    assert.match((app.embedded('me')._links as any).makeMeAvailable.href, /\/communication\/makeMeAvailable$/);
    assert.match((app.embedded('communication')._links as any).startMessaging.href, /\/communication\/startMessaging$/);
    assert.equal((await app.get(app.links.self!.href.replace('/ucwa/v1/', '/ucwa/oauth/v1/'))).status, 404);
  });
});
