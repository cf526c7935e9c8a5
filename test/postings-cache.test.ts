import { describe, expect, it } from 'vitest';
import { buildIndex } from '../src/index/index-writer.js';
import { PostingsCache, postingsBytes } from '../src/index/postings-cache.js';
import { decodeAllBlocks } from '../src/index/term-postings.js';
import { syntheticArticles } from './helpers/synthetic-articles.js';
import type { Article } from '../src/corpus/article.js';

const index = buildIndex(syntheticArticles(300, 7));
const source = { segments: index.segments, deletions: 0, bases: index.paraBase, live: index.paraArticle };

describe('the postings cache', () => {
  it('counts what a term holds: its lists, its blocks and, while blocks are pending, their encoded bytes', () => {
    const postings = new PostingsCache().get('p', 'the', source)!;
    const pending = postingsBytes(postings);
    expect(pending).toBeGreaterThan(postings.docs.byteLength + postings.tfs.byteLength);
    decodeAllBlocks(postings);
    // Decoded: the encoded bytes are let go, the lists and the block tables stay.
    expect(postingsBytes(postings)).toBeLessThan(pending);
    expect(postingsBytes(postings)).toBeGreaterThanOrEqual(postings.docs.byteLength + postings.tfs.byteLength);
  });

  it('keeps at most its budget of bytes, least recently used out first, and answers the same postings', () => {
    const terms = ['the', 'of', 'and', 'govern', 'oil', 'price', 'said', 'minist', 'year', 'market'];
    const unbounded = new PostingsCache(Number.POSITIVE_INFINITY);
    const sizes = terms.map((t) => postingsBytes(unbounded.get('p', t, source)));
    const budget = Math.max(...sizes) * 2;
    const cache = new PostingsCache(budget);
    for (let round = 0; round < 3; round++) {
      for (const term of terms) {
        const got = cache.get('p', term, source);
        const want = unbounded.get('p', term, source);
        expect(got?.df, term).toBe(want?.df);
        if (got && want) {
          decodeAllBlocks(got);
          decodeAllBlocks(want);
          expect(got.docs.subarray(got.start, got.end)).toEqual(want.docs.subarray(want.start, want.end));
        }
        expect(cache.bytes).toBeLessThanOrEqual(budget);
      }
    }
    expect(unbounded.bytes).toBeGreaterThan(budget);
  });

  it("keeps a stem of one form as its form's entry, once for the two, until a segment brings the stem a second form", () => {
    const article = (id: string, paragraphs: string[]): Article => ({ ...syntheticArticles(1)[0]!, id, paragraphs });
    const first = [
      article('a', ['A flood in Haiti displaced thousands.']),
      article('b', ['Haiti: flood, displacing more.']),
    ];
    const one = buildIndex(first, { segmentArticles: 1 });
    const cache = new PostingsCache();
    const sourceOf = (ix: typeof one) => ({
      segments: ix.segments,
      deletions: 0,
      bases: ix.paraBase,
      live: ix.paraArticle,
    });
    // `flood` is the only form of `~flood` in both segments: one entry; `~displac` has two forms, its own.
    expect(cache.get('p', '~flood', sourceOf(one))).toBe(cache.get('p', 'flood', sourceOf(one)));
    expect(cache.get('p', '~displac', sourceOf(one))).not.toBe(cache.get('p', 'displaced', sourceOf(one)));
    // A third segment where `flooding` shares the stem: the stem's postings are its own again.
    const more = buildIndex([...first, article('c', ['Flooding again.'])], { segmentArticles: 1 });
    const stem = cache.get('p', '~flood', sourceOf(more))!;
    expect(stem).not.toBe(cache.get('p', 'flood', sourceOf(more)));
    decodeAllBlocks(stem);
    expect([...stem.docs.subarray(stem.start, stem.end)]).toEqual([0, 1, 2]);
  });
});
