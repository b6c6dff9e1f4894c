import assert from 'node:assert/strict';
import { ConversationStore } from '../../../src/ucwa/conversation-store.js';

const BOT = { uri: 'sip:bot@contoso.com', name: 'Help Bot' };
const ALICE = { uri: 'sip:alice@contoso.com', name: 'Alice' };
const href = (n: number) => `https://pool.contoso.com/ucwa/oauth/v1/applications/1/communication/conversations/${n}`;

describe('ConversationStore', () => {
  it('should keep the key of an ended conversation so it can be re-opened', () => {
    const store = new ConversationStore();
    const record = store.ensure(href(1), { threadId: 'T1', direction: 'Incoming', local: BOT, remote: ALICE });
    record.participants.set(`${href(1)}/participants/alice`, ALICE);
    store.detach(record);
    assert.equal(store.get('T1'), record);
    assert.equal(record.info.href, undefined);
    assert.equal(record.info.remote.uri, ALICE.uri, 'the remote party survives for the re-open');
    assert.equal(record.participants.size, 0, 'participant hrefs die with the conversation');
  });

  it('should forget the oldest detached conversations beyond maxDetached, never a live one', () => {
    const store = new ConversationStore({ maxDetached: 2 });
    const live = store.ensure(href(0), { threadId: 'live', direction: 'Incoming', local: BOT, remote: ALICE });
    for (let n = 1; n <= 5; n++) store.detach(store.ensure(href(n), { threadId: `T${n}`, direction: 'Incoming', local: BOT, remote: ALICE }));
    assert.deepEqual(['T1', 'T2', 'T3', 'T4', 'T5'].filter((k) => store.get(k)), ['T4', 'T5']);
    assert.equal(store.get('live'), live);
    assert.equal(store.size, 3);
  });

  it('should forget detached conversations after detachedTtlMs', () => {
    let now = 1_000;
    const store = new ConversationStore({ detachedTtlMs: 60_000, now: () => now });
    store.detach(store.ensure(href(1), { threadId: 'old', direction: 'Incoming', local: BOT, remote: ALICE }));
    now += 60_001;
    store.detach(store.ensure(href(2), { threadId: 'new', direction: 'Incoming', local: BOT, remote: ALICE }));
    assert.equal(store.get('old'), undefined);
    assert.ok(store.get('new'));
  });

  it('should not forget a detached key once a re-opened conversation took it over', () => {
    const store = new ConversationStore({ maxDetached: 1 });
    store.detach(store.ensure(href(1), { threadId: 'T1', direction: 'Incoming', local: BOT, remote: ALICE }));
    const reopened = store.ensure(href(2), { key: 'T1', direction: 'Outgoing', local: BOT });
    assert.equal(reopened.info.remote.uri, ALICE.uri, 'the re-opened conversation inherits the remote party');
    store.detach(store.ensure(href(3), { threadId: 'T3', direction: 'Incoming', local: BOT, remote: ALICE }));
    store.detach(store.ensure(href(4), { threadId: 'T4', direction: 'Incoming', local: BOT, remote: ALICE }));
    assert.equal(store.get('T1'), reopened);
  });

  it('should restore an unknown key as a detached record with its remote party, and leave a known key alone', () => {
    const store = new ConversationStore();
    const restored = store.restore('stored-key', ALICE, BOT);
    assert.equal(store.get('stored-key'), restored);
    assert.equal(restored.info.href, undefined);
    assert.equal(restored.info.state, 'Disconnected');
    assert.deepEqual(restored.info.remote, { uri: ALICE.uri, name: ALICE.name });
    const live = store.ensure(href(9), { threadId: 'T9', direction: 'Incoming', local: BOT, remote: ALICE });
    assert.equal(store.restore('T9', { uri: 'sip:mallory@contoso.com' }, BOT), live);
    assert.equal(live.info.remote.uri, ALICE.uri);
  });

  it('should de-duplicate message hrefs within a bounded window', () => {
    const store = new ConversationStore();
    assert.equal(store.markSeen('m1'), true);
    assert.equal(store.markSeen('m1'), false);
    for (let n = 0; n < 5000; n++) store.markSeen(`x${n}`);
    assert.equal(store.markSeen('m1'), true, 'the oldest href was forgotten');
  });
});
