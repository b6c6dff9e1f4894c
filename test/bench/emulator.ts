/**
 * `npm run bench -- emulator`: the UCWA emulator under load on loopback (issue #2).
 * A minimal raw-HTTP bot (one application, one P-GET loop, a keep-alive agent) sends messages into 1,000
 * connected conversations and waits for each message's `completed` event. Reports sendMessage/s, the latency of
 * sendMessage (request → 201) and of delivery (request → its event), and the heap retained per idle conversation.
 * Bot and emulator share one process (and its CPU), so the figures are a lower bound for the emulator alone.
 */
import http from 'node:http';
import os from 'node:os';
import v8 from 'node:v8';
import vm from 'node:vm';
import { UcwaEmulator } from '../../src/emulator/index.js';
import type { BenchReport } from './run.js';

const CONVERSATIONS = 1000;
const MESSAGES = 30_000;
const IN_FLIGHT = 16;
const BOT = { uri: 'sip:bot@contoso.com', name: 'Help Bot', password: 'bench' };

function gcFn(): () => void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) return g;
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

interface Res { status: number; headers: http.IncomingHttpHeaders; body: string }

function request(agent: http.Agent, url: URL, method: string, token?: string, body?: string, contentType?: string): Promise<Res> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) {
      headers['Content-Type'] = contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(body));
    }
    const req = http.request(url, { method, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/**
 * Baseline in the same process: the same client loop (agent, IN_FLIGHT workers, text/plain POSTs) against a bare
 * node:http server that answers 201 + Location and does nothing else. The emulator's figures are reported as a
 * ratio of it, so machine speed and load cancel out.
 */
async function bareHttpBaseline(): Promise<{ perSecond: number; p99Ms: number }> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(201, { Location: '/ucwa/oauth/v1/applications/1/communication/conversations/1/messaging/messages/1', 'Content-Length': '0' });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(`http://127.0.0.1:${(server.address() as { port: number }).port}/messages`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT + 4 });
  const lat: number[] = [];
  let seq = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    while (seq < MESSAGES) {
      const n = seq++;
      const u = new URL(url);
      u.searchParams.set('operationId', `op-${n}`);
      const s0 = performance.now();
      await request(agent, u, 'POST', 'cwt=bench', `message ${n}`, 'text/plain');
      lat.push(performance.now() - s0);
    }
  }));
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  await new Promise((resolve) => server.close(resolve));
  lat.sort((a, b) => a - b);
  return { perSecond: Math.round(MESSAGES / seconds), p99Ms: +percentile(lat, 99).toFixed(3) };
}

