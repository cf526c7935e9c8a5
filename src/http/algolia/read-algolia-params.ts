import { SearchError } from '../../errors.js';
import { MAX_QUERY_LENGTH } from '../../query/search-params.js';
import { quoteValue } from '../quote-value.js';

/** The error code of every bad value sent to the Algolia-compatible routes (HTTP 400). */
export const ALGOLIA_PARAM_CODE = 'invalid_algolia_params';

/** Most hits one Algolia-style request may ask for (`hitsPerPage`), as `/search` allows. */
export const MAX_ALGOLIA_HITS_PER_PAGE = 100;
/** Most facet values returned per facet (`maxValuesPerFacet`): what the engine counts. */
export const MAX_VALUES_PER_FACET = 100;
/** Longest `highlightPreTag` / `highlightPostTag`, in UTF-16 units. */
export const MAX_TAG_LENGTH = 100;

/** A facet filter value list or nested list, as InstantSearch sends it (`[["section:World","section:Sport"],"source:CNN"]`). */
export type NestedFilters = (string | string[])[];

/** The Algolia search parameters this service reads, validated; what was absent is undefined. */
export interface AlgoliaParams {
  query: string;
  /** 0-based. */
  page: number;
  /** 0–100; 0 asks for counts and facets only (InstantSearch's disjunctive-facet requests). */
  hitsPerPage: number;
  /** Facet attributes to count (`*`: all). */
  facets: string[];
  facetFilters: NestedFilters;
  numericFilters: NestedFilters;
  /** The `filters` expression (see `parseFiltersExpression`), '' for none. */
  filters: string;
  /** Attribute names, `*` for all; undefined: the default (`title` and `text`). */
  attributesToHighlight: string[] | undefined;
  /** `attribute` or `attribute:words`; undefined: none. */
  attributesToSnippet: string[] | undefined;
  highlightPreTag: string;
  highlightPostTag: string;
  /** 1–100, default 100. */
  maxValuesPerFacet: number;
}

/** Parameters read; any other is ignored (and named in the `X-Algolia-Ignored-Params` response header). */
export const ALGOLIA_PARAMS = [
  'query',
  'page',
  'hitsPerPage',
  'facets',
  'facetFilters',
  'numericFilters',
  'filters',
  'attributesToHighlight',
  'attributesToSnippet',
  'highlightPreTag',
  'highlightPostTag',
  'maxValuesPerFacet',
] as const;

/** Algolia's defaults for what a request leaves out. */
export const ALGOLIA_DEFAULTS = {
  hitsPerPage: 20,
  highlightPreTag: '<em>',
  highlightPostTag: '</em>',
  maxValuesPerFacet: 100,
} as const;

function bad(message: string): SearchError {
  return new SearchError(ALGOLIA_PARAM_CODE, message);
}

/** Parameters whose value the URL-encoded form writes as JSON (`facets=%5B%22section%22%5D`). */
const JSON_VALUED = new Set([
  'facets',
  'facetFilters',
  'numericFilters',
  'attributesToHighlight',
  'attributesToSnippet',
]);

/** A value of the URL-encoded form (`params: "query=a&facets=%5B%22section%22%5D"`) as the object form gives it. */
function fromFormValue(name: string, raw: string): unknown {
  if (!JSON_VALUED.has(name) || !raw.trim().startsWith('[')) return raw;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw bad(`\`${name}\` must be valid JSON when it starts with \`[\`, got \`${quoteValue(raw)}\`.`);
  }
}

/** The raw parameters of a request: the `params` string decoded, or the `params` object, merged over the request's own keys. */
export function rawParamsOf(request: Record<string, unknown>): Map<string, unknown> {
  const raw = new Map<string, unknown>();
  for (const [key, value] of Object.entries(request))
    if (key !== 'params' && key !== 'indexName' && key !== 'type') raw.set(key, value);
  const params = request['params'];
  if (typeof params === 'string') {
    for (const [key, value] of new URLSearchParams(params)) raw.set(key, fromFormValue(key, value));
  } else if (params !== undefined && params !== null) {
    if (typeof params !== 'object' || Array.isArray(params))
      throw bad('`params` must be a URL-encoded string or an object.');
    for (const [key, value] of Object.entries(params)) raw.set(key, value);
  }
  return raw;
}

