/**
 * The archive UI's controller: reads the state from the URL, keeps the URL in
 * step with it (history entries: `screen.js`), runs searches as the user types
 * (`search-box.js`), and renders the results (`results-view.js`), facets
 * (`filter-panel.js`), article view (`article-view.js`) and suggestions.
 * Loads are sequenced so a stale answer never overwrites a newer one
 * (`screen-load.js`).
 */

import { initAdvancedSearch } from './advanced-search.js';
import { initAlerts } from './alerts.js';
import { downloadWithKey, reportClick, storedKey } from './api.js';
import { showArticle } from './article-view.js';
import { initFilterPanel } from './filter-panel.js';
import { dom } from './page-dom.js';
import { announce } from './page-notices.js';
import { showResults } from './results-view.js';
import { commit, screen, setRenderer } from './screen.js';
import { initSearchBox } from './search-box.js';
import { LIST_FILTERS, stateFromUrl, urlOf, withChanges } from './state.js';
import { initSuggestions } from './suggestions.js';

// --------------------------------------------------------------- rendering

/** Renders the screen for `screen.state`: the article view or the results. */
async function render() {
  syncControls();
  // The article view reads best as one centred column: the filters belong to the results.
  const reading = screen.state.article !== null;
  dom.filters.hidden = reading;
  dom.layout.classList.toggle('reading', reading);
  if (screen.state.article !== null) await showArticle();
  else await showResults();
}

/** Puts the state into the search box, sort and date controls. */
function syncControls() {
  // Compare trimmed: rewriting the box would move the caret and eat a space just typed.
  if (dom.input.value.trim() !== screen.state.q.trim()) dom.input.value = screen.state.q;
  dom.sort.value = screen.state.sort;
  dom.preferRecent.checked = screen.state.recencyHalfLife > 0;
  dom.from.value = screen.state.from;
  dom.to.value = screen.state.to;
  const filtered = Boolean(
    screen.state.from || screen.state.to || LIST_FILTERS.some((key) => screen.state[key].length),
  );
  dom.clearFilters.hidden = !filtered;
  dom.clearFilters.setAttribute(
    'href',
    urlOf(withChanges(screen.state, { from: '', to: '', source: [], section: [], author: [], tag: [] })),
  );
}

// -------------------------------------------------------------- navigation

window.addEventListener('popstate', () => {
  clearTimeout(screen.typingTimer);
  screen.typingSession = false;
  suggestions.close();
  screen.state = stateFromUrl(location.search, location.hash);
  void render();
});

// In-page links (results, pager, years, back): same URL scheme, no reload.
document.addEventListener('click', (event) => {
  const target = /** @type {Element|null} */ (event.target instanceof Element ? event.target : null);
  const link = target?.closest('a[data-nav]');
  // The timeline's bars are SVG links, whose `href` is an SVGAnimatedString.
  const href =
    link instanceof HTMLAnchorElement
      ? link.href
      : link instanceof SVGAElement
        ? new URL(link.href.baseVal, location.href).href
        : null;
  if (!link || href === null) return;
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey)
    return;
  event.preventDefault();
  // A click on a hit of a query: counted (query and position only) in the search analytics.
  const position = Number(link.closest('#hits .hit[data-position]')?.getAttribute('data-position'));
  if (position > 0 && screen.state.q.trim()) reportClick(screen.state.q, position);
  const url = new URL(href);
  const next = stateFromUrl(url.search, url.hash);
  if (link.hasAttribute('data-back') && screen.openedFrom && screen.openedFrom.resultsUrl === urlOf(next)) {
    // Came here from those results: step back so Forward still reopens the article.
    history.back();
    return;
  }
  if (next.article && !screen.state.article)
    screen.openedFrom = {
      articleId: next.article,
      resultsUrl: urlOf({ ...screen.state, article: null, paragraph: null }),
    };
  commit(next);
});

// ----------------------------------------------------------------- controls

const suggestions = initSuggestions(dom, (q) => commit(withChanges(screen.state, { q })));

initAlerts();

initAdvancedSearch((q, from, to) => {
  suggestions.close();
  commit(withChanges(screen.state, { q, ...(from ? { from } : {}), ...(to ? { to } : {}) }));
});

initSearchBox(suggestions);

initFilterPanel();

// An archive behind a search key: the export is fetched with the key (a link cannot send it).
dom.exportLink.addEventListener('click', (event) => {
  if (!storedKey()) return;
  event.preventDefault();
  downloadWithKey(dom.exportLink.href).catch((/** @type {Error} */ error) => announce(error.message));
});

setRenderer(render);
void render();
