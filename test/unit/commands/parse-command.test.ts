import { strict as assert } from 'node:assert';
import { CommandParseError } from '../../../src/commands/command-parse-error.js';
import { parseCommand, splitCommandLine } from '../../../src/commands/parse-command.js';
import type { ArgSpec } from '../../../src/commands/types.js';

const specs: ArgSpec[] = [
  { name: 'service', required: true },
  { name: 'count', type: 'number', default: 1 },
  { name: 'env', flag: true, type: 'enum', values: ['dev', 'prod'], default: 'dev' },
  { name: 'dryRun', flag: true, type: 'boolean' },
  { name: 'wait', flag: true, type: 'duration' },
  { name: 'owner', flag: true, type: 'sipUri' },
];

/** Plain object view of the null-prototype args, for deepEqual. */
function args(text: string, s: readonly ArgSpec[] = specs): Record<string, unknown> {
  return { ...parseCommand(text, s).args };
}

describe('parseCommand', () => {
  const cases: Array<[string, string, Record<string, unknown>]> = [
    ['a positional and defaults', 'deploy web', { _: [], service: 'web', count: 1, env: 'dev', dryRun: false }],
    ['typed positional', 'deploy web 3', { _: [], service: 'web', count: 3, env: 'dev', dryRun: false }],
    ['--flag', 'deploy web --dry-run', { _: [], service: 'web', count: 1, env: 'dev', dryRun: true }],
    ['--no-flag', 'deploy web --no-dry-run', { _: [], service: 'web', count: 1, env: 'dev', dryRun: false }],
    ['--flag=value for a boolean', 'deploy web --dry-run=no', { _: [], service: 'web', count: 1, env: 'dev', dryRun: false }],
    ['--key=value', 'deploy web --env=PROD', { _: [], service: 'web', count: 1, env: 'prod', dryRun: false }],
    ['--key value', 'deploy web --env prod', { _: [], service: 'web', count: 1, env: 'prod', dryRun: false }],
    ['options before positionals', 'deploy --env prod web 2', { _: [], service: 'web', count: 2, env: 'prod', dryRun: false }],
    ['camelCase option spelling', 'deploy web --dryRun', { _: [], service: 'web', count: 1, env: 'dev', dryRun: true }],
    ['snake_case option spelling', 'deploy web --DRY_RUN', { _: [], service: 'web', count: 1, env: 'dev', dryRun: true }],
    ['duration option', 'deploy web --wait 1h30m', { _: [], service: 'web', count: 1, env: 'dev', dryRun: false, wait: 5_400_000 }],
    ['SIP option without scheme', 'deploy web --owner=Bob@Contoso.com', { _: [], service: 'web', count: 1, env: 'dev', dryRun: false, owner: 'sip:Bob@contoso.com' }],
    ['extra positionals to _', 'deploy web 2 x y', { _: ['x', 'y'], service: 'web', count: 2, env: 'dev', dryRun: false }],
    ['-- ends options', 'deploy -- --env', { _: [], service: '--env', count: 1, env: 'dev', dryRun: false }],
    ['quoted option-like value is positional', 'deploy "--env"', { _: [], service: '--env', count: 1, env: 'dev', dryRun: false }],
    ['negative number positional', 'deploy web -2', { _: [], service: 'web', count: -2, env: 'dev', dryRun: false }],
    ['smart-quoted positional', 'deploy “web front”', { _: [], service: 'web front', count: 1, env: 'dev', dryRun: false }],
    ['NBSP between words (HTML-reduced text)', 'deploy\u00a0web\u00a0--env\u00a0prod', { _: [], service: 'web', count: 1, env: 'prod', dryRun: false }],
    ['surrounding whitespace', '  \u3000deploy web  \n', { _: [], service: 'web', count: 1, env: 'dev', dryRun: false }],
  ];
  for (const [title, text, expected] of cases) {
    it(`should parse ${title}`, () => assert.deepEqual(args(text), expected));
  }

  it('should lower-case and NFC-normalise the name', () => {
    assert.equal(parseCommand('DEPLOY web', specs).name, 'deploy');
    assert.equal(parseCommand('Cafe\u0301', []).name, 'caf\u00e9');
  });

  it('should join the rest of the line for a rest positional', () => {
    const s: ArgSpec[] = [{ name: 'id', type: 'number', required: true }, { name: 'note', rest: true }];
    assert.deepEqual(args('ack 42 "on it" now  please', s), { _: [], id: 42, note: '"on it" now  please' }, 'verbatim without flags');
    const withFlag: ArgSpec[] = [...s, { name: 'urgent', flag: true, type: 'boolean' }];
    assert.deepEqual(args('ack 42 "on it" now  please --urgent', withFlag), { _: [], id: 42, note: 'on it now please', urgent: true }, 'joined words with flags');
  });

  it('should still reject control characters and over-long input in a verbatim rest', () => {
    const s: ArgSpec[] = [{ name: 'note', rest: true }];
    assert.throws(() => parseCommand('note ok \u202Eevil', s), { name: 'CommandParseError', reason: 'control-character', position: 8 });
    assert.throws(() => parseCommand(`note ${'x'.repeat(5000)}`, s), { reason: 'too-long' });
    assert.deepEqual(args('note   "unbalanced  ', s), { _: [], note: '"unbalanced' });
  });

  it('should leave an optional non-boolean option unset', () => {
    assert.equal(Object.hasOwn(parseCommand('deploy web', specs).args, 'wait'), false);
  });

  it('should return a null-prototype args object', () => {
    assert.equal(Object.getPrototypeOf(parseCommand('deploy web', specs).args), null);
  });

  const errors: Array<[string, string, string, RegExp, string?]> = [
    ['a missing required argument', 'deploy', 'missing-argument', /Missing required argument service\./, 'service'],
    ['a bad number', 'deploy web ten', 'invalid-value', /Argument count: expected a number, got 'ten'\./, 'count'],
    ['a bad enum, listing the values', 'deploy web --env staging', 'invalid-value', /Argument --env: expected one of dev, prod, got 'staging'\./, 'env'],
    ['a bad duration', 'deploy web --wait=soon', 'invalid-value', /Argument --wait: expected a duration/, 'wait'],
    ['a bad SIP URI', 'deploy web --owner bob', 'invalid-value', /Argument --owner: expected a SIP address/, 'owner'],
    ['a bad boolean', 'deploy web --dry-run=perhaps', 'invalid-value', /Argument --dry-run: expected yes\/no/, 'dryRun'],
    ['an option without its value', 'deploy web --env', 'missing-value', /Option --env needs a value\./, 'env'],
    ['an option followed by another option', 'deploy web --env --dry-run', 'missing-value', /Option --env needs a value/, 'env'],
    ['unknown options, naming all of them', 'deploy web --force --color=red', 'unknown-option', /Unknown options --force, --color\./, '--force'],
    ['--no- on a non-boolean', 'deploy web --no-env', 'unknown-option', /Unknown option --no-env\./],
    ['a repeated option', 'deploy web --env dev --env=prod', 'duplicate-option', /Option --env is given more than once/, 'env'],
    ['an empty command', '   ', 'empty', /empty/],
    ['a too-long name', 'x'.repeat(70), 'invalid-value', /name is too long/],
  ];
  for (const [title, text, reason, message, argument] of errors) {
    it(`should reject ${title}`, () => {
      assert.throws(() => parseCommand(text, specs), (error: unknown) => {
        assert.ok(error instanceof CommandParseError, String(error));
        assert.equal(error.reason, reason);
        assert.match(error.message, message);
        if (argument !== undefined) assert.equal(error.argument, argument);
        return true;
      });
    });
  }

  it('should report the position of a bad value in the original line', () => {
    assert.throws(() => parseCommand('deploy web ten', specs), (e: CommandParseError) => e.position === 11);
  });

  it('should split a command line cheaply without tokenizing the rest', () => {
    assert.deepEqual(splitCommandLine('  Ping "unclosed'), { name: 'ping', rest: ' "unclosed', restOffset: 6 });
    assert.equal(splitCommandLine('   '), undefined);
  });
});
