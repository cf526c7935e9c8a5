import { MAX_TOTAL_HITS } from '../../query/search-params.js';
import type { SearchResponse } from '../../query/search-archive.js';
import { algoliaHit, HIGHLIGHTABLE, type AlgoliaHit, type HighlightTags } from './algolia-hit.js';
import type { AlgoliaParams } from './read-algolia-params.js';
import type { AlgoliaIndexName, TranslatedSearch } from './to-search-params.js';

/** Min, max, mean and sum of a numeric facet's values over the hits. */
export interface FacetStats {
  min: number;
  max: number;
  avg: number;
  sum: number;
}

/** One result of `POST /1/indexes/*\/queries` (or the whole answer of `POST /1/indexes/{index}/query`). */
export interface AlgoliaResult {
  hits: AlgoliaHit[];
  nbHits: number;
  /** 0-based. */
  page: number;
  nbPages: number;
  hitsPerPage: number;
  facets?: Record<string, Record<string, number>>;
  facets_stats?: Record<string, FacetStats>;
  exhaustiveNbHits: boolean;
  exhaustiveFacetsCount: boolean;
  exhaustive: { nbHits: boolean; facetsCount: boolean; typo: boolean };
  query: string;
  /** The request's parameters, URL-encoded. */
  params: string;
  index: AlgoliaIndexName;
  processingTimeMS: number;
}

/** Default snippet length, in words, when `attributesToSnippet` names `text` without `:words`. */
export const DEFAULT_SNIPPET_WORDS = 30;

/** The attributes of `attributesToHighlight`/`attributesToSnippet` this service has, and the snippet length asked for. */
export function attributesOf(params: AlgoliaParams): { highlight: string[]; snippet: string[]; cropLength: number } {
  const names = (list: string[]) =>
    list.includes('*')
      ? [...HIGHLIGHTABLE]
      : HIGHLIGHTABLE.filter((a) => list.some((item) => item.split(':')[0] === a));
  let cropLength = DEFAULT_SNIPPET_WORDS;
  for (const item of params.attributesToSnippet ?? []) {
    const [name, words] = item.split(':');
    if ((name === 'text' || name === '*') && words !== undefined && /^[0-9]+$/.test(words))
      cropLength = Math.min(80, Math.max(10, Number(words)));
  }
  return {
    highlight: names(params.attributesToHighlight ?? [...HIGHLIGHTABLE]),
    snippet: names(params.attributesToSnippet ?? []),
    cropLength,
  };
}

/** `params` as Algolia echoes it: URL-encoded, arrays and objects as JSON. */
export function encodeParams(request: Record<string, unknown>): string {
  const params = request['params'];
  if (typeof params === 'string') return params;
  const out = new URLSearchParams();
  const source = params !== null && typeof params === 'object' ? (params as Record<string, unknown>) : {};
  for (const [key, value] of Object.entries(source))
    out.append(key, typeof value === 'string' ? value : JSON.stringify(value));
  return out.toString();
}

/** Stats of the `year` facet from its counts. */
function yearStats(counts: Record<string, number>): FacetStats | null {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let n = 0;
  for (const [year, count] of Object.entries(counts)) {
    const y = Number(year);
    min = Math.min(min, y);
    max = Math.max(max, y);
    sum += y * count;
    n += count;
  }
  return n === 0 ? null : { min, max, avg: Math.round((sum / n) * 100) / 100, sum };
}

/**
 * The Algolia result of a `/search` response (null when the filters matched nothing, so no search
 * ran): hits converted (none when only counts were asked), 0-based `page`, facets cut to
 * `maxValuesPerFacet`, `facets_stats` for `year`, and the totals.
 */
export function algoliaResult(
  index: AlgoliaIndexName,
  request: Record<string, unknown>,
  params: AlgoliaParams,
  translated: TranslatedSearch,
  response: SearchResponse | null,
  tags: HighlightTags,
): AlgoliaResult {
  const { highlight, snippet } = attributesOf(params);
  const nbHits = response?.totalHits ?? 0;
  const hitsPerPage = params.hitsPerPage;
  const hits =
    response === null || translated.countsOnly
      ? []
      : response.hits.map((hit) =>
          algoliaHit(hit, {
            tags,
            queryWords: response.parsedQuery.terms,
            highlight,
            snippet,
            byParagraph: index === 'paragraphs',
          }),
        );
  const exhaustive = response?.exhaustive ?? true;
  // A count bounded at the paging depth (`totalHitsRelation: gte`) is a lower bound: not exhaustive.
  const countedAll = exhaustive && (response?.totalHitsRelation ?? 'eq') === 'eq';
  const result: AlgoliaResult = {
    hits,
    nbHits,
    page: params.page,
    nbPages: hitsPerPage === 0 ? 0 : Math.ceil(Math.min(nbHits, MAX_TOTAL_HITS) / hitsPerPage),
    hitsPerPage,
    exhaustiveNbHits: countedAll,
    exhaustiveFacetsCount: exhaustive,
    exhaustive: { nbHits: countedAll, facetsCount: exhaustive, typo: true },
    query: params.query,
    params: encodeParams(request),
    index,
    processingTimeMS: Math.round(response?.processingTimeMs ?? 0),
  };
  if (translated.params.facets.length > 0) {
    const facets: Record<string, Record<string, number>> = {};
    for (const name of translated.params.facets) {
      const counts = response?.facetDistribution[name] ?? {};
      facets[name] = Object.fromEntries(Object.entries(counts).slice(0, params.maxValuesPerFacet));
    }
    result.facets = facets;
    const stats = facets['year'] ? yearStats(response?.facetDistribution.year ?? {}) : null;
    if (stats) result.facets_stats = { year: stats };
  }
  return result;
}
