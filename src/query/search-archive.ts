import { performance } from 'node:perf_hooks';
import type { ArchiveIndex } from '../index/archive-index.js';
import { buildArticleFilter } from './execute/article-filter.js';
import { IdList } from '../index/id-list.js';
import { articleHit, facets, paragraphHit, type SearchResponse } from './results/build-hits.js';
import { duplicateView } from '../index/duplicate-groups.js';
import { collapseDuplicates, hitDuplicates } from './results/collapse-duplicates.js';

export { compilePlan, MAX_TYPO_WORDS } from './plan/compile-plan.js';
export {
  articleMeta,
  type ArticleHit,
  type ArticleMeta,
  type SearchResponse,
  type SnippetHit,
} from './results/build-hits.js';
import { compilePlan, planHighlighter, type CompiledPlan } from './plan/compile-plan.js';
import type { Highlighter } from '../snippet/find-highlights.js';
import { applyMetaFilter } from './execute/meta-articles.js';
import {
  createFastScorer,
  executeQuery,
  releaseMatches,
  type QueryMatches,
  type QueryPlan,
  type TermScorer,
} from './execute/execute-query.js';
import { Deadline } from './execute/deadline.js';
import { parseQuery, type ParsedQuery } from './parse/parse-query.js';
import { matchesMask, type MatchNode } from './plan/match-tree.js';
import { MAX_TOTAL_HITS, type SearchParams } from './search-params.js';
import { TopScores, topK } from '../index/top-k.js';
import {
  articleSet,
  FEEDBACK_ARTICLES,
  feedbackPassages,
  feedbackPlan,
  keepsFeedback,
  wantsFeedback,
} from './execute/feedback.js';
import { ARTICLE_EVIDENCE_DEPTH, rescoreWithArticleEvidence } from './execute/article-evidence.js';
import { exactTerm, rankExactFirst, singleWord } from './execute/exactness.js';
import { correctQuery, offerCorrection, usedTypos } from './plan/did-you-mean.js';
import { applyRecency, recencyFactor } from './execute/recency.js';
import { EMPTY_SYNONYMS, type SynonymTable } from './plan/synonyms.js';

export interface Ranked {
  /** Every matching article ordinal or paragraph short id, in no particular order (may be a view of a reused list). */
  ids: ArrayLike<number>;
  /** The best `limit` of them, best first. */
  top: number[];
}

function fullMask(clauseCount: number): number {
  return clauseCount >= 32 ? 0xffffffff : (1 << clauseCount) - 1;
}

/** Orders two publication times for a date sort; undated (NaN) last. 0 when equal. */
export function compareTimes(ta: number, tb: number, sort: 'date:desc' | 'date:asc'): number {
  const na = Number.isNaN(ta);
  const nb = Number.isNaN(tb);
  if (na || nb) return na === nb ? 0 : na ? 1 : -1;
  return sort === 'date:desc' ? tb - ta : ta - tb;
}

/**
 * The best `limit` of `ids`, best first: by date when the sort asks for it,
 * then by score (higher first), then by `tieKey` (lower first: article id order,
 * then paragraph order).
 */
function selectTop(
  ids: ArrayLike<number>,
  limit: number,
  sort: SearchParams['sort'],
  time: (id: number) => number,
  score: (id: number) => number,
  tieKey: (id: number) => number,
): number[] {
  const n = ids.length;
  if (sort === 'relevance') {
    const top = new TopScores(Math.min(limit, n));
    for (let i = 0; i < n; i++) top.offer(ids[i]!, score(ids[i]!), tieKey(ids[i]!));
    return top.best();
  }
  const scores = new Float64Array(n);
  const ties = new Float64Array(n);
  const times = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const id = ids[i]!;
    scores[i] = score(id);
    ties[i] = tieKey(id);
    times[i] = time(id);
  }
  const better = (a: number, b: number): boolean => {
    const d = compareTimes(times[a]!, times[b]!, sort);
    if (d !== 0) return d < 0;
    if (scores[a] !== scores[b]) return scores[a]! > scores[b]!;
    return ties[a]! < ties[b]!;
  };
  return topK(n, Math.min(limit, n), better).map((i) => ids[i]!);
}

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
}

/**
 * The matching half of a search: parses the query, applies the filters, scores
 * (with the typo fallback and the feedback pass as the parameters ask) and ranks
 * the best `limit` (at least the feedback's ten are needed for it to run). `synonyms`
 * (default none) adds each query word's synonyms beside it (`expand-synonyms.ts`).
 * `searchArchive` builds a page of hits from it; the export streams every id.
 * `options.topK`: the list of matching ids may be cut short where only the best
 * `limit` must be exact (see {@link mayCutShort}; `matches.pruned` says when it was).
 */
