import assert from 'node:assert/strict';
import type { UcwaEmulator } from '../../src/emulator/index.js';
import { BOT, startEmulator } from './support/fixture.js';
import { App, call, signIn, type Session } from './support/walker.js';

describe('emulator faults and request log', () => {
  let emu: UcwaEmulator;
  let s: Session;
  before(async () => {
    emu = await startEmulator();
    s = await signIn(emu.discoveryUrl, BOT.uri, BOT.password);
  });
  after(() => emu.close());
  afterEach(() => emu.faults.clear());

  const create = (endpointId: string) =>
    call(s.applicationsUrl, { method: 'POST', token: s.token, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ userAgent: 'f', endpointId, culture: 'en-US' }) });

  it('should fail the next N matching requests with the documented error and Retry-After, then recover', async () => {
    const h = emu.faults.inject({ resource: 'applications', times: 2, error: { status: 503, retryAfterSeconds: 7 } });
    const a = await create('n1');
    assert.equal(a.status, 503);
    assert.equal(a.headers.get('retry-after'), '7');
    assert.equal(a.json.code, 'ServiceUnavailable');
    assert.equal((await create('n1')).status, 503);
    assert.equal((await create('n1')).status, 201);
    assert.equal(h.hits, 2);
  });

  it('should send an HTML proxy body and keep code/subcode when asked', async () => {
    emu.faults.inject({ resource: 'applications', error: { status: 502, html: true } });
    const r = await create('h1');
    assert.equal(r.status, 502);
    assert.match(r.headers.get('content-type')!, /text\/html/);
    emu.faults.inject({ resource: 'applications', error: { status: 500, code: 'ServiceFailure', subcode: 'CallbackChannelError' } });
    assert.equal((await create('h1')).json.subcode, 'CallbackChannelError');
  });

  it('should answer an injected 401 with the MsRtcOAuth challenge', async () => {
    emu.faults.inject({ resource: '*', error: { status: 401 } });
    const r = await create('u1');
    assert.equal(r.status, 401);
    assert.match(r.headers.get('www-authenticate')!, /MsRtcOAuth href=/);
  });

  it('should add latency', async () => {
    emu.faults.inject({ resource: 'applications', latencyMs: 80 });
    const t0 = performance.now();
    assert.equal((await create('l1')).status, 201);
    assert.ok(performance.now() - t0 >= 75);
  });

  it('should reset before processing (nothing happened) and after processing (it took effect)', async () => {
    emu.faults.inject({ resource: 'applications', reset: 'before' });
    await assert.rejects(create('r-before'));
    assert.equal(emu.applications().some((a) => a.endpointId === 'r-before'), false);
    emu.faults.inject({ resource: 'applications', reset: 'after' });
    await assert.rejects(create('r-after'));
    assert.equal(emu.applications().some((a) => a.endpointId === 'r-after'), true);
    assert.equal(emu.requests().at(-1)!.status, 201);
  });

  it('should apply probability faults reproducibly from the seed', async () => {
    const run = async (): Promise<number[]> => {
      emu.faults.clear();
      emu.faults.seed(42);
      emu.faults.inject({ resource: 'token', probability: 0.5, error: { status: 500 } });
      const out: number[] = [];
      for (let i = 0; i < 12; i++) {
        out.push((await call(s.tokenUrl, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'grant_type=password&username=bot&password=bot-pass' })).status);
      }
      return out;
    };
    const first = await run();
    assert.deepEqual(await run(), first);
    assert.ok(first.includes(500) && first.includes(200), first.join(','));
  });

  it('should record every request with the token and password masked', async () => {
    emu.clearRequests();
    await call(s.tokenUrl, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'grant_type=password&username=bot&password=bot-pass' });
    const app = await App.create(s, 'rec');
    await app.get(app.links.self!.href + '?x=1');
    const log = emu.requests();
    assert.deepEqual(log.map((r) => `${r.method} ${r.resource} ${r.status}`), ['POST token 200', 'POST applications 201', 'GET application 200']);
    assert.equal(log[0]!.body, 'grant_type=password&username=bot&password=***');
    assert.equal(log[2]!.headers.authorization, 'Bearer ***');
    assert.deepEqual(log[2]!.query, { x: '1' });
    assert.ok(log.every((r, i) => r.seq > (log[i - 1]?.seq ?? 0)));
  });

  it('should refuse an invalid fault spec with a message naming the member', () => {
    assert.throws(() => emu.faults.inject({ resource: 'nope' as never, error: { status: 500 } }), /Unknown fault resource "nope"/);
    assert.throws(() => emu.faults.inject({ resource: 'sendMessage', dropEventChannel: true }), /dropEventChannel applies to resource "events"/);
  });
});
