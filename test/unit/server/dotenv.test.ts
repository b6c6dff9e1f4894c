import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DotenvError, loadDotenv, parseDotenv } from '../../../src/server/dotenv.js';

describe('parseDotenv', () => {
  it('should parse KEY=VALUE lines, skipping blanks and comments', () => {
    assert.deepEqual(parseDotenv('# comment\n\nA=1\n  B = two words  \nexport C=3\r\n'), { A: '1', B: 'two words', C: '3' });
  });

  it('should strip an inline comment only after whitespace', () => {
    assert.deepEqual(parseDotenv('A=x # note\nB=a#b'), { A: 'x', B: 'a#b' });
  });

  it('should keep single-quoted values literally', () => {
    assert.deepEqual(parseDotenv("P='p@ss # not a comment \\n'"), { P: 'p@ss # not a comment \\n' });
  });

  it('should unescape double-quoted values and allow a comment after them', () => {
    assert.deepEqual(parseDotenv('M="line1\\nline2 \\"q\\" \\\\" # c'), { M: 'line1\nline2 "q" \\' });
  });

  it('should read a double-quoted value that spans lines', () => {
    assert.deepEqual(parseDotenv('K="-----BEGIN-----\nabc\n-----END-----"\nN=1'), { K: '-----BEGIN-----\nabc\n-----END-----', N: '1' });
  });

  it('should accept an empty value and let later keys win', () => {
    assert.deepEqual(parseDotenv('A=\nB=1\nB=2'), { A: '', B: '2' });
  });

  it('should reject a line without =, naming the line number but not the content', () => {
    assert.throws(() => parseDotenv('A=1\nsecretvalue'), (e: Error) =>
      e instanceof DotenvError && /line 2/.test(e.message) && !e.message.includes('secretvalue'));
  });

  it('should reject an invalid key and an unterminated quote', () => {
    assert.throws(() => parseDotenv('1A=x'), /not a valid variable name/);
    assert.throws(() => parseDotenv('A="open'), /unterminated " quote/);
    assert.throws(() => parseDotenv("A='x' trailing"), /unexpected text after the closing quote/);
  });
});

describe('loadDotenv', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'dotenv-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('should never override a variable already in the environment', () => {
    const file = join(dir, '.env');
    writeFileSync(file, 'PORT=1234\nLOG_LEVEL=debug\n');
    const env = { PORT: '5000' };
    const merged = loadDotenv(file, env);
    assert.equal(merged['PORT'], '5000');
    assert.equal(merged['LOG_LEVEL'], 'debug');
    assert.deepEqual(env, { PORT: '5000' }, 'the input env is not modified');
  });

  it('should treat a missing file as empty', () => {
    assert.deepEqual(loadDotenv(join(dir, 'missing.env'), { A: '1' }), { A: '1' });
  });
});