function integer(raw: Map<string, unknown>, name: string, min: number, max: number, fallback: number): number {
  let value = raw.get(name);
  if (value === undefined) return fallback;
  if (typeof value === 'string' && /^[0-9]{1,9}$/.test(value)) value = Number(value);
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw bad(
      `\`${name}\` must be an integer from ${min} to ${max}, got \`${quoteValue(JSON.stringify(value) ?? String(value))}\`.`,
    );
  }
  return value;
}

function text(raw: Map<string, unknown>, name: string, maxLength: number, fallback: string): string {
  const value = raw.get(name);
  if (value === undefined) return fallback;
  if (typeof value !== 'string')
    throw bad(`\`${name}\` must be a string, got \`${quoteValue(JSON.stringify(value) ?? String(value))}\`.`);
  if (value.length > maxLength) throw bad(`\`${name}\` must be at most ${maxLength} characters, got ${value.length}.`);
  return value;
}

/** A list of strings; a lone string (`"section"`, or comma-separated `"title,text"`) is read as the list of its items. */
function stringList(raw: Map<string, unknown>, name: string): string[] | undefined {
  const value = raw.get(name);
  if (value === undefined) return undefined;
  if (typeof value === 'string')
    return value
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== '');
  if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string') || value.length > 50) {
    throw bad(
      `\`${name}\` must be a list of at most 50 strings, got \`${quoteValue(JSON.stringify(value) ?? String(value))}\`.`,
    );
  }
  return value;
}

/** Filters nested at most one level (an AND of items, each a string or an OR list of strings); a lone string is one item. */
function nestedFilters(raw: Map<string, unknown>, name: string): NestedFilters {
  const value = raw.get(name);
  if (value === undefined) return [];
  if (typeof value === 'string') return value === '' ? [] : [value];
  const isItem = (v: unknown) =>
    typeof v === 'string' || (Array.isArray(v) && v.length <= 50 && v.every((x) => typeof x === 'string'));
  if (!Array.isArray(value) || value.length > 50 || !value.every(isItem)) {
    throw bad(
      `\`${name}\` must be a list of strings and lists of strings (an AND of ORs, at most 50 each), got \`${quoteValue(JSON.stringify(value) ?? String(value))}\`.`,
    );
  }
  return value as NestedFilters;
}

/**
 * The validated Algolia parameters of one request (`{"indexName", "params"}`, `params` as a
 * URL-encoded string or an object), and the names of the parameters it sent that this service
 * ignores, sorted. Throws `SearchError('invalid_algolia_params')` naming the first bad value.
 */
export function readAlgoliaParams(request: Record<string, unknown>): { params: AlgoliaParams; ignored: string[] } {
  const raw = rawParamsOf(request);
  const known = new Set<string>(ALGOLIA_PARAMS);
  const ignored = [...raw.keys()].filter((k) => !known.has(k)).sort();
  const hitsPerPage = integer(raw, 'hitsPerPage', 0, MAX_ALGOLIA_HITS_PER_PAGE, ALGOLIA_DEFAULTS.hitsPerPage);
  const params: AlgoliaParams = {
    query: text(raw, 'query', MAX_QUERY_LENGTH, ''),
    page: integer(raw, 'page', 0, 999, 0),
    hitsPerPage,
    facets: stringList(raw, 'facets') ?? [],
    facetFilters: nestedFilters(raw, 'facetFilters'),
    numericFilters: nestedFilters(raw, 'numericFilters'),
    filters: text(raw, 'filters', 2000, ''),
    attributesToHighlight: stringList(raw, 'attributesToHighlight'),
    attributesToSnippet: stringList(raw, 'attributesToSnippet'),
    highlightPreTag: text(raw, 'highlightPreTag', MAX_TAG_LENGTH, ALGOLIA_DEFAULTS.highlightPreTag),
    highlightPostTag: text(raw, 'highlightPostTag', MAX_TAG_LENGTH, ALGOLIA_DEFAULTS.highlightPostTag),
    maxValuesPerFacet: integer(raw, 'maxValuesPerFacet', 1, MAX_VALUES_PER_FACET, ALGOLIA_DEFAULTS.maxValuesPerFacet),
  };
  return { params, ignored };
}
