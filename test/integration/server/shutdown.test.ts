import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UcwaEmulator } from '../../../src/emulator/index.js';
import type { UcwaEmulator as Emulator } from '../../../src/emulator/types.js';
import { loadConfig } from '../../../src/server/config.js';
import { startBot } from '../../../src/server/main.js';
import type { Logger } from '../../../src/ucwa/types.js';

const MAIN = fileURLToPath(new URL('../../../src/server/main.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');

/** A TCP server that accepts connections and never answers: a UCWA server hanging during sign-in. */
async function hangingServer(): Promise<{ server: Server; port: number; connected: Promise<Socket>; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  let resolveConnected!: (s: Socket) => void;
  const connected = new Promise<Socket>((resolve) => (resolveConnected = resolve));
  const server = createServer((socket) => {
    sockets.push(socket);
    resolveConnected(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port, connected, sockets };
}

function serverEnv(discoveryUrl: string, password: string): Record<string, string> {
  return {
    UCWA_DISCOVERY_URL: discoveryUrl, UCWA_USERNAME: 'bot@contoso.com', UCWA_PASSWORD: password,
    UCWA_ALLOW_INSECURE_LOOPBACK: 'true', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent',
  };
}

/** A logger that calls `onRequest` for each UCWA request the client logs (method, resource, status). */
function watchingLogger(onRequest: (entry: { method?: string; resource?: string; status?: number }) => void): Logger {
  const logger: Logger = {
    debug: (obj: object | string) => { if (typeof obj === 'object') onRequest(obj as never); },
    info() {}, warn() {}, error() {},
  };
  return Object.assign(logger, { child: () => logger });
}

describe('graceful shutdown at any point', function () {
  this.timeout(20_000);

  describe('startBot with an abort signal', () => {
    it('should stop signing in at once when aborted while the server hangs, and close the host', async () => {
      const hang = await hangingServer();
      const controller = new AbortController();
      let hostUrl = '';
      try {
        const started = startBot(loadConfig(serverEnv(`http://127.0.0.1:${hang.port}/`, 'p')), {
          defaultMetrics: false, signal: controller.signal, onListening: (url) => { hostUrl = url; },
          logger: watchingLogger(() => undefined),
        });
        await hang.connected;
        const t0 = Date.now();
        controller.abort();
        await assert.rejects(started, { name: 'AbortError' });
        assert.ok(Date.now() - t0 < 2000, `startBot settled ${Date.now() - t0} ms after the abort`);
        await assert.rejects(fetch(`${hostUrl}/healthz`), 'the host no longer listens');
      } finally {
        for (const s of hang.sockets) s.destroy();
        hang.server.close();
      }
    });

    it('should delete the UCWA application when aborted after it was created', async () => {
      const emulator: Emulator = await UcwaEmulator.start({
        port: 0, users: [{ uri: 'sip:bot@contoso.com', name: 'Help Bot', password: 'abort-test' }, { uri: 'sip:alice@contoso.com', name: 'Alice' }],
      });
      // Sign-in stalls in makeMeAvailable, just after POST applications created the application.
      emulator.faults.inject({ resource: 'makeMeAvailable', times: 1, latencyMs: 2000 });
      const controller = new AbortController();
      try {
        const started = startBot(loadConfig(serverEnv(emulator.discoveryUrl, 'abort-test')), {
          defaultMetrics: false, signal: controller.signal,
          logger: watchingLogger((e) => {
            // A signal arrives as its own macrotask, never inside the client's response handling.
            if (e.method === 'POST' && e.resource === 'applications' && e.status === 201) setImmediate(() => controller.abort());
          }),
        });
        await assert.rejects(started, { name: 'AbortError' });
        assert.equal(emulator.applications().length, 0, 'the application was deleted');
        assert.ok(emulator.requests().some((r) => r.method === 'DELETE' && r.status === 204));
      } finally {
        await emulator.close();
      }
    });
  });

  describe('stop() while a reply is being sent', () => {
    it('should finish the in-flight send, then delete the application', async () => {
      let running: Awaited<ReturnType<typeof startBot>> | undefined;
      let stopping: Promise<void> | undefined;
      running = await startBot(loadConfig({ PORT: '0', EMULATOR_PORT: '0' }), {
        defaultMetrics: false,
        // The first reply (the greeting) starts a slow sendMessage; shut down right then.
        logger: watchingLogger((e) => { if ((e as { event?: string }).event === 'activity.sent') stopping ??= running!.stop(); }),
      });
      const emulator = running.emulator!;
      emulator.faults.inject({ resource: 'sendMessage', times: 1, latencyMs: 500 });
      const alice = await emulator.user('sip:alice@contoso.com').startConversation('hello');
      await alice.waitForReceived(1, 10_000);
      assert.ok(stopping, 'stop() began during the send');
      await stopping;
      const log = emulator.requests().map((r) => `${r.method} ${r.resource} ${r.status}`);
      const sent = log.indexOf('POST sendMessage 201');
      assert.ok(sent >= 0 && sent < log.indexOf('DELETE application 204'), log.join('\n'));
      assert.match(alice.received()[0]!.text, /^Hi Alice/);
    });
  });

  describe('npm start (src/server/main.ts) and signals', () => {
    let cwd: string;
    before(() => { cwd = mkdtempSync(join(tmpdir(), 'ucwa-main-')); }); // no stray .env
    after(() => rmSync(cwd, { recursive: true, force: true }));

    function run(env: Record<string, string>): { child: ChildProcess; out: () => string; err: () => string; exited: Promise<number | null> } {
      const child = spawn(process.execPath, ['--import', TSX, '--disable-warning=DEP0111', MAIN], {
        cwd, env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
      child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      return { child, out: () => out, err: () => err, exited };
    }

    function waitFor(stream: NodeJS.ReadableStream, text: string): Promise<void> {
      return new Promise((resolve) => {
        let seen = '';
        const onData = (d: Buffer) => {
          seen += d.toString();
          if (seen.includes(text)) { stream.off('data', onData); resolve(); }
        };
        stream.on('data', onData);
      });
    }

    it('should exit 0 on SIGINT during sign-in (not Node\'s default handler)', async () => {
      const hang = await hangingServer();
      try {
        const proc = run(serverEnv(`http://127.0.0.1:${hang.port}/`, 'never-printed-secret'));
        await hang.connected;
        proc.child.kill('SIGINT');
        assert.equal(await proc.exited, 0, proc.err());
        assert.match(proc.err(), /Stopped during startup\./);
        assert.doesNotMatch(proc.out() + proc.err(), /never-printed-secret/);
      } finally {
        for (const s of hang.sockets) s.destroy();
        hang.server.close();
      }
    });

    it('should exit 0 on SIGTERM once running, after signing out, with every log line flushed in order', async () => {
      const proc = run({ PORT: '0', EMULATOR_PORT: '0', LOG_LEVEL: 'info' });
      await waitFor(proc.child.stdout!, 'Press Ctrl+C to stop.');
      const t0 = Date.now();
      // Ctrl+C under npm start arrives twice at once (terminal and npm): still one graceful shutdown.
      proc.child.kill('SIGTERM');
      proc.child.kill('SIGTERM');
      assert.equal(await proc.exited, 0, proc.err());
      assert.ok(Date.now() - t0 < 3000, `exited ${Date.now() - t0} ms after SIGTERM`);
      const messages = proc.out().split('\n').filter((l) => l.startsWith('{')).map((l) => (JSON.parse(l) as { msg: string }).msg);
      assert.deepEqual(messages.slice(-4), ['shutting down', 'signed out of UCWA (application deleted)', 'host stopped', 'stopped']);
    });
  });
});
