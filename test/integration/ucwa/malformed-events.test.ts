import { strict as assert } from 'node:assert';
import { UcwaEmulator } from '../../../src/emulator/index.js';
import { startRewritingProxy } from '../../fakes/ucwa/rewriting-proxy.js';
import type { RewritingProxy } from '../../fakes/ucwa/rewriting-proxy.js';
import { ALICE, BOT, createClient } from './harness.js';

describe('UcwaClient with malformed event-channel bodies (proxy in front of the emulator)', () => {
  let emu: UcwaEmulator;
  let proxy: RewritingProxy;

  before(async () => {
    emu = await UcwaEmulator.start({ users: [BOT, ALICE] });
    proxy = await startRewritingProxy(emu.baseUrl);
  });
  after(async () => {
    await proxy.close();
    await emu.close();
  });

  it('should log and skip a malformed body and malformed events while later events still arrive', async () => {
    const corrupted: string[] = [];
    proxy.tamper = (x) => {
      if (!x.path.includes('/events') || x.status !== 200) return undefined;
      if (x.body.includes('"messagingInvitation"') && !corrupted.includes('body')) {
        corrupted.push('body');
        return { status: 200, body: x.body.slice(0, Math.floor(x.body.length / 2)) }; // truncated JSON
      }
      if (x.body.includes('"plainMessage"') && x.body.includes('second') && !corrupted.includes('events')) {
        corrupted.push('events');
        const parsed = JSON.parse(x.body) as { sender: { events: unknown[] }[] };
        parsed.sender.unshift({ rel: 'bogus' } as never);
        parsed.sender[1]!.events.unshift({ type: 'added' }, 42, { link: { rel: 'message', href: 5 }, type: 'completed' });
        return { status: 200, body: JSON.stringify(parsed) };
      }
      return undefined;
    };
    const { client, seen, logger } = createClient(proxy.rewrite(emu.discoveryUrl));
    await client.start();
    const conv = await emu.user(ALICE.uri).startConversation('first');
    await seen.until(() => seen.messages.length === 1, 'the first message despite the truncated response');
    await conv.send('second');
    await conv.send('third');
    await seen.until(() => seen.messages.length === 3, 'later messages');
    assert.deepEqual(seen.messages.map((m) => m.text), ['first', 'second', 'third']);
    assert.deepEqual(corrupted, ['body', 'events']);
    assert.ok((client.stats.events?.malformed ?? 0) >= 1);
    const warnings = logger.entries.filter((e) => e.level === 'warn' && /malformed/.test(e.msg ?? ''));
    assert.ok(warnings.length >= 3, logger.text());
    await client.stop();
  });
});
