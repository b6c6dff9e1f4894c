/**
 * A tiny test-side UCWA walker over global fetch. It follows only links the emulator hands out and shares no
 * code with src/ucwa (so a client bug cannot hide behind the emulator, and vice versa).
 */
import type { EventsResponse, Resource, UcwaEvent } from '../../../src/ucwa/wire-types.js';

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export async function call(url: string, init: RequestInit & { token?: string } = {}): Promise<Reply> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('Authorization', `Bearer ${init.token}`);
  if (!headers.has('Accept')) headers.set('Accept', 'application/json');
  const res = await fetch(url, { ...init, headers });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** `MsRtcOAuth href="…",grant_type="…"` → the token URL (quote-aware, tolerates the extra Bearer challenge). */
export function tokenUrlFromChallenge(header: string | null): string {
  const m = /MsRtcOAuth\s+href="?([^",]+)"?/i.exec(header ?? '');
  if (!m) throw new Error(`No MsRtcOAuth challenge in ${header}`);
  return m[1]!;
}

export interface Session {
  token: string;
  applicationsUrl: string;
  origin: string;
  tokenUrl: string;
}

/** Discovery → 401 → password grant → user (→ redirect → user again) → applications href. */
export async function signIn(discoveryUrl: string, username: string, password: string): Promise<Session> {
  const root = await call(discoveryUrl);
  let userUrl: string = root.json._links.user.href;
  for (let hop = 0; hop < 4; hop++) {
    const anon = await call(userUrl);
    if (anon.status !== 401) throw new Error(`expected 401 from user, got ${anon.status}`);
    const tokenUrl = tokenUrlFromChallenge(anon.headers.get('www-authenticate'));
    const tok = await call(tokenUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8' },
      body: new URLSearchParams({ grant_type: 'password', username, password }).toString(),
    });
    if (tok.status !== 200) throw new Error(`token ${tok.status} ${tok.text}`);
    const token: string = tok.json.access_token;
    const user = await call(userUrl, { token });
    const links = user.json._links;
    if (links.applications) {
      const applicationsUrl: string = links.applications.href;
      return { token, applicationsUrl, origin: new URL(applicationsUrl).origin, tokenUrl };
    }
    const redirect = await call(links.redirect.href, { token });
    userUrl = redirect.json._links.user.href;
  }
  throw new Error('too many redirects');
}

/** An application plus its event loop state. */
export class App {
  next: string;
  constructor(readonly s: Session, readonly resource: Resource) {
    this.next = this.abs((resource._links as any).events.href);
  }

  static async create(s: Session, endpointId = 'ep-1'): Promise<App> {
    const r = await call(s.applicationsUrl, {
      method: 'POST', token: s.token, headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ UserAgent: 'walker/1.0', EndpointId: endpointId, Culture: 'en-US' }),
    });
    if (r.status !== 201 && r.status !== 200) throw new Error(`create application ${r.status} ${r.text}`);
    return new App(s, r.json);
  }

  abs(href: string): string {
    return new URL(href, this.s.origin).toString();
  }

  get links(): Record<string, { href: string }> {
    return this.resource._links as any;
  }

  embedded(rel: string): Resource {
    return (this.resource._embedded as any)[rel];
  }

  get(href: string): Promise<Reply> {
    return call(this.abs(href), { token: this.s.token });
  }

  post(href: string, body?: unknown, contentType = 'application/json'): Promise<Reply> {
    const b = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    return call(this.abs(href), { method: 'POST', token: this.s.token, body: b, headers: b === undefined ? {} : { 'Content-Type': contentType } });
  }

  del(href: string): Promise<Reply> {
    return call(this.abs(href), { method: 'DELETE', token: this.s.token });
  }

  async makeMeAvailable(formats: string[] = ['Plain']): Promise<Reply> {
    const me = this.embedded('me');
    return this.post((me._links as any).makeMeAvailable.href, { SupportedModalities: ['Messaging'], supportedMessageFormats: formats });
  }

  /** One P-GET on the current `next` (plus `extra` query); follows next/resume/resync. */
  async poll(extra = ''): Promise<EventsResponse & { status: number }> {
    const r = await call(this.next + extra, { token: this.s.token });
    if (r.status !== 200) return { status: r.status, ...(r.json ?? {}) } as never;
    const body = r.json as EventsResponse;
    const link = body._links.resync ?? body._links.resume ?? body._links.next;
    if (link) this.next = this.abs(link.href);
    return { status: 200, ...body };
  }

  /** Polls until `pred` matches an event, returning every event seen (flattened with their sender rel). */
  async pollUntil(pred: (e: FlatEvent) => boolean, max = 20): Promise<FlatEvent[]> {
    const seen: FlatEvent[] = [];
    for (let i = 0; i < max; i++) {
      const r = await this.poll();
      for (const e of flatten(r)) {
        seen.push(e);
        if (pred(e)) return seen;
      }
    }
    throw new Error(`event not seen in ${max} polls: ${JSON.stringify(seen.map(describe))}`);
  }
}

export interface FlatEvent extends UcwaEvent {
  sender: string;
  senderHref: string;
}

export function flatten(r: EventsResponse): FlatEvent[] {
  return (r.sender ?? []).flatMap((s) => s.events.map((e) => ({ ...e, sender: s.rel, senderHref: s.href })));
}

export function describe(e: FlatEvent): string {
  return `${e.sender}:${e.link.rel}${e.in ? `@${e.in.rel}` : ''}:${e.type}`;
}
