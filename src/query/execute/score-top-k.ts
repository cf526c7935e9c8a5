import type { ArchiveIndex } from '../../index/archive-index.js';
import { scoreAllWordsTopK } from './all-words-top-k.js';
import { scoreAnyWordTopK } from './any-word-top-k.js';
import { canPruneAllWords, canPruneAnyWord, canPruneOneWord } from './can-prune.js';
import type { Deadline } from './deadline.js';
import { scoreOneWordTopK } from './one-word-top-k.js';
import type { QueryMatches } from './query-matches.js';
import type { CompiledWord, QueryPlan } from './query-plan.js';
import { EXTRA_PARAGRAPHS_WEIGHT, PASSAGE_WEIGHT, TITLE_BOOST } from './score-weights.js';

/**
 * The all-words top-k runs when the cheapest clause reads at least this many postings per article
 * of the top `k`: below, nearly every matching article would be scored exactly anyway, and the term-at-a-time
 * loops, in one pass, cost less (at 1×, measured 2026-12-07: the rare-word queries 8 % slower without it).
 */
const ALL_WORDS_POSTINGS_PER_K = 8;

/**
 * The one-word top-k runs when the word's postings number at least this many per article of the top `k`,
 * or one per {@link ONE_WORD_ARCHIVE_SHARE} paragraphs of the archive: below, its fixed costs (the shares,
 * the windows) are not repaid (measured 2026-12-07: from 8 per article, the words of 400–8,000 paragraphs
 * at 8× were up to 12 % slower at the median; from 100, the common words at 1× 17–21 % slower in the mean;
 * from 300, both level, and the common words at 8× 24–31 % faster).
 */
const ONE_WORD_POSTINGS_PER_K = 300;

/** A word in one paragraph of this many, or more, is common whatever the page's depth (see {@link ONE_WORD_POSTINGS_PER_K}). */
const ONE_WORD_ARCHIVE_SHARE = 32;

/**
 * The any-word top-k runs when the plan's commonest clause reads at least this many postings per
 * article of the top `k`, or one per {@link ONE_WORD_ARCHIVE_SHARE} paragraphs of the archive (as the
 * one-word top-k); below, the term-at-a-time MaxScore costs less.
 */
const ANY_WORD_POSTINGS_PER_K = 300;

/**
 * Scores `plan` by one of the top-k evaluations when one applies and is worth it, keeping
 * exact the best `topK` (> 0) articles: a one-word plan (see {@link canPruneOneWord}) by
 * block-max windows when `options.exactFirst` is given (the typed form's articles first;
 * null: by score alone), an all-words plan of plain words (see {@link canPruneAllWords})
 * article at a time. `options.countTo`: the one-word top-k counts the matching articles up to this
 * many (default all), see `scoreOneWordTopK`. `order` and `cost` are the clauses' order and costs (`clauseOrder`),
 * `required` the clause bits a match needs. Returns true when `matches` holds the result,
 * false (having done nothing) when the term-at-a-time evaluation must run.
 */
export function scoreTopK(
  index: ArchiveIndex,
  plan: QueryPlan,
  order: readonly number[],
  cost: readonly number[],
  required: number,
  articleFilter: Uint8Array | null,
  matches: QueryMatches,
  topK: number,
  options: { deadline?: Deadline; exactFirst?: string | null; countTo?: number },
): boolean {
  if (
    topK > 0 &&
    options.exactFirst !== undefined &&
    cost[0]! >= Math.min(ONE_WORD_POSTINGS_PER_K * topK, index.paraArticle.length / ONE_WORD_ARCHIVE_SHARE) &&
    canPruneOneWord(plan)
  ) {
    // Block-max bounds over windows of whole articles, the typed form's articles first (one-word-top-k.ts).
    const item = plan.clauses[0]![0] as CompiledWord;
    const weights = { titleBoost: TITLE_BOOST, extraParagraphs: EXTRA_PARAGRAPHS_WEIGHT };
    const { exactFirst, deadline, countTo } = options;
    if (scoreOneWordTopK(index, item.expansions, exactFirst, articleFilter, matches, topK, weights, deadline, countTo))
      return true;
  }
  if (
    topK > 0 &&
    Math.max(...cost) >= Math.min(ANY_WORD_POSTINGS_PER_K * topK, index.paraArticle.length / ONE_WORD_ARCHIVE_SHARE) &&
    canPruneAnyWord(plan, required)
  ) {
    // Block-max bounds over windows of whole articles, the rare words and headlines read once (any-word-top-k.ts).
    const clauses = plan.clauses.map((clause) =>
      clause.flatMap((item) => (item.type === 'word' ? item.expansions : [])),
    );
    const weights = { titleBoost: TITLE_BOOST, extraParagraphs: EXTRA_PARAGRAPHS_WEIGHT, passage: PASSAGE_WEIGHT };
    const { deadline, countTo } = options;
    if (scoreAnyWordTopK(index, clauses, order, articleFilter, matches, topK, weights, deadline, countTo)) return true;
  }
  if (topK > 0 && cost[order[0]!]! >= ALL_WORDS_POSTINGS_PER_K * topK && canPruneAllWords(plan, required)) {
    // Article at a time, scoring exactly only the articles that can reach the best `topK` (all-words-top-k.ts).
    const clauses = plan.clauses.map((clause) =>
      clause.flatMap((item) => (item.type === 'word' ? item.expansions : [])),
    );
    const weights = { titleBoost: TITLE_BOOST, extraParagraphs: EXTRA_PARAGRAPHS_WEIGHT, passage: PASSAGE_WEIGHT };
    scoreAllWordsTopK(index, clauses, order, articleFilter, matches, topK, weights, options.deadline);
    return true;
  }
  return false;
}
