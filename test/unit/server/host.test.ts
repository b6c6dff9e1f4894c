import { strict as assert } from 'node:assert';
import { createHost, type Host } from '../../../src/server/host.js';
import type { Route } from '../../../src/server/routes.js';
import type { Logger } from '../../../src/ucwa/types.js';

function fakeLogger(): Logger & { entries: { level: string; obj: unknown; msg?: string }[] } {
  const entries: { level: string; obj: unknown; msg?: string }[] = [];
  const log = (level: string) => (obj: object | string, msg?: string) => { entries.push({ level, obj, ...(msg ? { msg } : {}) }); };
  const logger = { entries, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error'), trace: log('trace'), fatal: log('fatal'),
    child: () => logger, level: 'info' };
  return logger as unknown as Logger & { entries: { level: string; obj: unknown; msg?: string }[] };
}

describe('createHost', () => {
  const logger = fakeLogger();
  let release: () => void = () => {};
  let entered: () => void = () => {};
  const slowEntered = new Promise<void>((resolve) => { entered = resolve; });
  const routes: Route[] = [
    { method: 'GET', path: '/healthz', summary: 'up', handler: () => ({ status: 200, body: { status: 'ok' } }) },
    { method: 'GET', path: '/text', summary: 'text', handler: () => ({ status: 200, body: 'plain', headers: { 'x-extra': '1' } }) },
    { method: 'POST', path: '/api/alerts/:id', summary: 'a webhook added as one row', handler: (r) => ({ status: 202, body: { id: r.params['id'], q: r.query['x'], body: r.body } }) },
    { method: 'GET', path: '/boom', summary: 'fails', handler: () => { throw new Error('internal detail'); } },
    { method: 'GET', path: '/slow', summary: 'slow', handler: () => new Promise((resolve) => { release = () => resolve({ status: 200, body: 'done' }); entered(); }) },
  ];
  let host: Host;
  let url: string;

  before(async () => {
    host = createHost({ routes, port: 0, host: '127.0.0.1', logger });
    url = await host.start();
  });
  after(() => host.stop());

  it('should listen on an ephemeral port and expose its url', () => {
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(host.url, url);
  });

  it('should serve JSON and text bodies from the table', async () => {
    const json = await fetch(`${url}/healthz`);
    assert.equal(json.status, 200);
    assert.match(String(json.headers.get('content-type')), /^application\/json/);
    assert.deepEqual(await json.json(), { status: 'ok' });
    const text = await fetch(`${url}/text`);
    assert.equal(await text.text(), 'plain');
    assert.equal(text.headers.get('x-extra'), '1');
  });

  it('should pass params, query and the parsed JSON body to a POST row', async () => {
    const res = await fetch(`${url}/api/alerts/42?x=y`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"severity":"high"}' });
    assert.equal(res.status, 202);
    assert.deepEqual(await res.json(), { id: '42', q: 'y', body: { severity: 'high' } });
  });

  it('should answer 400 for malformed JSON and 404 for unknown paths', async () => {
    const bad = await fetch(`${url}/api/alerts/1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":' });
    assert.equal(bad.status, 400);
    assert.equal((await fetch(`${url}/nope`)).status, 404);
  });

  it('should turn a handler error into a 500 with a correlation id, logging the error but not returning it', async () => {
    const res = await fetch(`${url}/boom`);
    assert.equal(res.status, 500);
    const body = (await res.json()) as { error: string; correlationId: string };
    assert.equal(body.error, 'Internal error');
    assert.ok(!JSON.stringify(body).includes('internal detail'));
    const entry = logger.entries.find((e) => e.msg === 'route handler failed');
    assert.equal((entry?.obj as { correlationId: string }).correlationId, body.correlationId);
  });

  it('should let an in-flight request finish when stopping, then refuse connections', async () => {
    const other = createHost({ routes, port: 0, host: '127.0.0.1', logger });
    const otherUrl = await other.start();
    const inFlight = fetch(`${otherUrl}/slow`).then((r) => r.text());
    await slowEntered;
    const stopped = other.stop();
    release();
    assert.equal(await inFlight, 'done');
    await stopped;
    await assert.rejects(fetch(`${otherUrl}/healthz`));
  });
});
