/**
 * The results view: loads the search for the screen's state (with the counts of
 * each ticked facet as if it were not ticked), or reuses the last answer, and
 * renders the hits, summary, correction, facets, timeline, pager and export link.
 */

import { searchArticles } from './api.js';
import { orderForDay, renderDayNav } from './day-view.js';
import { plural } from './dom.js';
import { dom } from './page-dom.js';
import { announce, showNotice } from './page-notices.js';
import { renderFacets, renderHit, renderPager, renderParsedQuery } from './render.js';
import { emptyMessage, renderCorrection } from './result-messages.js';
import { commit, screen } from './screen.js';
import { beginLoad, failLoad, isLatestLoad } from './screen-load.js';
import { LIST_FILTERS, exportUrlOf, facetRequestOf, searchRequestOf, withChanges } from './state.js';
import { renderTimeline } from './timeline.js';

/** The last search answer and the request it answered, to show results again without a round trip. */
let lastSearch = { request: '', response: /** @type {any} */ (null) };

/** Loads (or reuses) the search for `screen.state` and renders it. */
export async function showResults() {
  dom.articleView.hidden = true;
  dom.resultsView.hidden = false;
  const request = searchRequestOf(screen.state);
  const { seq, signal } = beginLoad();
  if (lastSearch.request === request && lastSearch.response) {
    showNotice(null);
    renderResults(lastSearch.response, true);
    return;
  }
  dom.main.setAttribute('aria-busy', 'true');
  try {
    const facetKeys = LIST_FILTERS.filter((key) => screen.state[key].length > 0);
    const [response, ...facetAnswers] = await Promise.all([
      searchArticles(request, signal),
      ...facetKeys.map((key) => searchArticles(facetRequestOf(screen.state, key), signal)),
    ]);
    if (!isLatestLoad(seq)) return; // a newer load started: this answer is stale
    response.facetDistribution = { ...(response.facetDistribution ?? {}) };
    facetKeys.forEach((key, i) => {
      response.facetDistribution[key] = facetAnswers[i]?.facetDistribution?.[key] ?? response.facetDistribution[key];
    });
    lastSearch = { request, response };
    showNotice(null);
    renderResults(response, false);
  } catch (error) {
    if (failLoad(error, seq)) {
      dom.hits.replaceChildren();
      dom.pager.replaceChildren();
      dom.parsedQuery.replaceChildren();
      dom.empty.hidden = true;
      dom.summary.textContent = '';
      dom.didYouMean.hidden = true;
    }
  }
}

/**
 * Renders a `/search` answer.
 * @param {any} response
 * @param {boolean} restoring True when coming back to cached results (focus the article left).
 */
function renderResults(response, restoring) {
  dom.main.setAttribute('aria-busy', 'false');
  const browse = screen.state.q.trim() === '';
  const filtered = !dom.clearFilters.hidden;
  document.title = browse ? 'Newsroom archive search' : `“${screen.state.q.trim()}” – Newsroom archive search`;
  dom.heading.textContent = browse ? (filtered ? 'Articles' : 'Latest articles') : 'Results';

  // `gte`: the counts are lower bounds (top-k evaluation stopped counting, see `totals` in /openapi.json).
  const atLeast = response.totalHitsRelation === 'gte' ? 'at least ' : '';
  const articles = atLeast + plural(response.totalHits, 'article', 'articles');
  const paragraphs = atLeast + plural(response.totalParagraphs, 'matching paragraph', 'matching paragraphs');
  const cappedNote =
    response.totalHits > response.maxTotalHits
      ? ` (the first ${response.maxTotalHits.toLocaleString('en-GB')} can be paged)`
      : '';
  const order = screen.state.day ? 'by source and section' : 'newest first';
  dom.summary.textContent = browse ? `${articles}, ${order}${cappedNote}` : `${articles} · ${paragraphs}${cappedNote}`;

  if (screen.state.day) dom.heading.textContent = browse ? 'Articles of the day' : 'Results of the day';
  renderCorrection(dom.didYouMean, response, screen.state, browse);
  dom.parsedQuery.replaceChildren(browse ? '' : renderParsedQuery(response, searchFor));
  if (screen.state.day) dom.parsedQuery.prepend(renderDayNav(screen.state));
  const first = (response.page - 1) * response.hitsPerPage + 1;
  const hits = screen.state.day ? orderForDay(response.hits) : response.hits;
  dom.hits.replaceChildren(
    ...hits.map((/** @type {any} */ hit, /** @type {number} */ i) => renderHit(hit, screen.state, browse, first + i)),
  );
  dom.hits.setAttribute('start', String((response.page - 1) * response.hitsPerPage + 1));
  const pager = renderPager(response, screen.state);
  dom.pager.replaceChildren(...(pager ? [pager] : []));
  dom.facets.replaceChildren(renderFacets(response.facetDistribution ?? {}, screen.state));
  dom.timeline.replaceChildren(renderTimeline(response.facetDistribution?.month, screen.state) ?? '');
  dom.exportLink.setAttribute('href', exportUrlOf(screen.state));
  dom.exportLink.hidden = response.totalHits === 0;

  dom.empty.hidden = response.hits.length > 0;
  dom.empty.replaceChildren();
  if (response.hits.length === 0)
    dom.empty.append(
      ...emptyMessage(
        response,
        screen.state,
        browse,
        filtered ? (dom.clearFilters.getAttribute('href') ?? './') : null,
      ),
    );

  if (response.hits.length === 0) announce(browse ? 'No articles.' : `No articles found for ${screen.state.q.trim()}.`);
  else if (browse) announce(`${articles}, newest first.`);
  else
    announce(
      `${articles}, ${paragraphs}${response.correctedQuery ? (response.typoTolerance ? `, showing results for ${response.correctedQuery}` : `; did you mean ${response.correctedQuery}?`) : ''}.`,
    );

  if (restoring && screen.openedFrom) {
    const link = dom.hits.querySelector(
      `a[href*="article=${CSS.escape(encodeURIComponent(screen.openedFrom.articleId))}"]`,
    );
    if (link instanceof HTMLElement) link.focus();
    screen.openedFrom = null;
  }
}

/**
 * Runs `q` as a committed search (the correction link).
 * @param {string} q
 */
function searchFor(q) {
  commit(withChanges(screen.state, { q }));
}
