import { strict as assert } from 'node:assert';
import { ConfigError, loadConfig, type Config } from '../../../src/server/config.js';

const SERVER = {
  UCWA_DISCOVERY_URL: 'https://lyncdiscover.contoso.com/',
  UCWA_USERNAME: 'bot@contoso.com',
  UCWA_PASSWORD: 'S3cret-Pa55',
};
const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

function problems(env: Record<string, string>, readFile?: (p: string) => string): string[] {
  try {
    loadConfig(env, readFile ? { readFile } : {});
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return [...error.problems];
  }
  assert.fail('expected a ConfigError');
}

describe('loadConfig', () => {
  it('should default to the embedded emulator on 127.0.0.1:3978', () => {
    const config = loadConfig({});
    assert.equal(config.mode, 'emulator');
    assert.equal(config.ucwa, undefined);
    assert.equal(config.port, 3978);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.emulatorPort, 4000);
    assert.equal(config.logLevel, 'info');
    assert.equal(config.logMessageBodies, false);
    assert.deepEqual(config.groups, {});
  });

  it('should read a real server configuration and listen on all interfaces by default', () => {
    const config = loadConfig({ ...SERVER, UCWA_ALLOWED_DOMAINS: 'contoso.com, *.contoso.net', UCWA_CULTURE: 'de-DE', UCWA_USER_AGENT: 'HelpBot/1.0' });
    assert.equal(config.mode, 'server');
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.ucwa?.discoveryUrl, 'https://lyncdiscover.contoso.com/');
    assert.equal(config.ucwa?.username, 'bot@contoso.com');
    assert.equal(config.ucwa?.password, 'S3cret-Pa55');
    assert.deepEqual(config.ucwa?.allowedDomains, ['contoso.com', 'contoso.net']);
    assert.equal(config.ucwa?.culture, 'de-DE');
    assert.equal(config.ucwa?.userAgent, 'HelpBot/1.0');
  });

  it('should return a deeply frozen config whose serialisation omits the password', () => {
    const config = loadConfig({ ...SERVER, BOT_ADMINS: 'sip:ann@contoso.com' });
    assert.ok(Object.isFrozen(config) && Object.isFrozen(config.ucwa) && Object.isFrozen(config.groups['admins']));
    assert.equal(Reflect.set(config, 'port', 1), false);
    assert.equal(config.port, 3978);
    assert.ok(!JSON.stringify(config).includes('S3cret-Pa55'));
  });

  it('should require the credentials when UCWA_DISCOVERY_URL is set', () => {
    assert.deepEqual(problems({ UCWA_DISCOVERY_URL: SERVER.UCWA_DISCOVERY_URL }), [
      'UCWA_USERNAME is required when UCWA_DISCOVERY_URL is set (the bot account, such as bot@contoso.com)',
      'UCWA_PASSWORD is required when UCWA_DISCOVERY_URL is set',
    ]);
  });

  it('should refuse credentials without a discovery URL instead of silently running the emulator', () => {
    assert.deepEqual(problems({ UCWA_USERNAME: 'bot@contoso.com', UCWA_PASSWORD: 'x' }), [
      'UCWA_DISCOVERY_URL is required when UCWA_USERNAME is set',
      'UCWA_DISCOVERY_URL is required when UCWA_PASSWORD is set',
    ]);
  });

  it('should reject a malformed URL and plain http to a remote host', () => {
    assert.match(problems({ ...SERVER, UCWA_DISCOVERY_URL: 'lyncdiscover' })[0]!, /^UCWA_DISCOVERY_URL must be an absolute URL .* got "lyncdiscover"$/);
    assert.match(problems({ ...SERVER, UCWA_DISCOVERY_URL: 'http://lyncdiscover.contoso.com/' })[0]!, /^UCWA_DISCOVERY_URL must use https:\/\//);
  });

  it('should allow http to loopback only with UCWA_ALLOW_INSECURE_LOOPBACK=true', () => {
    const env = { ...SERVER, UCWA_DISCOVERY_URL: 'http://127.0.0.1:4000/autodiscover/autodiscoverservice.svc/root' };
    assert.equal(problems(env).length, 1);
    assert.equal(loadConfig({ ...env, UCWA_ALLOW_INSECURE_LOOPBACK: 'true' }).ucwa?.allowInsecureLoopback, true);
  });

  it('should validate ports as integers 0-65535', () => {
    assert.deepEqual(problems({ PORT: 'abc' }), ['PORT must be an integer 0-65535, got "abc"']);
    assert.deepEqual(problems({ EMULATOR_PORT: '70000' }), ['EMULATOR_PORT must be an integer 0-65535, got "70000"']);
    assert.equal(loadConfig({ PORT: '0', EMULATOR_PORT: '0' }).port, 0);
  });

  it('should validate booleans and enums', () => {
    assert.deepEqual(problems({ LOG_MESSAGE_BODIES: 'maybe' }), ['LOG_MESSAGE_BODIES must be true or false, got "maybe"']);
    assert.deepEqual(problems({ LOG_LEVEL: 'loud' }), ['LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"']);
    assert.equal(loadConfig({ LOG_MESSAGE_BODIES: 'YES', LOG_LEVEL: 'DEBUG' }).logLevel, 'debug');
  });

  it('should validate HOST, domains, culture and user agent', () => {
    assert.match(problems({ HOST: 'not a host' })[0]!, /^HOST must be an IP address or host name/);
    assert.match(problems({ ...SERVER, UCWA_ALLOWED_DOMAINS: 'contoso.com,bad domain' })[0]!, /UCWA_ALLOWED_DOMAINS .* got "bad domain"/);
    assert.match(problems({ ...SERVER, UCWA_CULTURE: 'english' })[0]!, /UCWA_CULTURE must be a language tag/);
    assert.match(problems({ ...SERVER, UCWA_USER_AGENT: 'bad\u0007' })[0]!, /UCWA_USER_AGENT must be 1-100 printable ASCII/);
  });

  it('should read UCWA_CA_FILE at startup and reject an unreadable or non-PEM file', () => {
    const config = loadConfig({ ...SERVER, UCWA_CA_FILE: '/etc/ca.pem' }, { readFile: () => PEM });
    assert.equal(config.ucwa?.ca, PEM);
    assert.match(problems({ ...SERVER, UCWA_CA_FILE: '/nope.pem' }, () => { throw Object.assign(new Error('x'), { code: 'ENOENT' }); })[0]!,
      /^UCWA_CA_FILE cannot be read \(ENOENT\): \/nope.pem$/);
    assert.match(problems({ ...SERVER, UCWA_CA_FILE: '/x.txt' }, () => 'hello')[0]!, /must be a PEM file/);
  });

  it('should read HTTPS_PROXY and NO_PROXY, never echoing proxy credentials', () => {
    const { ucwa } = loadConfig({ ...SERVER, HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'localhost, .contoso.com' });
    assert.equal(ucwa?.proxy, 'http://proxy:3128/');
    assert.deepEqual(ucwa?.noProxy, ['localhost', '.contoso.com']);
    assert.equal(loadConfig({ ...SERVER, https_proxy: 'http://p:1', no_proxy: '*' }).ucwa?.proxy, 'http://p:1/');
    const [problem] = problems({ ...SERVER, HTTPS_PROXY: 'ftp://user:hunter2@proxy' });
    assert.match(problem!, /^HTTPS_PROXY must be an http:\/\/ or https:\/\/ URL/);
    assert.ok(!problem!.includes('hunter2'));
  });

  it('should build permission groups from BOT_ADMINS and BOT_GROUP_<NAME>', () => {
    const config: Config = loadConfig({ BOT_ADMINS: 'sip:Ann@Contoso.com', BOT_GROUP_OPS: 'sip:bob@contoso.com, fabrikam.com, @Contoso.net' });
    assert.deepEqual(config.groups, { admins: ['sip:ann@contoso.com'], ops: ['sip:bob@contoso.com', '@fabrikam.com', '@contoso.net'] });
    assert.match(problems({ BOT_GROUP_OPS: 'bob' })[0]!, /^BOT_GROUP_OPS must be a comma-separated list of SIP URIs/);
  });

  it('should list every invalid variable in one error, and never the password', () => {
    const env = { UCWA_DISCOVERY_URL: 'https://lyncdiscover.contoso.com/', UCWA_PASSWORD: 'TopSecret!', PORT: 'x', LOG_LEVEL: 'y', EMULATOR_PORT: '-1', LOG_MESSAGE_BODIES: 'z' };
    let error: unknown;
    try { loadConfig(env); } catch (e) { error = e; }
    assert.ok(error instanceof ConfigError);
    for (const name of ['UCWA_USERNAME', 'PORT', 'LOG_LEVEL', 'EMULATOR_PORT', 'LOG_MESSAGE_BODIES']) {
      assert.ok(error.message.includes(name), `mentions ${name}`);
    }
    assert.equal(error.problems.length, 5);
    assert.ok(!error.message.includes('TopSecret!'));
  });
  it('should reject a BOT_GROUP_ variable without a group name, and accept a lower-case one', () => {
    assert.deepEqual(problems({ BOT_GROUP_: 'sip:bob@contoso.com' }), [
      'BOT_GROUP_ must name its group after BOT_GROUP_ (letters, digits, _), such as BOT_GROUP_OPS',
    ]);
    assert.match(problems({ 'BOT_GROUP_-x': 'sip:bob@contoso.com' })[0]!, /^BOT_GROUP_-x must name its group/);
    assert.deepEqual(loadConfig({ BOT_GROUP_ops: 'sip:bob@contoso.com' }).groups, { ops: ['sip:bob@contoso.com'] });
  });

  it('should refuse server-only settings without UCWA_DISCOVERY_URL rather than ignore them', () => {
    const found = problems({ UCWA_CA_FILE: '/nonexistent', UCWA_ALLOWED_DOMAINS: 'contoso.com', UCWA_CULTURE: 'en-GB', UCWA_USER_AGENT: 'x' });
    assert.deepEqual(found.map((p) => p.split(' ')[0]), ['UCWA_ALLOWED_DOMAINS', 'UCWA_CA_FILE', 'UCWA_USER_AGENT', 'UCWA_CULTURE']);
    assert.match(found[1]!, /only applies with UCWA_DISCOVERY_URL, which is not set/);
    // .env.example's own values (blank, or the false default) still start the demo.
    assert.equal(loadConfig({ UCWA_CA_FILE: '', UCWA_ALLOW_INSECURE_LOOPBACK: 'false' }).mode, 'emulator');
  });

  it('should refuse a discovery URL with credentials in it, without echoing them', () => {
    const found = problems({ ...SERVER, UCWA_DISCOVERY_URL: 'https://bot:Hunter2@lyncdiscover.contoso.com/' });
    assert.deepEqual(found, ['UCWA_DISCOVERY_URL must not contain a user name or password; set UCWA_USERNAME and UCWA_PASSWORD instead']);
  });
});
