import { strict as assert } from 'node:assert';
import sinon from 'sinon';
import { resolveRetryRules } from '../../../src/retry/rules.js';
import { UcwaError } from '../../../src/ucwa/errors.js';
import { EventChannel, PGET_REPLACED_MESSAGE } from '../../../src/ucwa/event-channel.js';
import type { EventChannelOptions } from '../../../src/ucwa/event-channel.js';
import type { EventsResponse } from '../../../src/ucwa/wire-types.js';
import { createFakeLogger } from '../../fakes/ucwa/fake-transport.js';

const BASE = 'https://lyncweb.contoso.com/';
const ev = (n: number) => `${BASE}ucwa/oauth/v1/applications/1/events?ack=${n}`;

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function batch(n: number, links: Partial<Record<'next' | 'resume' | 'resync', string>> = { next: `/ucwa/oauth/v1/applications/1/events?ack=${n + 1}` }): EventsResponse {
  const _links: EventsResponse['_links'] = { self: { href: ev(n) } };
  for (const [k, v] of Object.entries(links)) (_links as Record<string, { href: string }>)[k] = { href: v };
  return { _links, sender: [{ rel: 'communication', href: '/c', events: [{ link: { rel: 'marker', href: `/m/${n}` }, type: 'added' }] }] };
}

/** A scripted server: each P-GET gets the next answer (a response or an error); records the URLs polled. */
function harness(answers: (EventsResponse | Error)[], extra: Partial<EventChannelOptions> = {}) {
  const polled: string[] = [];
  const processed: { first: string; pgetsAtStart: number; kind: string }[] = [];
  const fatal: Error[] = [];
  const lost: UcwaError[] = [];
  const delays: number[] = [];
  const done = deferred<void>();
  let i = 0;
  const logger = createFakeLogger();
  const channel: EventChannel = new EventChannel({
    fetchEvents: async (url, signal) => {
      polled.push(url);
      const answer = answers[i++];
      if (answer === undefined) {
        done.resolve();
        return new Promise<EventsResponse>((_, reject) => signal.addEventListener('abort', () => reject(new UcwaError('aborted', 0, 'LocalFailure', 'ABORT_ERR', { source: 'network' }))));
      }
      if (answer instanceof Error) throw answer;
      return answer;
    },
    processResponse: async (response, kind) => {
      processed.push({ first: String(response.sender?.[0]?.events[0]?.link.href), pgetsAtStart: polled.length, kind });
    },
    onApplicationLost: (e) => {
      lost.push(e);
      done.resolve();
    },
    onFatal: (e) => {
      fatal.push(e);
      done.resolve();
    },
    base: () => BASE,
    policy: resolveRetryRules(),
    logger,
    random: () => 0.5,
    sleep: async (ms) => {
      delays.push(ms);
    },
    ...extra,
  });
  return { channel, polled, processed, fatal, lost, delays, done: done.promise, logger };
}

