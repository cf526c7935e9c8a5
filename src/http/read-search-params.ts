import type { ErrorCode } from '../error-codes.js';
import { SearchError } from '../errors.js';
import {
  DEFAULT_SEARCH_PARAMS,
  FACET_NAMES,
  MAX_QUERY_LENGTH,
  MAX_TOTAL_HITS,
  type SearchParams,
} from '../query/search-params.js';
import { MAX_RECENCY_HALF_LIFE } from '../query/execute/recency.js';
import type {
  CsvParam,
  DateParam,
  EnumParam,
  IntegerParam,
  ListParam,
  ParamSpec,
  StringParam,
} from './param-reader.js';
import { INCLUDE_UNPUBLISHED } from './unpublished.js';
import { ParamReader } from './param-reader.js';
import type { QueryParams } from './parse-query-string.js';

const d = DEFAULT_SEARCH_PARAMS;

/** Longest value of a metadata or entity filter (`source`, `section`, `author`, `tag`, `person`, `org`, `place`), in UTF-16 units. */
export const MAX_FILTER_VALUE_LENGTH = 200;
/** Most values one metadata filter may be given. */
export const MAX_FILTER_VALUES = 50;

const filter = (name: string): ListParam => ({
  kind: 'list',
  name,
  code: 'invalid_search_filter',
  maxLength: MAX_FILTER_VALUE_LENGTH,
  maxValues: MAX_FILTER_VALUES,
});

const Q: StringParam = {
  kind: 'string',
  name: 'q',
  code: 'invalid_search_q',
  maxLength: MAX_QUERY_LENGTH,
  default: d.q,
};
const PAGE: IntegerParam = {
  kind: 'integer',
  name: 'page',
  code: 'invalid_search_page',
  min: 1,
  max: MAX_TOTAL_HITS,
  default: d.page,
};
const HITS_PER_PAGE: IntegerParam = {
  kind: 'integer',
  name: 'hitsPerPage',
  code: 'invalid_search_hits_per_page',
  min: 1,
  max: 100,
  default: d.hitsPerPage,
};
const GROUP_BY: EnumParam<SearchParams['groupBy']> = {
  kind: 'enum',
  name: 'groupBy',
  code: 'invalid_search_group_by',
  values: ['article', 'none'],
  default: d.groupBy,
};
const SNIPPETS_PER_ARTICLE: IntegerParam = {
  kind: 'integer',
  name: 'snippetsPerArticle',
  code: 'invalid_search_snippets_per_article',
  min: 1,
  max: 5,
  default: d.snippetsPerArticle,
};
const CROP_LENGTH: IntegerParam = {
  kind: 'integer',
  name: 'cropLength',
  code: 'invalid_search_crop_length',
  min: 10,
  max: 80,
  default: d.cropLength,
};
const MATCHING_STRATEGY: EnumParam<SearchParams['matchingStrategy']> = {
  kind: 'enum',
  name: 'matchingStrategy',
  code: 'invalid_search_matching_strategy',
  values: ['all', 'any'],
  default: d.matchingStrategy,
};
const PREFIX: EnumParam<SearchParams['prefix']> = {
  kind: 'enum',
  name: 'prefix',
  code: 'invalid_search_prefix',
  values: ['last', 'off'],
  default: d.prefix,
};
const TYPOS: EnumParam<SearchParams['typos']> = {
  kind: 'enum',
  name: 'typos',
  code: 'invalid_search_typos',
  values: ['auto', 'fallback', 'off'],
  default: d.typos,
};
const FEEDBACK: EnumParam<SearchParams['feedback']> = {
  kind: 'enum',
  name: 'feedback',
  code: 'invalid_search_feedback',
  values: ['auto', 'off'],
  default: d.feedback,
};
const FROM: DateParam = { kind: 'date', name: 'from', code: 'invalid_search_from', bound: 'start' };
const TO: DateParam = { kind: 'date', name: 'to', code: 'invalid_search_to', bound: 'end' };
const SOURCE = filter('source');
const SECTION = filter('section');
const AUTHOR = filter('author');
const TAG = filter('tag');
const PERSON = filter('person');
const ORG = filter('org');
const PLACE = filter('place');
const SORT: EnumParam<SearchParams['sort']> = {
  kind: 'enum',
  name: 'sort',
  code: 'invalid_search_sort',
  values: ['relevance', 'date:desc', 'date:asc'],
  default: d.sort,
};
const RECENCY_HALF_LIFE: IntegerParam = {
  kind: 'integer',
  name: 'recencyHalfLife',
  code: 'invalid_search_recency_half_life',
  min: 0,
  max: MAX_RECENCY_HALF_LIFE,
  default: d.recencyHalfLife,
};
const TOTALS: EnumParam<SearchParams['totals']> = {
  kind: 'enum',
  name: 'totals',
  code: 'invalid_search_totals',
  values: ['exact', 'atLeast'],
  default: d.totals,
};
const FACETS: CsvParam<SearchParams['facets'][number]> = {
  kind: 'csv',
  name: 'facets',
  code: 'invalid_search_facets',
  values: FACET_NAMES,
};

