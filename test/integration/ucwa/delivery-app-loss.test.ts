/**
 * The hardest uncertain send (issue #4): written, processed, answer lost (reset), and the application expires
 * before its delivery event reaches the client. The event is gone with the application, so the client resends —
 * with the SAME operationId, into the re-created application and the re-opened conversation. With the emulator's
 * opt-in backstop that resend is answered 409 AlreadyExists and the message exists once; with the faithful
 * default (no de-duplication, PROTOCOL.md §8.4) it exists twice: the documented limitation.
 *
 * Staged with the client's injectable `fetch`: the send is let through, then the application is expired and the
 * answer replaced by a reset; every event-channel answer of the old application is dropped the same way.
 */
import assert from 'node:assert/strict';
import nodeFetch from 'node-fetch';
import { UcwaEmulator } from '../../../src/emulator/index.js';
import type { UcwaEmulator as Emulator } from '../../../src/emulator/types.js';
import { UcwaClient } from '../../../src/ucwa/ucwa-client.js';
import type { FetchLike } from '../../../src/ucwa/http.js';

const BOT = { uri: 'sip:bot@contoso.com', name: 'Bot', password: 'pw' };
const ALICE = { uri: 'sip:alice@contoso.com', name: 'Alice' };

function reset(): Error {
  return Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
}

async function run(dedupe: boolean) {
  const emu: Emulator = await UcwaEmulator.start({ users: [BOT, ALICE], rejectDuplicateOperationIds: dedupe });
  let armed = false;
  let oldApp: string | undefined;
  const fetch = (async (url, init) => {
    const path = new URL(String(url)).pathname;
    const isSend = init?.method === 'POST' && path.endsWith('/messaging/messages');
    if (armed && isSend) {
      armed = false;
      oldApp = /\/applications\/([^/]+)\//.exec(path)?.[1];
      const response = await nodeFetch(url, init);
      await response.arrayBuffer();
      assert.equal(response.status, 201, 'the first attempt landed');
      emu.expireApplication(oldApp);
      throw reset();
    }
    const response = await nodeFetch(url, init);
    // Whatever the old application's event channel answers after the send is lost with it.
    if (oldApp !== undefined && response.status === 200 && path.includes(`/applications/${oldApp}/`) && /events/.test(path)) {
      await response.arrayBuffer();
      throw reset();
    }
    return response;
  }) as FetchLike;
  const retried: string[] = [];
  const client = new UcwaClient({
    discoveryUrl: emu.discoveryUrl, username: BOT.uri, password: BOT.password, allowInsecureLoopback: true, fetch,
    confirmDeliveryTimeoutMs: 300,
    metrics: { retry: (r) => retried.push(`${r.status} ${r.code}/${r.subcode ?? ''} ${r.action}`) },
  });
  try {
    await client.start();
    const { key } = await client.startMessaging(ALICE.uri);
    emu.clearRequests();
    armed = true;
    const result = await client.sendMessage(key, 'exactly once, please', 'plain');
    await client.sendMessage(key, 'and then the next one', 'plain');
    const sends = emu.requests().filter((r) => r.resource === 'sendMessage' && r.body === 'exactly once, please');
    return { result, sends, received: emu.user(ALICE.uri).received().map((m) => m.text), retried, applications: emu.applications() };
  } finally {
    await client.stop().catch(() => undefined);
    await emu.close();
  }
}

describe('delivery across an application loss (uncertain send, event lost with the application)', function () {
  this.timeout(20_000);

  it('should resend with the same operationId into the re-created application, and the backstop makes it exactly once', async () => {
    const { result, sends, received, retried } = await run(true);
    assert.equal(sends.length, 2);
    assert.equal(sends[0]!.query.operationId, result.operationId);
    assert.equal(sends[1]!.query.operationId, result.operationId, 'the resend reuses the original operationId');
    assert.notEqual(sends[0]!.path.split('/')[5], sends[1]!.path.split('/')[5], 'the resend went to the re-created application');
    assert.deepEqual(sends.map((r) => r.status), [201, 409]);
    assert.deepEqual(received, ['exactly once, please', 'and then the next one']);
    assert.ok(retried.some((r) => r.startsWith('0 LocalFailure/ECONNRESET retry')), retried.join('; '));
  });

  it('should, without the backstop (faithful default), deliver it twice: the documented limitation', async () => {
    const { sends, received } = await run(false);
    assert.deepEqual(sends.map((r) => r.status), [201, 201]);
    assert.equal(new Set(sends.map((r) => r.query.operationId)).size, 1);
    assert.deepEqual(received, ['exactly once, please', 'exactly once, please', 'and then the next one']);
  });
});
