/** The emulator's opt-in operationId registry: per (user, endpointId), bounded in size and age. */
import assert from 'node:assert/strict';
import { OperationIdRegistry } from '../../../src/emulator/operation-registry.js';
import type { UserRecord } from '../../../src/emulator/state.js';

const user = (uri: string): UserRecord => ({ uri, name: uri, password: undefined, availability: 'online', ackDelayMs: 0, convs: [] });

describe('emulator OperationIdRegistry (rejectDuplicateOperationIds)', () => {
  it('should key by user and endpointId, not by application: another endpoint or user is a different namespace', () => {
    const reg = new OperationIdRegistry();
    const bot = user('sip:bot@contoso.com');
    reg.add(bot, 'ep-1', 'op');
    assert.equal(reg.seen(bot, 'ep-1', 'op'), true);
    assert.equal(reg.seen(user('SIP:BOT@contoso.com'), 'ep-1', 'op'), true, 'SIP URIs compare case-insensitively');
    assert.equal(reg.seen(bot, 'ep-2', 'op'), false);
    assert.equal(reg.seen(user('sip:other@contoso.com'), 'ep-1', 'op'), false);
  });

  it('should forget operationIds older than maxAgeMs', () => {
    let now = 0;
    const reg = new OperationIdRegistry({ maxAgeMs: 1_000, now: () => now });
    const bot = user('sip:bot@contoso.com');
    reg.add(bot, 'ep', 'old');
    now = 600;
    reg.add(bot, 'ep', 'young');
    now = 1_000;
    assert.equal(reg.seen(bot, 'ep', 'old'), false);
    assert.equal(reg.seen(bot, 'ep', 'young'), true);
  });

  it('should keep at most maxPerEndpoint, forgetting the oldest first', () => {
    const reg = new OperationIdRegistry({ maxPerEndpoint: 3 });
    const bot = user('sip:bot@contoso.com');
    for (const id of ['a', 'b', 'c', 'd']) reg.add(bot, 'ep', id);
    assert.equal(reg.size(bot, 'ep'), 3);
    assert.equal(reg.seen(bot, 'ep', 'a'), false);
    assert.equal(reg.seen(bot, 'ep', 'd'), true);
  });
});
