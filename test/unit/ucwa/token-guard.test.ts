import { strict as assert } from 'node:assert';
import { TokenGuard, isLoopbackHost, registrableDomain } from '../../../src/ucwa/token-guard.js';

describe('TokenGuard', () => {
  it('should derive the registrable domain of the discovery host', () => {
    assert.equal(registrableDomain('lyncdiscover.contoso.com'), 'contoso.com');
    assert.equal(registrableDomain('a.b.contoso.co.uk'), 'contoso.co.uk');
    assert.equal(registrableDomain('contoso.com'), 'contoso.com');
    assert.equal(registrableDomain('127.0.0.1'), '127.0.0.1');
    assert.equal(registrableDomain('localhost'), 'localhost');
  });

  it('should allow the token to the domain and its subdomains only', () => {
    const guard = TokenGuard.forDiscovery('https://lyncdiscover.contoso.com/', {});
    assert.ok(guard.mayReceiveToken('https://lyncweb.contoso.com/ucwa/oauth/v1/applications'));
    assert.ok(guard.mayReceiveToken('https://contoso.com/x'));
    assert.ok(!guard.mayReceiveToken('https://evilcontoso.com/x'), 'a suffix match without a dot is another domain');
    assert.ok(!guard.mayReceiveToken('https://contoso.com.evil.net/x'));
    assert.ok(!guard.mayReceiveToken('https://webpool.infra.lync.com/x'));
  });

  it('should never allow http except loopback with allowInsecureLoopback', () => {
    const strict = new TokenGuard({ allowedDomains: ['contoso.com', '127.0.0.1'], allowInsecureLoopback: false });
    assert.ok(!strict.mayReceiveToken('http://lyncweb.contoso.com/x'));
    assert.throws(() => strict.assertTransport('http://lyncweb.contoso.com/'), /must be reached over https/);
    assert.throws(() => strict.assertTransport('http://127.0.0.1:8080/'), /allowInsecureLoopback/);
    const loop = new TokenGuard({ allowedDomains: ['contoso.com', '127.0.0.1'], allowInsecureLoopback: true });
    assert.ok(loop.mayReceiveToken('http://127.0.0.1:8080/x'));
    assert.ok(!loop.mayReceiveToken('http://lyncweb.contoso.com/x'));
    assert.throws(() => loop.assertTransport('ftp://contoso.com/'), /only https/);
  });

  it('should treat an IP allow-list entry as exact (no subdomain matching)', () => {
    const guard = new TokenGuard({ allowedDomains: ['127.0.0.1'], allowInsecureLoopback: true });
    assert.ok(guard.mayReceiveToken('http://127.0.0.1:1/x'));
    assert.ok(!guard.mayReceiveToken('http://localhost:1/x'));
  });

  it('should recognise loopback hosts', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', 'a.localhost']) assert.ok(isLoopbackHost(h), h);
    assert.ok(!isLoopbackHost('10.0.0.1'));
  });
});
