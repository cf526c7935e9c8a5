/**
 * The search page's elements, looked up once by id: what the views fill and the
 * controls listen to.
 */

/**
 * The element of the page with this id (the page always has it).
 * @param {string} id
 */
export const byId = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

/** The page's elements the views and controls use, by role. */
export const dom = {
  searchForm: /** @type {HTMLFormElement} */ (byId('search-form')),
  input: /** @type {HTMLInputElement} */ (byId('q')),
  suggestions: byId('suggestions'),
  filters: /** @type {HTMLDetailsElement} */ (byId('filters')),
  filterForm: /** @type {HTMLFormElement} */ (byId('filter-form')),
  sort: /** @type {HTMLSelectElement} */ (byId('sort')),
  preferRecent: /** @type {HTMLInputElement} */ (byId('prefer-recent')),
  from: /** @type {HTMLInputElement} */ (byId('from')),
  to: /** @type {HTMLInputElement} */ (byId('to')),
  facets: byId('facets'),
  clearFilters: byId('clear-filters'),
  layout: /** @type {HTMLElement} */ (document.querySelector('.layout')),
  main: byId('main'),
  notice: byId('notice'),
  resultsView: byId('results-view'),
  heading: byId('results-heading'),
  summary: byId('summary'),
  didYouMean: byId('did-you-mean'),
  exportLink: byId('export-link'),
  timeline: byId('timeline'),
  parsedQuery: byId('parsed-query'),
  hits: byId('hits'),
  empty: byId('empty'),
  pager: byId('pager'),
  articleView: byId('article-view'),
  live: byId('live'),
};
