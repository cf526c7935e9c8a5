import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ByteSink,
  decodeBlock,
  decodePostings,
  encodePostings,
  POSTINGS_BLOCK,
  readSkipTable,
} from '../src/index/segments/postings-codec.js';
import { CorruptIndexError } from '../src/errors.js';
import { buildIndex } from '../src/index/index-writer.js';
import { createFastScorer } from '../src/query/execute/execute-query.js';
import { IdList } from '../src/index/id-list.js';
import { syntheticArticles } from './helpers/synthetic-articles.js';

/** Sorted distinct document numbers below `limit` with a frequency each, and a length per document. */
const postingsArb = fc
  .record({
    limit: fc.integer({ min: 1, max: 3000 }),
    docs: fc.uniqueArray(fc.integer({ min: 0, max: 2999 }), { minLength: 1, maxLength: 600 }),
    seed: fc.integer(),
  })
  .map(({ limit, docs, seed }) => {
    const kept = docs.filter((d) => d < limit).sort((a, b) => a - b);
    const list = kept.length > 0 ? kept : [0];
    const tfs = list.map((d, i) => 1 + (((d * 31 + i * 7 + seed) >>> 0) % 70000));
    const lengths = Array.from({ length: limit }, (_, d) => ((d * 13 + seed) >>> 0) % 90000);
    return { limit, docs: list, tfs, lengths };
  });

describe('postings in blocks', () => {
  it('decode back to the documents and frequencies written, whole or one block at a time', () => {
    fc.assert(
      fc.property(postingsArb, ({ limit, docs, tfs, lengths }) => {
        const sink = new ByteSink();
        encodePostings(sink, docs, tfs, 0, docs.length, lengths);
        const bytes = sink.view().slice();
        const whole = decodePostings(bytes, docs.length, 5, limit);
        expect(Array.from(whole.docs)).toEqual(docs.map((d) => d + 5));
        expect(Array.from(whole.tfs)).toEqual(tfs.map((t) => Math.min(t, 0xffff)));
        const skips = readSkipTable(bytes, docs.length, limit);
        expect(skips.count).toBe(Math.ceil(docs.length / POSTINGS_BLOCK));
        // Blocks decoded in reverse order land where a whole decode puts them.
        const out = { docs: new Int32Array(docs.length), tfs: new Uint16Array(docs.length) };
        for (let b = skips.count - 1; b >= 0; b--)
          decodeBlock(bytes, skips, docs.length, b, 5, limit, out, b * POSTINGS_BLOCK);
        expect(out.docs).toEqual(whole.docs);
        expect(out.tfs).toEqual(whole.tfs);
      }),
      { numRuns: 150 },
    );
  });

  it('keep per block the last document, the largest frequency and the shortest length of its documents', () => {
    fc.assert(
      fc.property(postingsArb, ({ limit, docs, tfs, lengths }) => {
        const sink = new ByteSink();
        encodePostings(sink, docs, tfs, 0, docs.length, lengths);
        const skips = readSkipTable(sink.view(), docs.length, limit);
        for (let b = 0; b < skips.count; b++) {
          const slice = docs.slice(b * POSTINGS_BLOCK, (b + 1) * POSTINGS_BLOCK);
          const sliceTfs = tfs.slice(b * POSTINGS_BLOCK, (b + 1) * POSTINGS_BLOCK);
          expect(skips.maxTf[b]).toBe(Math.min(0xffff, Math.max(...sliceTfs)));
          expect(skips.minLength[b]).toBe(Math.min(0xffff, ...slice.map((d) => lengths[d]!)));
          // A term of one block is never skipped: its last document is only bounded by the segment's.
          expect(skips.last[b]).toBe(skips.count > 1 ? slice[slice.length - 1] : limit - 1);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('reject a skip table that disagrees with its blocks as corruption', () => {
    const docs = Array.from({ length: 300 }, (_, i) => i * 2);
    const sink = new ByteSink();
    encodePostings(
      sink,
      docs,
      docs.map(() => 1),
      0,
      docs.length,
      new Array(600).fill(3),
    );
    const bytes = sink.view().slice();
    bytes[0] = bytes[0]! + 1; // the first block's last document
    expect(() => decodePostings(bytes, docs.length, 0, 600)).toThrow(CorruptIndexError);
  });

  it('let a gallop through a long list decode only the blocks it lands in, and score as a scan does', () => {
    const index = buildIndex(syntheticArticles(400));
    const scorer = createFastScorer(index);
    const postings = index.termPostings('paragraphs', 'the')!;
    expect(postings.blocks.count).toBeGreaterThan(4);
    // Two paragraphs, far apart: the blocks between them are never decoded.
    const docs = Int32Array.from([
      postings.docs.length > 0 ? index.articleFirstPara[1]! : 0,
      index.paraArticle.length - 1,
    ]);
    const probed = new Float64Array(index.paraArticle.length);
    scorer.accumulateAt('paragraphs', 'the', 1, probed, new IdList(), docs, docs.length);
    expect(postings.blocks.pending).toBeGreaterThan(0);
    expect(postings.blocks.pending).toBeLessThan(postings.blocks.count);
    const scanned = new Float64Array(index.paraArticle.length);
    scorer.accumulate('paragraphs', 'the', 1, scanned, new IdList(), null);
    expect(postings.blocks.pending).toBe(0);
    for (const doc of docs) expect(probed[doc]).toBe(scanned[doc]);
  });
});
