/**
 * The event channel decides P-GET failures with the retry table (STYLE.md §5), with its own reconnect caps:
 * a user row changes what the channel does, Retry-After is honoured, 'fail' rows end it, row budgets never do.
 */
import { strict as assert } from 'node:assert';
import { resolveRetryRules } from '../../../src/retry/rules.js';
import type { RetryOptions } from '../../../src/retry/types.js';
import { UcwaError } from '../../../src/ucwa/errors.js';
import { EventChannel } from '../../../src/ucwa/event-channel.js';
import type { EventsResponse } from '../../../src/ucwa/wire-types.js';
import { createFakeLogger } from '../../fakes/ucwa/fake-transport.js';

const BASE = 'https://lyncweb.contoso.com/';
const ev = (n: number) => `${BASE}ucwa/oauth/v1/applications/1/events?ack=${n}`;
const batch = (n: number): EventsResponse => ({ _links: { self: { href: ev(n) }, next: { href: ev(n + 1) } }, sender: [] });
const http = (status: number, code: string, subcode?: string, retryAfterMs?: number) =>
  new UcwaError(`${status} ${code}`, status, code, subcode, { source: status === 0 ? 'network' : 'http', ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });

/** Scripted P-GET answers; resolves `done` on fatal, application loss, or when the script runs out. */
function run(answers: Array<EventsResponse | Error>, retry?: RetryOptions) {
  const delays: number[] = [];
  const fatal: Error[] = [];
  let processed = 0;
  let i = 0;
  let finish!: () => void;
  const done = new Promise<void>((r) => { finish = r; });
  const channel = new EventChannel({
    fetchEvents: async (_url, signal) => {
      const answer = answers[i++];
      if (answer === undefined) {
        finish();
        return new Promise<EventsResponse>((_, reject) => signal.addEventListener('abort', () => reject(http(0, 'LocalFailure', 'ABORT_ERR'))));
      }
      if (answer instanceof Error) throw answer;
      return answer;
    },
    processResponse: async () => { processed += 1; },
    onApplicationLost: () => finish(),
    onFatal: (e) => { fatal.push(e); finish(); },
    base: () => BASE,
    policy: resolveRetryRules(retry),
    logger: createFakeLogger(),
    random: () => 0.5,
    sleep: async (ms) => { delays.push(ms); },
  });
  return { channel, delays, fatal, done, processed: () => processed };
}

describe('event channel: P-GET failures decided by the retry table', () => {
  it('should follow a user override: 503 made a fail row ends the channel, the default row reconnects', async () => {
    const failing = run([http(503, 'ServiceUnavailable')], { rules: [{ status: 503, code: '*', subcode: '*', action: 'fail', reason: 'test: never retry 503' }] });
    await failing.channel.start(ev(1));
    await failing.done;
    await failing.channel.stop();
    assert.equal((failing.fatal[0] as UcwaError).status, 503);

    const retrying = run([http(503, 'ServiceUnavailable'), batch(1)]);
    await retrying.channel.start(ev(1));
    await retrying.done;
    await retrying.channel.stop();
    assert.deepEqual(retrying.fatal, []);
    assert.equal(retrying.processed(), 1);
  });

  it("should honour Retry-After through the 503 row, within the channel's cap", async () => {
    const h = run([http(503, 'ServiceUnavailable', undefined, 7_000), http(503, 'ServiceUnavailable', undefined, 90_000), batch(1)]);
    await h.channel.start(ev(1));
    await h.done;
    await h.channel.stop();
    assert.deepEqual(h.delays, [7_000, 30_000]);
  });

  it('should end the channel on fail rows (400, unknown 404, ENOTFOUND) and keep going on transient ones', async () => {
    for (const error of [http(400, 'BadRequest'), http(404, 'NotFound', 'APIVersionNotSupported'), http(0, 'LocalFailure', 'ENOTFOUND')]) {
      const h = run([error]);
      await h.channel.start(ev(1));
      await h.done;
      await h.channel.stop();
      assert.equal(h.fatal[0], error, `${error.status} ${error.code}/${error.subcode}`);
    }
  });

  it("should never stop on a row's maxAttempts: five CallbackChannelErrors (row allows 3) and it still polls", async () => {
    const cce = () => http(500, 'ServiceFailure', 'CallbackChannelError');
    const h = run([cce(), cce(), cce(), cce(), cce(), batch(1)]);
    await h.channel.start(ev(1));
    await h.done;
    await h.channel.stop();
    assert.deepEqual(h.fatal, []);
    assert.equal(h.processed(), 1);
    assert.equal(h.delays.length, 5);
    assert.ok(h.delays.every((d, k) => d > 0 && (k === 0 || d >= h.delays[k - 1]!)), `growing, never zero: ${h.delays.join(', ')}`);
  });

  it('should reconnect after a plain 401 (the next P-GET refreshes the token)', async () => {
    const h = run([http(401, 'Unauthorized'), batch(1)]);
    await h.channel.start(ev(1));
    await h.done;
    await h.channel.stop();
    assert.deepEqual(h.fatal, []);
    assert.equal(h.processed(), 1);
  });
});
