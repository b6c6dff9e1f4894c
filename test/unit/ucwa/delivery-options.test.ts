/**
 * Options that decide how a send is delivered: retry rows fail fast at `new UcwaAdapter()` (issue #4), and the
 * proxy defaults from HTTPS_PROXY / NO_PROXY (issue #3), read from an injected env object, never process.env.
 */
import { strict as assert } from 'node:assert';
import { UcwaAdapter } from '../../../src/adapter/ucwa-adapter.js';
import { proxyFromEnv, resolveClientOptions } from '../../../src/ucwa/options.js';
import type { UcwaClientOptions } from '../../../src/ucwa/types.js';

const base: UcwaClientOptions = { discoveryUrl: 'https://lyncdiscover.contoso.com/', username: 'bot@contoso.com', password: 'pw' };

describe('delivery options: retry rows fail fast in the adapter constructor', () => {
  const badRows: Array<[string, unknown, RegExp]> = [
    ['an unknown action', { status: 500, code: '*', subcode: '*', action: 'again', reason: 'x' }, /retry\.rules\[1\]\.action must be one of/],
    ['a status out of range', { status: 700, code: '*', subcode: '*', action: 'retry', reason: 'x' }, /retry\.rules\[1\]\.status/],
    ['an empty reason', { status: 503, code: '*', subcode: '*', action: 'retry', reason: ' ' }, /retry\.rules\[1\]\.reason/],
    ['a negative delay', { status: 503, code: '*', subcode: '*', action: 'retry', reason: 'x', baseDelayMs: -1 }, /retry\.rules\[1\]\.baseDelayMs/],
    ['an unknown field', { status: 503, code: '*', subcode: '*', action: 'retry', reason: 'x', delay: 5 }, /retry\.rules\[1\] has an unknown field 'delay'/],
  ];
  const good = { status: 429, code: '*', subcode: '*', action: 'retry', reason: 'ok' };
  for (const [name, row, message] of badRows) {
    it(`should throw at construction for ${name}, naming retry.rules[i].field`, () => {
      assert.throws(
        () => new UcwaAdapter({ ...base, retry: { rules: [good, row] as never } }),
        (err: unknown) => err instanceof TypeError && /^UcwaAdapter: option /.test(err.message) && message.test(err.message),
      );
    });
  }

  it('should throw for two rows with the same key and for a bad maxAttempts', () => {
    assert.throws(() => new UcwaAdapter({ ...base, retry: { rules: [good, good] as never } }), /retry\.rules\[1\] has the same \(status, code, subcode\) as retry\.rules\[0\]/);
    assert.throws(() => new UcwaAdapter({ ...base, retry: { maxAttempts: 0 } }), /retry\.maxAttempts must be an integer ≥ 1, got 0/);
  });

  it('should accept valid overrides', () => {
    assert.ok(new UcwaAdapter({ ...base, retry: { rules: [good as never], maxAttempts: 4, maxElapsedMs: 10_000 } }));
  });
});

describe('delivery options: proxy defaults from HTTPS_PROXY / NO_PROXY', () => {
  it('should take HTTPS_PROXY and NO_PROXY when no option is given, keeping loopback bypassed', () => {
    const o = resolveClientOptions(base, { HTTPS_PROXY: 'http://proxy.contoso.com:3128', NO_PROXY: 'intranet.contoso.com, .corp.example  other.example' });
    assert.equal(o.proxy, 'http://proxy.contoso.com:3128');
    assert.deepEqual(o.noProxy, ['intranet.contoso.com', '.corp.example', 'other.example', 'localhost', '127.0.0.1', '::1']);
  });

  it('should read the lower-case spellings too', () => {
    assert.deepEqual(proxyFromEnv({}, { https_proxy: 'http://p:1', no_proxy: 'a.example' }), { proxy: 'http://p:1', noProxy: ['a.example', 'localhost', '127.0.0.1', '::1'] });
  });

  it('should let an explicit option win over the environment', () => {
    const o = resolveClientOptions({ ...base, proxy: 'http://explicit:8080', noProxy: ['only.example'] }, { HTTPS_PROXY: 'http://env:3128', NO_PROXY: 'env.example' });
    assert.equal(o.proxy, 'http://explicit:8080');
    assert.deepEqual(o.noProxy, ['only.example']);
  });

  it("should disable the proxy with proxy: '' even when HTTPS_PROXY is set", () => {
    assert.equal(resolveClientOptions({ ...base, proxy: '' }, { HTTPS_PROXY: 'http://env:3128' }).proxy, undefined);
    assert.doesNotThrow(() => new UcwaAdapter({ ...base, proxy: '' }));
  });

  it('should use no proxy when neither option nor variable is set, and ignore blank variables', () => {
    const o = resolveClientOptions(base, { HTTPS_PROXY: '  ', NO_PROXY: '' });
    assert.equal(o.proxy, undefined);
    assert.equal(o.noProxy, undefined);
  });

  it('should reject a malformed HTTPS_PROXY naming the variable but not its value', () => {
    assert.throws(
      () => resolveClientOptions(base, { HTTPS_PROXY: 'user:secret@proxy' }),
      (err: unknown) => err instanceof TypeError && /`proxy \(from HTTPS_PROXY\)`/.test(err.message) && !err.message.includes('secret'),
    );
  });
});

describe('delivery options: the confirmDelivery bounds', () => {
  it('should default to a measured wait between 1 s and 3 s', () => {
    const o = resolveClientOptions(base, {});
    assert.equal(o.confirmDeliveryTimeoutMs, 3_000);
    assert.equal(o.confirmDeliveryMinMs, 1_000);
  });

  it('should lower the default floor to a smaller confirmDeliveryTimeoutMs, and keep an explicit one', () => {
    assert.equal(resolveClientOptions({ ...base, confirmDeliveryTimeoutMs: 100 }, {}).confirmDeliveryMinMs, 100);
    assert.equal(resolveClientOptions({ ...base, confirmDeliveryMinMs: 250 }, {}).confirmDeliveryMinMs, 250);
    assert.equal(resolveClientOptions({ ...base, confirmDeliveryMinMs: 3_000 }, {}).confirmDeliveryMinMs, 3_000, 'min = max: a fixed wait, the old behaviour');
  });
});
