/**
 * A scripted UCWA server on top of FakeTransport for client unit tests: discovery, token, application and an
 * event channel whose batches the test pushes (documented sample bodies, renumbered). Not the emulator: just
 * enough protocol to drive the client through the documented walk-throughs.
 */
import { readFileSync } from 'node:fs';
import type { FakeRequest, Scripted } from './fake-transport.js';
import { FakeTransport } from './fake-transport.js';
import { tokenResponse, unauthorized } from './stack.js';

export const DISCOVERY = 'https://lyncdiscover.contoso.com/';
export const HOST = 'https://lyncweb.contoso.com';
export const APP = '/ucwa/oauth/v1/applications/104';

/** Read a fixture copied from shared/ucwa/samples, with application 102 renamed to 104 (one app per test server). */
export function fixture(name: string): Record<string, unknown> {
  const text = readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8').replaceAll('/applications/102/', '/applications/104/');
  return JSON.parse(text) as Record<string, unknown>;
}

export function applicationBody(afterMakeMeAvailable: boolean): Record<string, unknown> {
  return {
    culture: 'en-US', userAgent: 'test', rel: 'application',
    _links: { self: { href: APP }, events: { href: `${APP}/events?ack=1` }, batch: { href: `${APP}/batch` }, policies: { href: `${APP}/policies` } },
    _embedded: {
      me: {
        name: 'Tosh Meston', uri: 'sip:toshm@contoso.com', rel: 'me',
        _links: afterMakeMeAvailable
          ? { self: { href: `${APP}/me` }, reportMyActivity: { href: `${APP}/me/reportMyActivity` } }
          : { self: { href: `${APP}/me` }, makeMeAvailable: { href: `${APP}/me/makeMeAvailable` } },
      },
      communication: {
        rel: 'communication', supportedModalities: [], supportedMessageFormats: ['Plain'],
        _links: { self: { href: `${APP}/communication` }, startMessaging: { href: `${APP}/communication/messagingInvitations` }, conversations: { href: `${APP}/communication/conversations?filter=active` } },
      },
    },
  };
}

export type Handler = (req: FakeRequest) => Scripted | undefined | Promise<Scripted | undefined>;

export class FakeUcwaServer {
  readonly transport: FakeTransport;
  private readonly batches: (Record<string, unknown> | Scripted)[] = [];
  private waiting: (() => void)[] = [];
  private madeAvailable = false;
  /** Extra routes tried first (sendMessage, startMessaging, accept...). */
  readonly handlers: Handler[] = [];
  /** Resolvers waiting for a P-GET with a given ack to be requested. */
  private readonly ackWaiters = new Map<number, () => void>();

  constructor() {
    this.transport = new FakeTransport((req) => this.route(req));
  }

  /** Queue the next event-channel answer: a response body (its links are renumbered) or a scripted failure. */
  push(batch: Record<string, unknown> | Scripted): void {
    this.batches.push(batch);
    for (const w of this.waiting.splice(0)) w();
  }

  /** Resolves when the client asks for `ack` (i.e. has the P-GET for it parked). */
  whenPolled(ack: number): Promise<void> {
    if (this.polledAcks.has(ack)) return Promise.resolve();
    return new Promise((resolve) => this.ackWaiters.set(ack, resolve));
  }

  private readonly polledAcks = new Set<number>();
  private served = 0;

  private readonly requestWaiters: { predicate: (req: FakeRequest) => boolean; count: number; resolve: () => void }[] = [];

  /** Resolves when `count` requests matching `predicate` have arrived (counting those already received). */
  waitFor(predicate: (req: FakeRequest) => boolean, count = 1): Promise<void> {
    if (this.transport.requests.filter(predicate).length >= count) return Promise.resolve();
    return new Promise((resolve) => this.requestWaiters.push({ predicate, count, resolve }));
  }

  private async route(req: FakeRequest): Promise<Scripted | undefined> {
    for (const w of [...this.requestWaiters]) {
      if (this.transport.requests.filter(w.predicate).length >= w.count) {
        this.requestWaiters.splice(this.requestWaiters.indexOf(w), 1);
        w.resolve();
      }
    }
    for (const h of this.handlers) {
      const answer = await h(req);
      if (answer) return answer;
    }
    const u = new URL(req.url);
    if (req.url === DISCOVERY) return { json: { _links: { user: { href: `${HOST}/Autodiscover/AutodiscoverService.svc/root/oauth/user` } } } };
    if (u.pathname.endsWith('/oauth/user')) return req.headers['authorization'] ? { json: { _links: { applications: { href: '/ucwa/oauth/v1/applications' } } } } : unauthorized();
    if (u.pathname === '/WebTicket/oauthtoken') return tokenResponse();
    if (!req.headers['authorization']) return unauthorized();
    if (u.pathname === '/ucwa/oauth/v1/applications' && req.method === 'POST') return { status: 201, json: applicationBody(false) };
    if (u.pathname === `${APP}/me/makeMeAvailable`) {
      this.madeAvailable = true;
      return { status: 204 };
    }
    if (u.pathname === APP && req.method === 'GET') return { json: applicationBody(this.madeAvailable) };
    if (u.pathname === APP && req.method === 'DELETE') return { status: 204 };
    if (u.pathname === `${APP}/me/reportMyActivity`) return { status: 204 };
    if (u.pathname === `${APP}/events`) return this.events(Number(u.searchParams.get('ack')));
    return undefined;
  }

  private async events(ack: number): Promise<Scripted> {
    this.polledAcks.add(ack);
    this.ackWaiters.get(ack)?.();
    while (this.batches.length === 0) await new Promise<void>((r) => this.waiting.push(r));
    const next = this.batches.shift()!;
    if ('status' in next || 'networkError' in next || 'body' in next || 'hang' in next) return next as Scripted;
    this.served++;
    const body = { ...next, _links: { self: { href: `${APP}/events?ack=${ack}` }, next: { href: `${APP}/events?ack=${ack + 1}` } } };
    return { json: body };
  }
}
