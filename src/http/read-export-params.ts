import type { ExportFormat } from '../export/format-export.js';
import { DEFAULT_SEARCH_PARAMS, type SearchParams } from '../query/search-params.js';
import { ParamReader, type EnumParam, type ParamSpec } from './param-reader.js';
import type { QueryParams } from './parse-query-string.js';
import { checkDateRange, SEARCH_PARAM_SPECS as S } from './read-search-params.js';

/** Validated `GET /search/export` parameters: the search to run (its paging fields unused) and the format. */
export interface ExportParams {
  search: SearchParams;
  format: ExportFormat;
}

const FORMAT: EnumParam<ExportFormat> = {
  kind: 'enum',
  name: 'format',
  code: 'invalid_export_format',
  values: ['csv', 'ndjson'],
  default: 'csv',
};

/**
 * Every query parameter `GET /search/export` reads: `/search`'s query, matching options,
 * filters, `sort`, `recencyHalfLife`, `groupBy` and `cropLength` (with their error codes), and `format`;
 * not `page`, `hitsPerPage`, `snippetsPerArticle` or `facets`. The OpenAPI document is tested against this list.
 */
export const EXPORT_PARAMETERS: readonly ParamSpec[] = [
  S.Q,
  S.GROUP_BY,
  S.CROP_LENGTH,
  S.MATCHING_STRATEGY,
  S.PREFIX,
  S.TYPOS,
  S.FEEDBACK,
  S.FROM,
  S.TO,
  S.SOURCE,
  S.SECTION,
  S.AUTHOR,
  S.TAG,
  S.PERSON,
  S.ORG,
  S.PLACE,
  S.SORT,
  S.RECENCY_HALF_LIFE,
  FORMAT,
];

/** The validated parameters of a `GET /search/export` query string; throws `SearchError` naming the first bad one, as `/search` does. */
export function readExportParams(query: QueryParams): ExportParams {
  const r = new ParamReader(query, EXPORT_PARAMETERS);
  const search: SearchParams = {
    ...DEFAULT_SEARCH_PARAMS,
    q: r.string(S.Q),
    groupBy: r.enumValue(S.GROUP_BY),
    cropLength: r.integer(S.CROP_LENGTH),
    matchingStrategy: r.enumValue(S.MATCHING_STRATEGY),
    prefix: r.enumValue(S.PREFIX),
    typos: r.enumValue(S.TYPOS),
    feedback: r.enumValue(S.FEEDBACK),
    from: r.date(S.FROM),
    to: r.date(S.TO),
    source: r.list(S.SOURCE),
    section: r.list(S.SECTION),
    author: r.list(S.AUTHOR),
    tag: r.list(S.TAG),
    person: r.list(S.PERSON),
    org: r.list(S.ORG),
    place: r.list(S.PLACE),
    sort: r.enumValue(S.SORT),
    recencyHalfLife: r.integer(S.RECENCY_HALF_LIFE),
    facets: [],
  };
  checkDateRange(search.from, search.to, S.TO.code);
  return { search, format: r.enumValue(FORMAT) };
}
