import assert from 'node:assert/strict';
import { TurnContext } from 'botbuilder';
import { UcwaAdapter } from '../../../src/adapter/ucwa-adapter.js';
import { ALICE, BOT_USER, isMessage, startHarness } from './harness.js';
import type { Harness } from './harness.js';

describe('UcwaAdapter + UcwaClient + emulator: expiry in the middle of a conversation', function () {
  this.timeout(20_000);
  let h: Harness;
  before(async () => {
    h = await startHarness([ALICE], async (context) => {
      if (isMessage(context.activity)) await context.sendActivity(`echo: ${context.activity.text}`);
    });
  });
  after(async () => h.close());

  it('should keep the conversation and its stored reference working across application and token expiry', async () => {
    const conv = await h.emu.user(ALICE.uri).startConversation('one');
    await conv.waitForReceived(1);
    const [first] = await h.waitForActivities(1, isMessage);
    const reference = TurnContext.getConversationReference(first!);

    h.emu.expireTokens();
    h.emu.expireApplication();

    // The server ends the conversations of an expired application; the client recreates the application and
    // re-opens the conversation for the same key, so the stored reference still reaches Alice.
    await h.adapter.continueConversation(reference, async (context) => void (await context.sendActivity('still reachable')));
    assert.deepEqual(h.emu.user(ALICE.uri).received().map((m) => m.text), ['echo: one', 'still reachable']);
    assert.equal(h.emu.requests().filter((r) => r.resource === 'applications' && r.method === 'POST').length, 2, 'the application was recreated');

    // And Alice can talk to the bot again.
    const again = await h.emu.user(ALICE.uri).startConversation('two');
    assert.equal((await again.waitForReceived(1, 15_000))[0]!.text, 'echo: two');
    const messages = h.seen.filter((a) => isMessage(a) && a.from.id === ALICE.uri);
    assert.deepEqual(messages.map((a) => a.text), ['one', 'two'], 'each message delivered exactly once');
  });
});

describe('UcwaAdapter + UcwaClient + emulator: a reference stored before a restart', () => {
  it('should reach the user from a new adapter instance by re-opening the conversation', async () => {
    const h1 = await startHarness([ALICE]);
    const emu = h1.emu;
    const conv = await emu.user(ALICE.uri).startConversation('remember me');
    const [first] = await h1.waitForActivities(1, isMessage);
    const stored = JSON.parse(JSON.stringify(TurnContext.getConversationReference(first!))) as ReturnType<typeof TurnContext.getConversationReference>;
    await h1.adapter.stop();
    await conv.waitForState('Disconnected');

    const restarted = new UcwaAdapter({ discoveryUrl: emu.discoveryUrl, username: 'bot@contoso.com', password: BOT_USER.password, allowInsecureLoopback: true });
    await restarted.start(async () => {});
    try {
      const reopened = emu.user(ALICE.uri).waitForConversation();
      await restarted.continueConversation(stored, async (context) => void (await context.sendActivity('Your ticket was closed')));
      const [message] = await (await reopened).waitForReceived(1);
      assert.equal(message!.text, 'Your ticket was closed');
    } finally {
      await restarted.stop();
      await emu.close();
    }
  });
});

describe('UcwaAdapter + UcwaClient + emulator: a second process signs in as the same bot', () => {
  it('should report the takeover through onFatal with an error naming the cause', async () => {
    const h = await startHarness([ALICE]);
    const fatal = new Promise<Error>((resolve) => (h.adapter.onFatal = resolve));
    const second = new UcwaAdapter({ discoveryUrl: h.emu.discoveryUrl, username: 'bot@contoso.com', password: BOT_USER.password, allowInsecureLoopback: true });
    try {
      await second.start(async () => {});
      const error = await fatal;
      assert.match(`${error.message} ${(error as { subcode?: string }).subcode ?? ''}`, /PGetReplaced/);
      assert.equal(h.adapter.fatalError, error);
      assert.equal(h.adapter.state, 'failed');
    } finally {
      await second.stop();
      await h.close();
    }
  });
});

describe('UcwaAdapter + UcwaClient + emulator: sign-in failure', () => {
  it('should reject start with a UcwaError that names the failure and never the password', async () => {
    const h = await startHarness([]);
    const wrong = new UcwaAdapter({ discoveryUrl: h.emu.discoveryUrl, username: 'bot@contoso.com', password: 'wrong-secret-9', allowInsecureLoopback: true });
    try {
      await assert.rejects(wrong.start(async () => {}), (error: Error & { status?: number }) => {
        assert.equal(error.name, 'UcwaError');
        assert.ok(error.message.length > 0);
        assert.ok(!`${error.message} ${JSON.stringify(error)}`.includes('wrong-secret-9'));
        return true;
      });
      assert.notEqual(wrong.state, 'ready');
    } finally {
      await wrong.stop();
      await h.close();
    }
  });
});
