/**
 * Drives the documented walk-throughs (CreateAnApplication.md, ReceiveAnIM.md, SendAnIM.md) against an emulator
 * and captures every answer under a name, for the conformance test to compare with the doc samples.
 * Request bodies and query names are taken from the samples themselves.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UcwaEmulator, type StartOptions } from '../../../src/emulator/index.js';
import { App, call, flatten, tokenUrlFromChallenge, type FlatEvent, type Reply, type Session } from './walker.js';

export const SAMPLES = '/work/shared/ucwa/samples';
export const sample = (name: string): any => JSON.parse(readFileSync(join(SAMPLES, name), 'utf8')); // eslint-disable-line @typescript-eslint/no-explicit-any

export const TOSH = { uri: 'sip:toshm@contoso.com', name: 'Tosh Meston', password: 'tosh-pass' };
export const LENE = { uri: 'sip:lenea@contoso.com', name: 'Lene Aaling' };

export interface Capture {
  bodies: Record<string, unknown>;
  heads: Record<string, { status: number; headers: Headers }>;
  /** ReceiveAnIM.md steps 7-16, flattened in order. */
  receive: FlatEvent[];
  /** SendAnIM.md steps 4-12, flattened in order. */
  send: FlatEvent[];
  all: FlatEvent[];
}

