/**
 * Route table of the UCWA pool. Templates are produced by the same `AppUrls` that writes the hrefs, so the
 * emulator answers exactly the URLs it hands out (and 404 ResourceNotFound for anything a client built itself).
 */
import { AppUrls, applicationsPath, type UrlStyle } from './urls.js';
import type { MethodRoute } from './routes/route-types.js';
import * as A from './routes/application.js';
import * as M from './routes/messaging.js';

export interface UcwaRoute {
  segments: string[];
  methods: Partial<Record<string, MethodRoute>>;
}

export interface UcwaMatch {
  kind: 'route';
  pool: 1 | 2;
  /** undefined for the applications collection itself. */
  appId: string | undefined;
  route: UcwaRoute;
  params: Record<string, string>;
}

const r = (resource: string, handler: MethodRoute['handler']): MethodRoute => ({ resource, handler });

function table(style: UrlStyle): UcwaRoute[] {
  const u = new AppUrls(style, '', ':app');
  const list: [string, Partial<Record<string, MethodRoute>>][] = [
    [u.self(), { GET: r('application', A.getApplication), DELETE: r('application', A.deleteApplication) }],
    [u.events(1), { GET: r('events', A.getEvents) }],
    [u.policies(), { GET: r('policies', A.getPolicies) }],
    [u.batch(), { POST: r('batch', A.batch) }],
    [u.me(), { GET: r('me', A.getMe) }],
    [u.makeMeAvailable(), { POST: r('makeMeAvailable', A.makeMeAvailable) }],
    [u.reportMyActivity(), { POST: r('reportMyActivity', A.reportMyActivity) }],
    [u.meChild('presence'), { GET: r('presence', A.getMeChild) }],
    [u.meChild('note'), { GET: r('note', A.getMeChild) }],
    [u.meChild('location'), { GET: r('location', A.getMeChild) }],
    [u.contact(':u'), { GET: r('contact', A.getContact) }],
    [u.communication(), { GET: r('communication', A.getCommunication), PUT: r('communication', A.putCommunication) }],
    [u.conversations(), { GET: r('conversations', A.getConversations) }],
    [u.startMessaging(), { POST: r('startMessaging', M.startMessaging) }],
    [u.invitation(':inv'), { GET: r('messagingInvitation', M.getInvitation) }],
    [u.accept(':inv'), { POST: r('accept', M.accept) }],
    [u.decline(':inv'), { POST: r('decline', M.decline) }],
    [u.conversation(':c'), { GET: r('conversation', M.getConversation), DELETE: r('conversation', M.deleteConversation) }],
    [u.messaging(':c'), { GET: r('messaging', M.getMessaging) }],
    [u.sendMessage(':c'), { POST: r('sendMessage', M.sendMessage), ...(style === 'walkthrough' ? { GET: r('messages', M.getMessages) } : {}) }],
    [u.message(':c', 0).replace(/0$/, ':n'), { GET: r('message', M.getMessage) }],
    [u.setIsTyping(':c'), { POST: r('setIsTyping', M.setIsTyping) }],
    [u.stopMessaging(':c'), { POST: r('stopMessaging', M.stopMessaging) }],
    [u.addMessaging(':c'), { POST: r('addMessaging', M.addMessaging) }],
    [u.typingParticipants(':c'), { GET: r('typingParticipants', M.getTypingParticipants) }],
    [u.participants(':c'), { GET: r('participants', M.getParticipants) }],
    [u.participant(':c', ':u'), { GET: r('participant', M.getParticipant) }],
    [u.participantMessaging(':c', ':u'), { GET: r('participantMessaging', M.getParticipantMessaging) }],
  ];
  if (style === 'reference') {
    list.push([u.messages(':c'), { GET: r('messages', M.getMessages) }]);
    list.push([u.cancel(':inv', ':c'), { POST: r('cancel', M.cancel) }]);
  }
  return list.map(([path, methods]) => ({ segments: path.split('?')[0]!.split('/').filter(Boolean), methods }));
}

export class Router {
  private readonly routes: UcwaRoute[];
  private readonly appsSegments: string[];

  constructor(style: UrlStyle, readonly pools: (1 | 2)[]) {
    this.routes = table(style);
    this.appsSegments = applicationsPath(style, '').split('/').filter(Boolean);
  }

  /** Matches a UCWA path (`[/pool2]/ucwa/...`); undefined when it is not under a served applications resource. */
  match(pathname: string): UcwaMatch | { kind: 'applications'; pool: 1 | 2 } | undefined {
    let segs = pathname.split('/').filter(Boolean).map(decodeSegment);
    let pool: 1 | 2 = 1;
    if (segs[0] === 'pool2') {
      pool = 2;
      segs = segs.slice(1);
    }
    if (!this.pools.includes(pool)) return undefined;
    if (segs.length < this.appsSegments.length || this.appsSegments.some((s, i) => s !== segs[i])) return undefined;
    if (segs.length === this.appsSegments.length) return { kind: 'applications', pool };
    for (const route of this.routes) {
      if (route.segments.length !== segs.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < segs.length && ok; i++) {
        const t = route.segments[i]!;
        if (t.startsWith(':')) params[t.slice(1)] = segs[i]!;
        else ok = t === segs[i];
      }
      if (ok) return { kind: 'route', pool, appId: params.app, route, params };
    }
    return { kind: 'route', pool, appId: segs[this.appsSegments.length], route: { segments: [], methods: {} }, params: {} };
  }
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
