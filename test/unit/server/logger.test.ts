import { strict as assert } from 'node:assert';
import { createLogger, REDACTED } from '../../../src/server/logger.js';

function capture(options: { logMessageBodies?: boolean } = {}) {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ level: 'debug', ...options, destination: { write: (s: string) => { lines.push(JSON.parse(s)); } } });
  return { logger, lines };
}

describe('createLogger', () => {
  it('should write JSON lines with level and message', () => {
    const { logger, lines } = capture();
    logger.info({ resource: 'events' }, 'event channel started');
    assert.equal(lines[0]!['msg'], 'event channel started');
    assert.equal(lines[0]!['level'], 30);
    assert.equal(lines[0]!['resource'], 'events');
  });

  it('should redact tokens, passwords and authorization headers at any depth', () => {
    const { logger, lines } = capture();
    logger.warn({
      password: 'p1', token: 't1', access_token: 'a1',
      req: { headers: { authorization: 'Bearer cwt=abc', cookie: 'c' } },
      grant: { password: 'p2' },
    }, 'sign-in');
    const text = JSON.stringify(lines[0]);
    for (const secret of ['p1', 't1', 'a1', 'cwt=abc', 'p2']) assert.ok(!text.includes(secret), `${secret} leaked: ${text}`);
    assert.equal((lines[0]!['req'] as { headers: { authorization: string } }).headers.authorization, REDACTED);
  });

  it('should redact message bodies by default', () => {
    const { logger, lines } = capture();
    logger.info({ text: 'my salary is 42', message: { html: '<b>42</b>' }, activity: { text: 'hi' } }, 'turn');
    const text = JSON.stringify(lines[0]);
    assert.ok(!text.includes('salary') && !text.includes('<b>') && !text.includes('"hi"'), text);
  });

  it('should keep message bodies when LOG_MESSAGE_BODIES is on, but still hide secrets', () => {
    const { logger, lines } = capture({ logMessageBodies: true });
    logger.info({ text: 'hello bot', password: 'p' }, 'turn');
    assert.equal(lines[0]!['text'], 'hello bot');
    assert.equal(lines[0]!['password'], REDACTED);
  });

  it('should serialise errors with their UCWA fields', () => {
    const { logger, lines } = capture();
    logger.error({ err: Object.assign(new Error('POST /applications failed'), { status: 409, subcode: 'AlreadyExists' }) }, 'failed');
    const err = lines[0]!['err'] as Record<string, unknown>;
    assert.equal(err['message'], 'POST /applications failed');
    assert.equal(err['status'], 409);
    assert.equal(err['subcode'], 'AlreadyExists');
  });
});
