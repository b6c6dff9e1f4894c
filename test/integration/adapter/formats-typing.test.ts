import assert from 'node:assert/strict';
import { ALICE, BOB, startHarness } from './harness.js';
import type { Harness } from './harness.js';

describe('UcwaAdapter + UcwaClient + emulator: HTML and typing', () => {
  let h: Harness;
  let typingSent!: () => void;
  const typingDone = new Promise<void>((resolve) => (typingSent = resolve));
  before(async () => {
    h = await startHarness([ALICE, BOB], async (context) => {
      const text = context.activity.text ?? '';
      if (context.activity.type !== 'message') return;
      if (text === 'format please') await context.sendActivity('Status: **green**, see [dashboard](https://dash.contoso.com/x) <script>alert(1)</script>');
      else if (text === 'type first') {
        await context.sendActivities([{ type: 'typing' }, { type: 'delay', value: 10 }]);
        typingSent();
      }
      else if (text === 'now answer') await context.sendActivity('answered');
    });
  });
  after(async () => h.close());

  it('should send markdown as sanitised HTML with the plain text alongside', async () => {
    const conv = await h.emu.user(ALICE.uri).startConversation('format please');
    const [reply] = await conv.waitForReceived(1);
    assert.equal(reply.format, 'html');
    assert.match(reply.html!, /<b>green<\/b>/);
    assert.match(reply.html!, /<a href="https:\/\/dash\.contoso\.com\/x">dashboard<\/a>/);
    // The Markdown's literal <script> is text, escaped — never a tag.
    assert.ok(!/<script/i.test(reply.html!), reply.html);
    assert.match(reply.html!, /&lt;script&gt;/);
    assert.match(reply.text, /Status: green/);
  });

  it('should turn the user typing into a typing activity', async () => {
    const conv = await h.emu.user(BOB.uri).startConversation('hi');
    await conv.waitForState('Connected'); // typing is shown only in a connected conversation
    await conv.typing(true);
    const [typing] = await h.waitForActivities(1, (a) => a.type === 'typing' && a.from.id === BOB.uri);
    assert.equal(typing!.recipient.id, 'sip:bot@contoso.com');
  });

  it('should show the bot typing, and clear it with the next message', async () => {
    const conv = h.emu.user(BOB.uri).conversations()[0]!;
    await conv.send('type first');
    await typingDone;
    assert.equal(conv.botTyping, true, 'setIsTyping shows the bot typing');
    await conv.send('now answer');
    await conv.waitForReceived(1);
    assert.equal(conv.botTyping, false, 'the message cleared the typing indicator');
  });
});
