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
 * Per candidate article (its position `i` among the candidates) and clause `j`, at
 * `[i · clauses + j]`: the sum of the rare terms' best paragraph scores in the article, of all
 * their paragraph scores, and of their headline scores; `mask[i]` has bit `j` when a rare term
 * of clause `j` is in a live paragraph or the live headline. `clear()` zeroes them again.
 */
export interface CandidateShares {
  best: Float64Array;
  total: Float64Array;
  title: Float64Array;
  mask: Int32Array;
  clear: () => void;
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
  const best = scratch.floats('allWordsShareBest', n * clauses);
  const total = scratch.floats('allWordsShareTotal', n * clauses);
  const title = scratch.floats('allWordsShareTitle', n * clauses);
  const mask = scratch.ints('allWordsShareMask', n);
  const clear = () => {
    best.fill(0, 0, n * clauses);
    total.fill(0, 0, n * clauses);
    title.fill(0, 0, n * clauses);
    mask.fill(0, 0, n);
  };
  if (rare.every((terms) => terms.length === 0)) return { best, total, title, mask, clear };
  // A candidate's position + 1 by article (0: not a candidate), zeroed again below.
  const slotOf = scratch.ints('allWordsCandidateSlot', index.articleSlots);
  for (let i = 0; i < n; i++) slotOf[candidates[i]!] = i + 1;
  const { paraArticle, paraNorm, titleArticle, titleNorm } = index;
  for (let j = 0; j < clauses; j++) {
    const bit = 1 << j;
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
          const norm = paraNorm[doc]!;
          if (ord < 0 || !(norm >= 0)) continue;
          const slot = slotOf[ord]! - 1;
          if (slot < 0) continue;
          if (ord !== current) {
            if (current >= 0) {
              const at = (slotOf[current]! - 1) * clauses + j;
              best[at] = best[at]! + termBest;
            }
            current = ord;
            termBest = 0;
          }
          const at = slot * clauses + j;
          mask[slot] = mask[slot]! | bit;
          const score = bm25(idf, tfs[i]!, norm);
          if (score > termBest) termBest = score;
          total[at] = total[at]! + score;
        }
        if (current >= 0) {
          const at = (slotOf[current]! - 1) * clauses + j;
          best[at] = best[at]! + termBest;
        }
      }
      const titles = t.titles;
      if (titles) {
        const { docs, tfs, start, end } = decodeAllBlocks(titles.postings);
        for (let i = start; i < end; i++) {
          const doc = docs[i]!;
          const ord = titleArticle[doc]!;
          const slot = ord < 0 ? -1 : slotOf[ord]! - 1;
          if (slot < 0) continue;
          const at = slot * clauses + j;
          mask[slot] = mask[slot]! | bit;
          title[at] = title[at]! + bm25(titles.idf, tfs[i]!, titleNorm[doc]!);
        }
      }
    }
  }
  for (let i = 0; i < n; i++) slotOf[candidates[i]!] = 0;
  return { best, total, title, mask, clear };
}
