/**
 * The rare terms' shares of the all-words top-k's bounds (`all-words-top-k.ts`), for the
 * candidate articles only: a term in few of the candidates (a short last word's rarer
 * prefix completions) is read once, term at a time, instead of being sought in each
 * candidate; its postings in other articles are passed over at the cost of one look-up
 * (those articles cannot match: they do not hold the first clause).
 */
import type { ArchiveIndex } from '../../index/archive-index.js';
import { decodeAllBlocks } from '../../index/term-postings.js';
import type { ClauseTerm } from './article-cursors.js';
import { scratch } from './query-matches.js';
import { bm25 } from './term-scorer.js';

/**
 * A candidate article holding a rare term has a slot (`slotOf[ord]` − 1; below 0: none), and
 * per slot and clause `j`, at `[slot · clauses + j]`: the sum of the rare terms' best paragraph
 * scores in the article, of all their paragraph scores, and of their headline scores;
 * `mask[slot]` has bit `j` when a rare term of clause `j` is in a live paragraph or the live
 * headline. Slots keep the arrays as small as the rare postings. `clear()` zeroes them again.
 */
export interface CandidateShares {
  slotOf: Int32Array;
  best: Float64Array;
  total: Float64Array;
  title: Float64Array;
  mask: Int32Array;
  clear: () => void;
}

/** The arrays of the shares, reused (one query runs at a time on a thread; zero between queries). */
const pool = {
  best: new Float64Array(64),
  total: new Float64Array(64),
  title: new Float64Array(64),
  mask: new Int32Array(64),
};

/** `array` copied into one of at least `size` (doubled). */
function grown<T extends Float64Array | Int32Array>(array: T, size: number, make: (n: number) => T): T {
  if (array.length >= size) return array;
  const copy = make(Math.max(size, array.length * 2));
  copy.set(array);
  return copy;
}

/**
 * Reads the postings of `rare[j]` (the rare terms of clause `j`, each list in the plan's order)
 * once and returns their shares in `candidates` (ascending article ordinals; see {@link CandidateShares}).
 * The sums are made as `rareShares` makes them (each posting's score added to the total as read).
 */
export function candidateShares(
  index: ArchiveIndex,
  candidates: Int32Array,
  rare: readonly (readonly ClauseTerm[])[],
): CandidateShares {
  const clauses = rare.length;
  const n = candidates.length;
  // A candidate is marked −1 until it has a slot (then slot + 1); 0: not a candidate.
  // The same table as `rareShares`' (both leave it zeroed): one per thread, not two.
  const slotOf = scratch.ints('allWordsRareSlot', index.articleSlots);
  const anyRare = rare.some((terms) => terms.length > 0);
  if (anyRare) for (let i = 0; i < n; i++) slotOf[candidates[i]!] = -1;
  let slots = 0;
  let { best, total, title, mask } = pool;
  /** The slot of candidate `ord` (made on first use), its clause `j` bit set. */
  const slot = (ord: number, j: number): number => {
    let s = slotOf[ord]! - 1;
    if (s < 0) {
      s = slots++;
      slotOf[ord] = s + 1;
      best = grown(best, slots * clauses, (size) => new Float64Array(size));
      total = grown(total, slots * clauses, (size) => new Float64Array(size));
      title = grown(title, slots * clauses, (size) => new Float64Array(size));
      mask = grown(mask, slots, (size) => new Int32Array(size));
    }
    mask[s] = mask[s]! | (1 << j);
    return s;
  };
  const { paraArticle, paraNorms, titleArticle, titleNorms } = index;
  for (let j = 0; j < clauses; j++) {
    for (const t of rare[j]!) {
      const paragraphs = t.paragraphs;
      if (paragraphs) {
        const { docs, tfs, start, end } = decodeAllBlocks(paragraphs.postings);
        const idf = paragraphs.idf;
        let current = -1;
        let termBest = 0;
        for (let i = start; i < end; i++) {
          const doc = docs[i]!;
          const ord = paraArticle[doc]!;
          if (ord < 0 || slotOf[ord] === 0) continue;
          const norm = paraNorms.of(doc);
          const at = slot(ord, j) * clauses + j;
          if (ord !== current) {
            if (current >= 0) {
              const was = (slotOf[current]! - 1) * clauses + j;
              best[was] = best[was]! + termBest;
            }
            current = ord;
            termBest = 0;
          }
          const score = bm25(idf, tfs[i]!, norm);
          if (score > termBest) termBest = score;
          total[at] = total[at]! + score;
        }
        if (current >= 0) {
          const was = (slotOf[current]! - 1) * clauses + j;
          best[was] = best[was]! + termBest;
        }
      }
      const titles = t.titles;
      if (titles) {
        const { docs, tfs, start, end } = decodeAllBlocks(titles.postings);
        for (let i = start; i < end; i++) {
          const doc = docs[i]!;
          const ord = titleArticle[doc]!;
          if (ord < 0 || slotOf[ord] === 0) continue;
          const at = slot(ord, j) * clauses + j;
          title[at] = title[at]! + bm25(titles.idf, tfs[i]!, titleNorms.of(doc));
        }
      }
    }
  }
  pool.best = best;
  pool.total = total;
  pool.title = title;
  pool.mask = mask;
  const clear = () => {
    if (anyRare) for (let i = 0; i < n; i++) slotOf[candidates[i]!] = 0;
    best.fill(0, 0, slots * clauses);
    total.fill(0, 0, slots * clauses);
    title.fill(0, 0, slots * clauses);
    mask.fill(0, 0, slots);
  };
  return { slotOf, best, total, title, mask, clear };
}
