import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/server/config.js';
import { createLogger } from '../../../src/server/logger.js';
import { describeStartupError, startBot } from '../../../src/server/main.js';
import { MANIFEST_URL, ManifestError, type BotManifest } from '../../../src/server/manifest.js';

describe('startBot checks the manifest against what runs', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'manifest-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('should refuse to start with a drifted command summary or endpoint, naming each, as a fix-it message', async () => {
    const manifest = JSON.parse(readFileSync(MANIFEST_URL, 'utf8')) as BotManifest;
    manifest.commands.find((c) => c.name === 'echo')!.summary = 'Say it again';
    manifest.endpoints.push({ method: 'POST', path: '/api/alerts', summary: 'Alert relay' });
    manifest.endpoints = manifest.endpoints.filter((e) => e.path !== '/metrics');
    const file = join(dir, 'bot.json');
    writeFileSync(file, JSON.stringify({ ...manifest, $schema: undefined }));

    const error = await startBot(loadConfig({ PORT: '0', EMULATOR_PORT: '0' }), {
      manifestUrl: file, logger: createLogger({ level: 'silent' }), defaultMetrics: false,
    }).then(() => assert.fail('startBot should have refused the manifest'), (e: unknown) => e);
    assert.ok(error instanceof ManifestError, String(error));
    assert.deepEqual(error.problems, [
      `commands: 'echo' summary differs: manifest "Say it again", registered "Repeat your text back"`,
      'endpoints: GET /metrics is served but not listed',
      'endpoints: POST /api/alerts is listed but not served',
    ]);
    const message = describeStartupError(error);
    assert.match(message, /is invalid:\n {2}- commands: 'echo' summary differs/);
    assert.doesNotMatch(message, /UCWA_DISCOVERY_URL|\bat /, 'no stack, no sign-in advice for a manifest problem');
  });
});
