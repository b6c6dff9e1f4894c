import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:net';
import { loadConfig } from '../../../src/server/config.js';
import { createLogger } from '../../../src/server/logger.js';
import { describeStartupError, startBot } from '../../../src/server/main.js';

const silent = createLogger({ level: 'silent' });

describe('startBot with a busy port', () => {
  let busy: Server;
  let port: number;
  before(async () => {
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    port = (busy.address() as { port: number }).port;
  });
  after(() => busy.close());

  it('should name EMULATOR_PORT when the embedded emulator cannot listen', async () => {
    const error = await startBot(loadConfig({ PORT: '0', EMULATOR_PORT: String(port) }), { logger: silent, defaultMetrics: false }).then(
      () => assert.fail('startBot should have failed'), (e: unknown) => e);
    assert.equal(describeStartupError(error),
      `EMULATOR_PORT: Port ${port} on 127.0.0.1 is already in use (is another npm start or npm run emulator running?). Set EMULATOR_PORT to a free port, or 0 to pick one.`);
  });

  it('should name PORT when the host cannot listen (a busy port is not an uncaught error)', async () => {
    const error = await startBot(loadConfig({ PORT: String(port), HOST: '127.0.0.1', EMULATOR_PORT: '0' }), { logger: silent, defaultMetrics: false }).then(
      () => assert.fail('startBot should have failed'), (e: unknown) => e);
    assert.equal(describeStartupError(error), `PORT: Port ${port} on 127.0.0.1 is already in use. Set PORT to a free port, or 0 to pick one.`);
  });
});