export async function runFlows(options: StartOptions): Promise<Capture> {
  const emu = await UcwaEmulator.start({ port: 0, domain: 'contoso.com', users: [TOSH, LENE], ...options });
  const c: Capture = { bodies: {}, heads: {}, receive: [], send: [], all: [] };
  const keep = (name: string, r: Reply): Reply => {
    c.heads[name] = { status: r.status, headers: r.headers };
    if (r.json !== undefined) c.bodies[name] = r.json;
    return r;
  };
  try {
    // Sign-in (CreateAnApplication.md steps 1-8).
    const root = keep('discovery.root', await call(emu.discoveryUrl));
    keep('xframe', await call(root.json._links.xframe.href));
    let userUrl: string = root.json._links.user.href;
    const form = sample('auth__token-request-password-createapp.json').body.replace(/username=[^&]*/, 'username=toshm%40contoso.com').replace(/password=[^&]*/, 'password=tosh-pass');
    let token = '';
    let tokenUrl = '';
    let user: Reply | undefined;
    for (let hop = 0; hop < 2 && !user?.json?._links?.applications; hop++) {
      const anon = keep('user.401', await call(userUrl));
      tokenUrl = tokenUrlFromChallenge(anon.headers.get('www-authenticate'));
      const tok = keep('token', await call(tokenUrl, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8' }, body: form }));
      token = tok.json.access_token;
      user = keep('user', await call(userUrl, { token }));
      if (user.json._links.redirect) {
        keep('user.redirecting', user);
        userUrl = keep('redirect', await call(user.json._links.redirect.href, { token })).json._links.user.href;
      }
    }
    keep('token.unsupported', await call(tokenUrl, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: sample('auth__token-request-windows.json').body }));
    const applicationsUrl: string = user!.json._links.applications.href;
    const s: Session = { token, applicationsUrl, origin: new URL(applicationsUrl).origin, tokenUrl };

    // Application + makeMeAvailable (CreateAnApplication.md step 9, ReceiveAnIM.md steps 1-3).
    const created = keep('applications.post', await call(applicationsUrl, { method: 'POST', token, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(sample('applications__post-request-createapp-body.json')) }));
    for (const [name, file] of [['applications.post.ref', 'applications__post-request-ref-body.json'], ['applications.post.multitab', 'applications__post-request-multitab-body.json'], ['applications.post.online', 'applications__post-request-online-body.json']]) {
      keep(name!, await call(applicationsUrl, { method: 'POST', token, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(sample(file!)) }));
    }
    const app = new App(s, created.json);
    const me = app.embedded('me')._links as any;
    const mmaBody = sample(options.urlStyle === 'reference' ? 'makeMeAvailable__post-request-ref-body.json' : 'makeMeAvailable__post-request-tasks-body.json');
    keep('makeMeAvailable', await app.post(me.makeMeAvailable.href, mmaBody));
    keep('makeMeAvailable.again', await app.post(me.makeMeAvailable.href, mmaBody));
    const appNow = keep('application.available', await app.get(app.links.self!.href));
    keep('me', await app.get(appNow.json._embedded.me._links.self.href));
    keep('communication', await app.get(appNow.json._embedded.communication._links.self.href));
    keep('reportMyActivity', await app.post(appNow.json._embedded.me._links.reportMyActivity.href));

    // Incoming IM (ReceiveAnIM.md steps 7-16).
    const poll = async (until: (e: FlatEvent) => boolean, into: FlatEvent[]): Promise<FlatEvent[]> => {
      const got = await app.pollUntil(until);
      into.push(...got);
      c.all.push(...got);
      return got;
    };
    const lene = emu.user(LENE.uri);
    const firstPoll = call(app.next, { token });
    await emu.waitForPendingPGet(app.links.self!.href.split('/').pop());
    const incoming = await lene.startConversation('Hi Tosh\r\n');
    const first = keep('events.get', await firstPoll);
    app.next = app.abs(first.json._links.next.href);
    c.receive.push(...flatten(first.json));
    c.all.push(...flatten(first.json));
    const evs = c.receive.some((e) => e.link.rel === 'messagingInvitation' && e.type === 'updated')
      ? c.receive
      : await poll((e) => e.link.rel === 'messagingInvitation' && e.type === 'updated', c.receive);
    const inv = evs.find((e) => e.type === 'started')!._embedded!.messagingInvitation as any;
    keep('invitation.incoming', await app.get(inv._links.self.href));
    keep('participant.remote', await app.get(inv._embedded.from._links.self.href));
    keep('conversation.incoming', await app.get(inv._links.conversation.href));
    const acceptUrl = new URL(sample('accept__post-request-receiveim.json').url);
    keep('accept', await app.post(inv._links.accept.href + acceptUrl.search));
    let sawMessage = false;
    await poll((e) => {
      sawMessage ||= e.link.rel === 'message';
      return sawMessage && e.link.rel === 'conversation' && e.type === 'updated';
    }, c.receive);
    const conv = (await app.get(inv._links.conversation.href)).json;
    const messaging = keep('messaging', await app.get(conv._links.messaging.href)).json;
    const local = keep('participant.local', await app.get(conv._links.localParticipant.href)).json;
    keep('participantMessaging', await app.get(local._links.self.href + (emu.env.style === 'reference' ? '/participantMessaging' : '/messaging')));
    const msgLink = c.receive.find((e) => e.link.rel === 'message')!.link.href;
    keep('message.incoming', await app.get(msgLink));
    keep('messages', await app.get(msgLink.replace(/\/\d+$/, '')));
    keep('conversations', await app.get(appNow.json._embedded.communication._links.conversations.href));
    await incoming.send('second message');
    await incoming.typing(true);
    await incoming.typing(false);
    keep('setIsTyping', await app.post(messaging._links.setIsTyping.href));
    await poll((e) => e.in?.rel === 'typingParticipants' && e.type === 'deleted', c.all);
    await incoming.leave();
    await poll((e) => e.link.rel === 'conversation' && e.type === 'deleted', c.all);


    // Outgoing IM (SendAnIM.md steps 1-14).
    const startBody = sample('startMessaging__post-request-sendim-body.json');
    keep('startMessaging', await app.post(appNow.json._embedded.communication._links.startMessaging.href, startBody));
    const out = await poll((e) => e.link.rel === 'messagingInvitation' && e.type === 'completed', c.send);
    const outInv = out.at(-1)!._embedded!.messagingInvitation as any;
    keep('invitation.outgoing', await app.get(outInv._links.self.href));
    const outConv = keep('conversation.outgoing', await app.get(outInv._links.conversation.href)).json;
    const outMessaging = (await app.get(outConv._links.messaging.href)).json;
    const sendEnv = sample('sendMessage__post-request-sendim.json');
    const sendUrl = outMessaging._links.sendMessage.href + new URL(sendEnv.url).search;
    keep('sendMessage', await app.post(sendUrl, sendEnv.body, sendEnv.headers['Content-Type']));
    const sent = await poll((e) => e.link.rel === 'message' && e.type === 'completed', c.send);
    keep('message.outgoing', await app.get(sent.at(-1)!.link.href));
    // A message to a participant who went offline: Failed with failedDeliveryParticipant (message_ref.md).
    lene.setAvailability('offline');
    await app.post(outMessaging._links.sendMessage.href, 'are you there?', 'text/plain');
    const failed = (await poll((e) => e.link.rel === 'message' && e.type === 'completed', c.all)).at(-1)!;
    const failedMsg = keep('message.failed', await app.get(failed.link.href)).json;
    keep('failedDeliveryParticipant', await app.get(failedMsg._links.failedDeliveryParticipant[0].href));
    lene.setAvailability('online');
    keep('stopMessaging', await app.post(outMessaging._links.stopMessaging.href));
    await poll((e) => e.link.rel === 'conversation' && e.type === 'deleted', c.all);

    const commHref: string = appNow.json._embedded.communication._links.self.href;
    const comm = (await app.get(commHref)).json;
    const guard = Object.keys(comm).find((k) => /^[0-9a-f-]{36}$/.test(k))!;
    keep('communication.put', await call(app.abs(commHref), {
      method: 'PUT', token, headers: { 'Content-Type': 'application/json', 'If-Match': `"${comm.etag}"` },
      body: JSON.stringify({ ...sample('communication__put-request-ref-body.json'), [guard]: comm[guard], phoneNumber: 'tel:+14255552222' }),
    }));

    // cancel a pending outgoing invitation (cancel_ref.md; walk-through: the messaging/terminate href).
    lene.setAvailability('noAnswer');
    const refStart = { ...sample('startMessaging__post-request-ref-body.json'), to: LENE.uri, _links: { message: { href: 'data:text/plain;base64,SGk=' } } };
    keep('startMessaging.ref', await app.post(appNow.json._embedded.communication._links.startMessaging.href, refStart));
    const pending = (await poll((e) => e.link.rel === 'messagingInvitation' && e.type === 'started', c.all)).at(-1)!._embedded!.messagingInvitation as any;
    keep('cancel', await app.post(pending._links.cancel.href));
    await poll((e) => e.link.rel === 'conversation' && e.type === 'deleted', c.all);
    lene.setAvailability('online');

    // decline and DELETE conversation.
    await lene.startConversation('please decline');
    const dInv = (await poll((e) => e.link.rel === 'messagingInvitation' && e.type === 'started', c.all)).at(-1)!._embedded!.messagingInvitation as any;
    keep('decline', await app.post(dInv._links.decline.href, sample('decline__post-request-ref-body.json')));
    await poll((e) => e.link.rel === 'conversation' && e.type === 'deleted', c.all);
    await lene.startConversation('then leave');
    const lInv = (await poll((e) => e.link.rel === 'messagingInvitation' && e.type === 'started', c.all)).at(-1)!._embedded!.messagingInvitation as any;
    await app.post(lInv._links.accept.href);
    await poll((e) => e.link.rel === 'messagingInvitation' && e.type === 'completed', c.all);
    keep('conversation.delete', await app.del(lInv._links.conversation.href));
    await poll((e) => e.link.rel === 'conversation' && e.type === 'deleted', c.all);

    keep('application.delete', await app.del(app.links.self!.href));
    keep('application.gone', await app.get(app.links.self!.href));
    return c;
  } finally {
    await emu.close();
  }
}

export { flatten };