describe('EventChannel', () => {
  it('should issue the next P-GET before processing a response, and process responses in order', async () => {
    const h = harness([batch(1), batch(2), batch(3)]);
    await h.channel.start(ev(1));
    await h.done;
    await h.channel.stop();
    assert.deepEqual(h.polled, [ev(1), ev(2), ev(3), ev(4)]);
    assert.deepEqual(h.processed.map((p) => p.first), ['/m/1', '/m/2', '/m/3']);
    // When batch N is processed, the P-GET for N+1 has already been issued.
    assert.deepEqual(h.processed.map((p) => p.pgetsAtStart), [2, 3, 4]);
  });

  it('should keep processing strictly in order even when processing is slow', async () => {
    const gates = [deferred<void>(), deferred<void>()];
    const seen: string[] = [];
    const h = harness([batch(1), batch(2)], {
      processResponse: async (response) => {
        const n = Number(response._links.self?.href.split('=')[1]);
        seen.push(`start ${n}`);
        await gates[n - 1]!.promise;
        seen.push(`end ${n}`);
      },
    });
    await h.channel.start(ev(1));
    await new Promise((r) => setImmediate(r));
    gates[1]!.resolve();
    await new Promise((r) => setImmediate(r));
    gates[0]!.resolve();
    await h.done;
    await h.channel.stop();
    assert.deepEqual(seen, ['start 1', 'end 1', 'start 2', 'end 2']);
  });

  it('should report recovery once a re-issued P-GET stays parked, without waiting for an event', async () => {
    const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      let recovered = 0;
      const h = harness([new UcwaError('GET /events failed: 503 ServiceUnavailable', 503, 'ServiceUnavailable', undefined, { source: 'http' })], {
        onRecovered: () => { recovered++; },
      });
      await h.channel.start(ev(1));
      await h.done; // the re-issued P-GET is parked (no answer)
      await clock.tickAsync(1999);
      assert.equal(recovered, 0, 'not before parkedRecoveryMs');
      await clock.tickAsync(1);
      assert.equal(recovered, 1, 'a parked P-GET means the channel is live again');
      await h.channel.stop();
    } finally {
      clock.restore();
    }
  });

  it('should not report recovery when the re-issued P-GET fails again quickly', async () => {
    const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      let recovered = 0;
      const fail = () => new UcwaError('GET /events failed: 503 ServiceUnavailable', 503, 'ServiceUnavailable', undefined, { source: 'http' });
      const h = harness([fail(), fail()], { onRecovered: () => { recovered++; } });
      await h.channel.start(ev(1));
      await h.done;
      // The first re-issued P-GET failed at once: its timer is cleared; only the parked second one counts.
      await clock.tickAsync(2000);
      assert.equal(recovered, 1);
      await h.channel.stop();
    } finally {
      clock.restore();
    }
  });

  it('should follow resync and resume links and say which one it was', async () => {
    const h = harness([batch(1, { resync: '/ucwa/oauth/v1/applications/1/events?ack=1' }), batch(1, { resume: '/ucwa/oauth/v1/applications/1/events?ack=9' }), batch(9)]);
    await h.channel.start(ev(1));
    await h.done;
    await h.channel.stop();
    assert.deepEqual(h.polled, [ev(1), ev(1), ev(9), ev(10)]);
    assert.deepEqual(h.processed.map((p) => p.kind), ['resync', 'resume', 'next']);
  });

  it('should stop with a clear fatal error when another process replaced the P-GET (409 PGetReplaced)', async () => {
    const h = harness([batch(1), new UcwaError('GET /events failed: 409 Conflict/PGetReplaced', 409, 'Conflict', 'PGetReplaced', { source: 'http' })]);
    await h.channel.start(ev(1));
    await h.done;
    assert.equal(h.fatal.length, 1);
    assert.match(h.fatal[0]!.message, /another process signed in as the same bot \(409 Conflict\/PGetReplaced\)/);
    assert.equal(h.fatal[0]!.message, PGET_REPLACED_MESSAGE);
    assert.deepEqual(h.polled, [ev(1), ev(2)], 'no fight: no further P-GET');
    await h.channel.stop();
  });

  it('should hand 404 ApplicationNotFound and 410 InactiveApplicationExpired to the owner and stop polling', async () => {
    for (const [status, code, subcode] of [[404, 'NotFound', 'ApplicationNotFound'], [410, 'Gone', 'InactiveApplicationExpired']] as const) {
      const h = harness([new UcwaError('gone', status, code, subcode, { source: 'http' })]);
      await h.channel.start(ev(1));
      await h.done;
      assert.equal(h.lost[0]?.subcode, subcode);
      assert.equal(h.polled.length, 1);
      await h.channel.stop();
    }
  });

  it('should treat other 410s as fatal', async () => {
    const h = harness([new UcwaError('gone', 410, 'Gone', 'TooManyApplications', { source: 'http' })]);
    await h.channel.start(ev(1));
    await h.done;
    assert.equal((h.fatal[0] as UcwaError).subcode, 'TooManyApplications');
    await h.channel.stop();
  });

  it('should reconnect after network errors with growing, capped, jittered delays and poll the SAME link', async () => {
    const net = () => new UcwaError('reset', 0, 'LocalFailure', 'ECONNRESET', { source: 'network', uncertain: true });
    const h = harness([batch(1), ...Array.from({ length: 11 }, net), batch(2)]);
    await h.channel.start(ev(1));
    await h.done;
    await h.channel.stop();
    assert.deepEqual(h.delays, [75, 150, 300, 600, 1200, 2400, 4800, 9600, 19200, 22500, 22500]);
    assert.ok(h.polled.slice(1, 13).every((u) => u === ev(2)), 'the same ack is re-requested');
    assert.equal(h.processed.length, 2);
    assert.equal(h.channel.stats.reconnects, 11);
  });

  it('should never hot-loop: with real timers faked, no new P-GET is issued before the backoff elapses', async () => {
    const clock = sinon.useFakeTimers();
    try {
      const net = new UcwaError('refused', 0, 'LocalFailure', 'ECONNREFUSED', { source: 'network' });
      const h = harness([net, net, batch(1)], { sleep: undefined, random: () => 0 });
      await h.channel.start(ev(1));
      await clock.tickAsync(0);
      assert.equal(h.polled.length, 1);
      await clock.tickAsync(49);
      assert.equal(h.polled.length, 1, 'first retry waits at least 50 ms');
      await clock.tickAsync(1);
      assert.equal(h.polled.length, 2);
      await clock.tickAsync(99);
      assert.equal(h.polled.length, 2, 'second retry waits longer');
      await clock.tickAsync(1);
      assert.equal(h.polled.length, 4, 'third P-GET answered, the next one issued at once');
      assert.equal(h.processed.length, 1);
      await h.channel.stop();
    } finally {
      clock.restore();
    }
  });

  it('should skip a malformed body: log it and poll the same link again, later events still arrive', async () => {
    const malformed = new UcwaError('GET events: malformed JSON body (200)', 200, 'ServiceFailure', 'MalformedBody', { source: 'http' });
    const noLinks = { sender: [] } as unknown as EventsResponse;
    const h = harness([batch(1), malformed, noLinks, batch(2), batch(3)]);
    await h.channel.start(ev(1));
    await h.done;
    await h.channel.stop();
    assert.deepEqual(h.processed.map((p) => p.first), ['/m/1', '/m/2', '/m/3']);
    assert.deepEqual(h.polled.slice(0, 4), [ev(1), ev(2), ev(2), ev(2)]);
    assert.ok(h.channel.stats.malformed >= 1);
    assert.ok(h.logger.entries.some((e) => e.level === 'warn' && /malformed/.test(e.msg ?? '')));
    assert.ok(h.delays.every((d) => d > 0), 'never an immediate re-poll');
  });

  it('should keep going when processing a response throws', async () => {
    let calls = 0;
    const h = harness([batch(1), batch(2)], {
      processResponse: async () => {
        calls++;
        throw new Error('boom');
      },
    });
    await h.channel.start(ev(1));
    await h.done;
    await h.channel.stop();
    assert.equal(calls, 2);
  });

  it('should stop cleanly: abort the parked P-GET and issue no more', async () => {
    const h = harness([batch(1)]);
    await h.channel.start(ev(1));
    await h.done;
    await h.channel.stop();
    const count = h.polled.length;
    await new Promise((r) => setImmediate(r));
    assert.equal(h.polled.length, count);
    assert.equal(h.channel.running, false);
  });
});
