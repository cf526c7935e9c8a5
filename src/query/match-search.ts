import type { ArchiveIndex } from '../index/archive-index.js';
import { buildArticleFilter } from './execute/article-filter.js';
import { compilePlan, type CompiledPlan } from './plan/compile-plan.js';
import { applyMetaFilter } from './execute/meta-articles.js';
import {
  executeQuery,
  releaseMatches,
  type QueryMatches,
  type QueryPlan,
  type TermScorer,
} from './execute/execute-query.js';
import type { Deadline } from './execute/deadline.js';
import { parseQuery, type ParsedQuery } from './parse/parse-query.js';
import type { SearchParams } from './search-params.js';
import {
  articleSet,
  FEEDBACK_ARTICLES,
  feedbackPassages,
  feedbackPlan,
  keepsFeedback,
  wantsFeedback,
} from './execute/feedback.js';
import { ARTICLE_EVIDENCE_DEPTH, rescoreWithArticleEvidence } from './execute/article-evidence.js';
import { canPruneAnyWord, canPruneOneWord } from './execute/can-prune.js';
import { requiredClauses } from './execute/query-plan.js';
import { exactTerm, rankExactFirst, singleWord } from './execute/exactness.js';
import { correctQuery, offerCorrection, usedTypos } from './plan/did-you-mean.js';
import { applyRecency, recencyFactor } from './execute/recency.js';
import { EMPTY_SYNONYMS } from './plan/synonyms.js';
import { rankLists, rankMatches, type Ranked } from './results/rank-matches.js';

/** What a search matched, before hits are built: the plan that ran, its scores, and the ranked ids. */
export interface MatchedSearch {
  parsed: ParsedQuery;
  plan: CompiledPlan;
  /** Scores and masks; give back with `releaseMatches` once read. */
  matches: QueryMatches;
  /** Every matching article ordinal (or paragraph with groupBy=none), and the best `limit` in order. `ids` may be a view of a reused list: copy it before the next search. */
  ranked: Ranked;
  typoTolerance: boolean;
  correctedQuery: string | null;
  /** True when the query has no positive part (browse mode: every article passing the filters, newest first). */
  browse: boolean;
  /**
   * Set when the matching articles were counted only up to `options.countTo` (a one-word query evaluated
   * top-k): a count above it is then reported as this bound, whatever path counted it and however far.
   */
  countBound?: number;
}

/**
 * The matching half of a search: parses the query, applies the filters, scores
 * (with the typo fallback and the feedback pass as the parameters ask) and ranks
 * the best `limit` (at least the feedback's ten are needed for it to run). `synonyms`
 * (default none) adds each query word's synonyms beside it (`expand-synonyms.ts`).
 * `searchArchive` builds a page of hits from it; the export streams every id.
 * `options.topK`: the list of matching ids may be cut short where only the best
 * `limit` must be exact (see {@link mayCutShort}; `matches.pruned` says when it was);
 * `options.countTo` (with `topK`; default all): the matching articles may be counted only up to
 * this many where counting more would cost reading postings no hit needs (the counts are then
 * lower bounds, `matches.pruned`).
 */
