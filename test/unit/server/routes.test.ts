import { strict as assert } from 'node:assert';
import { PrometheusMetrics } from '../../../src/server/metrics.js';
import { createRoutes, readinessFrom, type Readiness, type Route, type RouteRequest } from '../../../src/server/routes.js';

const request: RouteRequest = { method: 'GET', path: '/', params: {}, query: {}, headers: {}, body: undefined };

function find(routes: Route[], method: string, path: string): Route {
  const route = routes.find((r) => r.method === method && r.path === path);
  assert.ok(route, `${method} ${path} is in the table`);
  return route;
}

describe('createRoutes', () => {
  let readiness: Readiness;
  const metrics = new PrometheusMetrics();
  const routes = createRoutes({ readiness: () => readiness, metrics });

  it('should be one table of exactly healthz, readyz and metrics, each with a summary', () => {
    assert.deepEqual(routes.map((r) => `${r.method} ${r.path}`), ['GET /healthz', 'GET /readyz', 'GET /metrics']);
    for (const r of routes) assert.ok(r.summary.length > 10);
  });

  it('should answer /healthz 200 whatever the UCWA state', async () => {
    readiness = { ready: false, reason: 'x' };
    assert.deepEqual(await find(routes, 'GET', '/healthz').handler(request), { status: 200, body: { status: 'ok' } });
  });

  it('should answer /readyz 200 when ready and 503 with the reason otherwise', async () => {
    const readyz = find(routes, 'GET', '/readyz');
    readiness = { ready: true };
    assert.equal((await readyz.handler(request)).status, 200);
    readiness = { ready: false, reason: 'event channel reconnecting' };
    assert.deepEqual(await readyz.handler(request), { status: 503, body: { status: 'not ready', reason: 'event channel reconnecting' } });
  });

  it('should serve Prometheus text on /metrics', async () => {
    metrics.messageReceived();
    const response = await find(routes, 'GET', '/metrics').handler(request);
    assert.equal(response.status, 200);
    assert.match(String(response.contentType), /^text\/plain; version=0.0.4/);
    assert.match(String(response.body), /^ucwa_messages_received_total 1$/m);
  });
});

describe('readinessFrom', () => {
  it('should say not signed in before the adapter exists', () => {
    assert.deepEqual(readinessFrom(() => undefined)(), { ready: false, reason: 'starting: not signed in yet' });
  });

  it('should be ready only in the ready state', () => {
    assert.deepEqual(readinessFrom(() => ({ state: 'ready' }))(), { ready: true });
    assert.deepEqual(readinessFrom(() => ({ state: 'reconnecting', notReadyReason: 'event channel: ECONNRESET' }))(),
      { ready: false, reason: 'event channel: ECONNRESET' });
    assert.deepEqual(readinessFrom(() => ({ state: 'stopped' }))(), { ready: false, reason: 'UCWA connection is stopped' });
  });

  it('should report shutting down first', () => {
    assert.deepEqual(readinessFrom(() => ({ state: 'ready' }), () => true)(), { ready: false, reason: 'shutting down' });
  });
});
