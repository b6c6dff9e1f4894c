/**
 * `UcwaAdapter.start()` failure modes an operator meets while setting up, each against a real socket on
 * loopback: every one rejects with a UcwaError whose message names the step, the host and what to change,
 * and never contains the password or a token.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { UcwaEmulator } from '../../../src/emulator/index.js';
import { UcwaAdapter } from '../../../src/adapter/ucwa-adapter.js';
import type { UcwaAdapterOptions } from '../../../src/adapter/options.js';
import { isUcwaError } from '../../../src/ucwa/errors.js';
import type { UcwaError } from '../../../src/ucwa/errors.js';
import { startRewritingProxy } from '../../fakes/ucwa/rewriting-proxy.js';
import type { RewritingProxy } from '../../fakes/ucwa/rewriting-proxy.js';
import { BOT_USER } from './harness.js';

const fixture = (name: string) => readFileSync(new URL(`../../fakes/ucwa/fixtures/${name}`, import.meta.url), 'utf8');
const SECRET = 'start-failure-secret-42';

describe('UcwaAdapter.start() failures: actionable UcwaErrors', () => {
  let emu: UcwaEmulator;
  let tlsFront: RewritingProxy;
  before(async () => {
    emu = await UcwaEmulator.start({ port: 0, users: [{ ...BOT_USER, password: SECRET }] });
    tlsFront = await startRewritingProxy(emu.baseUrl, '127.0.0.1', { key: fixture('test-only-loopback.key.pem'), cert: fixture('test-only-loopback.cert.pem') });
  });
  after(async () => {
    await tlsFront.close();
    await emu.close();
  });

  async function startFailure(options: Partial<UcwaAdapterOptions>): Promise<UcwaError> {
    const adapter = new UcwaAdapter({ discoveryUrl: emu.discoveryUrl, username: 'bot@contoso.com', password: SECRET, allowInsecureLoopback: true, ...options } as UcwaAdapterOptions);
    try {
      const error = await adapter.start(async () => {}).then(() => undefined, (e: unknown) => e);
      assert.ok(isUcwaError(error), `expected a UcwaError, got ${String(error)}`);
      assert.notEqual(adapter.state, 'ready');
      const everything = `${error.message} ${JSON.stringify(error)} ${String((error.cause as Error | undefined)?.message)}`;
      assert.ok(!everything.includes(SECRET), 'no password in the error');
      assert.ok(!/cwt=|Bearer /i.test(everything), 'no token in the error');
      return error;
    } finally {
      await adapter.stop();
    }
  }

  it('should name the credentials for a wrong password', async () => {
    const error = await startFailure({ password: 'wrong-password-7' });
    assert.equal(error.code, 'invalid_grant');
    assert.match(error.message, /during sign-in/);
    assert.match(error.message, /check `username` and `password`/);
    assert.ok(!error.message.includes('wrong-password-7'));
  });

  it('should name the host and discoveryUrl when nothing listens there', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const error = await startFailure({ discoveryUrl: `http://127.0.0.1:${port}/` });
    assert.equal(error.subcode, 'ECONNREFUSED');
    assert.match(error.message, new RegExp(`during autodiscovery at 127\\.0\\.0\\.1:${port}: .*nothing accepts connections.*\`discoveryUrl\``));
  });

  it('should say the host name does not resolve on a DNS failure', async () => {
    // An injected fetch fails the way node-fetch does for an unknown host: no dependence on the machine's resolver.
    const fetch = (async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND lyncdiscover.contoso.invalid'), { code: 'ENOTFOUND', name: 'FetchError' });
    }) as unknown as UcwaAdapterOptions['fetch'];
    const error = await startFailure({ discoveryUrl: 'https://lyncdiscover.contoso.invalid/', fetch });
    assert.equal(error.subcode, 'ENOTFOUND');
    assert.match(error.message, /the host name lyncdiscover\.contoso\.invalid does not resolve: check `discoveryUrl` and DNS/);
  });

  it('should point at the `ca` option when the server certificate is self-signed', async () => {
    const error = await startFailure({ discoveryUrl: tlsFront.rewrite(emu.discoveryUrl), allowInsecureLoopback: false });
    assert.match(error.subcode ?? '', /SELF_SIGNED|UNABLE_TO_VERIFY/);
    assert.match(error.message, /TLS certificate of 127\.0\.0\.1:\d+ is not trusted .*as `ca`; TLS verification cannot be turned off/);
  });

  it('should say what discoveryUrl must be when discovery answers 404', async () => {
    const error = await startFailure({ discoveryUrl: `${emu.baseUrl}/not-the-discovery-root/` });
    assert.equal(error.status, 404);
    assert.match(error.message, /`discoveryUrl` must be the autodiscovery root, e\.g\. https:\/\/lyncdiscover\.contoso\.com\//);
  });

  it('should wrap a failing `token` callback in a UcwaError that names the callback', async () => {
    const error = await startFailure({ username: undefined, password: undefined, token: async () => { throw new Error('vault sealed'); } });
    assert.equal(error.subcode, 'TokenCallbackFailed');
    assert.match(error.message, /The `token` callback failed \(Error: vault sealed\)/);
    assert.equal(((error.cause as UcwaError).cause as Error).message, 'vault sealed');
  });

  it('should say the token was refused when the `token` callback returns a bad token', async () => {
    const error = await startFailure({ username: undefined, password: undefined, token: async () => 'cwt=NOT-A-REAL-TOKEN' });
    assert.equal(error.status, 401);
    assert.match(error.message, /the server refused the access token: check the `token` callback/);
    assert.ok(!error.message.includes('NOT-A-REAL-TOKEN'));
  });
});
