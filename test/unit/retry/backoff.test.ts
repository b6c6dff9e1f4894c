import assert from 'node:assert/strict';
import { backoffDelay, retryAfterMs } from '../../../src/retry/backoff.js';

describe('backoffDelay', () => {
  const rule = { baseDelayMs: 100, maxDelayMs: 1_000, factor: 2 };

  it('should grow exponentially from the base and stop at the cap', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, rule, () => 1)), [100, 200, 400, 800, 1_000, 1_000]);
  });

  it('should draw uniformly below the ceiling (full jitter)', () => {
    assert.equal(backoffDelay(3, rule, () => 0), 0);
    assert.equal(backoffDelay(3, rule, () => 0.25), 100);
    assert.equal(backoffDelay(3, rule, () => 0.999), 400);
  });

  it('should fall back to 500 ms × 2^n capped at 8 s when the row names no parameters', () => {
    assert.equal(backoffDelay(1, {}, () => 1), 500);
    assert.equal(backoffDelay(10, {}, () => 1), 8_000);
  });

  it('should clamp a random source that strays outside [0, 1]', () => {
    assert.equal(backoffDelay(1, rule, () => 7), 100);
    assert.equal(backoffDelay(1, rule, () => -1), 0);
  });
});

describe('retryAfterMs', () => {
  const now = Date.parse('2026-11-26T01:00:00Z');

  it('should read delay-seconds', () => {
    assert.equal(retryAfterMs('120', now), 120_000);
    assert.equal(retryAfterMs(' 0 ', now), 0);
  });

  it('should read an HTTP-date relative to now, never negative', () => {
    assert.equal(retryAfterMs('Thu, 26 Nov 2026 01:00:30 GMT', now), 30_000);
    assert.equal(retryAfterMs('Thu, 26 Nov 2026 00:59:00 GMT', now), 0);
  });

  it('should ignore an absent or unparseable header', () => {
    for (const value of [undefined, null, '', '1.5', '-3', 'soon', 'Someday, 99 Foo 20xx']) assert.equal(retryAfterMs(value, now), undefined, String(value));
  });
});
