import assert from 'node:assert/strict';
import { BoundedMap, BoundedSet } from '../../../src/adapter/bounded-set.js';

describe('BoundedSet / BoundedMap', () => {
  it('should keep at most max entries, forgetting the least recently added first', () => {
    const set = new BoundedSet<string>(2).add('a').add('b').add('a').add('c');
    assert.equal(set.size, 2);
    assert.equal(set.has('b'), false, 'b was the least recently added');
    assert.ok(set.has('a') && set.has('c'));
    const map = new BoundedMap<string, number>(2).set('a', 1).set('b', 2).set('a', 3).set('c', 4);
    assert.deepEqual([map.get('a'), map.get('b'), map.get('c')], [3, undefined, 4]);
  });

  it('should reject a max that is not a positive integer', () => {
    assert.throws(() => new BoundedSet(0), /positive integer/);
    assert.throws(() => new BoundedMap(1.5), /positive integer/);
  });
});
