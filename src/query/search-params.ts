/**
 * Facets a search can count: metadata values (`source`, `section`, `author`, `tag`), the entities the
 * articles name (`person`, `org`, `place`) and two date histograms, `year` (`2024`) and `month`
 * (`2024-03`, every month with hits, in date order).
 */
export const FACET_NAMES = ['source', 'section', 'author', 'tag', 'person', 'org', 'place', 'year', 'month'] as const;
export type FacetName = (typeof FACET_NAMES)[number];

/** How deep a result list can be paged: `page × hitsPerPage` may not exceed it. */
export const MAX_TOTAL_HITS = 1000;
/** Longest query, in UTF-16 code units. */
export const MAX_QUERY_LENGTH = 512;

/** A validated search request (see the API contract for each field's meaning). */
export interface SearchParams {
  q: string;
  /** 1-based. */
  page: number;
  /** 1–100. */
  hitsPerPage: number;
  groupBy: 'article' | 'none';
  /** 1–5. */
  snippetsPerArticle: number;
  /** Snippet length in words, 10–80. */
  cropLength: number;
  matchingStrategy: 'all' | 'any';
  prefix: 'last' | 'off';
  typos: 'auto' | 'fallback' | 'off';
  /**
   * Pseudo-relevance feedback: `auto` scores a query of five words or more that weigh in the ranking (not the ones in half the
   * paragraphs or more, such as "the") a second time with the words
   * its best articles share (`matchingStrategy=any`, by relevance, grouped by article); `off` never.
   */
  feedback: 'auto' | 'off';
  /** Inclusive lower bound, ms since the epoch; null for none. */
  from: number | null;
  /** Inclusive upper bound, ms since the epoch; null for none. */
  to: number | null;
  source: string[];
  section: string[];
  author: string[];
  tag: string[];
  /** Entity filters: articles naming one of these people, organisations, places (case-insensitive, whole names). */
  person: string[];
  org: string[];
  place: string[];
  sort: 'relevance' | 'date:desc' | 'date:asc';
  facets: FacetName[];
  /**
   * Recency preference, in days (0–36,500; 0: none): relevance scores are multiplied by
   * `0.5^(age / recencyHalfLife)`, an undated article's by ¼ (see `recency.ts`).
   */
  recencyHalfLife: number;
  /**
   * `exact`: `totalHits` counts every matching article. `atLeast` (the default): a query ranked by
   * relevance may leave unscored the articles that cannot reach the page (top-k evaluation);
   * `totalHitsRelation` is then `gte`: an any-word query's `totalHits` is a lower bound, an all-words
   * query's stays exact but its `totalParagraphs` is a lower bound; a one-word query's is counted up to
   * `MAX_TOTAL_HITS` and is then at least that (`totalPages` exact). Facets count exactly either way.
   */
  totals: 'exact' | 'atLeast';
  /**
   * Near-duplicate articles (see `duplicate-groups.ts`): `show` lists every article (the API's default);
   * `group` gives one hit per group of duplicates, its other members under `duplicates` (groupBy=article only).
   */
  duplicates: 'show' | 'group';
  /** Which member stands for a group: `best` (the best-ranked; ties → the earliest), `original` (the earliest matching), `latest`. */
  prefer: 'best' | 'original' | 'latest';
  /**
   * Whether a query that found hits as typed still looks for a correction to offer as `correctedQuery`
   * (`did-you-mean.ts`; a fuzzy walk of the lexicon per rare word). Not a parameter of `/search`, which
   * always offers one; the Algolia-compatible routes, whose response has no field for it, turn it off.
   * The typo fallback (nothing found as typed) runs either way.
   */
  offerCorrection: boolean;
}

/** The defaults of every parameter, as the contract gives them. */
export const DEFAULT_SEARCH_PARAMS: Readonly<SearchParams> = Object.freeze({
  q: '',
  page: 1,
  hitsPerPage: 10,
  groupBy: 'article',
  snippetsPerArticle: 3,
  cropLength: 30,
  matchingStrategy: 'all',
  prefix: 'last',
  typos: 'fallback',
  feedback: 'auto',
  from: null,
  to: null,
  source: [],
  section: [],
  author: [],
  tag: [],
  person: [],
  org: [],
  place: [],
  sort: 'relevance',
  facets: [],
  recencyHalfLife: 0,
  totals: 'atLeast',
  duplicates: 'show',
  prefer: 'best',
  offerCorrection: true,
});

/** A search request with defaults filled in for what `partial` leaves out. */
export function withDefaults(partial: Partial<SearchParams>): SearchParams {
  return { ...DEFAULT_SEARCH_PARAMS, ...partial } as SearchParams;
}