export function matchSearch(
  index: ArchiveIndex,
  params: SearchParams,
  limit: number,
  scorer: TermScorer,
  deadline: Deadline,
  synonyms = EMPTY_SYNONYMS,
  options: { topK?: boolean; countTo?: number } = {},
): MatchedSearch {
  // Whole-article evidence rescores the best ARTICLE_EVIDENCE_DEPTH articles: rank at least that many.
  const evidence = params.groupBy === 'article' && params.sort === 'relevance';
  const depth = evidence ? Math.max(limit, ARTICLE_EVIDENCE_DEPTH) : limit;
  const requireAll = params.matchingStrategy === 'all';
  const parsed = parseQuery(params.q, {
    prefixLast: params.prefix === 'last',
    defaultOperator: requireAll ? 'and' : 'or',
  });
  let filter = buildArticleFilter(index, params);
  if (parsed.metaFilters.length > 0) {
    // `author:rios` and `-source:cnn` of the whole query: filters, as the `author` and `source` parameters are.
    if (filter === null)
      filter = Uint8Array.from({ length: index.articleSlots }, (_, ord) => (index.isLive(ord) ? 1 : 0));
    for (const { items, negated } of parsed.metaFilters) applyMetaFilter(index, items, negated, filter);
  }
  const prefix = params.prefix === 'last';

  // A recency preference scales every score by its article's age, before ranking (`recency.ts`).
  const recency = recencyFactor(params.recencyHalfLife, Date.now());
  let countBound: number | undefined;
  const execute = (run: QueryPlan, articles: Uint8Array | null): QueryMatches => {
    const topK = options.topK && recency === null && mayCutShort(index, params, run) ? depth : 0;
    // The ranking the one-word top-k must keep: the typed form's articles first (exactness, applied below).
    const exactFirst = evidence ? exactTerm(run) : null;
    // The top-k evaluations that count the articles they leave out: one word, and any word of plain words.
    const counting = canPruneOneWord(run) || canPruneAnyWord(run, requiredClauses(run, requireAll));
    const countTo = topK > 0 && counting ? options.countTo : undefined;
    countBound = countTo;
    const found = executeQuery(index, run, scorer, articles, { requireAll, deadline, topK, exactFirst, countTo });
    if (recency) applyRecency(index, found, recency);
    return found;
  };
  let plan = compilePlan(index, parsed, { typos: params.typos === 'auto', prefix, synonyms });
  let matches = execute(plan, filter);
  let ranked = rankMatches(index, params, matches, depth, filter, rankLists.main, plan.match ?? null);
  let typoTolerance = params.typos === 'auto' && usedTypos(plan, matches);
  let correctedQuery: string | null = null;
  if (ranked.ids.length === 0 && params.typos === 'fallback' && parsed.clauses.length > 0) {
    const typoPlan = compilePlan(index, parsed, { typos: true, prefix, synonyms });
    if (typoPlan.clauses.some((c) => c.some((i) => i.type === 'word' && i.expansions.some((e) => e.kind === 'typo')))) {
      const typoMatches = execute(typoPlan, filter);
      const typoRanked = rankMatches(index, params, typoMatches, depth, filter, rankLists.typo, typoPlan.match ?? null);
      if (typoRanked.ids.length === 0) releaseMatches(typoMatches);
      else {
        releaseMatches(matches);
        plan = typoPlan;
        matches = typoMatches;
        ranked = typoRanked;
        typoTolerance = true;
        correctedQuery = plan.match ? null : correctQuery(parsed, typoPlan, typoMatches);
      }
    }
  }

  // Found something as typed: a correction is still offered when it would find far more (`did-you-mean.ts`).
  if (correctedQuery === null && params.typos === 'fallback' && params.offerCorrection && ranked.ids.length > 0)
    correctedQuery = offerCorrection(index, parsed, plan);

  let rescored = false;
  // The ranking so far, its best articles rescored with their whole-article evidence (`article-evidence.ts`).
  const withArticleEvidence = (): Ranked => ({
    ids: ranked.ids,
    top: rescoreWithArticleEvidence(
      index,
      plan,
      scorer,
      ranked.top,
      matches.articleScore,
      matches.scoringBits,
      recency,
    ),
  });
  // A long query ranked by relevance: scored again with the words its best articles share (RM3; `feedback.ts`).
  if (
    params.feedback === 'auto' &&
    !requireAll &&
    params.groupBy === 'article' &&
    params.sort === 'relevance' &&
    ranked.top.length > 0 &&
    !plan.match &&
    wantsFeedback(plan, index)
  ) {
    // The feedback articles are the best by their whole-article evidence too.
    ranked = withArticleEvidence();
    const ords = ranked.top.slice(0, FEEDBACK_ARTICLES);
    const feedback = feedbackPlan(
      index,
      plan,
      feedbackPassages(index, matches.paraScore, ords),
      ords.map((ord) => matches.articleScore[ord]!),
    );
    // Without a feedback plan the query's ranking stands, already rescored.
    rescored = true;
    if (feedback) {
      const matched = articleSet(index.articleSlots, ranked.ids);
      const first = matches;
      const firstTop = ranked.top;
      const second = execute(feedback, matched);
      const secondRanked = rankMatches(index, params, second, depth, matched, rankLists.main, null);
      // Kept only when its best articles are as much about one subject as the query's own (`keepsFeedback`);
      // else the query's ranking stands, already rescored with its whole-article evidence.
      const keep = keepsFeedback(
        index,
        { paraScore: first.paraScore, top: firstTop },
        { paraScore: second.paraScore, top: secondRanked.top },
      );
      releaseMatches(keep ? first : second);
      matches = keep ? second : first;
      ranked = { ids: secondRanked.ids, top: keep ? secondRanked.top : firstTop };
      rescored = !keep;
    }
  }
  // One word: no whole-article evidence (the query names a word, not a subject an article covers as a whole);
  // exactness orders the articles, each group by its best passage (where the word is said).
  if (evidence && !rescored && parsed.clauses.length > 0 && singleWord(plan) === null) {
    ranked = withArticleEvidence();
  }
  const exact = evidence ? exactTerm(plan) : null;
  if (exact !== null) {
    ranked = { ids: ranked.ids, top: rankExactFirst(index, exact, filter, ranked.ids, matches.articleScore, depth) };
  }
  if (ranked.top.length > limit) ranked = { ids: ranked.ids, top: ranked.top.slice(0, limit) };
  return {
    parsed,
    plan,
    matches,
    ranked,
    typoTolerance,
    correctedQuery,
    browse: parsed.clauses.length === 0,
    ...(countBound !== undefined ? { countBound } : {}),
  };
}

/**
 * Whether a search may leave out of its matching list the articles that cannot
 * reach its best ones (top-k evaluation): ranked by relevance, grouped by article
 * (near-duplicates not grouped), with no facets to count, exact totals not asked for, no typo
 * corrections (whether one matched is reported) and no feedback pass (it reads
 * every matching article).
 */
function mayCutShort(index: ArchiveIndex, params: SearchParams, plan: QueryPlan): boolean {
  if (params.groupBy !== 'article' || params.sort !== 'relevance') return false;
  // Near-duplicates grouped need every matching article's score (a group ranks by its best member).
  if (params.facets.length > 0 || params.totals === 'exact' || params.duplicates === 'group') return false;
  if (params.matchingStrategy === 'any' && params.feedback === 'auto' && wantsFeedback(plan, index)) return false;
  return !plan.clauses.some((c) => c.some((i) => i.type === 'word' && i.expansions.some((e) => e.kind === 'typo')));
}
