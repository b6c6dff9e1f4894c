import assert from 'node:assert/strict';
import { CardFactory, TurnContext } from 'botbuilder';
import type { Activity } from 'botbuilder';
import {
  activityToMessages,
  conversationEndedToActivity,
  conversationStartedToActivity,
  messageToActivity,
  participantAddedToActivity,
  participantRemovedToActivity,
  typingToActivity,
} from '../../../src/adapter/activity-mapper.js';
import type { MapContext } from '../../../src/adapter/activity-mapper.js';
import type { ConversationInfo, IncomingMessage } from '../../../src/ucwa/types.js';

const ALICE = { uri: 'sip:alice@contoso.com', name: 'Alice Smith' };
const BOB = { uri: 'sip:bob@contoso.com', name: 'Bob' };
const BOT = { uri: 'sip:bot@contoso.com', name: 'Help Bot' };
const CONV: ConversationInfo = {
  key: 'k-1',
  href: '/ucwa/oauth/v1/applications/1/communication/conversations/c1',
  threadId: 'AdQ1',
  state: 'Connected',
  remote: ALICE,
  local: BOT,
  direction: 'Incoming',
};
const CTX: MapContext = { serviceUrl: 'https://lyncdiscover.contoso.com/', locale: 'en-GB', bot: BOT };
const AT = new Date('2026-11-26T01:02:03.000Z');

describe('inbound mapping (client payload → activity)', () => {
  const message: IncomingMessage = { conversation: CONV, href: `${CONV.href}/messaging/messages/5`, sender: ALICE, text: 'hi\nthere', html: '<p>hi<br>there</p>', timestamp: AT };

  it('should map a message with every field botbuilder users expect', () => {
    const a = messageToActivity(message, CTX);
    assert.deepEqual(a, {
      type: 'message',
      id: message.href,
      text: 'hi\nthere',
      textFormat: 'plain',
      channelId: 'ucwa',
      serviceUrl: CTX.serviceUrl,
      locale: 'en-GB',
      conversation: { id: 'k-1', conversationType: 'personal', isGroup: false, name: 'Alice Smith' },
      from: { id: ALICE.uri, name: 'Alice Smith', role: 'user' },
      recipient: { id: BOT.uri, name: 'Help Bot', role: 'bot' },
      timestamp: AT,
      localTimestamp: AT,
      channelData: { ucwa: { conversationHref: CONV.href, threadId: 'AdQ1', direction: 'Incoming' }, html: '<p>hi<br>there</p>' },
    });
  });

  it('should leave channelData.html out for a plain message', () => {
    const a = messageToActivity({ ...message, html: undefined }, CTX);
    assert.equal('html' in (a.channelData as object), false);
  });

  it('should give a complete ConversationReference through TurnContext.getConversationReference', () => {
    const ref = TurnContext.getConversationReference(messageToActivity(message, CTX));
    assert.deepEqual(ref, {
      activityId: message.href,
      user: { id: ALICE.uri, name: 'Alice Smith', role: 'user' },
      bot: { id: BOT.uri, name: 'Help Bot', role: 'bot' },
      conversation: { id: 'k-1', conversationType: 'personal', isGroup: false, name: 'Alice Smith' },
      channelId: 'ucwa',
      locale: 'en-GB',
      serviceUrl: CTX.serviceUrl,
    });
  });

  const table: Array<[string, Partial<Activity>, Partial<Activity>]> = [
    ['conversationStarted → conversationUpdate adding the user and the bot', conversationStartedToActivity(CONV, CTX), { type: 'conversationUpdate', membersAdded: [{ id: ALICE.uri, name: 'Alice Smith', role: 'user' }, { id: BOT.uri, name: 'Help Bot', role: 'bot' }] }],
    ['participantAdded → conversationUpdate membersAdded', participantAddedToActivity(CONV, BOB, CTX), { type: 'conversationUpdate', membersAdded: [{ id: BOB.uri, name: 'Bob', role: 'user' }] }],
    ['participantRemoved → conversationUpdate membersRemoved', participantRemovedToActivity(CONV, BOB, CTX), { type: 'conversationUpdate', membersRemoved: [{ id: BOB.uri, name: 'Bob', role: 'user' }] }],
    ['typing → typing from the participant', typingToActivity(CONV, ALICE, CTX), { type: 'typing', from: { id: ALICE.uri, name: 'Alice Smith', role: 'user' } }],
    ['conversationEnded → endOfConversation from the user', conversationEndedToActivity(CONV, CTX), { type: 'endOfConversation', from: { id: ALICE.uri, name: 'Alice Smith', role: 'user' } }],
  ];
  for (const [name, actual, expected] of table) {
    it(`should map ${name}`, () => {
      for (const [field, value] of Object.entries(expected)) assert.deepEqual(actual[field as keyof Activity], value, field);
      assert.equal(actual.channelId, 'ucwa');
      assert.equal(actual.conversation?.id, 'k-1');
      assert.deepEqual(actual.recipient, { id: BOT.uri, name: 'Help Bot', role: 'bot' });
      assert.equal(actual.serviceUrl, CTX.serviceUrl);
      assert.ok(actual.timestamp instanceof Date);
    });
  }

  it('should fall back to the conversation local participant and the URI as name', () => {
    const a = messageToActivity({ ...message, sender: { uri: 'sip:x@contoso.com' } }, { serviceUrl: 's', locale: 'en-US' });
    assert.deepEqual(a.from, { id: 'sip:x@contoso.com', name: 'sip:x@contoso.com', role: 'user' });
    assert.deepEqual(a.recipient, { id: BOT.uri, name: 'Help Bot', role: 'bot' });
  });
});

