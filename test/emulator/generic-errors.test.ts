import assert from 'node:assert/strict';
import type { UcwaEmulator } from '../../src/emulator/index.js';
import { ALICE, BOT, startEmulator } from './support/fixture.js';
import { App, call, signIn, type Reply } from './support/walker.js';

/** Every UCWA error: JSON `{code, subcode?, message}`, diagnostics and the no-cache headers (PROTOCOL.md §10.1, §14.7). */
function assertUcwaError(r: Reply, status: number, code: string, subcode?: string): void {
  assert.equal(r.status, status, r.text);
  assert.match(r.headers.get('content-type')!, /^application\/json/);
  assert.equal(r.json.code, code);
  if (subcode) assert.equal(r.json.subcode, subcode);
  else assert.equal('subcode' in r.json, false);
  assert.equal(typeof r.json.message, 'string');
  assert.ok(r.headers.get('x-ms-diagnostics'));
  assert.equal(r.headers.get('cache-control'), 'no-cache');
  assert.equal(r.headers.get('expires'), '-1');
  assert.ok(r.headers.get('x-ms-server-fqdn'));
}

describe('emulator generic errors', () => {
  let emu: UcwaEmulator;
  let app: App;
  before(async () => {
    emu = await startEmulator({ maxBodyBytes: 1024, maxMessageBytes: 64 });
    app = await App.create(await signIn(emu.discoveryUrl, 'bot', BOT.password));
  });
  after(() => emu.close());

  const postApps = (body: string, contentType = 'application/json'): Promise<Reply> =>
    call(app.s.applicationsUrl, { method: 'POST', token: app.s.token, headers: { 'Content-Type': contentType }, body });

  it('should answer a malformed JSON body with 400 BadRequest/DeserializationFailure', async () => {
    assertUcwaError(await postApps('{"userAgent":'), 400, 'BadRequest', 'DeserializationFailure');
  });

  it('should answer a missing parameter with 400 ParameterValidationFailure and a parameters bag', async () => {
    const r = await postApps(JSON.stringify({ userAgent: 'x', culture: 'en-US' }));
    assertUcwaError(r, 400, 'BadRequest', 'ParameterValidationFailure');
    assert.deepEqual(Object.keys(r.json.parameters), ['endpointId']);
  });

  it('should answer a wrong content type with 415 UnsupportedMediaType', async () => {
    assertUcwaError(await postApps('userAgent=x', 'text/plain'), 415, 'UnsupportedMediaType');
  });

  it('should answer an unknown resource with 404 NotFound (ResourceNotFound, no subcode)', async () => {
    assertUcwaError(await app.get(app.links.self!.href + '/nonsense'), 404, 'NotFound');
    assertUcwaError(await call(`${emu.baseUrl}/nowhere`), 404, 'NotFound');
  });

  it('should answer a wrong method with 405 MethodNotAllowed and an Allow header', async () => {
    const r = await call(app.abs(app.links.self!.href), { method: 'PUT', token: app.s.token, headers: { 'Content-Type': 'application/json' }, body: '{}' });
    assertUcwaError(r, 405, 'MethodNotAllowed');
    assert.equal(r.headers.get('allow'), 'GET, DELETE');
  });

  it('should answer an oversize body with 413 EntityTooLarge (request body and message size)', async () => {
    assertUcwaError(await postApps(JSON.stringify({ userAgent: 'x'.repeat(2000) })), 413, 'EntityTooLarge');
    await app.makeMeAvailable();
    await emu.user(ALICE.uri).startConversation('hi');
    const inv = (await app.pollUntil((e) => e.link.rel === 'messagingInvitation')).at(-1)!._embedded!.messagingInvitation!;
    await app.post((inv._links as any).accept.href);
    const msg = (await app.pollUntil((e) => e.link.rel === 'messaging')).at(-1)!._embedded!.messaging!;
    assertUcwaError(await app.post((msg._links as any).sendMessage.href, 'y'.repeat(65), 'text/plain'), 413, 'EntityTooLarge');
    assertUcwaError(await app.post((msg._links as any).sendMessage.href, '{"a":1}', 'application/json'), 415, 'UnsupportedMediaType');
  });

  it('should answer a missing or invalidated token with 401 and the MsRtcOAuth challenge', async () => {
    const r = await call(app.abs(app.links.self!.href));
    assert.equal(r.status, 401);
    assert.match(r.headers.get('content-type')!, /text\/html/);
    assert.match(r.headers.get('www-authenticate')!, /MsRtcOAuth href="http:\/\/127\.0\.0\.1:\d+\/WebTicket\/oauthtoken",grant_type="urn:microsoft.rtc:windows,urn:microsoft.rtc:anonmeeting,password"/);
    emu.expireTokens();
    assert.equal((await app.get(app.links.self!.href)).status, 401);
  });

  it('should answer token endpoint failures with OAuth error bodies', async () => {
    const form = (body: string): Promise<Reply> => call(app.s.tokenUrl, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body });
    const wrong = await form('grant_type=password&username=bot%40contoso.com&password=nope');
    assert.equal(wrong.status, 400);
    assert.deepEqual(wrong.json, { error: 'invalid_grant' });
    assert.deepEqual((await form('grant_type=urn%3Amicrosoft.rtc%3Awindows')).json, { error: 'unsupported_grant_type' });
    assert.deepEqual((await form('username=x')).json, { error: 'invalid_request' });
  });

  it('should answer a second makeMeAvailable with 409 Conflict/AlreadyExists', async () => {
    const fresh = await App.create(await signIn(emu.discoveryUrl, BOT.uri, BOT.password), 'ep-mma');
    assert.equal((await fresh.makeMeAvailable()).status, 204);
    assertUcwaError(await fresh.makeMeAvailable(), 409, 'Conflict', 'AlreadyExists');
  });
});
