/**
 * Conformance: every sample in /work/shared/ucwa/samples is either compared with what the emulator answers to
 * the same request, or listed as not served with the reason. Mapping sample → emulator request:
 *  - walk-through captures (CreateAnApplication/ReceiveAnIM/SendAnIM, tasks, dashboards): `superset` — each link rel,
 *    property name and value type of the sample must be in the emulator's answer to the same step of the same flow
 *    (support/conformance-flows.ts, default walk-through URLs);
 *  - reference-page samples (`-ref`, root/user/redirect): `subset` — the emulator (urlStyle 'reference') may only
 *    use names the reference page documents, with the same value types (ref samples list every optional member);
 *  - event flows: the sequence of (sender, link rel, in rel, type) must equal the samples' sequence, and each event
 *    has the sample's shape; other event samples are matched by that signature anywhere in the flows;
 *  - header-only samples: same status (and Location / WWW-Authenticate when the sample has them);
 *  - request samples: the emulator accepted the documented request (2xx), sent with the sample's body / query names.
 * Values REPAIRS.md calls doc artifacts are replaced before a request sample is sent (`sip : john` → `sip:...`).
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { compareShape, type CompareOptions } from './support/shape.js';
import { SAMPLES, runFlows, sample, type Capture } from './support/conformance-flows.js';
import { describe as sig, type FlatEvent } from './support/walker.js';

type Check =
  | { kind: 'superset' | 'subset'; capture: string; flow?: 'walk' | 'ref'; pick?: (b: any) => unknown; allow?: CompareOptions['allow'] }
  | { kind: 'sequence'; flow: 'receive' | 'send' }
  | { kind: 'events'; flow: 'walk' | 'ref' }
  | { kind: 'head'; capture: string; flow?: 'walk' | 'ref' }
  | { kind: 'request'; capture: string; flow?: 'walk' | 'ref' }
  | { kind: 'not-served'; reason: string };

const links = (b: any): unknown => b._links;
const embedded = (b: any): unknown => b._embedded;
/** The PUT guard and etag come from the walk-through captures (CreateAnApplication.md); ref pages omit them. */
const COMM_ALLOW = { etag: 'CreateAnApplication.md step 10' };
const REV2 = 'revision-2 resource (applications2 / makeMeAvailable2 / startMessaging2): the IM bot needs no revision > 1 (PROTOCOL.md §1.6)';

