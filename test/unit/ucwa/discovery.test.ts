import { strict as assert } from 'node:assert';
import { discover } from '../../../src/ucwa/discovery.js';
import { isUcwaError } from '../../../src/ucwa/errors.js';
import type { FakeRequest, Scripted } from '../../fakes/ucwa/fake-transport.js';
import { createStack, tokenResponse, unauthorized } from '../../fakes/ucwa/stack.js';

const ROOT = 'https://lyncdiscover.contoso.com/';
const USER = 'https://lyncweb.contoso.com/Autodiscover/AutodiscoverService.svc/root/oauth/user?originalDomain=contoso.com';

/** A user resource that challenges until it sees the Bearer token. */
function protectedUser(req: FakeRequest, body: unknown, token = 'cwt=AAA'): Scripted {
  return req.headers['authorization'] === `Bearer ${token}` ? { json: body } : unauthorized();
}

describe('discover()', () => {
  it('should run root → user → 401 → token → user → applications, resolving hrefs against each response URL', async () => {
    const { http, fake, logger } = createStack((req) => {
      if (req.url === ROOT) return { json: { _links: { self: { href: ROOT }, user: { href: USER }, xframe: { href: 'https://lyncweb.contoso.com/x' } } } };
      if (req.url === USER) return protectedUser(req, { _links: { self: { href: USER }, applications: { href: '/ucwa/oauth/v1/applications' } } });
      if (req.url === 'https://lyncweb.contoso.com/WebTicket/oauthtoken') return tokenResponse();
      return undefined;
    });
    const result = await discover(http, ROOT, logger);
    assert.equal(result.applicationsUrl, 'https://lyncweb.contoso.com/ucwa/oauth/v1/applications');
    assert.equal(result.hops, 0);
    assert.deepEqual(fake.log, [
      'GET lyncdiscover.contoso.com/',
      'GET lyncweb.contoso.com/Autodiscover/AutodiscoverService.svc/root/oauth/user?originalDomain=contoso.com',
      'POST lyncweb.contoso.com/WebTicket/oauthtoken',
      'GET lyncweb.contoso.com/Autodiscover/AutodiscoverService.svc/root/oauth/user?originalDomain=contoso.com',
    ]);
    assert.equal(fake.requests[0]!.headers['authorization'], undefined, 'no token on the root');
    const tokenRequest = fake.requests[2]!;
    assert.equal(tokenRequest.headers['content-type'], 'application/x-www-form-urlencoded;charset=UTF-8');
    assert.deepEqual(Object.fromEntries(new URLSearchParams(tokenRequest.body)), { grant_type: 'password', username: 'bot@contoso.com', password: 'p@ss w0rd&=' });
    assert.ok(!logger.text().includes('p@ss') && !logger.text().includes('cwt=AAA'), 'no secret in logs');
  });

  it('should follow a home-pool redirect (user → redirect → user on another pool), authenticating again there', async () => {
    const POOL2_USER = 'https://pool2.contoso.com/autodiscover/autodiscoverservice.svc/root/user';
    const { http, fake, logger } = createStack((req) => {
      if (req.url === ROOT) return { json: { _links: { user: { href: USER } } } };
      if (req.url === USER) return protectedUser(req, { _links: { redirect: { href: 'https://pool2.contoso.com/autodiscover/autodiscoverservice.svc/root/user/redirect' } } });
      if (req.url.endsWith('/user/redirect')) return { json: { rel: 'redirect', _links: { user: { href: '/autodiscover/autodiscoverservice.svc/root/user' } } } };
      if (req.url === POOL2_USER) {
        return req.headers['authorization'] === 'Bearer cwt=POOL2'
          ? { json: { _links: { applications: { href: '/ucwa/v1/applications' } } } }
          : unauthorized('MsRtcOAuth href=https://pool2.contoso.com/WebTicket/oauthtoken,grant_type="password"');
      }
      if (req.url === 'https://lyncweb.contoso.com/WebTicket/oauthtoken') return tokenResponse();
      if (req.url === 'https://pool2.contoso.com/WebTicket/oauthtoken') return tokenResponse('cwt=POOL2');
      return undefined;
    });
    const result = await discover(http, ROOT, logger);
    assert.equal(result.applicationsUrl, 'https://pool2.contoso.com/ucwa/v1/applications');
    assert.equal(result.hops, 1);
    assert.ok(fake.log.includes('POST pool2.contoso.com/WebTicket/oauthtoken'), 'a fresh challenge on the new pool gets a new token');
  });

  it('should prefer applications when the user resource lists both applications and redirect', async () => {
    const { http, logger } = createStack((req) => {
      if (req.url === ROOT) return { json: { _links: { user: { href: USER } } } };
      if (req.url === USER) return protectedUser(req, { _links: { applications: { href: '/ucwa/v1/applications' }, redirect: { href: '/elsewhere' } } });
      return tokenResponse();
    });
    assert.equal((await discover(http, ROOT, logger)).applicationsUrl, 'https://lyncweb.contoso.com/ucwa/v1/applications');
  });

  it('should refuse a redirect outside allowedDomains without contacting that host', async () => {
    const { http, fake, logger } = createStack((req) => {
      if (req.url === ROOT) return { json: { _links: { redirect: { href: 'https://discover.evil.example/root' } } } };
      return { json: {} };
    });
    await assert.rejects(discover(http, ROOT, logger), (err: unknown) => isUcwaError(err) && err.subcode === 'RedirectNotAllowed' && /allowedDomains/.test(err.message));
    assert.ok(!fake.log.some((l) => l.includes('evil.example')));
  });

  it('should detect a redirect loop', async () => {
    const A = 'https://a.contoso.com/root';
    const B = 'https://b.contoso.com/root';
    const { http, logger } = createStack((req) => {
      if (req.url === ROOT) return { json: { _links: { redirect: { href: A } } } };
      if (req.url === A) return { json: { _links: { redirect: { href: B } } } };
      if (req.url === B) return { json: { _links: { redirect: { href: A } } } };
      return undefined;
    });
    await assert.rejects(discover(http, ROOT, logger), (err: unknown) => isUcwaError(err) && err.subcode === 'RedirectLoop');
  });

  it('should stop after 5 redirect hops', async () => {
    const { http, fake, logger } = createStack((req) => {
      const n = req.url === ROOT ? 0 : Number(/hop(\d+)/.exec(req.url)?.[1]);
      return { json: { _links: { redirect: { href: `https://hop${n + 1}.contoso.com/root` } } } };
    });
    await assert.rejects(discover(http, ROOT, logger), (err: unknown) => isUcwaError(err) && err.subcode === 'TooManyRedirects');
    assert.equal(fake.requests.length, 6, 'root + 5 hops');
  });
});
