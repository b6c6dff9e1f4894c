import assert from 'node:assert/strict';
import { UcwaAdapter } from '../../../src/adapter/ucwa-adapter.js';
import type { UcwaAdapterOptions } from '../../../src/adapter/options.js';
import { FakeUcwaClient } from '../../fakes/adapter/fake-client.js';

const VALID: UcwaAdapterOptions = { discoveryUrl: 'https://lyncdiscover.contoso.com/', username: 'bot@contoso.com', password: 's3cret-pw' };
const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

function rejects(overrides: Record<string, unknown>, option: string, base: object = VALID): void {
  const options = { ...base, ...overrides } as unknown as UcwaAdapterOptions;
  assert.throws(() => new UcwaAdapter(options), (error: Error) => {
    assert.equal(error.name, 'TypeError');
    assert.match(error.message, new RegExp(`\`${option}\``));
    assert.ok(!error.message.includes('s3cret-pw'), 'the password never appears in the message');
    return true;
  });
}

describe('UcwaAdapter options', () => {
  it('should accept username + password, a token function, and every optional option', () => {
    assert.ok(new UcwaAdapter(VALID));
    assert.ok(new UcwaAdapter({ discoveryUrl: VALID.discoveryUrl, token: async () => 'cwt=x' }));
    assert.ok(
      new UcwaAdapter({
        ...VALID,
        userAgent: 'ops-bot/1.0',
        culture: 'en-GB',
        allowedDomains: ['contoso.com', 'lync.contoso.net'],
        allowInsecureLoopback: false,
        acceptInvitations: (from) => from.endsWith('@contoso.com'),
        ca: [PEM],
        proxy: 'http://proxy.contoso.com:8080',
        retry: { maxAttempts: 3 },
        logger: { debug() {}, info() {}, warn() {}, error() {} },
        metrics: {},
        sleep: async () => {},
      }),
    );
    assert.ok(new UcwaAdapter({ discoveryUrl: 'http://127.0.0.1:4000/autodiscover', allowInsecureLoopback: true, token: async () => 't' }));
  });

  it('should not require credentials when a client is injected', () => {
    assert.ok(new UcwaAdapter({ discoveryUrl: VALID.discoveryUrl, client: new FakeUcwaClient() }));
  });

  it('should reject a missing options object', () => {
    assert.throws(() => new UcwaAdapter(undefined as unknown as UcwaAdapterOptions), /`options` must be an object/);
  });

  const cases: Array<[string, Record<string, unknown>]> = [
    ['discoveryUrl', { discoveryUrl: undefined }],
    ['discoveryUrl', { discoveryUrl: 'lyncdiscover.contoso.com' }],
    ['discoveryUrl', { discoveryUrl: 'ftp://lyncdiscover.contoso.com/' }],
    ['discoveryUrl', { discoveryUrl: 'http://lyncdiscover.contoso.com/' }],
    ['discoveryUrl', { discoveryUrl: 'http://127.0.0.1:4000/' }],
    ['username', { username: undefined }],
    ['username', { username: '' }],
    ['password', { password: undefined }],
    ['password', { password: 42 }],
    ['password', { token: async () => 't' }],
    ['token', { password: undefined, token: 'cwt=abc' }],
    ['userAgent', { userAgent: '' }],
    ['userAgent', { userAgent: 'x'.repeat(101) }],
    ['culture', { culture: 'english' }],
    ['allowedDomains', { allowedDomains: 'contoso.com' }],
    ['allowedDomains', { allowedDomains: [] }],
    ['allowedDomains', { allowedDomains: ['https://contoso.com/'] }],
    ['allowedDomains', { allowedDomains: [42] }],
    ['allowInsecureLoopback', { allowInsecureLoopback: 'yes' }],
    ['acceptInvitations', { acceptInvitations: 'always' }],
    ['ca', { ca: 'not a certificate' }],
    ['ca', { ca: [PEM, 7] }],
    ['proxy', { proxy: 'proxy.contoso.com:8080' }],
    ['retry', { retry: 3 }],
    ['logger', { logger: console.log }],
    ['logger', { logger: { info() {} } }],
    ['metrics', { metrics: 'prometheus' }],
    ['client', { client: {} }],
    ['sleep', { sleep: 100 }],
    ['endpointId', { endpointId: '' }],
    ['eventTimeoutSeconds', { eventTimeoutSeconds: 60 }],
    ['reportMyActivityIntervalMs', { reportMyActivityIntervalMs: 300_000 }],
    ['maxMessageBytes', { maxMessageBytes: 10 }],
    ['fetch', { fetch: 'node-fetch' }],
    ['noProxy', { noProxy: 'localhost' }],
    ['requestTimeoutMs', { requestTimeoutMs: 0 }],
    ['invitationTimeoutMs', { invitationTimeoutMs: -1 }],
    ['confirmDeliveryTimeoutMs', { confirmDeliveryTimeoutMs: 'soon' }],
  ];
  for (const [option, overrides] of cases) {
    it(`should reject ${option} = ${JSON.stringify(Object.values(overrides)[0]) ?? String(Object.values(overrides)[0])} naming the option`, () => rejects(overrides, option));
  }

  it('should say what http:// needs instead', () => {
    assert.throws(() => new UcwaAdapter({ ...VALID, discoveryUrl: 'http://lync.contoso.com/' }), /allowInsecureLoopback: true/);
  });

  it('should never echo a proxy URL (it can carry credentials)', () => {
    assert.throws(() => new UcwaAdapter({ ...VALID, proxy: 'user:hunter2@proxy' }), (e: Error) => !e.message.includes('hunter2'));
  });
});

describe('UcwaAdapter options: the client rules are checked in the constructor too', () => {
  const VALID_CLIENT = { discoveryUrl: 'https://lyncdiscover.contoso.com/', username: 'bot@contoso.com', password: 'secret-pw' };
  const cases: Array<[string, Record<string, unknown>]> = [
    ['reportMyActivityIntervalMs', { reportMyActivityIntervalMs: 1500.5 }],
    ['requestTimeoutMs', { requestTimeoutMs: 50 }],
    ['maxMessageBytes', { maxMessageBytes: 2_000_000 }],
    ['invitationTimeoutMs', { invitationTimeoutMs: 700_000 }],
    ['ca', { ca: '-----BEGIN PRIVATE KEY-----\nMII...\n-----END PRIVATE KEY-----' }],
  ];
  for (const [option, overrides] of cases) {
    it(`should reject ${option} = ${JSON.stringify(Object.values(overrides)[0])} in the constructor, not at start()`, () => {
      assert.throws(() => new UcwaAdapter({ ...VALID_CLIENT, ...overrides } as never), (e: Error) => e instanceof TypeError && e.message.includes(`\`${option}\``) && !e.message.includes('secret-pw'));
    });
  }
});
