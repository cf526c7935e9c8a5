/**
 * Whole articles of an any-word top-k (`any-word-top-k.ts`), read through forward cursors
 * (`article-cursors.ts`): an article's exact score, summed as the full evaluation sums it,
 * and its bound from its own postings.
 */
import type { ArchiveIndex } from '../../index/archive-index.js';
import { type ArticleScoreWeights, clausePart, recordArticle } from './article-score.js';
import { type ClauseTerm, prepare, spanScores } from './article-cursors.js';
import { withMargin } from './max-score.js';
import { type QueryMatches, scratch } from './query-matches.js';
import type { RareShares } from './rare-term-shares.js';
import { bm25 } from './term-scorer.js';

/** The constants of an article's score (`TITLE_BOOST`, `EXTRA_PARAGRAPHS_WEIGHT`, `PASSAGE_WEIGHT` of `score-weights.ts`). */
/** The any-word evaluation's article weights: the full evaluation's (`ArticleScoreWeights`). */
export type AnyWordWeights = ArticleScoreWeights;

/**
 * Scores article `ord` exactly as `executeQuery`'s term-at-a-time loops do, from every term of
 * `ordered` (the clauses in the order the full evaluation runs them, each its terms in the plan's
 * order; `bits[j]` the bit of `ordered[j]`): each paragraph's score summed clause by clause, each
 * clause's sum term by term; per clause held, `headline + best + EXTRA · ln(1 + total − best)`, the
 * total in paragraph order; then the passage bonus. Lists the article and its paragraphs in `matches`
 * (scores and masks) and returns the score. Articles in ascending order between two `rewind`s.
 */
export function scoreAnyWordArticle(
  index: ArchiveIndex,
  ordered: readonly (readonly ClauseTerm[])[],
  bits: readonly number[],
  ord: number,
  matches: QueryMatches,
  weights: AnyWordWeights,
): number {
  const norms = index.paraNorms;
  const articleOf = index.paraArticle;
  const first = index.articleFirstPara[ord]!;
  const end = index.articleFirstPara[ord + 1]!;
  const n = end - first;
  // The article's paragraph scores for the clause being scored (and which paragraphs hold it), zeroed after each.
  const local = scratch.floats('anyWordLocal', n);
  const held = scratch.bytes('anyWordHeld', n);
  let score = 0;
  let mask = 0;
  for (let j = 0; j < ordered.length; j++) {
    const clause = ordered[j]!;
    const bit = bits[j]!;
    let holds = false;
    for (const t of clause) {
      prepare(index, t, ord, first, end);
      const cursor = t.paragraphs;
      if (cursor) {
        const { docs, tfs } = cursor.postings;
        for (let i = cursor.from; i < cursor.to; i++) {
          const doc = docs[i]!;
          if (articleOf[doc]! < 0) continue;
          const norm = norms.of(doc);
          const r = doc - first;
          local[r] = local[r]! + bm25(cursor.idf, tfs[i]!, norm);
          held[r] = 1;
          t.matched = true;
          holds = true;
        }
      }
      if (t.inTitle) {
        t.matched = true;
        holds = true;
      }
    }
    if (!holds) continue;
    score = score + clausePart(index, matches, clause, ord, first, local, held, bit, weights);
    mask |= bit;
  }
  return recordArticle(matches, ord, first, end, score, mask, ordered.length, weights);
}

/**
 * The bound of a special article `ord` (its `slot` in `shares`) from its own postings of the
 * dense terms (`dense[j]`: clause `j`'s, cursors of their own, articles in ascending order) and the
 * shares of the other terms and the headlines: per clause, each term's best paragraph score and the
 * sum of all, as the all-words top-k bounds an article; raised by the margins.
 */
export function specialArticleBound(
  index: ArchiveIndex,
  dense: readonly (readonly ClauseTerm[])[],
  shares: RareShares,
  ord: number,
  weights: AnyWordWeights,
): number {
  const first = index.articleFirstPara[ord]!;
  const end = index.articleFirstPara[ord + 1]!;
  const clauses = dense.length;
  const at = (shares.slotOf[ord]! - 1) * clauses;
  let bound = 0;
  let bestSum = 0;
  for (let j = 0; j < clauses; j++) {
    let best = shares.best[at + j]!;
    let total = shares.total[at + j]!;
    for (const t of dense[j]!) {
      prepare(index, t, ord, first, end);
      const scores = spanScores(index, t.paragraphs!);
      best += scores.best;
      total += scores.total;
    }
    const top = Math.min(best, total);
    bound +=
      shares.title[at + j]! * weights.titleBoost + top + weights.extraParagraphs * Math.log1p(Math.max(0, total - top));
    bestSum += top;
  }
  return withMargin(bound + weights.passage * bestSum);
}
