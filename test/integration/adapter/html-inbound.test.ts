import assert from 'node:assert/strict';
import { ALICE, isMessage, startHarness } from './harness.js';
import type { Harness } from './harness.js';

describe('UcwaAdapter + UcwaClient + emulator: HTML in', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness([ALICE], async (context) => {
      if (isMessage(context.activity)) await context.sendActivity('got it');
    });
  });
  after(async () => h.close());

  it('should deliver incoming HTML as plain text with the HTML in channelData.html', async () => {
    const conv = await h.emu.user(ALICE.uri).startConversation('hello');
    await conv.send('html <b>bold</b> &amp; <i>it</i>', { format: 'html' });
    await conv.waitForReceived(2);
    const [activity] = await h.waitForActivities(1, (a) => isMessage(a) && (a.text ?? '').startsWith('html'));
    assert.equal(activity!.text, 'html bold & it');
    assert.match(String((activity!.channelData as { html?: string }).html), /<b>bold<\/b>/);
  });
});