const CHECKS: Record<string, Check> = {
  'accept__204-response-headers-receiveim.json': { kind: 'head', capture: 'accept' },
  'accept__204-response-headers-ref.json': { kind: 'head', capture: 'accept', flow: 'ref' },
  'accept__post-request-receiveim.json': { kind: 'request', capture: 'accept' },
  'accept__post-request-ref.json': { kind: 'request', capture: 'accept', flow: 'ref' },
  'acceptedByParticipant__get-200-response-ref-body.json': { kind: 'subset', capture: 'invitation.outgoing', flow: 'ref', pick: (b) => b._embedded.acceptedByParticipant[0] },
  'addMessaging__201-response-headers-ref.json': { kind: 'not-served', reason: 'two-party conversations end with their IM modality, so addMessaging has nothing to re-open (409)' },
  'addMessaging__post-request-ref-body.json': { kind: 'not-served', reason: 'see addMessaging__201' },
  'application__delete-204-response-headers-ref.json': { kind: 'head', capture: 'application.delete', flow: 'ref' },
  'application__delete-request-ref.json': { kind: 'request', capture: 'application.delete', flow: 'ref' },
  'application__fragment-embedded-dashboard.json': { kind: 'superset', capture: 'application.available', pick: embedded },
  'application__fragment-embedded-resources.json': { kind: 'superset', capture: 'application.available', pick: embedded },
  'application__fragment-links-dashboard.json': { kind: 'superset', capture: 'application.available', pick: links },
  'application__fragment-links-resources.json': { kind: 'superset', capture: 'application.available', pick: links },
  'application__fragment-property-bag-dashboard.json': { kind: 'superset', capture: 'application.available' },
  'application__fragment-property-bag-resources.json': { kind: 'superset', capture: 'application.available' },
  'application__get-200-response-after-makeMeAvailable-tasks-v2.json': { kind: 'superset', capture: 'application.available' },
  'application__get-200-response-after-makeMeAvailable-tasks-v3.json': { kind: 'superset', capture: 'application.available' },
  'application__get-200-response-after-makeMeAvailable-tasks.json': { kind: 'superset', capture: 'application.available' },
  'application__get-200-response-receiveim-body.json': { kind: 'superset', capture: 'application.available' },
  'application__get-200-response-ref-body.json': { kind: 'subset', capture: 'application.available', flow: 'ref', allow: COMM_ALLOW },
  'applications2__get-200-response-ref-body.json': { kind: 'not-served', reason: REV2 },
  'applications2__post-201-response-ref-body.json': { kind: 'not-served', reason: REV2 },
  'applications2__post-request-ref-body.json': { kind: 'not-served', reason: REV2 },
  'applications__options-200-response-ref-body.json': { kind: 'not-served', reason: 'OPTIONS is unsupported per HTTP.md (the emulator answers 405)' },
  'applications__post-201-or-200-response-multitab-body.json': { kind: 'not-served', reason: 'multi-tab event channels (X-MS-RequiresMinResourceVersion: 2) are not emulated; an instanceId only separates applications' },
  'applications__post-201-response-createapp-body.json': { kind: 'superset', capture: 'applications.post' },
  'applications__post-201-response-online-body.json': { kind: 'superset', capture: 'applications.post' },
  'applications__post-201-response-ref-body.json': { kind: 'subset', capture: 'applications.post', flow: 'ref', allow: COMM_ALLOW },
  'applications__post-request-createapp-body.json': { kind: 'request', capture: 'applications.post' },
  'applications__post-request-multitab-body.json': { kind: 'request', capture: 'applications.post.multitab' },
  'applications__post-request-online-body.json': { kind: 'request', capture: 'applications.post.online' },
  'applications__post-request-ref-body.json': { kind: 'request', capture: 'applications.post.ref', flow: 'ref' },
  'auth__401-www-authenticate-header.json': { kind: 'head', capture: 'user.401' },
  'auth__online-aad-token-response-body.json': { kind: 'not-served', reason: 'Skype for Business Online (Azure AD) only' },
  'auth__token-200-response-createapp-body.json': { kind: 'superset', capture: 'token' },
  'auth__token-200-response-password-body.json': { kind: 'superset', capture: 'token' },
  'auth__token-400-response-passive-invalid-grant-body.json': { kind: 'not-served', reason: 'passive (ADFS) grant is not emulated; only password is (it answers unsupported_grant_type)' },
  'auth__token-400-response-unsupported-grant-type-body.json': { kind: 'superset', capture: 'token.unsupported' },
  'auth__token-request-anonmeeting-renew.json': { kind: 'not-served', reason: 'anonymous meeting join is not emulated' },
  'auth__token-request-anonmeeting.json': { kind: 'not-served', reason: 'anonymous meeting join is not emulated' },
  'auth__token-request-passive.json': { kind: 'not-served', reason: 'passive (ADFS) grant is not emulated' },
  'auth__token-request-password-createapp.json': { kind: 'request', capture: 'token' },
  'auth__token-request-password.json': { kind: 'request', capture: 'token' },
  'auth__token-request-windows.json': { kind: 'not-served', reason: 'Windows integrated auth is not emulated (answers unsupported_grant_type, checked above)' },
  'cancel__204-response-headers-ref.json': { kind: 'head', capture: 'cancel', flow: 'ref' },
  'cancel__post-request-ref.json': { kind: 'request', capture: 'cancel', flow: 'ref' },
  'communication__fragment-links-dashboard.json': { kind: 'superset', capture: 'communication', pick: links },
  'communication__fragment-property-bag-dashboard.json': { kind: 'not-served', reason: 'phoneNumber (call via work) belongs to audio; the IM emulator does not model it' },
  'communication__get-200-response-ref-body.json': { kind: 'subset', capture: 'communication', flow: 'ref', allow: COMM_ALLOW },
  'communication__put-200-response-headers-ref.json': { kind: 'head', capture: 'communication.put', flow: 'ref' },
  'communication__put-request-ref-body.json': { kind: 'request', capture: 'communication.put', flow: 'ref' },
  'continueMessaging__201-response-headers-ref.json': { kind: 'not-served', reason: 'conversation history (conversationLogs) is not emulated' },
  'continueMessaging__post-request-ref-body.json': { kind: 'not-served', reason: 'conversation history (conversationLogs) is not emulated' },
  'conversation__delete-204-response-headers-ref.json': { kind: 'head', capture: 'conversation.delete', flow: 'ref' },
  'conversation__delete-request-ref.json': { kind: 'request', capture: 'conversation.delete', flow: 'ref' },
  'conversation__get-200-response-ref-body.json': { kind: 'subset', capture: 'conversation.incoming', flow: 'ref' },
  'conversation__get-200-response-sendim-body.json': { kind: 'superset', capture: 'conversation.outgoing' },
  'conversation__weblink-examples.json': { kind: 'superset', capture: 'conversation.outgoing', pick: (b) => ({ conversation: b._links.self, participant: b._links.localParticipant }) },
  'conversations__get-200-response-ref-body.json': { kind: 'subset', capture: 'conversations', flow: 'ref' },
  'decline__204-response-headers-ref.json': { kind: 'head', capture: 'decline', flow: 'ref' },
  'decline__post-request-ref-body.json': { kind: 'request', capture: 'decline' },
  'discovery__get-lyncdiscover-request.json': { kind: 'request', capture: 'discovery.root' },
  'discovery__get-user-authenticated-request.json': { kind: 'request', capture: 'user' },
  'discovery__get-user-unauthenticated-request.json': { kind: 'head', capture: 'user.401', flow: 'walk' },
  'discovery__lyncdiscover-200-response-body.json': { kind: 'superset', capture: 'discovery.root' },
  'discovery__online-user-200-applications-link-body.json': { kind: 'superset', capture: 'user' },
  'discovery__root-200-redirect-link-body.json': { kind: 'not-served', reason: 'discovery-level (hybrid) redirect does not occur in a pure Server 2015 topology (RootURL.md); the home-pool redirect is emulated' },
  'discovery__root-200-user-xframe-body.json': { kind: 'superset', capture: 'discovery.root' },
  'discovery__user-200-applications-link-body.json': { kind: 'superset', capture: 'user' },
  'discovery__user-401-challenge-response-headers.json': { kind: 'head', capture: 'user.401' },
  'errors__404-notfound-applicationnotfound-body.json': { kind: 'superset', capture: 'application.gone' },
  'errors__error-body-conflict-alreadyexists.json': { kind: 'superset', capture: 'makeMeAvailable.again' },
  'events__get-200-response-headers-ref.json': { kind: 'head', capture: 'events.get', flow: 'ref' },
  'events__get-request-receiveim-ack1.json': { kind: 'request', capture: 'events.get' },
  'events__get-request-ref.json': { kind: 'request', capture: 'events.get', flow: 'ref' },
  'events__get-request-sendim-ack2.json': { kind: 'request', capture: 'events.get' },
  'events__localParticipant-updated-ref.json': { kind: 'not-served', reason: 'localParticipant capabilities never change in a two-party IM conversation' },
  'events__operation-started-onlinemeetinginvitation.json': { kind: 'not-served', reason: 'online meetings are not emulated' },
  'events__participantMessaging-updated-ref.json': { kind: 'not-served', reason: 'participantMessaging never changes in a two-party IM conversation' },
  'events__receive-im-1-after-makeMeAvailable.json': { kind: 'sequence', flow: 'receive' },
  'events__receive-im-2-incoming-invitation-started.json': { kind: 'sequence', flow: 'receive' },
  'events__receive-im-3-remote-participant-added.json': { kind: 'sequence', flow: 'receive' },
  'events__receive-im-4-invitation-updated.json': { kind: 'sequence', flow: 'receive' },
  'events__receive-im-5-accepted-connected.json': { kind: 'sequence', flow: 'receive' },
  'events__receive-im-6-incoming-message-completed.json': { kind: 'sequence', flow: 'receive' },
  'events__send-im-1-invitation-started.json': { kind: 'sequence', flow: 'send' },
  'events__send-im-2-invitation-completed-success.json': { kind: 'sequence', flow: 'send' },
  'events__send-im-3-outgoing-message-completed.json': { kind: 'sequence', flow: 'send' },
  'events__sample-response-eventchanneldetails.json': { kind: 'events', flow: 'walk' },
  'events__structure-example-eventsinucwa.json': { kind: 'events', flow: 'walk' },
  'failedDeliveryParticipant__get-200-response-headers-ref.json': { kind: 'head', capture: 'failedDeliveryParticipant', flow: 'ref' },
  'from__get-200-response-ref-body.json': { kind: 'subset', capture: 'participant.remote', flow: 'ref' },
  'localParticipant__get-200-response-ref-body.json': { kind: 'subset', capture: 'participant.local', flow: 'ref' },
  'makeMeAvailable2__post-201-response-ref-body.json': { kind: 'not-served', reason: REV2 },
  'makeMeAvailable2__post-request-ref-body.json': { kind: 'not-served', reason: REV2 },
  'makeMeAvailable__204-response-headers-ref.json': { kind: 'head', capture: 'makeMeAvailable', flow: 'ref' },
  'makeMeAvailable__204-response-headers-tasks.json': { kind: 'head', capture: 'makeMeAvailable' },
  'makeMeAvailable__post-request-ref-body.json': { kind: 'request', capture: 'makeMeAvailable', flow: 'ref' },
  'makeMeAvailable__post-request-tasks-body.json': { kind: 'request', capture: 'makeMeAvailable' },
  'me__batch-part-response-body.json': { kind: 'superset', capture: 'me' },
  'me__fragment-links-dashboard.json': { kind: 'superset', capture: 'me.anyState', pick: links },
  'me__fragment-property-bag-dashboard.json': { kind: 'not-served', reason: 'directory properties (department, title) are optional (me_ref.md); simulated accounts have none' },
  'me__get-200-response-ref-body.json': { kind: 'subset', capture: 'me', flow: 'ref' },
  'message__get-200-response-ref-body.json': { kind: 'subset', capture: 'message.incoming', flow: 'ref' },
  'messages__get-200-response-ref-body.json': { kind: 'subset', capture: 'messages', flow: 'ref' },
  'messagingInvitation__get-200-response-ref-body.json': { kind: 'subset', capture: 'invitation.incoming', flow: 'ref' },
  'messaging__get-200-response-ref-body.json': { kind: 'subset', capture: 'messaging', flow: 'ref' },
  'operationResource__201-response-headers.json': { kind: 'not-served', reason: 'online meetings are not emulated' },
  'operationResource__post-request-body.json': { kind: 'not-served', reason: 'online meetings are not emulated' },
  'participantMessaging__get-200-response-ref-body.json': { kind: 'subset', capture: 'participantMessaging', flow: 'ref' },
  'participant__get-200-response-receiveim-body.json': { kind: 'superset', capture: 'participant.remote' },
  'participant__get-200-response-ref-body.json': { kind: 'subset', capture: 'participant.remote', flow: 'ref' },
  'redirect__get-200-response-body.json': { kind: 'subset', capture: 'redirect', flow: 'ref' },
  'reportMyActivity__204-response-headers-ref.json': { kind: 'head', capture: 'reportMyActivity', flow: 'ref' },
  'reportMyActivity__post-request-ref.json': { kind: 'request', capture: 'reportMyActivity', flow: 'ref' },
  'root__get-200-response-body.json': { kind: 'subset', capture: 'discovery.root', flow: 'ref' },
  'sendMessage__201-response-headers-ref.json': { kind: 'head', capture: 'sendMessage', flow: 'ref' },
  'sendMessage__201-response-headers-sendim.json': { kind: 'head', capture: 'sendMessage' },
  'sendMessage__post-request-ref.json': { kind: 'request', capture: 'sendMessage', flow: 'ref' },
  'sendMessage__post-request-sendim.json': { kind: 'request', capture: 'sendMessage' },
  'setIsTyping__204-response-headers-ref.json': { kind: 'head', capture: 'setIsTyping', flow: 'ref' },
  'setIsTyping__post-request-ref.json': { kind: 'request', capture: 'setIsTyping', flow: 'ref' },
  'startMessaging2__201-response-headers-ref.json': { kind: 'not-served', reason: REV2 },
  'startMessaging2__post-request-ref-body.json': { kind: 'not-served', reason: REV2 },
  'startMessaging__201-response-headers-ref.json': { kind: 'head', capture: 'startMessaging', flow: 'ref' },
  'startMessaging__201-response-headers-sendim.json': { kind: 'head', capture: 'startMessaging' },
  'startMessaging__post-request-ref-body.json': { kind: 'request', capture: 'startMessaging.ref', flow: 'ref' },
  'startMessaging__post-request-sendim-body.json': { kind: 'request', capture: 'startMessaging' },
  'stopMessaging__204-response-headers-ref.json': { kind: 'head', capture: 'stopMessaging', flow: 'ref' },
  'stopMessaging__204-response-headers-sendim.json': { kind: 'head', capture: 'stopMessaging' },
  'stopMessaging__post-request-ref.json': { kind: 'request', capture: 'stopMessaging', flow: 'ref' },
  'stopMessaging__post-request-sendim.json': { kind: 'request', capture: 'stopMessaging' },
  'user__get-200-response-body.json': { kind: 'subset', capture: 'user.redirecting', flow: 'ref' },
  'xframe__get-200-response.json': { kind: 'head', capture: 'xframe' },
};

