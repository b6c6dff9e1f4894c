import { strict as assert } from 'node:assert';
import { findMsRtcOAuthChallenge, parseWwwAuthenticate } from '../../../src/ucwa/www-authenticate.js';

describe('parseWwwAuthenticate / findMsRtcOAuthChallenge', () => {
  const GRANTS = ['urn:microsoft.rtc:windows', 'urn:microsoft.rtc:anonmeeting', 'password'];
  const cases: { name: string; header: string | string[]; href?: string; grants?: string[] }[] = [
    {
      name: 'quoted href (CreateAnApplication.md)',
      header: 'MsRtcOAuth href="https://lyncweb.contoso.com/WebTicket/oauthtoken",grant_type="urn:microsoft.rtc:windows,urn:microsoft.rtc:anonmeeting,password"',
      href: 'https://lyncweb.contoso.com/WebTicket/oauthtoken', grants: GRANTS,
    },
    {
      name: 'unquoted href (AuthenticationInUCWA.md)',
      header: 'MsRtcOAuth href=https://contoso.com/WebTicket/oauthtoken,grant_type="urn:microsoft.rtc:windows,urn:microsoft.rtc:anonmeeting,password"',
      href: 'https://contoso.com/WebTicket/oauthtoken', grants: GRANTS,
    },
    {
      name: 'two headers merged by Node with ", " and the Bearer scheme first',
      header: 'Bearer trusted_issuers="00000002-0000-0ff1-ce00-000000000000@contoso.com", client_id="00000004-0000-0ff1-ce00-000000000000", MsRtcOAuth href="https://lyncweb.contoso.com/WebTicket/oauthtoken",grant_type="password"',
      href: 'https://lyncweb.contoso.com/WebTicket/oauthtoken', grants: ['password'],
    },
    {
      name: 'two separate header values',
      header: ['Bearer trusted_issuers="x@contoso.com", client_id="y"', 'MsRtcOAuth href="https://a.contoso.com/t",grant_type="password,urn:microsoft.rtc:passive"'],
      href: 'https://a.contoso.com/t', grants: ['password', 'urn:microsoft.rtc:passive'],
    },
    {
      name: 'spaces around = and lower-case scheme',
      header: 'msrtcoauth href = "https://a.contoso.com/t" , grant_type = "password"',
      href: 'https://a.contoso.com/t', grants: ['password'],
    },
    { name: 'only Bearer: no MsRtcOAuth challenge', header: 'Bearer realm="x", error="invalid_token"' },
    { name: 'MsRtcOAuth without href', header: 'MsRtcOAuth grant_type="password"' },
    { name: 'empty header', header: '' },
  ];
  for (const c of cases) {
    it(`should handle ${c.name}`, () => {
      const challenge = findMsRtcOAuthChallenge(c.header);
      if (!c.href) {
        assert.equal(challenge, undefined);
        return;
      }
      assert.equal(challenge?.href, c.href);
      assert.deepEqual(challenge?.grantTypes, c.grants);
    });
  }

  it('should keep escaped quotes and commas inside quoted values', () => {
    const [c] = parseWwwAuthenticate('Custom a="x\\"y,z", b=1');
    assert.equal(c?.scheme, 'Custom');
    assert.deepEqual(c?.params, { a: 'x"y,z', b: '1' });
  });

  it('should return schemes in order', () => {
    assert.deepEqual(parseWwwAuthenticate('Basic realm="r", Bearer, MsRtcOAuth href=x').map((c) => c.scheme), ['Basic', 'Bearer', 'MsRtcOAuth']);
  });
});
