import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { topK } from '../src/query/top-k.js';

describe('topK', () => {
  it('returns the positions of the k largest scores, largest first, ties by position', () => {
    expect(topK([1, 5, 3, 5, 2], 3)).toEqual([1, 3, 2]);
    expect(topK([1, 2], 5)).toEqual([1, 0]);
    expect(topK([1, 2], 0)).toEqual([]);
  });

  it('agrees with a full sort (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 200 }), fc.integer({ min: 0, max: 50 }), (scores, k) => {
        const sorted = scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
        expect(topK(scores, k)).toEqual(sorted.slice(0, k));
      }),
    );
  });
});