export default async function run(): Promise<BenchReport> {
  const baseline = await bareHttpBaseline();
  const gc = gcFn();
  const users = Array.from({ length: 100 }, (_, i) => ({ uri: `sip:user${i}@contoso.com`, name: `User ${i}` }));
  const emu = await UcwaEmulator.start({ port: 0, users: [BOT, ...users], maxRecordedRequests: 0 });
  const agent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT + 4 });
  const pollAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const base = new URL(emu.baseUrl);
  const abs = (href: string): URL => new URL(href, base);
  let polling = false;
  try {
    // Sign in the plain way: challenge → password grant → user → applications.
    const root = JSON.parse((await request(agent, abs(emu.discoveryUrl), 'GET')).body);
    const userUrl = abs(root._links.user.href);
    const challenge = String((await request(agent, userUrl, 'GET')).headers['www-authenticate']);
    const tokenUrl = abs(/MsRtcOAuth href="([^"]+)"/.exec(challenge)![1]!);
    const tok = JSON.parse((await request(agent, tokenUrl, 'POST', undefined, `grant_type=password&username=bot%40contoso.com&password=${BOT.password}`, 'application/x-www-form-urlencoded')).body);
    const token: string = tok.access_token;
    const user = JSON.parse((await request(agent, userUrl, 'GET', token)).body);
    const app = JSON.parse((await request(agent, abs(user._links.applications.href), 'POST', token, JSON.stringify({ userAgent: 'bench', endpointId: 'bench-1', culture: 'en-US' }))).body);
    await request(agent, abs(app._embedded.me._links.makeMeAvailable.href), 'POST', token, JSON.stringify({ supportedModalities: ['Messaging'] }));

    // The P-GET loop: next request first, then the events (EventChannelDetails.md).
    const waiting = new Map<string, (t: number) => void>();
    let accepted = 0;
    let onAccepted: (() => void) | undefined;
    let next = abs(app._links.events.href);
    polling = true;
    const handle = (text: string): void => {
      const body = JSON.parse(text);
      next = abs((body._links.next ?? body._links.resume ?? body._links.resync).href);
      const now = performance.now();
      for (const s of body.sender ?? []) {
        for (const e of s.events) {
          const op = e._embedded?.message?.operationId;
          if (op && e.type === 'completed') waiting.get(op)?.(now);
          else if (e.link.rel === 'messagingInvitation' && e.type === 'completed' && ++accepted === CONVERSATIONS) onAccepted?.();
        }
      }
    };
    const loop = (async () => {
      // `text` is cleared before each await so a large drained batch is not kept alive by the suspended frame.
      let r: Res | undefined;
      while (polling) {
        r = undefined;
        r = await request(pollAgent, next, 'GET', token).catch(() => undefined);
        if (!r || r.status !== 200) break;
        handle(r.body);
      }
    })();

    // Idle conversations: connected, first message delivered, events drained. Heap measured around them.
    await emu.waitForPendingPGet();
    gc();
    const heap0 = process.memoryUsage().heapUsed;
    // Accepting through the engine (not over HTTP) keeps the bench bot from holding per-conversation state.
    const internal = emu as unknown as { env: { engine: { accept(c: unknown): void } } };
    const allAccepted = new Promise<void>((r) => (onAccepted = r));
    for (let i = 0; i < CONVERSATIONS; i++) {
      const conv = await emu.user(users[i % users.length]!.uri).startConversation(`hello ${i}`);
      internal.env.engine.accept((conv as unknown as { conv: unknown }).conv);
    }
    await allAccepted; // every event reached the bot
    await emu.waitForPendingPGet(); // the next P-GET acknowledged the last response, so nothing is retained for re-delivery
    gc();
    gc();
    const heap1 = process.memoryUsage().heapUsed;
    const heapPerIdle = Math.round((heap1 - heap0) / CONVERSATIONS);

    // sendMessage hrefs, read from the server (conversations → conversation → messaging).
    const comm = app._embedded.communication;
    const list = JSON.parse((await request(agent, abs(comm._links.conversations.href), 'GET', token)).body);
    const sendHrefs: URL[] = [];
    for (const l of list._links.conversation) {
      const conv = JSON.parse((await request(agent, abs(l.href), 'GET', token)).body);
      const messaging = JSON.parse((await request(agent, abs(conv._links.messaging.href), 'GET', token)).body);
      sendHrefs.push(abs(messaging._links.sendMessage.href));
    }

    // Load: IN_FLIGHT workers round-robin over the 1,000 conversations.
    const sendLat: number[] = [];
    const deliverLat: number[] = [];
    let seq = 0;
    let failures = 0;
    const worker = async (): Promise<void> => {
      while (seq < MESSAGES) {
        const n = seq++;
        const op = `op-${n}`;
        const url = new URL(sendHrefs[n % sendHrefs.length]!);
        url.searchParams.set('operationId', op);
        const t0 = performance.now();
        const delivered = new Promise<number>((resolve) => waiting.set(op, resolve));
        const r = await request(agent, url, 'POST', token, `message ${n}`, 'text/plain');
        sendLat.push(performance.now() - t0);
        if (r.status !== 201) {
          failures++;
          waiting.delete(op);
          continue;
        }
        deliverLat.push((await delivered) - t0);
        waiting.delete(op);
      }
    };
    // Bot and emulator share this process; other processes on the machine show in the tail latency, so the
    // 1-minute load average is reported with the figures.
    const loadBefore = os.loadavg()[0]!;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    const seconds = (performance.now() - t0) / 1000;
    polling = false;
    sendLat.sort((a, b) => a - b);
    deliverLat.sort((a, b) => a - b);
    const report: BenchReport = {
      conversations: CONVERSATIONS,
      messages: MESSAGES,
      inFlight: IN_FLIGHT,
      failures,
      sendMessagePerSecond: Math.round(deliverLat.length / seconds),
      sendMessageP50Ms: +percentile(sendLat, 50).toFixed(3),
      sendMessageP99Ms: +percentile(sendLat, 99).toFixed(3),
      deliveredP50Ms: +percentile(deliverLat, 50).toFixed(3),
      deliveredP99Ms: +percentile(deliverLat, 99).toFixed(3),
      heapBytesPerIdleConversation: heapPerIdle,
      baselineBareHttp: { requestsPerSecond: baseline.perSecond, p99Ms: baseline.p99Ms },
      ratioToBareHttp: +(deliverLat.length / seconds / baseline.perSecond).toFixed(2),
      machine: { cpus: os.availableParallelism(), loadAverage1mBefore: +loadBefore.toFixed(2), loadAverage1mAfter: +os.loadavg()[0]!.toFixed(2) },
      targets: { sendMessagePerSecond: '>= 5000', sendMessageP99Ms: '< 5', heapBytesPerIdleConversation: '< 2048' },
      meetsTargets: deliverLat.length / seconds >= 5000 && percentile(sendLat, 99) < 5 && heapPerIdle < 2048,
    };
    await emu.close();
    await loop;
    return report;
  } finally {
    polling = false;
    agent.destroy();
    pollAgent.destroy();
    await emu.close();
  }
}
