import assert from 'node:assert/strict';
import sinon from 'sinon';
import type { UcwaEmulator } from '../../src/emulator/index.js';
import { ALICE, BOT, startEmulator } from './support/fixture.js';
import { App, call, flatten, signIn } from './support/walker.js';

async function botApp(emu: UcwaEmulator, endpointId: string): Promise<App> {
  const s = await signIn(emu.discoveryUrl, BOT.uri, BOT.password);
  return App.create(s, endpointId);
}

describe('emulator event channel', () => {
  let emu: UcwaEmulator;
  let n = 0;
  beforeEach(async () => {
    emu = await startEmulator();
  });
  afterEach(() => emu.close());

  /** An available app whose first P-GET already returned (the makeMeAvailable events). */
  async function readyApp(): Promise<App> {
    const app = await botApp(emu, `ep-${++n}`);
    await app.makeMeAvailable();
    await emu.user(ALICE.uri).startConversation('first'); // High: releases the Medium events too
    const first = await app.poll();
    assert.ok(first.sender!.length > 0);
    return app;
  }

  it('should number responses: self is the requested ack and next the following one', async () => {
    const app = await readyApp();
    assert.match(app.next, /events\?ack=2$/);
    await emu.user(ALICE.uri).startConversation('second');
    const r = await app.poll();
    assert.match(r._links.self!.href, /events\?ack=2$/);
    assert.match(r._links.next!.href, /events\?ack=3$/);
  });

  it('should re-send the unacknowledged response for a repeated ack', async () => {
    const app = await readyApp();
    await emu.user(ALICE.uri).startConversation('again');
    const url = app.next;
    const a = await call(url, { token: app.s.token });
    const b = await call(url, { token: app.s.token });
    assert.equal(a.status, 200);
    assert.equal(b.text, a.text);
  });

  it('should answer an out-of-range ack with nothing but a resync link to the first unacknowledged response', async () => {
    const app = await readyApp();
    const r = await call(app.next.replace(/ack=\d+/, 'ack=99'), { token: app.s.token });
    assert.deepEqual(Object.keys(r.json._links), ['resync']);
    assert.equal(r.json.sender, undefined);
    assert.match(r.json._links.resync.href, /events\?ack=1$/); // ack=1 was delivered and not yet acknowledged
  });

  it('should release the older of two P-GETs with 409 PGetReplaced, and refuse a lower-priority newcomer', async () => {
    const app = await readyApp();
    const older = call(app.next + '&priority=1', { token: app.s.token });
    await emu.waitForPendingPGet();
    const lower = await call(app.next + '&priority=0', { token: app.s.token });
    assert.equal(lower.status, 409);
    assert.equal(lower.json.subcode, 'PGetReplaced');
    const newer = call(app.next + '&priority=1', { token: app.s.token });
    const o = await older;
    assert.equal(o.status, 409);
    assert.deepEqual(o.json, { code: 'Conflict', subcode: 'PGetReplaced', message: o.json.message });
    await emu.waitForPendingPGet();
    await emu.user(ALICE.uri).startConversation('wake');
    assert.equal((await newer).status, 200);
  });

  it('should release a parked P-GET at once for a High event, grouping sender blocks and starting a new one when the sender changes', async () => {
    const app = await readyApp();
    const pending = app.poll();
    await emu.waitForPendingPGet();
    await emu.user(ALICE.uri).startConversation('wake up');
    const r = await pending;
    assert.deepEqual(r.sender!.map((s) => s.rel), ['communication', 'conversation', 'communication']);
    assert.deepEqual(r.sender![0]!.events.map((e) => `${e.link.rel}:${e.type}`), ['messagingInvitation:started', 'conversation:added']);
  });

  it('should answer 404 ApplicationNotFound to the parked P-GET and to later requests after DELETE', async () => {
    const app = await readyApp();
    const pending = call(app.next, { token: app.s.token });
    await emu.waitForPendingPGet();
    assert.equal((await app.del(app.links.self!.href)).status, 204);
    const p = await pending;
    assert.equal(p.status, 404);
    assert.equal(p.json.subcode, 'ApplicationNotFound');
    const again = await call(app.next, { token: app.s.token });
    assert.equal(again.json.subcode, 'ApplicationNotFound');
  });

  it('should answer with resume after simulateLongAbsence and end the conversations silently', async () => {
    const app = await readyApp();
    const conv = emu.user(ALICE.uri).conversations()[0]!;
    emu.simulateLongAbsence();
    const r = await app.poll('&timeout=900');
    assert.ok(r._links.resume);
    assert.equal(r._links.next, undefined);
    assert.equal(r.sender, undefined);
    assert.equal(conv.state, 'Disconnected');
  });

  it('should drop the pending P-GET with an empty 200 on a dropEventChannel fault, keeping queued events', async () => {
    const app = await readyApp();
    const pending = app.poll();
    await emu.waitForPendingPGet();
    emu.faults.inject({ resource: 'events', dropEventChannel: true });
    const r = await pending;
    assert.equal(r.status, 200);
    assert.equal(r.sender, undefined);
    assert.ok(r._links.next);
  });

  describe('with fake timers', () => {
    let clock: sinon.SinonFakeTimers;
    afterEach(() => clock?.restore());
    const fake = (): sinon.SinonFakeTimers => (clock = sinon.useFakeTimers({ now: Date.now(), toFake: ['setTimeout', 'clearTimeout', 'Date'], shouldClearNativeTimers: true }));

    it('should release an idle P-GET after the remembered timeout with only links', async () => {
      const app = await readyApp();
      fake();
      const pending = app.poll('&timeout=200');
      await emu.waitForPendingPGet();
      await clock.tickAsync(199_000);
      assert.equal(emu.applications()[0]!.pendingPGet, true);
      await clock.tickAsync(1_000);
      const r = await pending;
      assert.deepEqual(Object.keys(r._links).sort(), ['next', 'self']);
      assert.equal(r.sender, undefined);
      const again = app.poll(); // timeout=200 is remembered
      await emu.waitForPendingPGet();
      await clock.tickAsync(200_000);
      assert.equal((await again).status, 200);
    });

    it('should hold Medium events (makeMeAvailable) for `medium` seconds', async () => {
      const app = await botApp(emu, 'ep-medium');
      fake();
      await app.makeMeAvailable();
      const pending = app.poll('&medium=10');
      await emu.waitForPendingPGet();
      await clock.tickAsync(9_000);
      assert.equal(emu.applications()[0]!.pendingPGet, true);
      await clock.tickAsync(1_000);
      const r = await pending;
      assert.deepEqual(flatten(r).map((e) => e.link.rel), ['me', 'presence', 'note', 'location', 'communication']);
    });

    it('should expire an application nobody polls (404) and one that stops reporting activity (410)', async () => {
      await emu.close();
      emu = await startEmulator({ applicationIdleTimeoutMs: 60_000, reportMyActivityTimeoutMs: 30_000 });
      const idle = await botApp(emu, 'idle');
      const busy = await botApp(emu, 'busy');
      await busy.makeMeAvailable();
      fake();
      await clock.tickAsync(20_000);
      assert.equal((await busy.post((await busy.get(busy.links.self!.href)).json._embedded.me._links.reportMyActivity.href)).status, 204);
      await clock.tickAsync(31_000);
      const gone = await busy.get(busy.links.self!.href);
      assert.equal(gone.status, 410);
      assert.equal(gone.json.subcode, 'InactiveApplicationExpired');
      await clock.tickAsync(10_000);
      const missing = await idle.get(idle.links.self!.href);
      assert.equal(missing.status, 404);
      assert.equal(missing.json.subcode, 'ApplicationNotFound');
    });

    it('should keep an application alive while its P-GET is parked, even past the idle time', async () => {
      await emu.close();
      emu = await startEmulator({ applicationIdleTimeoutMs: 60_000 });
      const app = await botApp(emu, 'long-poll');
      fake();
      const pending = app.poll('&timeout=1800');
      await emu.waitForPendingPGet();
      await clock.tickAsync(1_800_000);
      assert.equal((await pending).status, 200);
      const again = app.poll();
      await emu.waitForPendingPGet();
      assert.equal(emu.applications().length, 1);
      emu.expireApplication();
      assert.equal((await again).status, 404);
    });

    it('should expire a polling application after a P-GET gap longer than the idle time, whatever else it sends (MeDashboard.md)', async () => {
      await emu.close();
      emu = await startEmulator({ applicationIdleTimeoutMs: 60_000, reportMyActivityTimeoutMs: 600_000 });
      const app = await botApp(emu, 'gap');
      await app.makeMeAvailable();
      fake();
      const first = app.poll('&medium=5');
      await emu.waitForPendingPGet();
      await clock.tickAsync(5_000); // the makeMeAvailable events release it; from here no P-GET is parked
      assert.equal((await first).status, 200);
      const report = (app.embedded('me')._links as any).self.href + '/reportMyActivity';
      // Reports at 19, 38 and 57 s after the P-GET ended: well inside the 60 s gap. (The release time of that P-GET
      // drifts by the few real milliseconds between makeMeAvailable and fake(), so nothing sits on the boundary.)
      for (let i = 0; i < 3; i++) {
        await clock.tickAsync(19_000);
        assert.equal((await app.post(report)).status, 204, `reportMyActivity ${i} within the gap`);
      }
      await clock.tickAsync(4_000); // 61 s since the last P-GET ended, though the last request is 4 s old
      const r = await app.post(report);
      assert.equal(r.status, 404);
      assert.equal(r.json.subcode, 'ApplicationNotFound');
    });

    it('should count the P-GET gap from the end of a P-GET the client abandoned, not from the last answered one', async () => {
      await emu.close();
      emu = await startEmulator({ applicationIdleTimeoutMs: 60_000 });
      const app = await botApp(emu, 'abandon');
      fake();
      const aborter = new AbortController();
      const parked = fetch(app.next + '&timeout=1800', { headers: { Authorization: `Bearer ${app.s.token}` }, signal: aborter.signal }).catch(() => 'aborted');
      await emu.waitForPendingPGet();
      await clock.tickAsync(600_000); // parked for 10 minutes: alive
      aborter.abort();
      assert.equal(await parked, 'aborted');
      for (let i = 0; i < 200 && emu.applications()[0]?.pendingPGet; i++) await new Promise((r) => setImmediate(r));
      assert.equal(emu.applications()[0]?.pendingPGet, false);
      await clock.tickAsync(30_000);
      assert.equal((await app.get(app.links.self!.href)).status, 200, '30 s after the abandoned P-GET ended');
    });

    it('should expire tokens after tokenLifetimeSeconds (401 with the challenge)', async () => {
      await emu.close();
      emu = await startEmulator({ tokenLifetimeSeconds: 60 });
      const app = await botApp(emu, 'tok');
      fake();
      await clock.tickAsync(61_000);
      const r = await app.get(app.links.self!.href);
      assert.equal(r.status, 401);
      assert.match(r.headers.get('www-authenticate')!, /MsRtcOAuth href="[^"]+\/WebTicket\/oauthtoken",grant_type="[^"]*password"/);
    });

    it('should fail unanswered invitations: incoming (Missed) and outgoing noAnswer (Timeout)', async () => {
      await emu.close();
      emu = await startEmulator({ invitationTimeoutMs: 5_000 });
      const app = await botApp(emu, 'inv');
      await app.makeMeAvailable();
      fake();
      const conv = await emu.user(ALICE.uri).startConversation('anyone?');
      emu.user('sip:bob@contoso.com').setAvailability('noAnswer');
      await app.post((app.embedded('communication')._links as any).startMessaging.href, { to: 'sip:bob@contoso.com' });
      await clock.tickAsync(5_000);
      assert.equal(conv.state, 'Disconnected');
      assert.equal((conv as any).failure, 'Missed');
      const evs = await app.pollUntil((e) => e.type === 'completed' && e.reason?.subcode === 'Timeout');
      const reasons = evs.filter((e) => e.type === 'completed').map((e) => `${e.status}/${e.reason?.subcode}`);
      assert.deepEqual(reasons, ['Failure/Missed', 'Failure/Timeout']);
    });
  });
});
