import type { ArchiveIndex, Collection } from '../../index/archive-index.js';
import { BM25 } from '../../index/bm25.js';
import {
  decodeAllBlocks,
  decodeBlockAt,
  emptyBlocks,
  firstAtLeast,
  seekBlock,
  type TermPostings,
} from '../../index/term-postings.js';
import type { IdList } from '../../index/id-list.js';
import type { LengthNorms } from '../../index/length-norms.js';
import { termIdf } from './term-idf.js';

export type { Collection };

/**
 * Scores one index term. `accumulate` adds `weight` × the term's BM25 score to
 * `scores[doc]` for every live document of `collection` containing the term
 * whose article passes `filter`, pushes each document whose score was 0 onto
 * `touched`, and returns whether any document matched. `accumulateAt` does the
 * same for the listed documents only (`docs[0 … count-1]`, ascending, live, all
 * passing the filter). `documentCount` is the number of documents of
 * `collection` holding the term. A scorer is made for one state of the index.
 */
export interface TermScorer {
  accumulate(
    collection: Collection,
    term: string,
    weight: number,
    scores: Float64Array,
    touched: IdList,
    filter: Uint8Array | null,
  ): boolean;
  accumulateAt(
    collection: Collection,
    term: string,
    weight: number,
    scores: Float64Array,
    touched: IdList,
    docs: Int32Array,
    count: number,
  ): boolean;
  /**
   * `accumulate` for each of several terms in turn (`matched[i]` set for term i),
   * with the same sums; the fast scorer reads them together, one stretch of
   * documents at a time, so that many terms over a large index do not each sweep
   * the whole score array.
   */
  accumulateTerms(
    collection: Collection,
    terms: readonly { term: string; weight: number }[],
    scores: Float64Array,
    touched: IdList,
    filter: Uint8Array | null,
    matched: boolean[],
  ): void;
  documentCount(collection: Collection, term: string): number;
  /**
   * The term's frequency in each listed document: adds its tf to `out[i]` for
   * `docs[i]` (`docs[0 … count-1]` ascending; deleted documents add nothing).
   * For evidence gathered over several documents at once (a whole article).
   */
  frequenciesAt(collection: Collection, term: string, docs: Int32Array, count: number, out: Float64Array): void;
}

/** Documents per stretch in `accumulateTerms`: their scores, articles and lengths (128 + 64 + 32 KB) stay in the CPU's cache. */
const TERMS_BLOCK = 16_384;

// The index's BM25 parameters (the plain scorer gives MiniSearch the same), so both paths score alike.
const K = BM25.k;
const D = BM25.d;

/** One posting's BM25 score (plain BM25: `D` is 0, see `BM25` in archive-index.ts): `idf` (already weighted) for a term `tf` times in a document of length norm `norm`. */
export function bm25(idf: number, tf: number, norm: number): number {
  return idf * (D + (tf * (K + 1)) / (tf + norm));
}

function collectionTables(index: ArchiveIndex, collection: Collection) {
  return collection === 'paragraphs'
    ? { live: index.paraArticle, norms: index.paraNorms }
    : { live: index.titleArticle, norms: index.titleNorms };
}

/**
 * Above every document short id: the end of a scan with no block bound, and "no more postings" in a
 * merge. A small integer (V8 Smi, below 2^30): a double here would deoptimize the loops.
 */
const NO_DOC = (1 << 30) - 1;

/** Where `scanPostings` stopped and whether it scored a document (one object, reused). */
const scanned = { at: 0, matched: false };

/**
 * The scoring loop: from position `from` of `postings`, for each document below
 * `blockEnd` that is live (its article ≥ 0) and passes `filter`, adds
 * its BM25 to `scores` (pushing it onto `touched` when it was 0).
 */