/** Ref event samples are matched by signature in the reference-style flows. */
for (const f of readdirSync(SAMPLES)) if (/^events__.*-ref\.json$/.test(f) && !CHECKS[f] && !/get-/.test(f)) CHECKS[f] = { kind: 'events', flow: 'ref' };

const signature = (e: FlatEvent): string => sig(e);
function flat(body: any): FlatEvent[] {
  return (body.sender ?? []).flatMap((s: any) => (s.events ?? []).map((e: any) => ({ ...e, sender: s.rel, senderHref: s.href })));
}

describe('emulator conformance with the documented samples', function () {
  this.timeout(20_000);
  const caps: Record<'walk' | 'ref', Capture> = {} as never;
  before(async () => {
    caps.walk = await runFlows({});
    caps.ref = await runFlows({ urlStyle: 'reference', homePoolRedirect: true, incomingMessageEvent: 'started' });
    for (const c of Object.values(caps)) {
      const before = (c.bodies['applications.post'] as any)._embedded.me._links;
      const after = (c.bodies['me'] as any)._links;
      c.bodies['me.anyState'] = { _links: { ...before, ...after } };
    }
  });

  it('should classify every sample file', () => {
    const files = readdirSync(SAMPLES).filter((f) => f.endsWith('.json'));
    assert.equal(files.length, 152);
    assert.deepEqual(files.filter((f) => !CHECKS[f]), []);
  });

  // message_ref.md's sample shows status Failed + failedDeliveryParticipant (on an Incoming message, an impossible mix,
  // PROTOCOL.md §15 item 41): the emulator's failed outgoing message may use only its names and value types.
  it('message__get-200-response-ref-body.json (subset, failed outgoing message)', () => {
    const body = caps.ref.bodies['message.failed'] as any;
    assert.ok(Array.isArray(body?._links?.failedDeliveryParticipant), 'the failed message has failedDeliveryParticipant links');
    assert.deepEqual(compareShape(sample('message__get-200-response-ref-body.json'), body, { mode: 'subset' }), []);
  });

  for (const file of readdirSync(SAMPLES).filter((f) => f.endsWith('.json')).sort()) {
    const check = CHECKS[file];
    if (!check || check.kind === 'not-served') continue;
    it(`${file} (${check.kind})`, () => {
      const s = sample(file);
      const cap = caps[('flow' in check && check.flow === 'ref') ? 'ref' : 'walk'];
      switch (check.kind) {
        case 'superset':
        case 'subset': {
          const body = cap.bodies[check.capture];
          assert.ok(body !== undefined, `no ${check.capture} captured`);
          const actual = check.pick ? check.pick(body) : body;
          assert.deepEqual(compareShape(s, actual, { mode: check.kind, allow: check.allow }), []);
          return;
        }
        case 'head':
        case 'request': {
          const h = cap.heads[check.capture];
          assert.ok(h, `no ${check.capture} captured`);
          if (check.kind === 'request') {
            assert.ok(h.status >= 200 && h.status < 300 || (check.capture === 'user.401' && h.status === 401), `${check.capture} answered ${h.status}`);
            return;
          }
          if (typeof s.status === 'number') assert.equal(h.status, s.status);
          const names = Object.keys(s.headers ?? {}).map((k) => k.toLowerCase());
          for (const name of ['location', 'www-authenticate', 'content-type', 'x-ms-server-fqdn', 'cache-control']) {
            if (names.includes(name) && !(name === 'content-type' && h.status === 204)) assert.ok(h.headers.get(name) !== null, `missing ${name}`);
          }
          if (s.headers?.Location) assert.ok(h.headers.get('location')!.startsWith('/'), 'Location is relative');
          return;
        }
        case 'sequence': {
          const files = readdirSync(SAMPLES).filter((f) => f.startsWith(`events__${check.flow}-im-`)).sort();
          const expected = files.flatMap((f) => flat(sample(f)));
          const got = cap[check.flow];
          assert.deepEqual(got.map(signature), expected.map(signature));
          const mine = flat(s);
          const offset = files.slice(0, files.indexOf(file)).reduce((n, f) => n + flat(sample(f)).length, 0);
          mine.forEach((e, i) => {
            const g = got[offset + i]!;
            assert.deepEqual(compareShape(e, g, { mode: 'superset', skip: { '$.senderHref': 'value' } }), [], signature(e));
            // Embedded exactly where the walk-through embeds (PROTOCOL.md §6.4 "emb." column).
            assert.deepEqual(Object.keys(g._embedded ?? {}), Object.keys(e._embedded ?? {}), `${signature(e)} _embedded`);
            assert.equal(g.status, e.status, `${signature(e)} status`);
          });
          return;
        }
        case 'events': {
          for (const e of flat(s)) {
            if (!e.link) continue; // EventsInUCWA.md elides the communication block's events
            const match = cap.all.concat(cap.receive, cap.send).find((x) => signature(x) === signature(e));
            assert.ok(match, `no ${signature(e)} event in the flows`);
            assert.deepEqual(compareShape(e, match, { mode: 'superset' }), [], signature(e));
          }
        }
      }
    });
  }
});
