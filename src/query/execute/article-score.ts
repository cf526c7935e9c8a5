import type { ArchiveIndex } from '../../index/archive-index.js';
import { type ClauseTerm, titleScore } from './article-cursors.js';
import { passageBonus } from './passage-bonus.js';
import type { QueryMatches } from './query-matches.js';

/** The weights an article's score is made with, as `executeQuery` makes it. */
export interface ArticleScoreWeights {
  titleBoost: number;
  extraParagraphs: number;
  passage: number;
}

/**
 * Clause `clause`'s part of article `ord`'s score (its paragraphs `first … first + n`), as the top-k
 * evaluations score one article at a time: the clause's score of paragraph `first + r` is `local[r]`, held
 * when `held[r]` is 1; each is added to the match table (its mask given `bit`) and zeroed in `local` and
 * `held`; the part is `headline + best + EXTRA · ln(1 + total − best)`, the total in paragraph order, the
 * sums in `executeQuery`'s order so the scores are the same numbers.
 */
export function clausePart(
  index: ArchiveIndex,
  matches: QueryMatches,
  clause: readonly ClauseTerm[],
  ord: number,
  first: number,
  local: Float64Array,
  held: Uint8Array,
  bit: number,
  weights: ArticleScoreWeights,
): number {
  const { paraScore, paraMask, paraTouched } = matches;
  const n = index.articleFirstPara[ord + 1]! - first;
  let best = 0;
  let total = 0;
  for (let r = 0; r < n; r++) {
    if (held[r] === 0) continue;
    const doc = first + r;
    const value = local[r]!;
    local[r] = 0;
    held[r] = 0;
    paraScore[doc] = paraScore[doc]! + value;
    if (paraMask[doc] === 0) paraTouched.push(doc);
    paraMask[doc] = paraMask[doc]! | bit;
    if (value > best) best = value;
    total = total + value;
  }
  const title = 0 + titleScore(index, clause, ord) * weights.titleBoost;
  return title + best + weights.extraParagraphs * Math.log1p(total - best);
}

/**
 * Lists article `ord` (paragraphs `first … end`) in `matches` with `score` (its clauses' parts summed) plus
 * the passage bonus of its paragraphs over `clauses` clauses, and `mask`; returns the score.
 */
export function recordArticle(
  matches: QueryMatches,
  ord: number,
  first: number,
  end: number,
  score: number,
  mask: number,
  clauses: number,
  weights: ArticleScoreWeights,
): number {
  const scale = weights.passage / (clauses - 1);
  const scored = score + passageBonus(matches.paraScore, matches.paraMask, matches.scoringBits, first, end, scale);
  matches.articleScore[ord] = scored;
  matches.articleMask[ord] = mask;
  matches.articleTouched.push(ord);
  return scored;
}
