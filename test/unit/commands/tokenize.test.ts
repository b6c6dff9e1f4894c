import { strict as assert } from 'node:assert';
import { CommandParseError } from '../../../src/commands/command-parse-error.js';
import { tokenize } from '../../../src/commands/tokenize.js';

const values = (text: string): string[] => tokenize(text).map((t) => t.value);

describe('tokenize', () => {
  const cases: Array<[string, string, string[]]> = [
    ['plain words', 'ack 42 now', ['ack', '42', 'now']],
    ['surrounding and repeated whitespace', '   a \t\n  b   ', ['a', 'b']],
    ['empty input', '', []],
    ['only whitespace', ' \u00a0\u3000 ', []],
    ['double quotes', 'say "hello world"', ['say', 'hello world']],
    ['single quotes', "say 'hello world'", ['say', 'hello world']],
    ['empty quotes give an empty token', 'x "" y', ['x', '', 'y']],
    ['escaped double quote inside double quotes', 'say "a \\"b\\" c"', ['say', 'a "b" c']],
    ['escaped single quote inside single quotes', "say 'it\\'s'", ['say', "it's"]],
    ['escaped backslash', 'say "a\\\\b"', ['say', 'a\\b']],
    ['escaped space outside quotes', 'my\\ file x', ['my file', 'x']],
    ['escaped quote outside quotes', '\\"hi\\"', ['"hi"']],
    ['windows path keeps its backslashes', 'C:\\temp\\new', ['C:\\temp\\new']],
    ['apostrophe inside a word is literal', "don't stop", ["don't", 'stop']],
    ['smart double quotes', 'say “hello world”', ['say', 'hello world']],
    ['smart single quotes with a smart apostrophe inside', 'say ‘it’s fine’', ['say', 'it’s fine']],
    ['mismatched smart quotes of one family (Swedish style)', 'say ”hej då”', ['say', 'hej då']],
    ['low-9 opening quote', 'say „guten Tag“', ['say', 'guten Tag']],
    ['quote closes only before whitespace', 'say "a"b" c', ['say', 'a"b', 'c']],
    ['other family inside quotes is literal', `say "it's 'x'"`, ['say', "it's 'x'"]],
    ['quoted value after --key=', 'x --note="on it" y', ['x', '--note=on it', 'y']],
    ['smart quoted value after --key=', 'x --note=“on it”', ['x', '--note=on it']],
    ['NBSP and ideographic space separate', 'a\u00a0b\u3000c\u2003d', ['a', 'b', 'c', 'd']],
    ['zero-width space separates', 'a\u200bb', ['a', 'b']],
    ['NFC normalisation', 'cafe\u0301', ['caf\u00e9']],
    ['emoji and astral characters pass through', 'ship 🚀 𝒳', ['ship', '🚀', '𝒳']],
    ['trailing backslash is literal', 'a\\', ['a\\']],
  ];
  for (const [title, input, expected] of cases) {
    it(`should split ${title}`, () => assert.deepEqual(values(input), expected));
  }

  it('should mark quoted and escaped tokens literal (never options)', () => {
    const tokens = tokenize('--a "--b" \\"--c --d="x"');
    assert.deepEqual(tokens.map((t) => [t.value, t.literal]), [['--a', false], ['--b', true], ['"--c', true], ['--d=x', false]]);
  });

  it('should report positions including the offset', () => {
    assert.deepEqual(tokenize('  ab  "c d"', { offset: 5 }).map((t) => t.position), [7, 11]);
  });

  const errors: Array<[string, string, string, RegExp, number]> = [
    ['an unclosed double quote', 'say "hello', 'unclosed-quote', /quote at column 5 is never closed/, 4],
    ['an unclosed single quote', "say 'tis the season", 'unclosed-quote', /column 5/, 4],
    ['an unclosed smart quote', 'say “hello', 'unclosed-quote', /column 5/, 4],
    ['a NUL character', 'ab\u0000c', 'control-character', /U\+0000 at column 3/, 2],
    ['a bell character', 'ab\u0007', 'control-character', /U\+0007/, 2],
    ['DEL', 'a\u007f', 'control-character', /U\+007F/, 1],
    ['a C1 control', 'a\u009b', 'control-character', /U\+009B/, 1],
    ['a bidi override (Trojan Source)', 'ok \u202eevil', 'control-character', /U\+202E/, 3],
    ['a control character inside quotes', '"a\u0001"', 'control-character', /U\+0001/, 2],
    ['a lone surrogate', 'a\ud800b', 'control-character', /U\+D800/, 1],
  ];
  for (const [title, input, reason, message, position] of errors) {
    it(`should reject ${title} with a clear CommandParseError`, () => {
      assert.throws(() => tokenize(input), (error: unknown) => {
        assert.ok(error instanceof CommandParseError);
        assert.equal(error.reason, reason);
        assert.match(error.message, message);
        assert.equal(error.position, position);
        return true;
      });
    });
  }
});
