import { strict as assert } from 'node:assert';
import { isUcwaError } from '../../../src/ucwa/errors.js';
import type { Scripted } from '../../fakes/ucwa/fake-transport.js';
import { createStack, tokenResponse, unauthorized } from '../../fakes/ucwa/stack.js';

const APP = 'https://lyncweb.contoso.com/ucwa/oauth/v1/applications/1';
const TOKEN_URL = 'https://lyncweb.contoso.com/WebTicket/oauthtoken';

describe('UcwaHttp.request()', () => {
  it('should refresh the token once on 401 and repeat the request', async () => {
    let tokens = 0;
    const { http, fake } = createStack((req) => {
      if (req.url === TOKEN_URL) return tokenResponse(`cwt=T${++tokens}`);
      return req.headers['authorization'] === 'Bearer cwt=T2' ? { json: { rel: 'application' } } : unauthorized();
    });
    // First request: no token yet → 401 → token T1 → still 401 → error (refresh only once per request).
    await assert.rejects(http.request({ method: 'GET', url: APP, resource: 'application' }), (e: unknown) => isUcwaError(e) && e.status === 401);
    // Second request: T1 → 401 → refresh to T2 → 200.
    const ok = await http.request({ method: 'GET', url: APP, resource: 'application' });
    assert.equal(ok.body?.rel, 'application');
    assert.deepEqual(fake.log.filter((l) => l.startsWith('POST')).length, 2);
  });

  it('should stop at invalid_grant with an oauth error that names the fix and leaks no secret', async () => {
    const { http, fake } = createStack((req) => (req.url === TOKEN_URL ? { status: 400, json: { error: 'invalid_grant' } } : unauthorized()));
    const err = await http.request({ method: 'GET', url: APP, resource: 'application' }).catch((e: unknown) => e);
    assert.ok(isUcwaError(err));
    assert.equal(err.details.source, 'oauth');
    assert.equal(err.code, 'invalid_grant');
    assert.match(err.message, /username.*password/);
    assert.ok(!err.message.includes('p@ss') && !JSON.stringify(err.toJSON()).includes('p@ss'));
    assert.equal(fake.log.filter((l) => l.startsWith('POST')).length, 1, 'no retry of a refused password');
  });

  it('should use the token callback instead of a password grant', async () => {
    const { http, fake } = createStack((req) => (req.headers['authorization'] === 'Bearer cwt=CB' ? { json: {} } : unauthorized()), { token: async () => 'cwt=CB' });
    await http.request({ method: 'GET', url: APP, resource: 'application' });
    assert.ok(!fake.log.some((l) => l.includes('oauthtoken')));
  });

  it('should refresh proactively at 80% of expires_in', async () => {
    let now = 0;
    let tokens = 0;
    const { http, fake } = createStack((req) => {
      if (req.url === TOKEN_URL) return tokenResponse(`cwt=T${++tokens}`, 100);
      return req.headers['authorization']?.startsWith('Bearer cwt=T') ? { json: {} } : unauthorized();
    }, { now: () => now });
    await http.request({ method: 'GET', url: APP, resource: 'application' });
    now = 79_000;
    await http.request({ method: 'GET', url: APP, resource: 'application' });
    assert.equal(tokens, 1);
    now = 80_000;
    await http.request({ method: 'GET', url: APP, resource: 'application' });
    assert.equal(tokens, 2);
    assert.equal(fake.requests.at(-1)!.headers['authorization'], 'Bearer cwt=T2');
  });

  it('should never follow a redirect to another domain (no request reaches it, with or without the token)', async () => {
    const { http, fake } = createStack((req) => {
      if (req.url === TOKEN_URL) return tokenResponse();
      if (!req.headers['authorization']) return unauthorized();
      if (req.url === APP) return { status: 302, headers: { location: 'https://evil.example/collect' } };
      return { status: 307, headers: { location: APP } };
    });
    const err = await http.request({ method: 'GET', url: APP, resource: 'application' }).catch((e: unknown) => e);
    assert.ok(isUcwaError(err));
    assert.equal(err.subcode, 'RedirectNotAllowed');
    assert.match(err.message, /outside allowedDomains \(contoso\.com\)/);
    assert.ok(!fake.log.some((l) => l.includes('evil.example')));
    // A redirect inside the allowed domain is followed, with the token re-attached for the allowed host.
    await http.request({ method: 'GET', url: 'https://pool2.contoso.com/x', resource: 'application' }).catch(() => undefined);
    assert.equal(fake.requests.at(-1)!.url, APP);
    assert.equal(fake.requests.at(-1)!.headers['authorization'], 'Bearer cwt=AAA');
  });

  it('should refuse more than 5 redirects', async () => {
    let n = 0;
    const { http } = createStack(() => ({ status: 307, headers: { location: `/r${++n}` } }), { token: async () => 'cwt=X' });
    await assert.rejects(http.request({ method: 'GET', url: APP, resource: 'application' }), (e: unknown) => isUcwaError(e) && e.code === 'TooManyRedirects');
  });

  it('should read the error body only when it is UCWA JSON', async () => {
    const { http } = createStack((req): Scripted =>
      req.url.endsWith('/json')
        ? { status: 409, json: { code: 'Conflict', subcode: 'AlreadyExists', message: 'exists' }, headers: { 'x-ms-diagnostics': '1;reason="x"' } }
        : { status: 502, headers: { 'content-type': 'text/html' }, body: '{"code":"Fake","subcode":"Fake"}' }, { token: async () => 'cwt=X' });
    const json = await http.request({ method: 'POST', url: APP + '/json', resource: 'makeMeAvailable' }).catch((e: unknown) => e);
    assert.ok(isUcwaError(json));
    assert.equal(json.message, 'POST /ucwa/oauth/v1/applications/1/json failed: 409 Conflict/AlreadyExists');
    assert.equal(json.details.diagnostics, '1;reason="x"');
    const html = await http.request({ method: 'GET', url: APP + '/html', resource: 'application' }).catch((e: unknown) => e);
    assert.ok(isUcwaError(html));
    assert.equal(html.code, 'ServiceFailure');
    assert.equal(html.subcode, undefined);
  });

  it('should turn network failures into status 0 errors with the network code and uncertainty', async () => {
    const { http } = createStack((req) => ({ networkError: req.url.endsWith('/refused') ? 'ECONNREFUSED' : 'ECONNRESET' }), { token: async () => 'cwt=X' });
    const refused = await http.request({ method: 'POST', url: APP + '/refused', resource: 'sendMessage' }).catch((e: unknown) => e);
    assert.ok(isUcwaError(refused));
    assert.deepEqual([refused.status, refused.code, refused.subcode, refused.details.uncertain], [0, 'LocalFailure', 'ECONNREFUSED', false]);
    const reset = await http.request({ method: 'POST', url: APP + '/reset', resource: 'sendMessage' }).catch((e: unknown) => e);
    assert.ok(isUcwaError(reset));
    assert.deepEqual([reset.status, reset.code, reset.subcode, reset.details.uncertain], [0, 'LocalFailure', 'ECONNRESET', true]);
    assert.match(reset.message, /POST \/ucwa\/oauth\/v1\/applications\/1\/reset failed: no response \(LocalFailure\/ECONNRESET\)/);
  });

  it('should report its own timeout as code Timeout / ETIMEDOUT', async () => {
    const { http } = createStack(() => ({ hang: true }), { token: async () => 'cwt=X' });
    const err = await http.request({ method: 'GET', url: APP, resource: 'events', timeoutMs: 20 }).catch((e: unknown) => e);
    assert.ok(isUcwaError(err));
    assert.deepEqual([err.status, err.code, err.subcode], [0, 'Timeout', 'ETIMEDOUT']);
  });

  it('should refuse plain http to a non-loopback host before sending anything', async () => {
    const { http, fake } = createStack(() => ({ json: {} }), { token: async () => 'cwt=X' });
    await assert.rejects(http.request({ method: 'GET', url: 'http://lyncweb.contoso.com/x', resource: 'application' }), (e: unknown) => isUcwaError(e) && e.subcode === 'InsecureTransport');
    assert.equal(fake.requests.length, 0);
  });

  it('should refuse to send the password to a token endpoint outside allowedDomains', async () => {
    const { http, fake } = createStack(() => unauthorized('MsRtcOAuth href="https://login.evil.example/token",grant_type="password"'));
    await assert.rejects(http.request({ method: 'GET', url: APP, resource: 'application' }), (e: unknown) => isUcwaError(e) && e.subcode === 'DomainNotAllowed');
    assert.ok(!fake.log.some((l) => l.includes('evil')));
  });
});
