/**
 * The messages around the results: the correction offered above the hits, and
 * what is said when nothing is found.
 */

import { h } from './dom.js';
import { urlOf, withChanges } from './state.js';

/** @typedef {import('./state.js').UiState} UiState */

/**
 * Above the hits, into `box`: "Did you mean …?" when the query found something as typed and a
 * correction would find far more; "Showing results for …" when the hits are the typo fallback's.
 * (With no hits, the empty message offers the correction.)
 * @param {HTMLElement} box
 * @param {any} response
 * @param {UiState} state
 * @param {boolean} browse
 */
export function renderCorrection(box, response, state, browse) {
  const show = !browse && response.hits.length > 0 && Boolean(response.correctedQuery);
  box.hidden = !show;
  if (!show) {
    box.replaceChildren();
    return;
  }
  const link = h(
    'a',
    { href: urlOf(withChanges(state, { q: response.correctedQuery })), 'data-nav': '' },
    response.correctedQuery,
  );
  if (response.typoTolerance) box.replaceChildren('Showing results for ', link, '.');
  else box.replaceChildren('Did you mean ', link, '?');
}

/**
 * The "nothing found" message, with the typo fallback's correction and a way out of filters.
 * @param {any} response
 * @param {UiState} state
 * @param {boolean} browse
 * @param {string|null} clearFiltersHref The link that clears every filter (null: no filter is set).
 * @returns {Node[]}
 */
export function emptyMessage(response, state, browse, clearFiltersHref) {
  const out = [];
  if (state.page > 1 && response.totalHits > 0) {
    out.push(h('p', { class: 'empty-title' }, 'There are no results on this page.'));
    out.push(h('p', {}, h('a', { href: urlOf(withChanges(state, {})), 'data-nav': '' }, 'Go to the first page')));
    return out;
  }
  out.push(
    h(
      'p',
      { class: 'empty-title' },
      browse ? 'No articles match these filters.' : `No articles match “${state.q.trim()}”.`,
    ),
  );
  if (response.correctedQuery) {
    const link = h(
      'a',
      { href: urlOf(withChanges(state, { q: response.correctedQuery })), 'data-nav': '' },
      response.correctedQuery,
    );
    out.push(h('p', {}, 'Did you mean ', link, '?'));
  }
  if (clearFiltersHref !== null)
    out.push(
      h(
        'p',
        {},
        'Filters are narrowing the results: ',
        h('a', { href: clearFiltersHref, 'data-nav': '' }, 'clear all filters'),
        '.',
      ),
    );
  if (!browse)
    out.push(
      h(
        'p',
        { class: 'empty-tips' },
        'Try fewer or different words, check the spelling, or remove quotes and exclusions.',
      ),
    );
  return out;
}
