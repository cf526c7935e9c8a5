import type { ArchiveIndex } from '../../src/index/archive-index.js';
import { createFastScorer, releaseMatches } from '../../src/query/execute/execute-query.js';
import { Deadline } from '../../src/query/execute/deadline.js';
import { matchSearch, type SearchResponse } from '../../src/query/search-archive.js';
import type { SearchParams } from '../../src/query/search-params.js';

/**
 * The best `limit` articles of a search and their scores (`[ordinal, score]`), evaluated
 * top-k or in full, whether the evaluation left articles out, and the count of matching articles.
 */
export function topKRanking(index: ArchiveIndex, params: SearchParams, limit: number, topK: boolean) {
  const found = matchSearch(index, params, limit, createFastScorer(index), Deadline.none(), undefined, { topK });
  const top = found.ranked.top.map((ord) => [ord, found.matches.articleScore[ord]!]);
  const pruned = found.matches.pruned;
  const total = found.ranked.ids.length + found.matches.unlistedArticles;
  releaseMatches(found.matches);
  return { top, pruned, total };
}

/** What a page shows, reduced to what must not depend on how it was evaluated: ids, scores, titles, snippets. */
export function pageOf(response: SearchResponse) {
  return response.hits.map((h) => [
    h.articleId,
    h.score,
    h.title,
    h.snippets.map((s) => [s.paragraphIndex, s.score, s.html]),
  ]);
}
