import { performance } from 'node:perf_hooks';
import type { ArchiveIndex } from '../index/archive-index.js';
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
export { matchSearch, type MatchedSearch } from './match-search.js';
export { compareTimes, paragraphOrder, type Ranked } from './results/rank-matches.js';
import { planHighlighter } from './plan/compile-plan.js';
import type { Highlighter } from '../snippet/find-highlights.js';
import {
  createFastScorer,
  releaseMatches,
  type QueryMatches,
  type QueryPlan,
  type TermScorer,
} from './execute/execute-query.js';
import { Deadline } from './execute/deadline.js';
import { matchesMask } from './plan/match-tree.js';
import { MAX_TOTAL_HITS, type SearchParams } from './search-params.js';
import { EMPTY_SYNONYMS, type SynonymTable } from './plan/synonyms.js';
import { matchSearch } from './match-search.js';
import { fullMask } from './results/rank-matches.js';

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
  const { parsed, plan, matches, ranked, typoTolerance, correctedQuery, countBound } = matchSearch(
    index,
    params,
    params.page * params.hitsPerPage,
    scorer,
    deadline,
    synonyms,
    // Counted up to the paging depth: beyond it `totalPages` is the same (`totalHitsRelation` then says `gte`).
    { topK: true, countTo: MAX_TOTAL_HITS },
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

  // The one-word top-k counts the articles it left out without listing them (`unlistedArticles`). Counted up
  // to a bound, a count past it is reported as the bound itself (`gte`), as Elasticsearch's `track_total_hits`
  // does: whether the top-k or the full evaluation ran, and how far past the bound it counted, depend on how
  // the archive is cut into segments; so every node and every layout of the same archive answer alike.
  const counted = collapsed?.groups ?? ranked.ids.length + matches.unlistedArticles;
  const overBound = countBound !== undefined && counted > countBound;
  const totalHits = overBound ? countBound : counted;
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
    totalHitsRelation: matches.pruned || overBound ? 'gte' : 'eq',
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
