import { strict as assert } from 'node:assert';
import { loadConfig } from '../../../src/server/config.js';
import { createLogger } from '../../../src/server/logger.js';
import { formatBanner, startBot, type RunningBot } from '../../../src/server/main.js';

const silent = createLogger({ level: 'silent' });

async function getJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('startBot on the embedded emulator', function () {
  let running: RunningBot;
  let readyBeforeSignIn: { status: number; body: Record<string, unknown> } | undefined;
  let duringStop: { readyz: { status: number; body: Record<string, unknown> }; applications: number } | undefined;

  before(async () => {
    running = await startBot(loadConfig({ PORT: '0', EMULATOR_PORT: '0', LOG_LEVEL: 'silent' }), {
      logger: silent,
      defaultMetrics: false,
      onListening: async (url) => { readyBeforeSignIn = await getJson(`${url}/readyz`); },
      onStopping: async () => {
        duringStop = { readyz: await getJson(`${running.url}/readyz`), applications: running.emulator!.applications().length };
      },
    });
  });
  after(() => running?.stop());

  it('should run in emulator mode on loopback with ephemeral ports', () => {
    assert.equal(running.config.mode, 'emulator');
    assert.match(running.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(running.emulator);
    assert.match(String(running.chatUrl), /^http:\/\/127\.0\.0\.1:\d+\/_emulator\/chat$/);
  });

  it('should answer /readyz 503 with a reason before sign-in', () => {
    assert.equal(readyBeforeSignIn?.status, 503);
    assert.equal(readyBeforeSignIn?.body['status'], 'not ready');
    assert.ok(String(readyBeforeSignIn?.body['reason']).length > 0);
  });

  it('should answer /healthz and /readyz 200 once signed in', async () => {
    assert.deepEqual(await getJson(`${running.url}/healthz`), { status: 200, body: { status: 'ok' } });
    assert.deepEqual(await getJson(`${running.url}/readyz`), { status: 200, body: { status: 'ready' } });
    assert.equal(running.emulator!.applications().length, 1);
  });

  it('should answer help to a simulated user, greet them, and count the messages in /metrics', async () => {
    const alice = running.emulator!.user('sip:alice@contoso.com');
    const conversation = await alice.startConversation('help');
    const received = await conversation.waitForReceived(2, 10_000);
    assert.match(received[0]!.text, /^Hi Alice, I'm Help Bot/);
    assert.match(received[1]!.text, /Commands you can run/);
    const metrics = await (await fetch(`${running.url}/metrics`)).text();
    assert.match(metrics, /^ucwa_messages_received_total [1-9]\d*$/m);
    assert.match(metrics, /^ucwa_messages_sent_total [2-9]\d*$/m);
    assert.match(metrics, /^ucwa_send_latency_seconds_count [2-9]\d*$/m);
  });

  it('should count a retried send in ucwa_retries_total by status, code and action', async () => {
    const fault = running.emulator!.faults.inject({ resource: 'sendMessage', times: 1, error: { status: 503, code: 'ServiceUnavailable', retryAfterSeconds: 0 } });
    const alice = running.emulator!.user('sip:alice@contoso.com').conversations()[0]!;
    const before = alice.received().length;
    await alice.send('echo after a 503');
    const received = await alice.waitForReceived(before + 1, 10_000);
    assert.equal(received[before]!.text, 'after a 503');
    assert.equal(fault.hits, 1);
    const metrics = await (await fetch(`${running.url}/metrics`)).text();
    assert.match(metrics, /^ucwa_retries_total\{resource="sendMessage",status="503",code="ServiceUnavailable",subcode="",action="retry"\} 1$/m);
  });

  it('should deny restart to Bob and allow it to Alice (the demo admin) after yes', async () => {
    const bob = await running.emulator!.user('sip:bob@contoso.com').startConversation('restart web');
    assert.match((await bob.waitForReceived(2, 10_000))[1]!.text, /You are not allowed to run restart/);
    const alice = running.emulator!.user('sip:alice@contoso.com').conversations()[0]!;
    const before = alice.received().length;
    await alice.send('restart web');
    assert.match((await alice.waitForReceived(before + 1, 10_000))[before]!.text, /Reply yes within 30 s/);
    await alice.send('yes');
    const after = await alice.waitForReceived(before + 2, 10_000);
    assert.equal(after[before + 1]!.text, 'Restarted web.');
  });

  it('should print a banner with the chat page and health URLs', () => {
    const banner = formatBanner(running);
    assert.ok(banner.includes(String(running.chatUrl)));
    assert.ok(banner.includes(`${running.url}/healthz`));
    assert.ok(banner.includes(`${running.url}/metrics`));
    assert.ok(!/password/i.test(banner));
  });

  it('should stop gracefully: readiness 503, the UCWA application deleted, the host closed', async () => {
    await running.stop();
    assert.equal(duringStop?.readyz.status, 503);
    assert.equal(duringStop?.readyz.body['reason'], 'shutting down');
    assert.equal(duringStop?.applications, 0);
    await assert.rejects(fetch(`${running.url}/healthz`));
    await running.stop();
  });
});
