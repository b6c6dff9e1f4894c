/**
 * At most one token refresh per 401 per operation (issue #4): UcwaHttp refreshes and replays once, the retry
 * table's refreshToken row adds no second refresh, and concurrent requests that meet the same expiry share one
 * token request. Counted in the emulator's request log, the independent witness.
 */
import assert from 'node:assert/strict';
import { UcwaEmulator } from '../../../src/emulator/index.js';
import type { UcwaEmulator as Emulator } from '../../../src/emulator/types.js';
import { isUcwaError } from '../../../src/ucwa/errors.js';
import { UcwaClient } from '../../../src/ucwa/ucwa-client.js';

const BOT = { uri: 'sip:bot@contoso.com', name: 'Bot', password: 'pw' };
const USERS = Array.from({ length: 8 }, (_, i) => ({ uri: `sip:user${i}@contoso.com`, name: `User ${i}` }));

describe('token refresh: one per expiry, never twice for one 401', function () {
  this.timeout(20_000);
  let emu: Emulator;
  let client: UcwaClient;
  let keys: string[];

  before(async () => {
    emu = await UcwaEmulator.start({ users: [BOT, ...USERS] });
    client = new UcwaClient({ discoveryUrl: emu.discoveryUrl, username: BOT.uri, password: BOT.password, allowInsecureLoopback: true });
    await client.start();
    keys = [];
    for (const u of USERS) keys.push((await client.startMessaging(u.uri)).key);
  });

  after(async () => {
    await client.stop().catch(() => undefined);
    await emu.close();
  });

  const tokenRequests = () => emu.requests().filter((r) => r.resource === 'token').length;

  it('should fetch exactly one token when concurrent sends all meet the same expiry (twice in a row)', async () => {
    for (let round = 0; round < 2; round += 1) {
      emu.clearRequests();
      emu.expireTokens();
      await Promise.all(keys.map((key, i) => client.sendMessage(key, `round ${round} to ${i}`, 'plain')));
      const unauthorized = emu.requests().filter((r) => r.status === 401).length;
      assert.ok(unauthorized >= 1, 'the expiry was met');
      assert.equal(tokenRequests(), 1, `round ${round}: ${unauthorized} requests answered 401 shared one refresh`);
    }
    for (const [i, u] of USERS.entries()) assert.deepEqual(emu.user(u.uri).received().map((m) => m.text), [`round 0 to ${i}`, `round 1 to ${i}`]);
  });

  it('should not refresh a second time when the replay with the new token is refused again', async () => {
    emu.clearRequests();
    const fault = emu.faults.inject({ resource: 'sendMessage', times: 2, error: { status: 401, code: 'Unauthorized' } });
    const error = await client.sendMessage(keys[0]!, 'refused twice', 'plain').then(() => assert.fail('expected a 401'), (e: unknown) => e);
    fault.remove();
    assert.ok(isUcwaError(error) && error.status === 401, String(error));
    assert.match(error.message, /still unauthorized after a token refresh/);
    assert.equal(tokenRequests(), 1);
    assert.equal(emu.requests().filter((r) => r.resource === 'sendMessage').length, 2, 'one send and one replay, no third attempt');
  });
});
