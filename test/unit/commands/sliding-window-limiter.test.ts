import { strict as assert } from 'node:assert';
import { SlidingWindowLimiter } from '../../../src/commands/sliding-window-limiter.js';
import { damerauLevenshtein, suggest } from '../../../src/commands/suggest.js';
import { createClock } from './helpers.js';

describe('SlidingWindowLimiter', () => {
  it('should allow max hits per sliding window and say when the next is allowed', () => {
    const clock = createClock(0);
    const limiter = new SlidingWindowLimiter(clock.now);
    const limit = { max: 2, windowMs: 1_000 };
    limiter.record('k', limit);
    clock.advance(400);
    limiter.record('k', limit);
    assert.equal(limiter.retryAfterMs('k', limit), 600);
    clock.advance(600);
    assert.equal(limiter.retryAfterMs('k', limit), 0);
    limiter.record('k', limit);
    assert.equal(limiter.retryAfterMs('k', limit), 400);
  });

  it('should keep memory bounded by pruning idle keys, then the least recently used', () => {
    const clock = createClock(0);
    const limiter = new SlidingWindowLimiter(clock.now, 100);
    const limit = { max: 1, windowMs: 1_000 };
    for (let i = 0; i < 100; i++) limiter.record(`idle${i}`, limit);
    clock.advance(2_000);
    for (let i = 0; i < 5_000; i++) limiter.record(`busy${i}`, limit);
    assert.ok(limiter.size <= 100, `size ${limiter.size}`);
    assert.equal(limiter.retryAfterMs('busy4999', limit), 1_000);
  });
});

describe('suggest (Damerau-Levenshtein)', () => {
  const distances: Array<[string, string, number]> = [
    ['', 'abc', 3], ['ping', 'ping', 0], ['pnig', 'ping', 1], ['restat', 'restart', 1], ['deploy', 'delpoy', 1],
    ['kitten', 'sitting', 3], ['ca', 'abc', 3], ['🚀x', 'x🚀', 1],
  ];
  for (const [a, b, d] of distances) {
    it(`should measure ${JSON.stringify(a)} → ${JSON.stringify(b)} as ${d}`, () => assert.equal(damerauLevenshtein(a, b), d));
  }

  it('should pick the closest, within a length-scaled limit, first registered on ties', () => {
    assert.equal(suggest('pnig', ['help', 'ping', 'pong']), 'ping');
    assert.equal(suggest('dpeloy', ['deploy']), 'deploy');
    assert.equal(suggest('xyz', ['ping']), undefined);
    assert.equal(suggest('pin', ['pig', 'pin2']), 'pig');
  });
});
