/**
 * The rare terms' shares of the all-words top-k's bounds (`all-words-top-k.ts`): a term
 * in few of the candidate articles (a short last word's rarer prefix completions) is
 * read once, term at a time, instead of being sought in every candidate article.
 */
import type { ArchiveIndex } from '../../index/archive-index.js';
import { decodeAllBlocks } from '../../index/term-postings.js';
import type { ClauseTerm } from './article-cursors.js';
import { scratch } from './query-matches.js';
import { bm25 } from './term-scorer.js';

/** A term in fewer than one candidate article in this many is rare (see `rareShares`). */
export const RARE_SHARE = 4;

/**
 * The rare terms' shares of the articles' bounds (a rare term is in few candidate
 * articles: seeking it in each would cost more than reading its postings once). An
 * article holding a rare term has a slot (`slotOf[ord]` − 1; −1: none), and per slot
 * and clause `j`, at `[slot · clauses + j]`: the sum of the rare terms' best paragraph
 * scores in the article, of all their paragraph scores, and of their headline scores;
 * `mask[slot]` has bit `j` when a rare term of clause `j` is in a live paragraph or the
 * live headline. Slots keep the arrays as small as the rare postings (a dense table per
 * clause would be 8 bytes × articles × clauses). `clear()` zeroes `slotOf` again.
 */
export interface RareShares {
  slotOf: Int32Array;
  best: Float64Array;
  total: Float64Array;
  title: Float64Array;
  mask: Uint32Array;
  /** The articles with a slot, in slot order (`articles[slot]`; a view valid until `clear()`). */
  articles: Int32Array;
  clear: () => void;
}

/** A bit per paragraph (`bits[doc >>> 5]`, bit `doc & 31`) to set for each live paragraph read whose article passes `filter`. */
export interface ParagraphMarks {
  bits: Int32Array;
  filter: Uint8Array | null;
}

/** The arrays of the shares, reused (one query runs at a time on a thread); `mask.length` slots. */
const pool = {
  best: new Float64Array(64),
  total: new Float64Array(64),
  title: new Float64Array(64),
  mask: new Uint32Array(64),
};

/**
 * Reads the postings of `rare[j]` (the rare terms of clause `j`, each list in the plan's
 * order) once and returns their shares per article (see {@link RareShares}); call `clear()`
 * before the next query. With `marks`, also marks the live paragraphs read (see {@link ParagraphMarks}).
 */
export function rareShares(
  index: ArchiveIndex,
  rare: readonly (readonly ClauseTerm[])[],
  marks?: ParagraphMarks,
): RareShares {
  const clauses = rare.length;
  const slotOf = scratch.ints('allWordsRareSlot', index.articleSlots);
  const ords = scratch.list('allWordsRareOrds');
  // The shares' arrays are kept from query to query (zero between them, see `clear`): a query of common
  // words has tens of thousands of special articles, and growing new arrays to that size each time is garbage.
  if (pool.best.length < pool.mask.length * clauses) {
    pool.best = new Float64Array(pool.mask.length * clauses);
    pool.total = new Float64Array(pool.mask.length * clauses);
    pool.title = new Float64Array(pool.mask.length * clauses);
  }
  let { best, total, title, mask } = pool;
  const grow = (array: Float64Array) => {
    const grown = new Float64Array(Math.max(array.length, mask.length * clauses) * 2);
    grown.set(array);
    return grown;
  };
  /** The article's slot, made on first use (with clause `j`'s bit set). */
  const slot = (ord: number, j: number): number => {
    let at = slotOf[ord]! - 1;
    if (at < 0) {
      at = ords.length;
      ords.push(ord);
      slotOf[ord] = at + 1;
      if (at >= mask.length) {
        best = grow(best);
        total = grow(total);
        title = grow(title);
        const grownMask = new Uint32Array(mask.length * 2);
        grownMask.set(mask);
        mask = grownMask;
        pool.best = best;
        pool.total = total;
        pool.title = title;
        pool.mask = mask;
      }
    }
    mask[at] = mask[at]! | (1 << j);
    return at * clauses + j;
  };
  /** Adds a term's best paragraph score in article `ord` (its slot exists: made at its first posting). */
  const addBest = (ord: number, j: number, termBest: number) => {
    const at = (slotOf[ord]! - 1) * clauses + j;
    best[at] = best[at]! + termBest;
  };
  for (let j = 0; j < clauses; j++) {
    for (const t of rare[j]!) {
      const paragraphs = t.paragraphs;
      if (paragraphs) {
        const { docs, tfs, start, end } = decodeAllBlocks(paragraphs.postings);
        let current = -1;
        let termBest = 0;
        for (let i = start; i < end; i++) {
          const doc = docs[i]!;
          const ord = index.paraArticle[doc]!;
          if (ord < 0) continue;
          const norm = index.paraNorms.of(doc);
          if (marks && (marks.filter === null || marks.filter[ord] !== 0))
            marks.bits[doc >>> 5] = marks.bits[doc >>> 5]! | (1 << (doc & 31));
          const at = slot(ord, j);
          if (ord !== current) {
            if (current >= 0) addBest(current, j, termBest);
            current = ord;
            termBest = 0;
          }
          const score = bm25(paragraphs.idf, tfs[i]!, norm);
          if (score > termBest) termBest = score;
          total[at] = total[at]! + score;
        }
        if (current >= 0) addBest(current, j, termBest);
      }
      const titles = t.titles;
      if (titles) {
        const { docs, tfs, start, end } = decodeAllBlocks(titles.postings);
        for (let i = start; i < end; i++) {
          const doc = docs[i]!;
          const ord = index.titleArticle[doc]!;
          if (ord < 0) continue;
          const at = slot(ord, j);
          title[at] = title[at]! + bm25(titles.idf, tfs[i]!, index.titleNorms.of(doc));
        }
      }
    }
  }
  const clear = () => {
    for (let i = 0; i < ords.length; i++) slotOf[ords.ids[i]!] = 0;
    best.fill(0, 0, ords.length * clauses);
    total.fill(0, 0, ords.length * clauses);
    title.fill(0, 0, ords.length * clauses);
    mask.fill(0, 0, ords.length);
    ords.clear();
  };
  return { slotOf, best, total, title, mask, articles: ords.ids.subarray(0, ords.length), clear };
}
