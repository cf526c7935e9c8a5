import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHUNK_SIZE, ChunkedOrder } from '../src/query/results/chunked-order.js';

/** Every position of `order`, sorting chunk by chunk first. */
function drain(order: ChunkedOrder): number[] {
  while (!order.sorted) order.sortStep();
  const out: number[] = [];
  for (let p = order.next(); p >= 0; p = order.next()) out.push(p);
  return out;
}

describe('ChunkedOrder', () => {
  it('gives the same order as one full sort, across many chunks (scores with ties, broken by position)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: CHUNK_SIZE * 3 + 17 }), (scores) => {
        const better = (a: number, b: number) => scores[a]! > scores[b]! || (scores[a] === scores[b] && a < b);
        const expected = scores.map((_, i) => i).sort((a, b) => (better(a, b) ? -1 : 1));
        expect(drain(new ChunkedOrder(scores.length, better))).toEqual(expected);
      }),
      { numRuns: 20 },
    );
  });

  it('merges four chunks of pseudo-random scores into one descending order', () => {
    const n = CHUNK_SIZE * 3 + 17;
    const scores = Array.from({ length: n }, (_, i) => (i * 7919) % 1009);
    const better = (a: number, b: number) => scores[a]! > scores[b]! || (scores[a] === scores[b] && a < b);
    const order = new ChunkedOrder(n, better);
    let steps = 0;
    while (!order.sorted) order.sortStep(), steps++;
    expect(steps).toBe(4);
    const out = drain(order);
    expect(out).toHaveLength(n);
    expect(new Set(out).size).toBe(n);
    for (let i = 1; i < n; i++) expect(better(out[i - 1]!, out[i]!)).toBe(true);
  });

  it('is sorted at once and empty when there is nothing to order', () => {
    const order = new ChunkedOrder(0, () => true);
    expect(order.sorted).toBe(true);
    expect(order.next()).toBe(-1);
  });
});
