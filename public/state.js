/**
 * The UI state and its one-to-one mapping to the page URL.
 *
 * The page's query string mirrors the `GET /search` parameters (`q`, `page`,
 * `sort`, `from`, `to`, repeatable `source`/`section`/`author`/`tag`/`person`/`org`/`place`,
 * `hitsPerPage`), plus `day=YYYY-MM-DD` when one day's articles are browsed (sent to the API
 * as `from` = `to` = that day) and `article=<id>` when an article is open. The hash `#p<index>` names the
 * paragraph to scroll to inside the open article. So every screen can be
 * bookmarked, shared and reloaded. Pure: no DOM, no network.
 */

/** Sort orders the API accepts (`sort`), in the order the UI lists them. */
export const SORTS = /** @type {const} */ (['relevance', 'date:desc', 'date:asc']);

/** Filters whose values repeat in the URL and the API (`source=a&source=b`). */
export const LIST_FILTERS = /** @type {const} */ (['source', 'section', 'author', 'tag', 'person', 'org', 'place']);

/** Articles asked for a page of one day's articles (the API's largest page): most days fit in one. */
export const DAY_PAGE = 100;

/** Hits per page when the URL does not say (the API default). */
export const DEFAULT_HITS_PER_PAGE = 10;

/** The API's largest `recencyHalfLife`, in days. */
export const MAX_RECENCY_HALF_LIFE = 36500;
/** The half-life, in days, the "Prefer recent" box asks for: an article a year old scores half. */
export const PREFER_RECENT_HALF_LIFE = 365;

/** The API's `maxTotalHits`: `page × hitsPerPage` may not exceed it. */
export const MAX_TOTAL_HITS = 1000;

/**
 * @typedef {object} UiState
 * @property {string} q The query as typed ('' = browse newest articles); trimmed in URLs and requests.
 * @property {number} page 1-based page.
 * @property {number} hitsPerPage 1–100.
 * @property {'relevance'|'date:desc'|'date:asc'} sort
 * @property {number} recencyHalfLife Prefer recent articles: the API's `recencyHalfLife` in days; 0 for none.
 * @property {string} from Lower date bound `YYYY-MM-DD`, inclusive; '' for none.
 * @property {string} to Upper date bound `YYYY-MM-DD`, inclusive; '' for none.
 * @property {string[]} source Selected sources (OR).
 * @property {string[]} section Selected sections (OR).
 * @property {string[]} author Selected authors (OR).
 * @property {string[]} tag Selected tags (OR).
 * @property {string[]} person Selected people (OR).
 * @property {string[]} org Selected organisations (OR).
 * @property {string[]} place Selected places (OR).
 * @property {string} day The day browsed, `YYYY-MM-DD`; '' for none.
 * @property {string|null} article Id of the open article; null shows results.
 * @property {number|null} paragraph Paragraph index to scroll to in the open article (`#p<index>`).
 */

