import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { splitMessage, utf8Length } from '../../../src/ucwa/message-splitter.js';

describe('splitMessage', () => {
  it('should return a short message unchanged', () => {
    assert.deepEqual(splitMessage('hello', 100), ['hello']);
    assert.deepEqual(splitMessage('', 100), ['']);
  });

  it('should split at paragraph boundaries first', () => {
    const text = 'First paragraph here.\n\nSecond paragraph. It has two sentences.\n\nThird.';
    assert.deepEqual(splitMessage(text, 45), ['First paragraph here.', 'Second paragraph. It has two sentences.', 'Third.']);
  });

  it('should split at sentence boundaries when a paragraph is too long', () => {
    assert.deepEqual(splitMessage('One sentence here. Another sentence here! A third one?', 22), ['One sentence here.', 'Another sentence here!', 'A third one?']);
  });

  it('should split at word boundaries when a sentence is too long', () => {
    assert.deepEqual(splitMessage('alpha beta gamma delta epsilon', 12), ['alpha beta', 'gamma delta', 'epsilon']);
  });

  it('should cut inside a word only when a word is longer than the limit, never inside a code point', () => {
    const parts = splitMessage('😀😀😀😀😀', 8);
    assert.deepEqual(parts, ['😀😀', '😀😀', '😀']);
  });

  it('should keep every part within the byte limit and keep all words in order (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom('. ', '\n\n', ' ', 'ü', '😀')), { maxLength: 60 }), fc.integer({ min: 8, max: 80 }), (chunks, max) => {
        const text = chunks.join('');
        const parts = splitMessage(text, max);
        for (const p of parts) assert.ok(utf8Length(p) <= max, `part over limit: ${JSON.stringify(p)}`);
        assert.equal(parts.join('').replace(/\s+/g, ''), text.replace(/\s+/g, ''));
      }),
      { numRuns: 300 },
    );
  });

  it('should reject a limit too small for one code point', () => {
    assert.throws(() => splitMessage('x', 2), /maxBytes/);
  });
});
