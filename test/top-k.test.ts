import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TopScores, topK, topKByScore } from '../src/index/top-k.js';

describe('topK', () => {
  it('returns the positions of the k largest scores, largest first, ties by position', () => {
    expect(topKByScore([1, 5, 3, 5, 2], 3)).toEqual([1, 3, 2]);
    expect(topKByScore([1, 2], 5)).toEqual([1, 0]);
    expect(topKByScore([1, 2], 0)).toEqual([]);
  });

  it('agrees with a full sort (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 200 }),
        fc.integer({ min: 0, max: 50 }),
        (scores, k) => {
          const sorted = scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
          expect(topKByScore(scores, k)).toEqual(sorted.slice(0, k));
        },
      ),
    );
  });
});

describe('topK with an order', () => {
  it('orders by any strict total order, like a full sort', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 })), { maxLength: 100 }),
        fc.integer({ min: 0, max: 30 }),
        (rows, k) => {
          const better = (a: number, b: number) =>
            rows[a]![0] < rows[b]![0] ||
            (rows[a]![0] === rows[b]![0] && (rows[a]![1] > rows[b]![1] || (rows[a]![1] === rows[b]![1] && a < b)));
          const sorted = rows.map((_, i) => i).sort((a, b) => (better(a, b) ? -1 : 1));
          expect(topK(rows.length, k, better)).toEqual(sorted.slice(0, k));
        },
      ),
    );
  });
});

describe('TopScores', () => {
  it('keeps the k best ids by score, then lower tie key, like a full sort (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 })), { maxLength: 150 }),
        fc.integer({ min: 0, max: 40 }),
        (rows, k) => {
          const top = new TopScores(k);
          rows.forEach(([score, tie], id) => top.offer(id, score, tie * 1000 + id));
          const key = (id: number) => rows[id]![1] * 1000 + id;
          const sorted = rows.map((_, i) => i).sort((a, b) => rows[b]![0] - rows[a]![0] || key(a) - key(b));
          expect(top.best()).toEqual(sorted.slice(0, k));
        },
      ),
    );
  });
});