/** @returns {UiState} The state of a fresh page: browse mode, first page. */
export function emptyState() {
  return {
    q: '',
    page: 1,
    hitsPerPage: DEFAULT_HITS_PER_PAGE,
    sort: 'relevance',
    recencyHalfLife: 0,
    from: '',
    to: '',
    source: [],
    section: [],
    author: [],
    tag: [],
    person: [],
    org: [],
    place: [],
    day: '',
    article: null,
    paragraph: null,
  };
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Reads a positive integer, or returns `fallback` when `raw` is not one in range.
 * @param {string|null} raw
 * @param {number} fallback
 * @param {number} max
 */
function readInt(raw, fallback, max) {
  if (raw === null || !/^\d{1,6}$/.test(raw)) return fallback;
  const n = Number(raw);
  return n >= 1 && n <= max ? n : fallback;
}

/**
 * The UI state a URL describes. Values the UI cannot show (an unknown sort, a
 * malformed date, page 0) fall back to defaults instead of failing: a URL is
 * user input.
 * @param {string} search `location.search`, with or without the leading `?`.
 * @param {string} [hash] `location.hash`, e.g. `#p7`.
 * @returns {UiState}
 */
export function stateFromUrl(search, hash = '') {
  const params = new URLSearchParams(search);
  const state = emptyState();
  state.q = params.get('q') ?? '';
  state.hitsPerPage = readInt(params.get('hitsPerPage'), DEFAULT_HITS_PER_PAGE, 100);
  state.page = readInt(params.get('page'), 1, Math.floor(MAX_TOTAL_HITS / state.hitsPerPage));
  const sort = params.get('sort');
  state.sort = SORTS.find((s) => s === sort) ?? 'relevance';
  const halfLife = params.get('recencyHalfLife');
  state.recencyHalfLife = halfLife === null ? 0 : readInt(halfLife, 0, MAX_RECENCY_HALF_LIFE);
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  state.from = DATE_RE.test(from) ? from : '';
  state.to = DATE_RE.test(to) ? to : '';
  const day = params.get('day') ?? '';
  state.day = DATE_RE.test(day) ? day : '';
  for (const key of LIST_FILTERS) state[key] = unique(params.getAll(key).filter((v) => v !== ''));
  const article = params.get('article');
  state.article = article ? article : null;
  const p = /^#p(\d{1,6})$/.exec(hash);
  state.paragraph = state.article && p ? Number(p[1]) : null;
  return state;
}

/**
 * @param {string[]} values
 * @returns {string[]} `values` without repeats, first occurrence kept.
 */
function unique(values) {
  return [...new Set(values)];
}

/**
 * The search parameters of a state, defaults left out, in a stable order (so
 * equal states give equal URLs). Shared by the page URL and the API request.
 * @param {UiState} state
 * @returns {URLSearchParams}
 */
export function searchParamsOf(state) {
  const params = new URLSearchParams();
  // Surrounding spaces change nothing in a query: leave them out of URLs and requests.
  const q = state.q.trim();
  if (q !== '') params.set('q', q);
  if (state.page !== 1) params.set('page', String(state.page));
  if (state.hitsPerPage !== DEFAULT_HITS_PER_PAGE) params.set('hitsPerPage', String(state.hitsPerPage));
  if (state.sort !== 'relevance') params.set('sort', state.sort);
  if (state.recencyHalfLife > 0) params.set('recencyHalfLife', String(state.recencyHalfLife));
  if (state.from) params.set('from', state.from);
  if (state.to) params.set('to', state.to);
  for (const key of LIST_FILTERS) for (const value of state[key]) params.append(key, value);
  if (state.day) params.set('day', state.day);
  return params;
}

/**
 * The API's parameters for a state: {@link searchParamsOf} with a browsed day as
 * `from` = `to` = that day, its articles oldest first, {@link DAY_PAGE} a page (the page
 * puts them in source and section order).
 * @param {UiState} state
 * @returns {URLSearchParams}
 */
function apiParamsOf(state) {
  if (!state.day) return searchParamsOf(state);
  const params = searchParamsOf({
    ...state,
    day: '',
    from: state.day,
    to: state.day,
    sort: 'date:asc',
    hitsPerPage: DAY_PAGE,
  });
  return params;
}

/**
 * The page URL (path-relative: `?…#…`, or `./` for the empty state) of a state.
 * @param {UiState} state
 * @returns {string}
 */
export function urlOf(state) {
  const params = searchParamsOf(state);
  if (state.article !== null) params.set('article', state.article);
  const query = params.toString();
  const hash = state.article !== null && state.paragraph !== null ? `#p${state.paragraph}` : '';
  return (query ? `?${query}` : './') + hash;
}

/**
 * The `GET /search` query string for a state: its parameters plus the facets the
 * filter panel shows.
 * @param {UiState} state
 * @returns {string}
 */
export function searchRequestOf(state) {
  const params = apiParamsOf(state);
  params.set('facets', 'source,section,author,tag,person,org,place,year,month');
  // The page shows one line per story, its other versions (near-duplicates) behind it.
  params.set('duplicates', 'group');
  return params.toString();
}

/**
 * The `GET /search/export` URL (absolute path) for the search a state shows: every hit of
 * it, as CSV (paging left out: the export has every page).
 * @param {UiState} state
 * @param {'csv'|'ndjson'} [format]
 * @returns {string}
 */
export function exportUrlOf(state, format = 'csv') {
  const params = apiParamsOf({ ...state, page: 1, hitsPerPage: DEFAULT_HITS_PER_PAGE });
  params.delete('hitsPerPage');
  params.set('format', format);
  return `/search/export?${params}`;
}

/**
 * The `GET /search` query string that counts one facet's values as if that facet
 * had no selection (all other filters kept). The UI asks it for each facet that
 * has a selection, so the other values of that facet stay listed and can be
 * added (OR) instead of vanishing once one is ticked ("disjunctive" facets).
 * @param {UiState} state
 * @param {(typeof LIST_FILTERS)[number]} key
 * @returns {string}
 */
export function facetRequestOf(state, key) {
  const params = apiParamsOf({ ...state, [key]: [], page: 1, hitsPerPage: 1 });
  params.set('hitsPerPage', '1');
  params.set('facets', key);
  return params.toString();
}

/**
 * A copy of `state` with `changes` applied. Any change other than `page` itself
 * goes back to page 1 (new filters give a new result list); any change closes
 * the open article unless `changes` sets one.
 * @param {UiState} state
 * @param {Partial<UiState>} changes
 * @returns {UiState}
 */
export function withChanges(state, changes) {
  const next = { ...state, article: null, paragraph: null, ...changes };
  if (!('page' in changes)) next.page = 1;
  return next;
}

/**
 * True when two states show the same screen (same URL).
 * @param {UiState} a
 * @param {UiState} b
 */
export function sameState(a, b) {
  return urlOf(a) === urlOf(b);
}

/**
 * The last page the API lets a client reach for this result list.
 * @param {number} totalPages From the response.
 * @param {number} hitsPerPage
 */
export function lastReachablePage(totalPages, hitsPerPage) {
  return Math.max(1, Math.min(totalPages, Math.floor(MAX_TOTAL_HITS / hitsPerPage)));
}

/**
 * The word being typed at the end of a query, for suggestions: its start offset
 * (UTF-16), and the word without a leading `-`. Null when the query ends in a
 * space, inside a quoted phrase, or with no word character.
 * @param {string} query
 * @returns {{start: number, word: string}|null}
 */
export function lastWordOf(query) {
  const quotes = (query.match(/"/g) ?? []).length;
  if (quotes % 2 === 1) return null; // inside an open phrase: completing one word of it would mislead
  const m = /(?:^|[\s"])-?([^\s"-][^\s"]*)$/.exec(query);
  if (!m || m[1] === undefined) return null;
  if (m[1] === 'OR') return null;
  return { start: query.length - m[1].length, word: m[1] };
}

/**
 * The query with its last word replaced by `completion` and a space appended
 * (ready for the next word). A leading `-` on the word is kept.
 * @param {string} query
 * @param {string} completion
 * @returns {string}
 */
export function replaceLastWord(query, completion) {
  const last = lastWordOf(query);
  const head = last ? query.slice(0, last.start) : query.endsWith(' ') || query === '' ? query : `${query} `;
  return `${head}${completion} `;
}
