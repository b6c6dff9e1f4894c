import assert from 'node:assert/strict';
import { conversationToReference, referenceToKey } from '../../../src/adapter/conversation-ref.js';
import type { ConversationInfo } from '../../../src/ucwa/types.js';

const CONV: ConversationInfo = {
  key: 'k-9',
  href: '/c/9',
  state: 'Connected',
  remote: { uri: 'sip:alice@contoso.com', name: 'Alice' },
  local: { uri: 'sip:bot@contoso.com', name: 'Help Bot' },
  direction: 'Outgoing',
  subject: 'Alert',
};

describe('conversationToReference / referenceToKey', () => {
  it('should build a complete reference', () => {
    assert.deepEqual(conversationToReference(CONV, { serviceUrl: 'https://d/', locale: 'de-DE', activityId: 'm1' }), {
      activityId: 'm1',
      user: { id: 'sip:alice@contoso.com', name: 'Alice', role: 'user' },
      bot: { id: 'sip:bot@contoso.com', name: 'Help Bot', role: 'bot' },
      conversation: { id: 'k-9', conversationType: 'personal', isGroup: false, name: 'Alert' },
      channelId: 'ucwa',
      serviceUrl: 'https://d/',
      locale: 'de-DE',
    });
  });

  it('should round-trip the key', () => {
    assert.equal(referenceToKey(conversationToReference(CONV, { serviceUrl: 's', locale: 'en-US' })), 'k-9');
  });

  it('should reject another channel, a missing conversation id, and a non-object', () => {
    assert.throws(() => referenceToKey({ channelId: 'msteams', conversation: { id: 'x' } as never }), /channelId 'ucwa'.*'msteams'/);
    assert.throws(() => referenceToKey({ channelId: 'ucwa' }), /conversation\.id/);
    assert.throws(() => referenceToKey(undefined), TypeError);
  });
});
