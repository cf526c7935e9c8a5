import { SearchError } from '../../errors.js';
import {
  FACET_NAMES,
  MAX_TOTAL_HITS,
  withDefaults,
  type FacetName,
  type SearchParams,
} from '../../query/search-params.js';
import { quoteValue } from '../quote-value.js';
import { parseFiltersExpression } from './parse-filters-expression.js';
import { ALGOLIA_PARAM_CODE, type AlgoliaParams, type NestedFilters } from './read-algolia-params.js';

/** The two indexes: one hit per article, or one hit per paragraph. */
export const ALGOLIA_INDEXES = ['articles', 'paragraphs'] as const;
/** `articles` or `paragraphs`. */
export type AlgoliaIndexName = (typeof ALGOLIA_INDEXES)[number];

/** Facet attributes that filter by exact value (case-insensitive, as `/search`'s filters). */
const VALUE_ATTRIBUTES = ['source', 'section', 'author', 'tag'] as const;
type ValueAttribute = (typeof VALUE_ATTRIBUTES)[number];
/** Numeric attributes: the publication year, and the publication time in seconds since the epoch. */
export const NUMERIC_ATTRIBUTES = ['year', 'timestamp'] as const;

/** A search to run, as `/search` parameters, and what the Algolia result needs beside them. */
export interface TranslatedSearch {
  params: SearchParams;
  /** True when the filters exclude everything (two facet filters on one attribute with no value in common). */
  matchesNothing: boolean;
  /** True when the request asks for no hits (`hitsPerPage: 0`, or a page past the 1,000th hit). */
  countsOnly: boolean;
}

function bad(message: string): SearchError {
  return new SearchError(ALGOLIA_PARAM_CODE, message);
}

/** A facet filter item `attribute:value` split; a leading `\-` is a literal `-`, a bare leading `-` a negation (not supported). */
function splitFacetFilter(item: string): { attribute: string; value: string } {
  const colon = item.indexOf(':');
  if (colon <= 0) throw bad(`\`facetFilters\` items must be \`attribute:value\`, got \`${quoteValue(item)}\`.`);
  const attribute = item.slice(0, colon).trim();
  let value = item.slice(colon + 1);
  if (value.startsWith('-'))
    throw bad(`\`facetFilters\`: negated filters (\`${quoteValue(item)}\`) are not supported.`);
  if (value.startsWith('\\-')) value = value.slice(1);
  return { attribute, value };
}

/** Bounds of a date filter in ms since the epoch (inclusive), narrowed by each comparison. */
interface DateBounds {
  from: number | null;
  to: number | null;
}

const yearStart = (year: number) => Date.UTC(year, 0, 1);

/** Narrows `bounds` by `attribute op value` (`year` an integer attribute, `timestamp` in whole seconds). */
function narrow(bounds: DateBounds, attribute: string, op: string, value: number, item: string): void {
  const raise = (from: number) => (bounds.from = bounds.from === null ? from : Math.max(bounds.from, from));
  const lower = (to: number) => (bounds.to = bounds.to === null ? to : Math.min(bounds.to, to));
  // The least and greatest ms whose attribute value is at least / at most `v`.
  const atLeast = attribute === 'year' ? (v: number) => yearStart(Math.ceil(v)) : (v: number) => Math.ceil(v) * 1000;
  const atMost =
    attribute === 'year'
      ? (v: number) => yearStart(Math.floor(v) + 1) - 1
      : (v: number) => (Math.floor(v) + 1) * 1000 - 1;
  const above =
    attribute === 'year' ? (v: number) => yearStart(Math.floor(v) + 1) : (v: number) => (Math.floor(v) + 1) * 1000;
  const below =
    attribute === 'year' ? (v: number) => yearStart(Math.ceil(v)) - 1 : (v: number) => Math.ceil(v) * 1000 - 1;
  if (op === '>=') raise(atLeast(value));
  else if (op === '>') raise(above(value));
  else if (op === '<=') lower(atMost(value));
  else if (op === '<') lower(below(value));
  else if (op === '=') {
    raise(atLeast(value));
    lower(atMost(value));
  } else
    throw bad(`\`numericFilters\`: the operator \`${quoteValue(op)}\` in \`${quoteValue(item)}\` is not supported.`);
}

/** Reads one numeric filter (`year>=2019`, `timestamp<1700000000`, `year:2019 TO 2024`) into `bounds`. */
function readNumericFilter(item: string, bounds: DateBounds): void {
  const range = /^\s*([A-Za-z_]+)\s*:\s*(-?[0-9.]+)\s+TO\s+(-?[0-9.]+)\s*$/.exec(item);
  const comparison = /^\s*([A-Za-z_]+)\s*(<=|>=|!=|<|>|=)\s*(-?[0-9]+(?:\.[0-9]+)?)\s*$/.exec(item);
  const attribute = (range ?? comparison)?.[1];
  if (attribute === undefined)
    throw bad(
      `\`numericFilters\` items must be \`attribute<op>number\` or \`attribute:low TO high\`, got \`${quoteValue(item)}\`.`,
    );
  if (!(NUMERIC_ATTRIBUTES as readonly string[]).includes(attribute)) {
    throw bad(
      `\`numericFilters\`: \`${quoteValue(attribute)}\` is not numeric here; use \`year\` or \`timestamp\` (seconds since 1970).`,
    );
  }
  if (range) {
    narrow(bounds, attribute, '>=', Number(range[2]), item);
    narrow(bounds, attribute, '<=', Number(range[3]), item);
  } else narrow(bounds, attribute, comparison![2]!, Number(comparison![3]), item);
}

