import { strict as assert } from 'node:assert';
import { createServer } from 'node:net';
import { ConfigError } from '../../../src/server/config.js';
import { describeStartupError, formatBanner } from '../../../src/server/main.js';
import { UcwaError } from '../../../src/ucwa/errors.js';

describe('describeStartupError', () => {
  it('should print a configuration error as its fix-it message, without a stack', () => {
    const message = describeStartupError(new ConfigError(['PORT must be an integer 0-65535, got "x"']));
    assert.match(message, /PORT must be an integer/);
    assert.doesNotMatch(message, /\bat /);
  });

  it('should turn a busy port into advice naming PORT and EMULATOR_PORT', async () => {
    const first = createServer();
    await new Promise<void>((resolve) => first.listen(0, '127.0.0.1', resolve));
    const port = (first.address() as { port: number }).port;
    const second = createServer();
    const error = await new Promise<Error>((resolve) => { second.once('error', resolve); second.listen(port, '127.0.0.1'); });
    first.close();
    assert.equal(describeStartupError(error),
      `Port ${port} on 127.0.0.1 is already in use. Set PORT (the bot host) or EMULATOR_PORT (the embedded emulator) to a free port, or 0 to pick one.`);
  });

  it('should keep the stack of an unexpected error and say what to check', () => {
    const message = describeStartupError(new Error('401 Unauthorized'));
    assert.match(message, /^Error: 401 Unauthorized\n\s+at /);
    assert.match(message, /Startup failed\. Check UCWA_DISCOVERY_URL/);
  });

  it('should name the environment variables instead of the adapter options in a UcwaError', () => {
    const error = new UcwaError('POST /WebTicket/oauthtoken failed: 400 invalid_grant: check `username` and `password`; `discoveryUrl` and `proxy`; `other`', 400, 'BadRequest', 'invalid_grant', { source: 'oauth' } as never);
    assert.match(describeStartupError(error), /check UCWA_USERNAME and UCWA_PASSWORD; UCWA_DISCOVERY_URL and HTTPS_PROXY; `other`\n/);
  });

  it('should print a UcwaError as its message, which names the request and the documented error', () => {
    const error = new UcwaError('POST /oauth/v1/token failed: 400 BadRequest/invalid_grant', 400, 'BadRequest', 'invalid_grant', { source: 'oauth' } as never);
    assert.match(describeStartupError(error), /^UcwaError: POST \/oauth\/v1\/token failed: 400 BadRequest\/invalid_grant\n\nStartup failed/);
  });
});

describe('formatBanner (emulator mode)', () => {
  const running = (admins: string[]) => ({
    url: 'http://127.0.0.1:3978', chatUrl: 'http://127.0.0.1:4000/_emulator/chat', manifest: { name: 'Help Bot' }, groups: { admins },
  }) as never;

  it('should invite trying restart as each user when a demo user is an admin', () => {
    assert.match(formatBanner(running(['sip:alice@contoso.com'])), /Admins: {8}sip:alice@contoso\.com \(try "restart web" as each user\)/);
  });

  it('should say that no demo user may run restart when BOT_ADMINS names someone else', () => {
    assert.match(formatBanner(running(['sip:admin@contoso.com'])), /sip:admin@contoso\.com \(from BOT_ADMINS: no demo user may run restart; unset it to make Alice an admin\)/);
  });
});
