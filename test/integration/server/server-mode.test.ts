import { strict as assert } from 'node:assert';
import { UcwaEmulator } from '../../../src/emulator/index.js';
import type { UcwaEmulator as Emulator } from '../../../src/emulator/types.js';
import { loadConfig } from '../../../src/server/config.js';
import { createLogger } from '../../../src/server/logger.js';
import { formatBanner, startBot } from '../../../src/server/main.js';

const silent = createLogger({ level: 'silent' });
const PASSWORD = 'correct horse battery staple';

describe('startBot against a configured UCWA server (the emulator standing in for Skype for Business Server)', function () {
  let emulator: Emulator;

  before(async () => {
    emulator = await UcwaEmulator.start({
      port: 0,
      users: [
        { uri: 'sip:bot@contoso.com', name: 'Help Bot', password: PASSWORD },
        { uri: 'sip:carol@contoso.com', name: 'Carol' },
      ],
    });
  });
  after(() => emulator?.close());

  function env(password: string): Record<string, string> {
    return {
      UCWA_DISCOVERY_URL: emulator.discoveryUrl, UCWA_USERNAME: 'bot@contoso.com', UCWA_PASSWORD: password,
      UCWA_ALLOW_INSECURE_LOOPBACK: 'true', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', BOT_ADMINS: 'sip:carol@contoso.com',
    };
  }

  it('should sign in with UCWA_USERNAME / UCWA_PASSWORD and answer a user', async () => {
    const running = await startBot(loadConfig(env(PASSWORD)), { logger: silent, defaultMetrics: false });
    try {
      assert.equal(running.config.mode, 'server');
      assert.equal(running.emulator, undefined);
      assert.equal((await fetch(`${running.url}/readyz`)).status, 200);
      const banner = formatBanner(running);
      assert.ok(banner.includes(`signed in to ${new URL(emulator.discoveryUrl).host} as sip:bot@contoso.com`), banner);
      assert.ok(!banner.includes(PASSWORD) && !banner.includes('_emulator/chat'));
      const conversation = await emulator.user('sip:carol@contoso.com').startConversation('whoami');
      const received = await conversation.waitForReceived(2, 10_000);
      assert.equal(received[1]!.text, 'You are Carol (sip:carol@contoso.com).\nGroups: admins.');
    } finally {
      await running.stop();
    }
    assert.equal(emulator.applications().length, 0, 'stop() deleted the application');
  });

  it('should finish every shutdown step even when one fails, then report that failure', async () => {
    const running = await startBot(loadConfig(env(PASSWORD)), {
      logger: silent, defaultMetrics: false, onStopping: () => { throw new Error('step failed'); },
    });
    await assert.rejects(running.stop(), /step failed/);
    assert.equal(emulator.applications().length, 0, 'the application was deleted before the failing step');
    await assert.rejects(fetch(`${running.url}/healthz`), 'the host closed after the failing step');
  });

  it('should reject with the sign-in error, without the password, and release the port', async () => {
    let error: unknown;
    let listeningAt: string | undefined;
    try {
      await startBot(loadConfig(env('wrong password')), { logger: silent, defaultMetrics: false, onListening: (url) => { listeningAt = url; } });
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof Error, 'startBot rejected');
    assert.ok(!error.message.includes('wrong password'));
    assert.ok(listeningAt);
    await assert.rejects(fetch(`${listeningAt}/healthz`), 'the host was closed again');
  });
});
