import { strict as assert } from 'node:assert';
import { CommandMiddleware } from '../../../src/commands/command-middleware.js';
import { validateCommandManifest } from '../../../src/commands/manifest.js';
import type { ManifestCommand } from '../../../src/commands/types.js';

function commands(): CommandMiddleware {
  return new CommandMiddleware({ prefix: '!' })
    .command({ name: 'ping', summary: 'Check the bot is alive', handler: () => {} })
    .command({
      name: 'deploy', aliases: ['ship'], summary: 'Deploy a service', args: [{ name: 'service', required: true }], handler: () => {},
    });
}

describe('validateCommandManifest', () => {
  it('should describe the registered commands in manifest shape', () => {
    assert.deepEqual(commands().describe(), [
      { name: 'help', summary: 'Show the commands you can run, or details of one', usage: 'help [command]', aliases: ['commands'] },
      { name: 'ping', summary: 'Check the bot is alive', usage: 'ping' },
      { name: 'deploy', summary: 'Deploy a service', usage: 'deploy <service>', aliases: ['ship'] },
    ]);
  });

  it('should accept a matching manifest, with or without builtins, usage with or without the prefix', () => {
    const manifest: ManifestCommand[] = [
      { name: 'ping', summary: 'Check the bot is alive' },
      { name: 'deploy', summary: 'Deploy a service', usage: '!deploy <service>', aliases: ['ship'] },
    ];
    validateCommandManifest(manifest, commands());
    validateCommandManifest([...commands().describe()], commands());
  });

  it('should list every mismatch in one error', () => {
    const manifest = [
      { name: 'ping', summary: 'Is the bot alive?' },
      { name: 'status', summary: 'Show status' },
      { name: 'help', summary: 'Help', aliases: ['h'] },
      { name: 'status', summary: 'Show status' },
      { name: 42 },
    ] as unknown as ManifestCommand[];
    assert.throws(() => validateCommandManifest(manifest, commands()), (error: unknown) => {
      assert.ok(error instanceof Error);
      const lines = error.message.split('\n');
      assert.equal(lines[0], 'Command manifest mismatch (7):');
      assert.deepEqual(lines.slice(1), [
        `- 'ping' summary differs: manifest "Is the bot alive?", registered "Check the bot is alive"`,
        `- 'status' is in the manifest but no such command is registered`,
        `- 'help' summary differs: manifest "Help", registered "Show the commands you can run, or details of one"`,
        `- 'help' aliases differ: manifest [h], registered [commands]`,
        `- 'status' is listed more than once in the manifest`,
        '- commands[4] must be an object with string "name" and "summary"',
        `- 'deploy' is registered but missing from the manifest`,
      ]);
      return true;
    });
  });

  it('should report a usage mismatch and a non-array manifest', () => {
    assert.throws(
      () => validateCommandManifest([{ name: 'ping', summary: 'Check the bot is alive', usage: 'ping <host>' }, { name: 'deploy', summary: 'Deploy a service' }], commands()),
      /'ping' usage differs: manifest "ping <host>", registered "ping"/,
    );
    assert.throws(() => validateCommandManifest({} as unknown as ManifestCommand[], commands()), /must be an array/);
  });
});