/** Each facet filter group (an OR of values of one attribute) by attribute, in the order given. */
function facetGroups(facetFilters: NestedFilters, bounds: DateBounds): Map<ValueAttribute, string[][]> {
  const groups = new Map<ValueAttribute, string[][]>();
  for (const item of facetFilters) {
    const alternatives = (typeof item === 'string' ? [item] : item).map(splitFacetFilter);
    if (alternatives.length === 0) continue;
    const attribute = alternatives[0]!.attribute;
    if (alternatives.some((a) => a.attribute !== attribute)) {
      throw bad(`\`facetFilters\`: an OR group must name one attribute, got \`${quoteValue(JSON.stringify(item))}\`.`);
    }
    if (attribute === 'year' && alternatives.length === 1) {
      // `year:2019`, as a refinement list on the year sends it.
      readNumericFilter(`year=${alternatives[0]!.value}`, bounds);
      continue;
    }
    if (!(VALUE_ATTRIBUTES as readonly string[]).includes(attribute)) {
      throw bad(
        `\`facetFilters\`: \`${quoteValue(attribute)}\` cannot be filtered on; use one of ${VALUE_ATTRIBUTES.map((a) => `\`${a}\``).join(', ')} (or \`year\`).`,
      );
    }
    const list = groups.get(attribute as ValueAttribute) ?? [];
    list.push(alternatives.map((a) => a.value));
    groups.set(attribute as ValueAttribute, list);
  }
  return groups;
}

/** The facets to count: `*` is every facet; unknown names are a 400 (`timestamp` is numeric only, never counted). */
function facetsOf(facets: string[]): FacetName[] {
  const out: FacetName[] = [];
  for (const facet of facets) {
    const names: readonly string[] = facet === '*' ? FACET_NAMES : [facet];
    for (const name of names) {
      const known = FACET_NAMES.find((f) => f === name);
      if (known === undefined)
        throw bad(
          `\`facets\` must name ${FACET_NAMES.map((f) => `\`${f}\``).join(', ')} or \`*\`, got \`${quoteValue(facet)}\`.`,
        );
      if (!out.includes(known)) out.push(known);
    }
  }
  return out;
}

/**
 * The `/search` parameters of an Algolia request on `index`: `query` as `q` (the full query
 * language), 0-based `page` made 1-based, facet filters as the metadata filters (an OR group on one
 * attribute is a list of accepted values; two groups on `source` or `section`, each an article's one
 * value, keep the values they share; two on `author` or `tag` are a 400), numeric filters on `year`
 * and `timestamp` as `from`/`to`. The `articles` index groups by article with one snippet a hit; the
 * `paragraphs` index does not group. Throws `SearchError('invalid_algolia_params')`.
 */
export function toSearchParams(index: AlgoliaIndexName, algolia: AlgoliaParams, cropLength: number): TranslatedSearch {
  const fromExpression =
    algolia.filters.trim() === '' ? { facetFilters: [], numericFilters: [] } : parseFiltersExpression(algolia.filters);
  const bounds: DateBounds = { from: null, to: null };
  const groups = facetGroups([...algolia.facetFilters, ...fromExpression.facetFilters], bounds);
  for (const item of [...algolia.numericFilters, ...fromExpression.numericFilters]) {
    if (typeof item !== 'string' && item.length !== 1)
      throw bad('`numericFilters`: ORs of numeric filters are not supported.');
    readNumericFilter(typeof item === 'string' ? item : item[0]!, bounds);
  }
  let matchesNothing = bounds.from !== null && bounds.to !== null && bounds.from > bounds.to;
  const values: Record<ValueAttribute, string[]> = { source: [], section: [], author: [], tag: [] };
  for (const [attribute, lists] of groups) {
    if (lists.length > 1 && (attribute === 'author' || attribute === 'tag')) {
      throw bad(
        `\`facetFilters\`: give the values of \`${attribute}\` in one OR group (an article must have all of several is not supported).`,
      );
    }
    // One value per article: only values every group accepts can match.
    let kept = lists[0]!;
    for (const list of lists.slice(1)) kept = kept.filter((v) => list.some((w) => w.toLowerCase() === v.toLowerCase()));
    if (kept.length === 0) matchesNothing = true;
    values[attribute] = kept;
  }
  const countsOnly = algolia.hitsPerPage === 0 || (algolia.page + 1) * algolia.hitsPerPage > MAX_TOTAL_HITS;
  const params = withDefaults({
    q: algolia.query,
    // Counts only: one hit is built (and dropped) for the totals and facets.
    page: countsOnly ? 1 : algolia.page + 1,
    hitsPerPage: countsOnly ? 1 : algolia.hitsPerPage,
    groupBy: index === 'articles' ? 'article' : 'none',
    snippetsPerArticle: 1,
    cropLength,
    from: bounds.from,
    to: bounds.to,
    ...values,
    facets: facetsOf(algolia.facets),
    // Algolia's response has no field for a "did you mean": the search need not look for one.
    offerCorrection: false,
  });
  return { params, matchesNothing, countsOnly };
}
