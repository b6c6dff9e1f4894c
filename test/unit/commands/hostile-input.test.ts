import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { CommandParseError, isCommandParseError } from '../../../src/commands/command-parse-error.js';
import { parseCommand } from '../../../src/commands/parse-command.js';
import { tokenize } from '../../../src/commands/tokenize.js';
import type { ArgSpec } from '../../../src/commands/types.js';

/** A loose safety bound (a hang or exponential blow-up would exceed it by far), not a performance test. */
const BOUND_MS = 200;

function timed<T>(run: () => T): { ms: number; result: T | unknown } {
  const start = performance.now();
  let result: unknown;
  try {
    result = run();
  } catch (error) {
    result = error;
  }
  return { ms: performance.now() - start, result };
}

const specs: ArgSpec[] = [
  { name: 'service' },
  { name: 'count', type: 'number' },
  { name: 'env', flag: true, type: 'enum', values: ['dev', 'prod'] },
  { name: 'force', flag: true, type: 'boolean' },
  { name: 'wait', flag: true, type: 'duration' },
  { name: 'who', flag: true, type: 'sipUri' },
];

describe('parser on hostile input', () => {
  const cases: Array<[string, string, string]> = [
    ['a 100k-character line', 'deploy ' + 'a'.repeat(100_000), 'too-long'],
    ['10,000 arguments', 'deploy ' + 'a '.repeat(10_000), 'too-long'],
    ['100k quotes', 'deploy ' + '"'.repeat(100_000), 'too-long'],
    ['an unbalanced quote at the end of a long line', 'deploy ' + 'xxxxxxxxxx '.repeat(150) + '"oops', 'unclosed-quote'],
    ['control characters', 'deploy web\u0000\u0001', 'control-character'],
    ['201 short arguments within the length limit', 'deploy ' + 'a '.repeat(201), 'too-many-args'],
  ];
  for (const [title, input, reason] of cases) {
    it(`should reject ${title} with a clear error within ${BOUND_MS} ms`, () => {
      const { ms, result } = timed(() => parseCommand(input, specs));
      assert.ok(result instanceof CommandParseError, `expected CommandParseError, got ${String(result)}`);
      assert.equal(result.reason, reason);
      assert.ok(result.message.length < 300, 'the message stays short');
      assert.ok(ms < BOUND_MS, `took ${ms.toFixed(1)} ms`);
    });
  }

  it('should enforce the argument cap when the length limit is raised', () => {
    const { ms, result } = timed(() => tokenize('a '.repeat(10_000), { maxLength: 100_000 }));
    assert.ok(result instanceof CommandParseError);
    assert.equal(result.reason, 'too-many-args');
    assert.match(result.message, /limit is 200/);
    assert.ok(ms < BOUND_MS, `took ${ms.toFixed(1)} ms`);
  });

  it('should parse a maximal valid line (4,000 chars, quotes and escapes) within the bound', () => {
    const line = 'deploy ' + '"a\\"b c d e f g h i j k l m" '.repeat(120);
    assert.ok(line.length <= 4000 && line.length > 3400, String(line.length));
    const { ms, result } = timed(() => parseCommand(line));
    assert.ok(!(result instanceof Error), String(result));
    assert.equal((result as { args: { _: string[] } }).args._.length, 120);
    assert.equal((result as { args: { _: string[] } }).args._[0], 'a"b c d e f g h i j k l m');
    assert.ok(ms < BOUND_MS, `took ${ms.toFixed(1)} ms`);
  });

  it('should keep typed conversions linear on long digit runs', () => {
    const digits = '9'.repeat(3900);
    const { ms, result } = timed(() => parseCommand(`deploy x ${digits}x --wait=${'1'.repeat(50)}`, specs));
    assert.ok(result instanceof CommandParseError);
    assert.ok(ms < BOUND_MS, `took ${ms.toFixed(1)} ms`);
  });

  it('should never throw anything but CommandParseError on arbitrary strings', () => {
    const piece = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 20 }),
      fc.string({ unit: 'binary', maxLength: 20 }),
      fc.constantFrom('"', "'", '“', '”', '‘', '’', '\\', '--', '--force', '--no-force', '--env=', '--wait', ' ', '\u00a0', '='),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (parts) => {
        const text = parts.join('');
        try {
          const parsed = parseCommand(text, specs);
          assert.ok(Array.isArray(parsed.args._));
        } catch (error) {
          if (!isCommandParseError(error)) throw error;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('should keep user-chosen keys from polluting prototypes', () => {
    fc.assert(
      fc.property(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString'), fc.string({ maxLength: 10 }), (key, value) => {
        try {
          const parsed = parseCommand(`x --${key}=${JSON.stringify(value)} ${key}`, [{ name: 'a' }]);
          assert.equal(Object.getPrototypeOf(parsed.args), null);
        } catch (error) {
          if (!isCommandParseError(error)) throw error;
        }
        assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
        assert.equal(Object.prototype.toString.call([]), '[object Array]');
      }),
      { numRuns: 50 },
    );
    const parsed = parseCommand('x __proto__', [{ name: 'a' }]);
    assert.equal(Object.getPrototypeOf(parsed.args), null);
    assert.equal(parsed.args['a'], '__proto__');
  });
});
