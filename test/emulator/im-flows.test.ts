import assert from 'node:assert/strict';
import type { UcwaEmulator } from '../../src/emulator/index.js';
import { ALICE, BOB, BOT, startEmulator } from './support/fixture.js';
import { App, describe as d, signIn } from './support/walker.js';

describe('emulator IM flows', () => {
  let emu: UcwaEmulator;
  let app: App;

  before(async () => {
    emu = await startEmulator({ invitationTimeoutMs: 2000 });
    const s = await signIn(emu.discoveryUrl, 'bot@contoso.com', BOT.password);
    app = await App.create(s);
    assert.equal((await app.makeMeAvailable()).status, 204);
  });
  after(() => emu.close());

  it('should deliver an incoming invitation, accept it, and carry messages both ways', async () => {
    const conv = await emu.user(ALICE.uri).startConversation('Hi bot\nsecond line');
    const started = await app.pollUntil((e) => e.link.rel === 'messagingInvitation' && e.type === 'started');
    const inv = started.at(-1)!._embedded!.messagingInvitation!;
    assert.equal(inv.direction, 'Incoming');
    assert.equal((inv._links as any).message.href, 'data:text/plain;charset=utf-8,Hi+bot%0D%0Asecond+line');
    assert.equal(((inv._embedded as any).from).uri, ALICE.uri);
    assert.equal((await app.post((inv._links as any).accept.href + '?sessionContext=abc')).status, 204);
    const evs = await app.pollUntil((e) => e.link.rel === 'message' && e.type === 'completed');
    const messaging = evs.find((e) => e.link.rel === 'messaging')!._embedded!.messaging!;
    assert.equal(messaging.state, 'Connected');
    const replay = evs.at(-1)!._embedded!.message!;
    assert.equal((replay._links as any).plainMessage.href, 'data:text/plain;charset=utf-8,Hi+bot%0D%0Asecond+line');
    await conv.waitForState('Connected');

    const send = await app.post((messaging._links as any).sendMessage.href + '?OperationContext=op-1', 'Hello Alice', 'text/plain');
    assert.equal(send.status, 201);
    assert.match(send.headers.get('location')!, /\/messaging\/messages\/\d+$/);
    const got = await conv.waitForReceived(1);
    assert.equal(got[0]!.text, 'Hello Alice');
    const done = await app.pollUntil((e) => e.link.rel === 'message' && (e._embedded?.message as any)?.direction === 'Outgoing');
    const out = done.at(-1)!;
    assert.equal(out.status, 'Success');
    assert.equal((out._embedded!.message as any).operationId, 'op-1');

    await conv.send('<b>bold</b> move', { format: 'html' });
    const inc = await app.pollUntil((e) => e.link.rel === 'message' && e.type === 'completed');
    assert.equal((inc.at(-1)!._embedded!.message!._links as any).plainMessage.href, 'data:text/plain;charset=utf-8,bold+move');

    await conv.typing(true);
    const typing = await app.pollUntil((e) => e.in?.rel === 'typingParticipants');
    assert.equal(typing.at(-1)!.type, 'added');

    await conv.leave();
    const bye = await app.pollUntil((e) => e.link.rel === 'conversation' && e.type === 'deleted');
    assert.deepEqual(bye.slice(-5).map(d), [
      'conversation:participantMessaging@participant:deleted', 'conversation:participant:deleted', 'conversation:messaging:updated',
      'communication:conversation:updated', 'communication:conversation:deleted',
    ]);
  });

  it('should start an outgoing conversation and report failures per availability', async () => {
    const comm = app.embedded('communication');
    const start = await app.post((comm._links as any).startMessaging.href, {
      to: BOB.uri, operationId: 'start-1', subject: 'Hi', importance: 'Normal', _links: { message: { href: 'data:text/plain;base64,' + Buffer.from('Ping').toString('base64') } },
    });
    assert.equal(start.status, 201);
    const bobConv = await emu.user(BOB.uri).waitForConversation();
    assert.equal(bobConv.received()[0]!.text, 'Ping');
    const evs = await app.pollUntil((e) => e.link.rel === 'messagingInvitation' && e.type === 'completed');
    assert.equal(evs.at(-1)!.status, 'Success');

    for (const [availability, subcode] of [['offline', 'TemporarilyUnavailable'], ['busy', 'Busy'], ['declines', 'Declined']] as const) {
      emu.user(BOB.uri).setAvailability(availability);
      assert.equal((await app.post((comm._links as any).startMessaging.href, { to: BOB.uri })).status, 201);
      const fail = await app.pollUntil((e) => e.link.rel === 'messagingInvitation' && e.type === 'completed');
      assert.equal(fail.at(-1)!.status, 'Failure');
      assert.equal(fail.at(-1)!.reason!.subcode, subcode);
    }
    await app.post((comm._links as any).startMessaging.href, { to: 'sip:nobody@contoso.com' });
    const nf = await app.pollUntil((e) => e.link.rel === 'messagingInvitation' && e.type === 'completed');
    assert.equal(nf.at(-1)!.reason!.subcode, 'DestinationNotFound');
  });
});