function scanPostings(
  postings: TermPostings,
  from: number,
  blockEnd: number,
  idf: number,
  norms: LengthNorms,
  live: Int32Array,
  filter: Uint8Array | null,
  scores: Float64Array,
  touched: IdList,
): typeof scanned {
  const { docs, tfs, end } = postings;
  let matched = false;
  let i = from;
  for (; i < end; i++) {
    const doc = docs[i]!;
    if (doc >= blockEnd) break;
    const ord = live[doc]!;
    if (ord < 0 || (filter !== null && filter[ord] === 0)) continue;
    const tf = tfs[i]!;
    const before = scores[doc]!;
    if (before === 0) touched.push(doc);
    scores[doc] = before + bm25(idf, tf, norms.of(doc));
    matched = true;
  }
  scanned.at = i;
  scanned.matched = matched;
  return scanned;
}

/** Postings of a term absent from a collection. */
const EMPTY: TermPostings = {
  docs: new Int32Array(0),
  tfs: new Uint16Array(0),
  start: 0,
  end: 0,
  df: 0,
  blocks: emptyBlocks(),
};

/** Where `seekPosting` landed: a position of the postings, the block it is in, and whether its document is decoded (one object, reused). */
const sought = { at: 0, block: 0, readable: false };

/**
 * The first position at or after `at` (in block `block`) holding a document ≥
 * `doc` (`end` when none): the skip data first, from block to block without
 * decoding them, then the block the document would be in, decoded if it is not
 * yet, galloped through. Once every block is decoded, a gallop through the
 * documents alone.
 */
export function seekPosting(postings: TermPostings, at: number, block: number, doc: number): typeof sought {
  const blocks = postings.blocks;
  if (blocks.pending === 0) {
    sought.at = firstAtLeast(postings.docs, at, postings.end, doc);
    sought.block = block;
    sought.readable = sought.at < postings.end;
    return sought;
  }
  const b = seekBlock(blocks, block, doc);
  if (b >= blocks.count) {
    sought.at = postings.end;
    sought.block = b;
    sought.readable = false;
    return sought;
  }
  if (!blocks.decoded[b]) decodeBlockAt(postings, b);
  const from = b === block ? at : blocks.first[b]!;
  const blockEnd = blocks.first[b + 1]!;
  sought.at = firstAtLeast(postings.docs, from, blockEnd, doc);
  // Past the block's documents (its last is only an upper bound): at the next block's start, maybe not decoded.
  sought.readable = sought.at < blockEnd;
  sought.block = sought.readable ? b : b + 1;
  return sought;
}

/**
 * The fast scorer: reads the index's decoded postings (typed arrays, kept across
 * queries until the index changes) and computes BM25 (k1 1.2, b 0.75) in tight
 * loops with no object per matching document.
 */
