import { strict as assert } from 'node:assert';
import { UcwaClient } from '../../../src/ucwa/ucwa-client.js';
import type { UcwaClientOptions } from '../../../src/ucwa/types.js';

const good: UcwaClientOptions = { discoveryUrl: 'https://lyncdiscover.contoso.com/', username: 'bot@contoso.com', password: 'pw' };

describe('UcwaClient options', () => {
  const bad: [string, Partial<UcwaClientOptions> & Record<string, unknown>, RegExp][] = [
    ['an unparsable discoveryUrl', { discoveryUrl: 'not a url' }, /`discoveryUrl`/],
    ['http discoveryUrl to a remote host', { discoveryUrl: 'http://lyncdiscover.contoso.com/' }, /`discoveryUrl`.*https/],
    ['http loopback without allowInsecureLoopback', { discoveryUrl: 'http://127.0.0.1:8080/' }, /allowInsecureLoopback/],
    ['no credentials at all', { username: undefined, password: undefined }, /`username`/],
    ['a username without password', { password: undefined }, /`password`/],
    ['both password and token', { token: async () => 'cwt=x' }, /either `username` \+ `password` or `token`/],
    ['a token that is not a function', { username: undefined, password: undefined, token: 'cwt=x' as never }, /`token`/],
    ['eventTimeoutSeconds below 180', { eventTimeoutSeconds: 60 }, /`eventTimeoutSeconds` to be an integer between 180 and 1800, got 60/],
    ['reportMyActivityIntervalMs above 4 minutes', { reportMyActivityIntervalMs: 300_000 }, /`reportMyActivityIntervalMs`/],
    ['maxMessageBytes not an integer', { maxMessageBytes: 12.5 }, /`maxMessageBytes`/],
    ['an empty allowedDomains', { allowedDomains: [] }, /`allowedDomains`/],
    ['a URL in allowedDomains', { allowedDomains: ['https://contoso.com/'] }, /`allowedDomains`/],
    ['acceptInvitations of the wrong type', { acceptInvitations: 'yes' as never }, /`acceptInvitations`/],
    ['ca that is not PEM', { ca: 'hello' }, /`ca`/],
    ['a proxy that is not a URL', { proxy: 'proxy:3128' }, /`proxy`/],
    ['an empty userAgent', { userAgent: '' }, /`userAgent`/],
    ['a culture over 100 characters', { culture: 'x'.repeat(101) }, /`culture`/],
    ['a confirmDeliveryMinMs above confirmDeliveryTimeoutMs', { confirmDeliveryTimeoutMs: 1_000, confirmDeliveryMinMs: 2_000 }, /`confirmDeliveryMinMs` to be at most confirmDeliveryTimeoutMs \(1000\), got 2000/],
    ['a negative confirmDeliveryMinMs', { confirmDeliveryMinMs: -1 }, /`confirmDeliveryMinMs`/],
    ['retry rules with a bad action', { retry: { rules: [{ status: 500, code: '*', subcode: '*', action: 'again' as never, reason: 'x' }] } }, /retry\.rules\[0\]\.action/],
  ];
  for (const [name, patch, message] of bad) {
    it(`should reject ${name}, naming the option`, () => {
      assert.throws(() => new UcwaClient({ ...good, ...patch } as UcwaClientOptions), (err: unknown) => err instanceof TypeError && message.test(err.message));
    });
  }

  it('should accept good options and start idle, not ready, with a reason', () => {
    const client = new UcwaClient(good);
    assert.equal(client.state, 'idle');
    assert.equal(client.notReadyReason, 'not started');
    assert.equal(client.self, undefined);
  });

  it('should refuse conversation calls before start()', async () => {
    const client = new UcwaClient(good);
    await assert.rejects(client.sendMessage('k', 'x', 'plain'), /call start\(\) first/);
  });
});