describe('outbound mapping (activityToMessages)', () => {
  const table: Array<[string, Partial<Activity>, Array<{ plain: string; html?: string }>]> = [
    ['plain text as text/plain', { text: 'a **b**', textFormat: 'plain' }, [{ plain: 'a **b**' }]],
    ['markdown without markup as text/plain', { text: 'hello' }, [{ plain: 'hello' }]],
    ['markdown (the default) as sanitised html with a plain fallback', { text: 'a **b**' }, [{ plain: 'a b', html: '<p>a <b>b</b></p>' }]],
    ['explicit markdown', { text: '_x_', textFormat: 'markdown' }, [{ plain: 'x', html: '<p><i>x</i></p>' }]],
    ['xml as sanitised html', { text: '<b>x</b><script>alert(1)</script><a href="javascript:alert(1)">y</a>', textFormat: 'xml' }, [{ plain: 'xy', html: '<b>x</b><a>y</a>' }]],
    ['xml that is only text as text/plain', { text: 'just &amp; text', textFormat: 'xml' }, [{ plain: 'just & text' }]],
    ['suggested actions as numbered choices', { text: 'Colour?', suggestedActions: { to: [], actions: [{ type: 'imBack', title: 'Red', value: 'red' }, { type: 'imBack', title: 'Blue', value: 'blue' }] } }, [{ plain: 'Colour?\n\n1. Red\n2. Blue' }]],
    ['plain text with a card', { text: '<hi>', textFormat: 'plain', attachments: [CardFactory.heroCard('**T**')] }, [{ plain: '<hi>\n\n**T**', html: '<p>&lt;hi&gt;</p><p><b>**T**</b></p>' }]],
    ['nothing to show (speak only)', { speak: 'hello', inputHint: 'expectingInput' }, []],
    ['an image only', { attachments: [{ contentType: 'image/png', contentUrl: 'https://i.test/a.png' }] }, [{ plain: 'image (https://i.test/a.png)', html: '<p><a href="https://i.test/a.png">image</a></p>' }]],
  ];
  for (const [name, activity, expected] of table) {
    it(`should send ${name}`, () => assert.deepEqual(activityToMessages(activity), expected));
  }

  it('should ignore speak and inputHint', () => {
    assert.deepEqual(activityToMessages({ text: 'hi', speak: '<speak>hello</speak>', inputHint: 'acceptingInput' }), [{ plain: 'hi' }]);
  });
});