export function createFastScorer(index: ArchiveIndex): TermScorer {
  const dataOf = (collection: Collection, term: string): TermPostings | null => index.termPostings(collection, term);
  /** The postings with every block decoded, for a scan of the whole list. */
  const decodedOf = (collection: Collection, term: string): TermPostings | null => {
    const data = dataOf(collection, term);
    return data && decodeAllBlocks(data);
  };
  /** `weight` × the term's IDF in the collection. */
  const weightedIdf = (collection: Collection, data: TermPostings, weight: number) => {
    return termIdf(index.liveDocumentCount(collection), data.df) * weight;
  };
  const scorer: TermScorer = {
    documentCount(collection, term) {
      return dataOf(collection, term)?.df ?? 0;
    },

    accumulate(collection, term, weight, scores, touched, filter) {
      const data = decodedOf(collection, term);
      if (!data) return false;
      const { live, norms } = collectionTables(index, collection);
      const idf = weightedIdf(collection, data, weight);
      return scanPostings(data, data.start, NO_DOC, idf, norms, live, filter, scores, touched).matched;
    },

    accumulateTerms(collection, terms, scores, touched, filter, matched) {
      const packed: TermPostings[] = [];
      let postings = 0;
      for (const { term } of terms) {
        const p = decodedOf(collection, term);
        if (p) postings += p.end - p.start;
        packed.push(p ?? EMPTY);
      }
      if (terms.length < 2) {
        terms.forEach(({ term, weight }, t) => {
          matched[t] = scorer.accumulate(collection, term, weight, scores, touched, filter);
        });
        return;
      }
      const { live, norms } = collectionTables(index, collection);
      const idfs = terms.map(({ term, weight }, t) =>
        packed[t] === EMPTY ? 0 : weightedIdf(collection, dataOf(collection, term)!, weight),
      );
      const cursors = packed.map((p) => p.start);
      for (let t = 0; t < terms.length; t++) matched[t] = false;
      const block = postings < TERMS_BLOCK ? NO_DOC : TERMS_BLOCK;
      for (let blockEnd = block; ; blockEnd += block) {
        // Terms 0 and 1 (a word's form and its stem term: nearly the same
        // documents) are merged by document, so a document holding both has its
        // score and norm read once. Per document the sums are made in term order.
        const a = packed[0]!;
        const b = packed[1]!;
        let i = cursors[0]!;
        let j = cursors[1]!;
        for (;;) {
          const da = i < a.end ? a.docs[i]! : NO_DOC;
          const db = j < b.end ? b.docs[j]! : NO_DOC;
          const doc = Math.min(da, db);
          if (doc === NO_DOC || doc >= blockEnd) break;
          const ord = live[doc]!;
          const counts = !(ord < 0 || (filter !== null && filter[ord] === 0));
          const norm = norms.of(doc);
          const before = scores[doc]!;
          let sum = before;
          if (da === doc) {
            if (counts) {
              const tf = a.tfs[i]!;
              sum = sum + bm25(idfs[0]!, tf, norm);
              matched[0] = true;
            }
            i++;
          }
          if (db === doc) {
            if (counts) {
              const tf = b.tfs[j]!;
              sum = sum + bm25(idfs[1]!, tf, norm);
              matched[1] = true;
            }
            j++;
          }
          if (counts) {
            if (before === 0) touched.push(doc);
            scores[doc] = sum;
          }
        }
        cursors[0] = i;
        cursors[1] = j;
        let more = i < a.end || j < b.end;
        for (let t = 2; t < terms.length; t++) {
          const scan = scanPostings(packed[t]!, cursors[t]!, blockEnd, idfs[t]!, norms, live, filter, scores, touched);
          cursors[t] = scan.at;
          if (scan.matched) matched[t] = true;
          if (scan.at < packed[t]!.end) more = true;
        }
        if (!more) break;
      }
    },

    frequenciesAt(collection, term, docs, count, out) {
      const data = dataOf(collection, term);
      if (!data) return;
      const { live } = collectionTables(index, collection);
      const { docs: postings, tfs, end } = data;
      let at = data.start;
      let block = 0;
      for (let i = 0; i < count && at < end; i++) {
        const doc = docs[i]!;
        const found = seekPosting(data, at, block, doc);
        at = found.at;
        block = found.block;
        if (found.readable && postings[at] === doc && live[doc]! >= 0) out[i] = out[i]! + tfs[at]!;
      }
    },

    accumulateAt(collection, term, weight, scores, touched, docs, count) {
      const data = dataOf(collection, term);
      if (!data) return false;
      const { live, norms } = collectionTables(index, collection);
      const idf = weightedIdf(collection, data, weight);
      let matched = false;
      // Gallop through the skip data, then the postings, from one listed document to the next.
      const { docs: postings, tfs, end } = data;
      let at = data.start;
      let block = 0;
      for (let i = 0; i < count && at < end; i++) {
        const doc = docs[i]!;
        const found = seekPosting(data, at, block, doc);
        at = found.at;
        block = found.block;
        if (found.readable && postings[at] === doc) {
          if (live[doc]! < 0) continue;
          const before = scores[doc]!;
          if (before === 0) touched.push(doc);
          scores[doc] = before + bm25(idf, tfs[at]!, norms.of(doc));
          matched = true;
        }
      }
      return matched;
    },
  };
  return scorer;
}