export function matchSearch(
  index: ArchiveIndex,
  params: SearchParams,
  limit: number,
  scorer: TermScorer,
  deadline: Deadline,
  synonyms = EMPTY_SYNONYMS,
  options: { topK?: boolean } = {},
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
  const execute = (run: QueryPlan, articles: Uint8Array | null): QueryMatches => {
    const topK = options.topK && recency === null && mayCutShort(index, params, run) ? depth : 0;
    // The ranking the one-word top-k must keep: the typed form's articles first (exactness, applied below).
    const exactFirst = evidence ? exactTerm(run) : null;
    const found = executeQuery(index, run, scorer, articles, { requireAll, deadline, topK, exactFirst });
    if (recency) applyRecency(index, found, recency);
    return found;
  };
  let plan = compilePlan(index, parsed, { typos: params.typos === 'auto', prefix, synonyms });
  let matches = execute(plan, filter);
  let ranked = rank(index, params, matches, depth, filter, rankLists.main, plan.match ?? null);
  let typoTolerance = params.typos === 'auto' && usedTypos(plan, matches);
  let correctedQuery: string | null = null;
  if (ranked.ids.length === 0 && params.typos === 'fallback' && parsed.clauses.length > 0) {
    const typoPlan = compilePlan(index, parsed, { typos: true, prefix, synonyms });
    if (typoPlan.clauses.some((c) => c.some((i) => i.type === 'word' && i.expansions.some((e) => e.kind === 'typo')))) {
      const typoMatches = execute(typoPlan, filter);
      const typoRanked = rank(index, params, typoMatches, depth, filter, rankLists.typo, typoPlan.match ?? null);
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
    ranked = {
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
    };
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
      const secondRanked = rank(index, params, second, depth, matched, rankLists.main, null);
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
    ranked = {
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
    };
  }
  const exact = evidence ? exactTerm(plan) : null;
  if (exact !== null) {
    const scores = matches.articleScore;
    ranked = {
      ids: ranked.ids,
      top: rankExactFirst(index, exact, filter, ranked.ids, (ord) => scores[ord]!, depth),
    };
  }
  if (ranked.top.length > limit) ranked = { ids: ranked.ids, top: ranked.top.slice(0, limit) };
  return { parsed, plan, matches, ranked, typoTolerance, correctedQuery, browse: parsed.clauses.length === 0 };
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

/** The highlighter of a plan's matched terms. */
export function highlighterFor(plan: QueryPlan, matches: QueryMatches): Highlighter {
  return planHighlighter(plan, matches.matchedTerms);
}

/**
 * Runs a search: parses the query, scores paragraphs and headlines, groups by
 * article (or not), pages, and builds highlighted snippets and facets. Pure apart
 * from the clock; `scorer` defaults to the fast path over the segments' decoded postings.
 * `deadline` bounds the time spent (see {@link Deadline}); default none. `synonyms`: the
 * synonym set applied to the query (default none); those used are listed in `parsedQuery.synonyms`.
 */
export function searchArchive(
  index: ArchiveIndex,
  params: SearchParams,
  scorer: TermScorer = createFastScorer(index),
  deadline: Deadline = Deadline.none(),
  synonyms: SynonymTable = EMPTY_SYNONYMS,
): SearchResponse {
  const started = performance.now();
  const { parsed, plan, matches, ranked, typoTolerance, correctedQuery } = matchSearch(
    index,
    params,
    params.page * params.hitsPerPage,
    scorer,
    deadline,
    synonyms,
    { topK: true },
  );
  const requireAll = params.matchingStrategy === 'all';
  const highlighter = highlighterFor(plan, matches);
  const start = (params.page - 1) * params.hitsPerPage;
  const browse = parsed.clauses.length === 0;
  // duplicates=group: one hit per group of near-duplicates, ranked where its best member is (`collapse-duplicates.ts`).
  const view = params.duplicates === 'group' && params.groupBy === 'article' ? duplicateView(index) : null;
  const collapsed =
    view &&
    collapseDuplicates(
      index,
      view,
      ranked.ids,
      params.page * params.hitsPerPage,
      params,
      (ord) => (browse ? 0 : matches.articleScore[ord]!),
      browse,
    );
  const pageIds = (collapsed?.top ?? ranked.top).slice(start, start + params.hitsPerPage);
  const hits =
    params.groupBy === 'article'
      ? // Past the time budget, each further hit gets its best snippet only.
        pageIds.map((ord) => {
          const hit = articleHit(
            index,
            deadline.expired() ? { ...params, snippetsPerArticle: 1 } : params,
            matches,
            highlighter,
            ord,
            browse,
          );
          return view ? { ...hit, duplicates: hitDuplicates(index, view, ord) } : hit;
        })
      : pageIds.map((doc) => paragraphHit(index, params, matches, highlighter, doc, browse));

  // The one-word top-k counts the articles it left out without listing them (`unlistedArticles`).
  const totalHits = collapsed?.groups ?? ranked.ids.length + matches.unlistedArticles;
  let totalParagraphs = 0;
  if (params.groupBy === 'none') totalParagraphs = totalHits;
  else if (browse)
    for (let i = 0; i < ranked.ids.length; i++)
      totalParagraphs += index.articleFirstPara[ranked.ids[i]! + 1]! - index.articleFirstPara[ranked.ids[i]!]!;
  else if (plan.excluded.length === 0 && !plan.match && (!requireAll || matches.clauseCount === 1)) {
    // Nothing excluded, and every article with a matching paragraph is a hit (some maybe counted, not listed).
    totalParagraphs = matches.paraTouched.length + matches.unlistedParagraphs;
  } else {
    // Paragraphs that match some clause, in articles that are hits.
    const full = fullMask(matches.clauseCount) >>> 0;
    for (let i = 0; i < matches.paraTouched.length; i++) {
      const doc = matches.paraTouched.ids[i]!;
      const ord = index.paraArticle[doc]!;
      if (
        matches.paraExcluded[doc] ||
        matches.articleExcluded[ord] ||
        (matches.paraMask[doc]! & matches.scoringBits) === 0
      )
        continue;
      if (
        plan.match
          ? !matchesMask(plan.match, matches.articleMask[ord]!)
          : requireAll && matches.articleMask[ord]! >>> 0 !== full
      )
        continue;
      totalParagraphs++;
    }
  }

  const response: SearchResponse = {
    query: params.q,
    parsedQuery: {
      terms: parsed.terms,
      phrases: parsed.phrases,
      excluded: parsed.excluded,
      ignored: parsed.ignored,
      ...(parsed.extended ? { tree: parsed.tree } : {}),
      ...(plan.synonyms.length > 0 ? { synonyms: plan.synonyms } : {}),
    },
    hits,
    page: params.page,
    hitsPerPage: params.hitsPerPage,
    totalHits,
    totalHitsRelation: matches.pruned ? 'gte' : 'eq',
    totalPages: Math.ceil(Math.min(totalHits, MAX_TOTAL_HITS) / params.hitsPerPage),
    totalParagraphs,
    maxTotalHits: MAX_TOTAL_HITS,
    typoTolerance,
    correctedQuery,
    exhaustive: !matches.phraseLimitReached && !plan.expansionsCut,
    facetDistribution: facets(index, params, ranked.ids, deadline),
    processingTimeMs: 0,
    // Grouped, `totalHits` counts groups; `totalArticles` the matching articles, which facets count.
    ...(collapsed ? { totalArticles: ranked.ids.length } : {}),
  };
  if (deadline.reached) response.exhaustive = false;
  releaseMatches(matches);
  response.processingTimeMs = Math.round((performance.now() - started) * 100) / 100;
  return response;
}

/**
 * Lists reused by `rank` for the matching ids (a common word matches tens of
 * thousands: a fresh array per query would be garbage to collect). Two, since
 * the typo fallback ranks a second time while the first ranking is still read.
 */
const rankLists = { main: new IdList(), typo: new IdList() };

/** The documents (or articles) of `touched` that `accepts` and are not excluded, in `out` (a view of it is returned). */
function satisfying(touched: IdList, excluded: Uint8Array, accepts: (id: number) => boolean, out: IdList): Int32Array {
  out.clear();
  for (let i = 0; i < touched.length; i++) {
    const id = touched.ids[i]!;
    if (!excluded[id] && accepts(id)) out.push(id);
  }
  return out.ids.subarray(0, out.length);
}

/** Whether a clause mask is a match: by the query tree, or by the matching strategy (all clauses, or any). */
function maskTest(match: MatchNode | null, clauseCount: number, all: boolean): (mask: number) => boolean {
  const full = fullMask(clauseCount) >>> 0;
  if (match) return (mask) => matchesMask(match, mask);
  return all ? (mask) => mask >>> 0 === full : (mask) => mask !== 0;
}

/**
 * Ranks articles (groupBy=article) or paragraphs (groupBy=none) that match; keeps the best `limit` in order.
 * The score is the BM25 sum as it is: not multiplied by the number of query words matched, as MiniSearch's
 * `search()` does, which made a long query rank documents by how many of its words (common ones too) they
 * hold (nDCG@10 +2 to +5 % without it: `bench/results/RELEVANCE.md`).
 */
function rank(
  index: ArchiveIndex,
  params: SearchParams,
  matches: QueryMatches,
  limit: number,
  filter: Uint8Array | null,
  list: IdList,
  match: MatchNode | null,
): Ranked {
  const all = params.matchingStrategy === 'all';
  if (matches.clauseCount === 0) return browseRank(index, params, matches, limit, filter);
  const articleTime = (ord: number) => index.articleTime[ord]!;
  const test = maskTest(match, matches.clauseCount, all);
  if (params.groupBy === 'article' && params.sort === 'relevance' && match) {
    const top = new TopScores(limit);
    const ids = satisfying(
      matches.articleTouched,
      matches.articleExcluded,
      (ord) => test(matches.articleMask[ord]!),
      list,
    );
    for (const ord of ids) top.offer(ord, matches.articleScore[ord]!, ord);
    return { ids, top: top.best() };
  }
  if (params.groupBy === 'article' && params.sort === 'relevance') {
    // The default: one pass over the touched articles, keeping the matches and the best ones.
    const full = fullMask(matches.clauseCount) >>> 0;
    const { articleTouched, articleMask, articleScore, articleExcluded } = matches;
    const top = new TopScores(limit);
    list.clear();
    for (let i = 0; i < articleTouched.length; i++) {
      const ord = articleTouched.ids[i]!;
      const mask = articleMask[ord]!;
      if (articleExcluded[ord] || (all ? mask >>> 0 !== full : mask === 0)) continue;
      list.push(ord);
      top.offer(ord, articleScore[ord]!, ord);
    }
    return { ids: list.ids.subarray(0, list.length), top: top.best() };
  }
  if (params.groupBy === 'article') {
    const ids = satisfying(
      matches.articleTouched,
      matches.articleExcluded,
      (ord) => test(matches.articleMask[ord]!),
      list,
    );
    const score = (ord: number) => matches.articleScore[ord]!;
    return { ids, top: selectTop(ids, limit, params.sort, articleTime, score, (ord) => ord) };
  }
  // A headline or metadata clause matches every paragraph of its article; a NOT-only clause alone is no match.
  const { paraMask, articleMask, articleBits, scoringBits } = matches;
  const ids = satisfying(
    matches.paraTouched,
    matches.paraExcluded,
    (doc) =>
      (paraMask[doc]! & scoringBits) !== 0 &&
      test(paraMask[doc]! | (articleMask[index.paraArticle[doc]!]! & articleBits)),
    list,
  );
  const score = (doc: number) => matches.paraScore[doc]!;
  const time = (doc: number) => articleTime(index.paraArticle[doc]!);
  return { ids, top: selectTop(ids, limit, params.sort, time, score, (doc) => paragraphOrder(index, doc)) };
}

/** A number that orders paragraphs by article id, then by position in the article. */
export function paragraphOrder(index: ArchiveIndex, doc: number): number {
  return index.paraArticle[doc]! * 1_048_576 + index.paraIndex[doc]!;
}

/** Browse mode (no positive clause): every article (or paragraph) passing filters and exclusions, newest first by default. */
function browseRank(
  index: ArchiveIndex,
  params: SearchParams,
  matches: QueryMatches,
  limit: number,
  filter: Uint8Array | null,
): Ranked {
  const ords: number[] = [];
  for (let ord = 0; ord < index.articleSlots; ord++) {
    if (!index.isLive(ord) || (filter && !filter[ord])) continue;
    if (matches.articleExcluded[ord]) continue;
    ords.push(ord);
  }
  const sort = params.sort === 'relevance' ? 'date:desc' : params.sort;
  const none = () => 0;
  if (params.groupBy === 'article') {
    return {
      ids: ords,
      top: selectTop(
        ords,
        limit,
        sort,
        (ord) => index.articleTime[ord]!,
        none,
        (ord) => ord,
      ),
    };
  }
  const ids: number[] = [];
  for (const ord of ords) {
    for (let doc = index.articleFirstPara[ord]!; doc < index.articleFirstPara[ord + 1]!; doc++)
      if (!matches.paraExcluded[doc]) ids.push(doc);
  }
  const time = (doc: number) => index.articleTime[index.paraArticle[doc]!]!;
  return { ids, top: selectTop(ids, limit, sort, time, none, (doc) => paragraphOrder(index, doc)) };
}
