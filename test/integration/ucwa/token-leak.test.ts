import { strict as assert } from 'node:assert';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import nodeFetch from 'node-fetch';
import { UcwaEmulator } from '../../../src/emulator/index.js';
import { isUcwaError } from '../../../src/ucwa/errors.js';
import { ALICE, BOT, createClient } from './harness.js';

interface Seen {
  method: string;
  path: string;
  authorization?: string;
  body: string;
}

/** A small HTTP server on `host` that records every request and answers with `handle`. */
async function recordingServer(host: string, handle: (req: http.IncomingMessage, body: string, origin: string) => { status: number; headers?: Record<string, string>; body?: string }) {
  const seen: Seen[] = [];
  let origin = '';
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', path: req.url ?? '', authorization: req.headers.authorization, body });
      const answer = handle(req, body, origin);
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  origin = `http://${host}:${(server.address() as AddressInfo).port}`;
  return { seen, origin: () => origin, close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
}

describe('UcwaClient token guard against real servers (127.0.0.1 allowed, localhost is "another domain")', () => {
  let emu: UcwaEmulator;
  let challenge = '';
  let applicationsUrl = '';
  let elsewhere: Awaited<ReturnType<typeof recordingServer>>;
  let pool: Awaited<ReturnType<typeof recordingServer>>;
  /** What the pool's authenticated user resource answers (set per test). */
  let userAnswer: (origin: string) => { status: number; headers?: Record<string, string>; body?: string };

  before(async () => {
    emu = await UcwaEmulator.start({ users: [BOT, ALICE] });
    // The emulator's challenge (token URL on 127.0.0.1) and applications URL, read the documented way.
    const root = (await (await nodeFetch(emu.discoveryUrl)).json()) as { _links: { user: { href: string } } };
    const userUrl = new URL(root._links.user.href, emu.discoveryUrl).toString();
    challenge = (await nodeFetch(userUrl)).headers.raw()['www-authenticate']!.find((h) => h.startsWith('MsRtcOAuth'))!;
    const tokenUrl = /href="?([^",]+)/.exec(challenge)![1]!;
    const token = (await (await nodeFetch(new URL(tokenUrl, userUrl), { method: 'POST', body: new URLSearchParams({ grant_type: 'password', username: 'bot@contoso.com', password: BOT.password }) })).json()) as { access_token: string };
    const user = (await (await nodeFetch(userUrl, { headers: { authorization: `Bearer ${token.access_token}` } })).json()) as { _links: { applications: { href: string } } };
    applicationsUrl = new URL(user._links.applications.href, userUrl).toString();
    challenge = challenge.replace(tokenUrl, new URL(tokenUrl, userUrl).toString());
    elsewhere = await recordingServer('localhost', (req, _body, origin) =>
      req.url?.includes('oauthtoken')
        ? { status: 200, body: JSON.stringify({ access_token: 'cwt=LEAKED', token_type: 'Bearer', expires_in: 3600 }) }
        : { status: 401, headers: { 'www-authenticate': `MsRtcOAuth href="${origin}/WebTicket/oauthtoken",grant_type="password"`, 'content-type': 'text/html' } });
    pool = await recordingServer('127.0.0.1', (req, _body, origin) => {
      if (req.url === '/') return { status: 200, body: JSON.stringify({ _links: { user: { href: '/user' } } }) };
      if (req.url === '/user' && !req.headers.authorization) return { status: 401, headers: { 'www-authenticate': challenge, 'content-type': 'text/html' } };
      return userAnswer(origin);
    });
  });
  after(async () => {
    await elsewhere.close();
    await pool.close();
    await emu.close();
  });

  it('should not follow a redirect from the user resource to another domain, and never send it the token', async () => {
    userAnswer = () => ({ status: 302, headers: { location: `${elsewhere.origin()}/user` } });
    const { client } = createClient(`${pool.origin()}/`, { allowedDomains: ['127.0.0.1'] });
    const err = await client.start().catch((e: unknown) => e);
    assert.ok(isUcwaError(err));
    assert.equal(err.subcode, 'RedirectNotAllowed');
    assert.ok(pool.seen.some((r) => r.path === '/user' && r.authorization?.startsWith('Bearer cwt=')), 'the allowed pool did get the token');
    assert.ok(elsewhere.seen.every((r) => !r.authorization));
    assert.equal(elsewhere.seen.length, 0);
    await client.stop();
  });

  it('should not send the token (or the password) when an href points to another domain', async () => {
    elsewhere.seen.length = 0;
    userAnswer = () => ({ status: 200, body: JSON.stringify({ _links: { applications: { href: `${elsewhere.origin()}/ucwa/oauth/v1/applications` } } }) });
    const { client, logger } = createClient(`${pool.origin()}/`, { allowedDomains: ['127.0.0.1'] });
    const err = await client.start().catch((e: unknown) => e);
    assert.ok(isUcwaError(err));
    assert.equal(err.status, 401);
    assert.ok(elsewhere.seen.length >= 1, 'the href was requested (without credentials)');
    assert.ok(elsewhere.seen.every((r) => r.authorization === undefined), 'no Authorization header reached the other domain');
    assert.ok(elsewhere.seen.every((r) => !r.body.includes(BOT.password)), 'no password reached the other domain');
    assert.ok(!elsewhere.seen.some((r) => r.path.includes('oauthtoken')), 'its token endpoint was never asked');
    assert.ok(!logger.text().includes(BOT.password));
    await client.stop();
  });

  it('should work end to end when the same chain stays inside allowedDomains', async () => {
    userAnswer = () => ({ status: 200, body: JSON.stringify({ _links: { applications: { href: applicationsUrl } } }) });
    const { client, seen } = createClient(`${pool.origin()}/`, { allowedDomains: ['127.0.0.1'] });
    await client.start();
    const conv = await emu.user(ALICE.uri).startConversation('ping');
    await seen.until(() => seen.messages.length === 1, 'a message');
    await client.sendMessage(seen.messages[0]!.conversation.key, 'pong', 'plain');
    assert.deepEqual((await conv.waitForReceived(1)).map((m) => m.text), ['pong']);
    await client.stop();
  });
});
