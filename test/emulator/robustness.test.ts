import assert from 'node:assert/strict';
import net from 'node:net';
import type { UcwaEmulator } from '../../src/emulator/index.js';
import { requestUrl } from '../../src/emulator/dispatch.js';
import { ALICE, BOT, startEmulator } from './support/fixture.js';
import { App, call, flatten, signIn } from './support/walker.js';

/** Writes a raw HTTP/1.1 request (targets fetch would normalise or refuse) and resolves with the raw answer. */
function rawRequest(port: number, head: string, body = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(`${head}\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    });
    let out = '';
    socket.on('data', (d: Buffer) => (out += d.toString('utf8')));
    socket.on('close', () => resolve(out));
    socket.on('error', reject);
  });
}

const statusOf = (raw: string): number => Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1]);
const bodyOf = (raw: string): any => JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4)); // eslint-disable-line @typescript-eslint/no-explicit-any

/** Resolves once `test()` holds, re-checking every few ms (the server learns of a closed socket asynchronously). */
async function eventually(test: () => boolean, what: string, timeoutMs = 2000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > end) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('emulator robustness against hostile input', () => {
  let emu: UcwaEmulator;
  let app: App;
  let appPath: string;
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown): void => void unhandled.push(e);

  before(async () => {
    process.on('unhandledRejection', onUnhandled);
    emu = await startEmulator({ maxBodyBytes: 4096 });
    app = await App.create(await signIn(emu.discoveryUrl, BOT.uri, BOT.password));
    appPath = new URL(app.abs(app.links.self.href)).pathname;
  });
  after(async () => {
    process.off('unhandledRejection', onUnhandled);
    await emu.close();
  });
  afterEach(async () => {
    assert.deepEqual(unhandled, [], 'no request may cause an unhandled rejection');
    assert.equal((await call(emu.discoveryUrl)).status, 200, 'the emulator still answers');
  });

  const auth = (): string => `Authorization: Bearer ${app.s.token}`;

  it('should parse request targets without being fooled by //host paths or absolute-form', () => {
    assert.equal(requestUrl('//evil.example/ucwa/x', 'http://127.0.0.1:1')!.pathname, '//evil.example/ucwa/x');
    assert.equal(requestUrl('http://other/ucwa/x?a=1', 'http://127.0.0.1:1')!.href, 'http://127.0.0.1:1/ucwa/x?a=1');
    assert.equal(requestUrl('http://[bad/x', 'http://127.0.0.1:1'), undefined);
  });

  it('should answer an unparsable absolute-form target with 400 instead of crashing', async () => {
    const raw = await rawRequest(emu.port, `GET http://[bad/x HTTP/1.1\r\n${auth()}`);
    assert.equal(statusOf(raw), 400);
    assert.equal(bodyOf(raw).code, 'BadRequest');
  });

  it('should treat a //host path as a path (404), not as another host', async () => {
    const raw = await rawRequest(emu.port, `GET //evil.example${appPath} HTTP/1.1\r\n${auth()}`);
    assert.equal(statusOf(raw), 404);
  });

  it('should answer 404 with a header-safe X-Ms-diagnostics when a decoded path segment holds control or non-ASCII characters', async () => {
    for (const seg of ['%0D%0AX-Evil:%201', '%E2%82%AC', '%00']) {
      const r = await call(`${app.abs(app.links.self.href)}/communication/conversations/${seg}`, { token: app.s.token });
      assert.equal(r.status, 404, seg);
      assert.equal(r.json.code, 'NotFound');
      assert.match(r.headers.get('x-ms-diagnostics')!, /^[\x20-\x7e]+$/);
      assert.equal(r.headers.get('x-evil'), null);
    }
  });

  it('should answer bad percent-encoding: 404 on UCWA paths, 400 naming the segment on /_emulator/api', async () => {
    assert.equal(statusOf(await rawRequest(emu.port, `GET ${appPath}/communication/conversations/%E0%A4%A HTTP/1.1\r\n${auth()}`)), 404);
    const raw = await rawRequest(emu.port, 'GET /_emulator/api/conversations/%zz HTTP/1.1');
    assert.equal(statusOf(raw), 400);
    assert.match(bodyOf(raw).error, /percent-encoding.*%zz/);
  });

  it('should refuse invalid SIP URIs and malformed bodies on /_emulator/api with 400', async () => {
    const api = `${emu.baseUrl}/_emulator/api`;
    const post = (path: string, body: string) => call(`${api}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    const r1 = await post('/users/not-a-sip/conversations', '{"text":"hi"}');
    assert.equal(r1.status, 400);
    assert.match(r1.json.error, /not a SIP URI/);
    assert.equal((await post(`/users/${encodeURIComponent('sip:@@')}/availability`, '{"availability":"online"}')).status, 400);
    assert.equal((await post(`/users/${encodeURIComponent(ALICE.uri)}/conversations`, '{"text":')).status, 400);
    const r2 = await post('/faults', '{"resource":"events","error":null}');
    assert.equal(r2.status, 400);
    assert.match(r2.json.error, /error to be an object/);
    assert.match((await post('/faults', '{"resource":"sendMessage","latencyMs":1e15}')).json.error, /latencyMs/);
    assert.match((await post('/faults', '{"resource":"sendMessage","error":{"status":503,"retryAfterSeconds":"1\\r\\nX: y"}}')).json.error, /retryAfterSeconds/);
  });

  it('should answer unknown methods with 405 and unknown paths with 404, with UCWA bodies', async () => {
    const patch = await rawRequest(emu.port, `PATCH ${appPath}/me HTTP/1.1\r\n${auth()}`);
    assert.equal(statusOf(patch), 405);
    assert.equal(bodyOf(patch).code, 'MethodNotAllowed');
    const prop = await rawRequest(emu.port, `PROPFIND ${appPath} HTTP/1.1\r\n${auth()}`);
    assert.equal(statusOf(prop), 405);
    const unknown = await rawRequest(emu.port, `GET ${appPath}/${'a/'.repeat(2000)} HTTP/1.1\r\n${auth()}`);
    assert.equal(statusOf(unknown), 404);
  });

  it('should answer the unimplemented batch, group IM and meeting links sensibly, never crash', async () => {
    const batch = await app.post(app.links.batch!.href, '--b--', 'multipart/batching;boundary=b');
    assert.equal(batch.status, 501);
    assert.equal(batch.json.code, 'ServiceFailure');
    assert.match(batch.json.message, /NotSupported/);
    assert.equal((await app.get(app.links.batch!.href)).status, 405);
    const comm = app.embedded('communication')._links as Record<string, { href: string }>;
    for (const rel of ['startOnlineMeeting', 'joinOnlineMeeting']) {
      const r = await app.post(comm[rel]!.href, {});
      assert.equal(r.status, 404, rel);
      assert.equal(r.json.code, 'NotFound');
    }
  });

  it('should refuse wrong content types (415), malformed JSON (400) and huge bodies (413)', async () => {
    const mma = (app.embedded('me')._links as Record<string, { href: string }>).makeMeAvailable!.href;
    assert.equal((await app.post(mma, '<x/>', 'text/xml')).status, 415);
    assert.equal((await app.post(mma, '{"a":', 'application/json')).json.subcode, 'DeserializationFailure');
    const big = await app.post(mma, `{"x":"${'y'.repeat(2_000_000)}"}`);
    assert.equal(big.status, 413);
    assert.equal(big.json.code, 'EntityTooLarge');
  });

  it('should accept absurd P-GET timeout/low/medium/priority values (clamped or ignored) and keep the channel consistent', async () => {
    const a = await App.create(app.s, 'absurd');
    const id = a.links.self!.href.split('/').pop()!;
    const first = call(`${a.next}&timeout=1e999&low=-5&medium=abc&priority=-1e308`, { token: a.s.token });
    await emu.waitForPendingPGet(id);
    const second = call(`${a.next}&priority=Infinity&timeout=-1`, { token: a.s.token });
    const replaced = await first;
    assert.equal(replaced.status, 409);
    assert.equal(replaced.json.subcode, 'PGetReplaced');
    await a.del(a.links.self!.href);
    const gone = await second;
    assert.equal(gone.status, 404);
    assert.equal(gone.json.subcode, 'ApplicationNotFound');
  });
});

describe('emulator P-GET whose client goes away', () => {
  let emu: UcwaEmulator;
  before(async () => {
    emu = await startEmulator();
  });
  after(() => emu.close());

  it('should stop counting an aborted P-GET as parked, and deliver to the next P-GET', async () => {
    const app = await App.create(await signIn(emu.discoveryUrl, BOT.uri, BOT.password), 'abort');
    await app.makeMeAvailable();
    const aborter = new AbortController();
    const parked = fetch(app.next, { headers: { Authorization: `Bearer ${app.s.token}` }, signal: aborter.signal }).catch((e: Error) => e.name);
    await emu.waitForPendingPGet();
    assert.equal(emu.applications().find((x) => x.endpointId === 'abort')!.pendingPGet, true);
    aborter.abort();
    assert.equal(await parked, 'AbortError');
    await eventually(() => !emu.applications().find((x) => x.endpointId === 'abort')!.pendingPGet, 'the closed P-GET is no longer parked');
    await emu.user(ALICE.uri).startConversation('after abort');
    const r = await app.poll();
    assert.equal(r.status, 200);
    assert.ok(flatten(r).some((e) => e.link.rel === 'messagingInvitation'), 'the next P-GET gets the events');
  });

  it('should survive hundreds of P-GETs replacing each other: one answered with events, the others 409 PGetReplaced or the same response', async () => {
    const app = await App.create(await signIn(emu.discoveryUrl, BOT.uri, BOT.password), 'storm');
    await app.makeMeAvailable();
    const storm = Array.from({ length: 300 }, () => call(app.next, { token: app.s.token }));
    await emu.waitForPendingPGet();
    await emu.user(ALICE.uri).startConversation('storm');
    const replies = await Promise.all(storm);
    const ok = replies.filter((r) => r.status === 200);
    const replaced = replies.filter((r) => r.status === 409);
    assert.equal(ok.length + replaced.length, 300);
    assert.ok(replaced.every((r) => r.json.subcode === 'PGetReplaced'));
    assert.ok(ok.length >= 1);
    assert.ok(ok.every((r) => r.text === ok[0]!.text), 'a repeated ack gets the same response again');
    assert.equal(emu.applications().find((x) => x.endpointId === 'storm')!.pendingPGet, false);
    app.next = app.abs(ok[0]!.json._links.next.href);
    const later = call(app.next, { token: app.s.token });
    await emu.waitForPendingPGet();
    await emu.user(ALICE.uri).startConversation('after the storm');
    assert.equal((await later).status, 200);
  });
});
