import { describe, expect, it } from 'vitest';
import { BM25 } from '../src/index/bm25.js';
import { seededRandom, syntheticArticles } from './helpers/synthetic-articles.js';
import { memoryWriter } from './helpers/memory-writer.js';

/**
 * The BM25 length norms are worked out from the lengths on read (no table of them): each must be, to the
 * bit, the norm of the formula `k1·(1 − b) + (k1·b / average length) · length` over the live documents.
 */
describe('length norms', () => {
  it('are the formula over the live documents, to the bit, after deletions and adds', () => {
    const articles = syntheticArticles(300, 11);
    const writer = memoryWriter(articles.slice(0, 200));
    const random = seededRandom(5);
    writer.deleteArticles(Array.from({ length: 40 }, () => articles[Math.floor(random() * 200)]!.id));
    writer.addArticles(articles.slice(200));
    const index = writer.refresh();
    const check = (article: Int32Array, length: Uint16Array, of: (doc: number) => number) => {
      let live = 0;
      let sum = 0;
      for (let d = 0; d < article.length; d++)
        if (article[d]! >= 0) {
          live++;
          sum += length[d]!;
        }
      expect(live).toBeGreaterThan(0);
      const slope = (BM25.k * BM25.b) / (sum / live);
      for (let d = 0; d < article.length; d++)
        if (article[d]! >= 0) expect(Object.is(of(d), BM25.k * (1 - BM25.b) + slope * length[d]!)).toBe(true);
    };
    expect(index.paraArticle.some((a) => a < 0)).toBe(true);
    check(index.paraArticle, index.paraLength, (d) => index.paraNorms.of(d));
    check(index.titleArticle, index.titleLength, (d) => index.titleNorms.of(d));
    for (const length of [0, 1, 7, 300])
      expect(index.lengthNorm('paragraphs', length)).toBe(index.paraNorms.ofLength(length));
  });
});