const DUPLICATES: EnumParam<SearchParams['duplicates']> = {
  kind: 'enum',
  name: 'duplicates',
  code: 'invalid_search_duplicates',
  values: ['show', 'group'],
  default: d.duplicates,
};
const PREFER: EnumParam<SearchParams['prefer']> = {
  kind: 'enum',
  name: 'prefer',
  code: 'invalid_search_prefer',
  values: ['best', 'original', 'latest'],
  default: d.prefer,
};

/** The specs of the `/search` parameters, by name: routes that take some of them (the export) read them from here. */
export const SEARCH_PARAM_SPECS = {
  Q,
  PAGE,
  HITS_PER_PAGE,
  GROUP_BY,
  SNIPPETS_PER_ARTICLE,
  CROP_LENGTH,
  MATCHING_STRATEGY,
  PREFIX,
  TYPOS,
  FEEDBACK,
  FROM,
  TO,
  SOURCE,
  SECTION,
  AUTHOR,
  TAG,
  PERSON,
  ORG,
  PLACE,
  SORT,
  FACETS,
  RECENCY_HALF_LIFE,
  TOTALS,
  DUPLICATES,
  PREFER,
} as const;

/**
 * Every query parameter `GET /search` reads, in the order they are checked; the OpenAPI document is
 * tested against this list. `includeUnpublished` (an editor's preview) is read by the handler.
 */
export const SEARCH_PARAMETERS: readonly ParamSpec[] = [...Object.values(SEARCH_PARAM_SPECS), INCLUDE_UNPUBLISHED];

/**
 * The validated `SearchParams` of a `GET /search` query string, defaults filled
 * in. Throws `SearchError` with an `invalid_search_*` code on the first bad
 * parameter (in {@link SEARCH_PARAMETERS} order), on `from` after `to`
 * (`invalid_search_to`) and on `page × hitsPerPage` above `MAX_TOTAL_HITS`
 * (`invalid_search_page`). Unknown keys are ignored.
 */
export function readSearchParams(query: QueryParams): SearchParams {
  const r = new ParamReader(query, SEARCH_PARAMETERS);
  const params: SearchParams = {
    q: r.string(Q),
    page: r.integer(PAGE),
    hitsPerPage: r.integer(HITS_PER_PAGE),
    groupBy: r.enumValue(GROUP_BY),
    snippetsPerArticle: r.integer(SNIPPETS_PER_ARTICLE),
    cropLength: r.integer(CROP_LENGTH),
    matchingStrategy: r.enumValue(MATCHING_STRATEGY),
    prefix: r.enumValue(PREFIX),
    typos: r.enumValue(TYPOS),
    feedback: r.enumValue(FEEDBACK),
    from: r.date(FROM),
    to: r.date(TO),
    source: r.list(SOURCE),
    section: r.list(SECTION),
    author: r.list(AUTHOR),
    tag: r.list(TAG),
    person: r.list(PERSON),
    org: r.list(ORG),
    place: r.list(PLACE),
    sort: r.enumValue(SORT),
    facets: r.csv(FACETS),
    recencyHalfLife: r.integer(RECENCY_HALF_LIFE),
    totals: r.enumValue(TOTALS),
    duplicates: r.enumValue(DUPLICATES),
    prefer: r.enumValue(PREFER),
    // `/search` always offers a correction beside hits (`correctedQuery`).
    offerCorrection: true,
  };
  checkDateRange(params.from, params.to, TO.code);
  if (params.page * params.hitsPerPage > MAX_TOTAL_HITS) {
    throw new SearchError(
      PAGE.code,
      `\`page\` × \`hitsPerPage\` must be at most ${MAX_TOTAL_HITS} (maxTotalHits), got ${params.page} × ${params.hitsPerPage} = ${params.page * params.hitsPerPage}.`,
    );
  }
  return params;
}

/** Throws `SearchError(code)` naming `to` when `to` is before `from` (both ms since the epoch, null for none). */
export function checkDateRange(from: number | null, to: number | null, code: ErrorCode): void {
  if (from !== null && to !== null && from > to) {
    throw new SearchError(
      code,
      `\`to\` must not be before \`from\`, got \`from\` = \`${new Date(from).toISOString()}\` and \`to\` = \`${new Date(to).toISOString()}\`.`,
    );
  }
}
