/** Builds the request stack (transport → auth → UcwaHttp) over a FakeTransport, for unit tests. */
import { Authenticator } from '../../../src/ucwa/auth.js';
import { HttpTransport } from '../../../src/ucwa/http.js';
import { TokenGuard } from '../../../src/ucwa/token-guard.js';
import { UcwaHttp } from '../../../src/ucwa/ucwa-http.js';
import { FakeTransport, createFakeLogger } from './fake-transport.js';
import type { Route, Scripted } from './fake-transport.js';

export const CHALLENGE = 'MsRtcOAuth href="https://lyncweb.contoso.com/WebTicket/oauthtoken",grant_type="urn:microsoft.rtc:windows,urn:microsoft.rtc:anonmeeting,password"';

export function unauthorized(challenge = CHALLENGE): Scripted {
  return { status: 401, headers: { 'content-type': 'text/html', 'www-authenticate': ['Bearer trusted_issuers="x@contoso.com", client_id="y"', challenge] }, body: '<html>401</html>' };
}

export function tokenResponse(token = 'cwt=AAA', expiresIn = 28800): Scripted {
  return { status: 200, json: { access_token: token, token_type: 'Bearer', expires_in: expiresIn, ms_rtc_identityscope: 'local' } };
}

export function createStack(route: Route, options: { allowedDomains?: string[]; token?: () => Promise<string>; now?: () => number; allowInsecureLoopback?: boolean } = {}) {
  const fake = new FakeTransport(route);
  const logger = createFakeLogger();
  const guard = new TokenGuard({ allowedDomains: options.allowedDomains ?? ['contoso.com'], allowInsecureLoopback: options.allowInsecureLoopback ?? false });
  const transport = new HttpTransport({ fetch: fake.fetch, logger });
  const auth = new Authenticator({
    username: options.token ? undefined : 'bot@contoso.com', password: options.token ? undefined : 'p@ss w0rd&=', token: options.token,
    transport, guard, logger, userAgent: 'test/1', now: options.now, timeoutMs: 5000,
  });
  const http = new UcwaHttp({ transport, guard, auth, logger, userAgent: 'test/1', timeoutMs: 5000 });
  return { fake, logger, guard, transport, auth, http };
}
