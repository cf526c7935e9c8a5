/**
 * The archive UI's controller: reads the state from the URL, keeps the URL in
 * step with it (history entries), runs searches as the user types, and renders
 * the results, facets, article view and suggestions.
 *
 * History: a committed search (Enter, a filter, sort, page, a suggestion, an
 * article) gets its own entry (`pushState`). While typing, the first debounced
 * update of a typing session pushes one entry and the following ones replace it
 * (`replaceState`), so Back returns to the screen before the typing, not to
 * every prefix typed. `popstate` re-renders whatever the URL says.
 *
 * Races: every screen load takes a new sequence number and aborts the previous
 * request (`AbortController`); an answer whose number is no longer the latest is
 * dropped, so a slow stale response never overwrites a newer one.
 */

import { initAdvancedSearch } from './advanced-search.js';
import { initAlerts } from './alerts.js';
import { ApiError, downloadWithKey, getArticle, getRelated, reportClick, searchArticles, storedKey } from './api.js';
import { getVersions, renderVersions } from './versions.js';
import { initSuggestions } from './suggestions.js';
import { h, plural } from './dom.js';
import { renderArticle, renderFacets, renderHit, renderPager, renderParsedQuery, renderRelated } from './render.js';
import { emptyMessage, renderCorrection } from './result-messages.js';
import { renderTimeline } from './timeline.js';
import { orderForDay, renderDayNav } from './day-view.js';
import {
  LIST_FILTERS,
  PREFER_RECENT_HALF_LIFE,
  exportUrlOf,
  facetRequestOf,
  searchRequestOf,
  stateFromUrl,
  urlOf,
  withChanges,
} from './state.js';

/** Delay between the last keystroke and the search, in ms. */
const TYPING_DEBOUNCE_MS = 150;
/** Delay before asking again while the index loads (503 `index_loading`), in ms. */
const LOADING_RETRY_MS = 1000;

/** @param {string} id */
const byId = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

const dom = {
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

/** The state on screen (always equal to what the URL says). */
let state = stateFromUrl(location.search, location.hash);
/** True after the first history entry of the current typing session was pushed. */
let typingSession = false;
/** Sequence number of the latest screen load (search or article). */
let loadSeq = 0;
/** @type {AbortController|null} */
let loadController = null;
/** @type {ReturnType<typeof setTimeout>|undefined} */
let retryTimer;
/** @type {ReturnType<typeof setTimeout>|undefined} */
let typingTimer;
/** The last search answer and the request it answered, to show results again without a round trip. */
let lastSearch = { request: '', response: /** @type {any} */ (null) };
/** The article last opened from the results, to put focus back on it. */
let openedFrom = /** @type {{articleId: string, resultsUrl: string}|null} */ (null);

// ---------------------------------------------------------------- navigation

/**
 * Shows `next` and records it in the history.
 * @param {import('./state.js').UiState} next
 * @param {'push'|'replace'} mode
 */
function navigate(next, mode) {
  const url = urlOf(next);
  const current = location.search + location.hash || './';
  if (url !== current && !(url === './' && location.search === '' && location.hash === '')) {
    if (mode === 'push') history.pushState(null, '', url);
    else history.replaceState(null, '', url);
  }
  state = next;
  void render();
}

/**
 * A committed change: its own history entry; ends the typing session.
 * @param {import('./state.js').UiState} next
 */
function commit(next) {
  clearTimeout(typingTimer);
  typingSession = false;
  navigate(next, 'push');
}

window.addEventListener('popstate', () => {
  clearTimeout(typingTimer);
  typingSession = false;
  suggestions.close();
  state = stateFromUrl(location.search, location.hash);
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
  if (position > 0 && state.q.trim()) reportClick(state.q, position);
  const url = new URL(href);
  const next = stateFromUrl(url.search, url.hash);
  if (link.hasAttribute('data-back') && openedFrom && openedFrom.resultsUrl === urlOf(next)) {
    // Came here from those results: step back so Forward still reopens the article.
    history.back();
    return;
  }
  if (next.article && !state.article)
    openedFrom = { articleId: next.article, resultsUrl: urlOf({ ...state, article: null, paragraph: null }) };
  commit(next);
});

// --------------------------------------------------------------- rendering

/** Renders the screen for `state`: the article view or the results. */
async function render() {
  syncControls();
  // The article view reads best as one centred column: the filters belong to the results.
  const reading = state.article !== null;
  dom.filters.hidden = reading;
  dom.layout.classList.toggle('reading', reading);
  if (state.article !== null) await showArticle();
  else await showResults();
}

/** Puts the state into the search box, sort and date controls. */
function syncControls() {
  // Compare trimmed: rewriting the box would move the caret and eat a space just typed.
  if (dom.input.value.trim() !== state.q.trim()) dom.input.value = state.q;
  dom.sort.value = state.sort;
  dom.preferRecent.checked = state.recencyHalfLife > 0;
  dom.from.value = state.from;
  dom.to.value = state.to;
  const filtered = Boolean(state.from || state.to || LIST_FILTERS.some((key) => state[key].length));
  dom.clearFilters.hidden = !filtered;
  dom.clearFilters.setAttribute(
    'href',
    urlOf(withChanges(state, { from: '', to: '', source: [], section: [], author: [], tag: [] })),
  );
}

/**
 * Starts a screen load: aborts the previous one and cancels a pending retry.
 * @returns {{seq: number, signal: AbortSignal}}
 */
function beginLoad() {
  clearTimeout(retryTimer);
  loadController?.abort();
  loadController = new AbortController();
  loadSeq += 1;
  return { seq: loadSeq, signal: loadController.signal };
}

/**
 * Handles a failed load: retries while the index loads, else shows the API's message.
 * @param {unknown} error
 * @param {number} seq
 * @returns {boolean} False when the error is an abort (nothing to show).
 */
function failLoad(error, seq) {
  if (seq !== loadSeq) return false;
  if (error instanceof DOMException && error.name === 'AbortError') return false;
  if (error instanceof ApiError && error.isLoading) {
    showNotice('loading', 'The archive index is loading…', 'Results will appear as soon as it is ready.');
    announce('The archive index is loading.');
    retryTimer = setTimeout(() => {
      if (seq === loadSeq) void render();
    }, LOADING_RETRY_MS);
    return true;
  }
  const message = error instanceof Error ? error.message : String(error);
  showNotice('error', 'Something went wrong', message);
  announce(`Error: ${message}`);
  dom.main.setAttribute('aria-busy', 'false');
  return true;
}

/**
 * Shows a notice above the results (loading or error), or hides it.
 * @param {'loading'|'error'|null} kind
 * @param {string} [title]
 * @param {string} [detail]
 */
function showNotice(kind, title = '', detail = '') {
  dom.notice.replaceChildren();
  dom.notice.className = kind ? `notice notice-${kind}` : 'notice';
  dom.notice.hidden = kind === null;
  if (kind === null) {
    dom.notice.removeAttribute('role');
    return;
  }
  dom.notice.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  if (kind === 'loading') dom.notice.append(h('span', { class: 'spinner', 'aria-hidden': 'true' }));
  dom.notice.append(
    h('p', { class: 'notice-title' }, title),
    detail ? h('p', { class: 'notice-detail' }, detail) : null,
  );
}

/**
 * Says `text` through the live region.
 * @param {string} text
 */
function announce(text) {
  if (dom.live.textContent === text) dom.live.textContent = '';
  dom.live.textContent = text;
}

/** Loads (or reuses) the search for `state` and renders it. */
async function showResults() {
  dom.articleView.hidden = true;
  dom.resultsView.hidden = false;
  const request = searchRequestOf(state);
  const { seq, signal } = beginLoad();
  if (lastSearch.request === request && lastSearch.response) {
    showNotice(null);
    renderResults(lastSearch.response, true);
    return;
  }
  dom.main.setAttribute('aria-busy', 'true');
  try {
    const facetKeys = LIST_FILTERS.filter((key) => state[key].length > 0);
    const [response, ...facetAnswers] = await Promise.all([
      searchArticles(request, signal),
      ...facetKeys.map((key) => searchArticles(facetRequestOf(state, key), signal)),
    ]);
    if (seq !== loadSeq) return; // a newer load started: this answer is stale
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
  const browse = state.q.trim() === '';
  const filtered = !dom.clearFilters.hidden;
  document.title = browse ? 'Newsroom archive search' : `“${state.q.trim()}” – Newsroom archive search`;
  dom.heading.textContent = browse ? (filtered ? 'Articles' : 'Latest articles') : 'Results';

  const articles = plural(response.totalHits, 'article', 'articles');
  const paragraphs = plural(response.totalParagraphs, 'matching paragraph', 'matching paragraphs');
  const cappedNote =
    response.totalHits > response.maxTotalHits
      ? ` (the first ${response.maxTotalHits.toLocaleString('en-GB')} can be paged)`
      : '';
  const order = state.day ? 'by source and section' : 'newest first';
  dom.summary.textContent = browse ? `${articles}, ${order}${cappedNote}` : `${articles} · ${paragraphs}${cappedNote}`;

  if (state.day) dom.heading.textContent = browse ? 'Articles of the day' : 'Results of the day';
  renderCorrection(dom.didYouMean, response, state, browse);
  dom.parsedQuery.replaceChildren(browse ? '' : renderParsedQuery(response, searchFor));
  if (state.day) dom.parsedQuery.prepend(renderDayNav(state));
  const first = (response.page - 1) * response.hitsPerPage + 1;
  const hits = state.day ? orderForDay(response.hits) : response.hits;
  dom.hits.replaceChildren(
    ...hits.map((/** @type {any} */ hit, /** @type {number} */ i) => renderHit(hit, state, browse, first + i)),
  );
  dom.hits.setAttribute('start', String((response.page - 1) * response.hitsPerPage + 1));
  const pager = renderPager(response, state);
  dom.pager.replaceChildren(...(pager ? [pager] : []));
  dom.facets.replaceChildren(renderFacets(response.facetDistribution ?? {}, state));
  dom.timeline.replaceChildren(renderTimeline(response.facetDistribution?.month, state) ?? '');
  dom.exportLink.setAttribute('href', exportUrlOf(state));
  dom.exportLink.hidden = response.totalHits === 0;

  dom.empty.hidden = response.hits.length > 0;
  dom.empty.replaceChildren();
  if (response.hits.length === 0)
    dom.empty.append(
      ...emptyMessage(response, state, browse, filtered ? (dom.clearFilters.getAttribute('href') ?? './') : null),
    );

  if (response.hits.length === 0) announce(browse ? 'No articles.' : `No articles found for ${state.q.trim()}.`);
  else if (browse) announce(`${articles}, newest first.`);
  else
    announce(
      `${articles}, ${paragraphs}${response.correctedQuery ? (response.typoTolerance ? `, showing results for ${response.correctedQuery}` : `; did you mean ${response.correctedQuery}?`) : ''}.`,
    );

  if (restoring && openedFrom) {
    const link = dom.hits.querySelector(`a[href*="article=${CSS.escape(encodeURIComponent(openedFrom.articleId))}"]`);
    if (link instanceof HTMLElement) link.focus();
    openedFrom = null;
  }
}

/**
 * Runs `q` as a committed search (the correction link).
 * @param {string} q
 */
function searchFor(q) {
  commit(withChanges(state, { q }));
}

/** Loads and renders the open article, then brings the target paragraph into view. */
async function showArticle() {
  const articleId = /** @type {string} */ (state.article);
  const { seq, signal } = beginLoad();
  dom.main.setAttribute('aria-busy', 'true');
  try {
    const article = await getArticle(articleId, state.q.trim(), signal);
    if (seq !== loadSeq) return;
    dom.main.setAttribute('aria-busy', 'false');
    showNotice(null);
    const backHref = urlOf({ ...state, article: null, paragraph: null });
    const view = renderArticle(article, backHref, state.paragraph);
    dom.articleView.replaceChildren(view);
    dom.resultsView.hidden = true;
    dom.articleView.hidden = false;
    document.title = `${article.title} – Newsroom archive search`;
    const target = state.paragraph === null ? null : document.getElementById(`p${state.paragraph}`);
    if (target) {
      target.scrollIntoView({ block: 'center' });
      target.focus({ preventScroll: true });
      announce(`Opened ${article.title}, at paragraph ${state.paragraph === null ? 1 : state.paragraph + 1}.`);
    } else {
      window.scrollTo(0, 0);
      byId('article-title')?.focus({ preventScroll: true });
      announce(`Opened ${article.title}.`);
    }
    void showVersions(articleId, seq, signal, view);
    void showRelated(articleId, seq, signal, view);
  } catch (error) {
    if (failLoad(error, seq)) {
      dom.resultsView.hidden = true;
      dom.articleView.hidden = false;
      dom.articleView.replaceChildren(
        h(
          'p',
          {},
          h(
            'a',
            { href: urlOf({ ...state, article: null, paragraph: null }), class: 'back-link', 'data-nav': '' },
            '← Back to results',
          ),
        ),
      );
    }
  }
}

/**
 * Lists the versions of the open article under it (when it has more than one), once they arrive; a failure leaves them out.
 * @param {string} articleId
 * @param {number} seq The load it belongs to: a newer load drops it.
 * @param {AbortSignal} signal
 * @param {HTMLElement} view The rendered article.
 */
async function showVersions(articleId, seq, signal, view) {
  try {
    const section = renderVersions(await getVersions(articleId, signal));
    if (section && seq === loadSeq) view.querySelector('.article-body')?.after(section);
  } catch {
    // Versions are an extra: the article reads fine without them.
  }
}

/**
 * Lists the articles related to the open one under it, once they arrive; a failure leaves the list out.
 * @param {string} articleId
 * @param {number} seq The load it belongs to: a newer load drops it.
 * @param {AbortSignal} signal
 * @param {HTMLElement} view The rendered article.
 */
async function showRelated(articleId, seq, signal, view) {
  try {
    const related = await getRelated(articleId, signal);
    if (seq === loadSeq) view.append(renderRelated(related, state));
  } catch {
    // Related articles are an extra: the article reads fine without them.
  }
}

// ----------------------------------------------------------------- controls

initAlerts();

initAdvancedSearch((q, from, to) => {
  suggestions.close();
  commit(withChanges(state, { q, ...(from ? { from } : {}), ...(to ? { to } : {}) }));
});

dom.input.addEventListener('input', () => {
  clearTimeout(typingTimer);
  typingTimer = setTimeout(() => {
    const q = dom.input.value;
    const next = withChanges(state, { q });
    if (urlOf(next) !== urlOf(state) || state.article !== null) {
      navigate(next, typingSession ? 'replace' : 'push');
      typingSession = true;
    }
    void suggestions.update(q);
  }, TYPING_DEBOUNCE_MS);
});

dom.searchForm.addEventListener('submit', (event) => {
  event.preventDefault();
  suggestions.close();
  const next = withChanges(state, { q: dom.input.value });
  if (urlOf(next) === urlOf(state) && state.article === null) {
    // Typing already shows these results; Enter just ends the typing session.
    clearTimeout(typingTimer);
    typingSession = false;
    return;
  }
  commit(next);
});

dom.filterForm.addEventListener('submit', (event) => event.preventDefault());

// An archive behind a search key: the export is fetched with the key (a link cannot send it).
dom.exportLink.addEventListener('click', (event) => {
  if (!storedKey()) return;
  event.preventDefault();
  downloadWithKey(dom.exportLink.href).catch((/** @type {Error} */ error) => announce(error.message));
});

/** Delay before a date typed into a date box is applied, in ms (the year arrives digit by digit). */
const DATE_DEBOUNCE_MS = 500;
/** @type {ReturnType<typeof setTimeout>|undefined} */
let dateTimer;

dom.filterForm.addEventListener('change', (event) => {
  const target = event.target;
  if (!(target instanceof HTMLInputElement || target instanceof HTMLSelectElement)) return;
  clearTimeout(dateTimer);
  if (target.type === 'date') {
    // Typing "2025" into the year passes through 0002, 0020, 0202: wait for a plausible, settled date.
    if (target.value !== '' && !/^[1-9]\d{3}-\d{2}-\d{2}$/.test(target.value)) return;
    dateTimer = setTimeout(applyFilters, DATE_DEBOUNCE_MS);
    return;
  }
  applyFilters(target);
});

/**
 * Commits the filter panel's values (sort, dates, ticked facets) as a new state.
 * @param {HTMLInputElement|HTMLSelectElement} [target] The control that changed, to keep focus on it.
 */
function applyFilters(target) {
  /** @type {Partial<import('./state.js').UiState>} */
  const changes = {
    sort: /** @type {any} */ (dom.sort.value),
    // Keeps a half-life set in the URL while ticked; ticking asks for a year.
    recencyHalfLife: dom.preferRecent.checked ? state.recencyHalfLife || PREFER_RECENT_HALF_LIFE : 0,
    from: dom.from.value,
    to: dom.to.value,
  };
  for (const key of LIST_FILTERS) {
    const boxes = /** @type {NodeListOf<HTMLInputElement>} */ (dom.facets.querySelectorAll(`input[name="${key}"]`));
    // Keep the order values were ticked in (stable URLs), and values the list does not show.
    const shown = new Set([...boxes].map((b) => b.value));
    const checked = [...boxes].filter((b) => b.checked).map((b) => b.value);
    const kept = state[key].filter((v) => !shown.has(v) || checked.includes(v));
    changes[key] = [...kept, ...checked.filter((v) => !kept.includes(v))];
  }
  const next = withChanges(state, changes);
  if (urlOf(next) === urlOf(state)) return;
  commit(next);
  // The facet list is rebuilt with the answer: put focus back on the same box.
  if (target instanceof HTMLInputElement && target.type === 'checkbox') restoreFacetFocus(target.name, target.value);
}

/**
 * Focuses the checkbox for `name`/`value` once the facets have been re-rendered.
 * @param {string} name
 * @param {string} value
 */
function restoreFacetFocus(name, value) {
  const observer = new MutationObserver(() => {
    const box = [...dom.facets.querySelectorAll(`input[name="${CSS.escape(name)}"]`)].find(
      (b) => b instanceof HTMLInputElement && b.value === value,
    );
    if (box instanceof HTMLElement) {
      box.focus();
      observer.disconnect();
    }
  });
  observer.observe(dom.facets, { childList: true });
  setTimeout(() => observer.disconnect(), 5000);
}

// Filters: open beside the results on wide screens, collapsed above them on phones.
const wide = window.matchMedia('(min-width: 56rem)');
dom.filters.open = wide.matches;
wide.addEventListener('change', () => {
  dom.filters.open = wide.matches;
});

// "/" focuses the search box, as on most search sites.
document.addEventListener('keydown', (event) => {
  if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
  const active = document.activeElement;
  if (
    active instanceof HTMLInputElement ||
    active instanceof HTMLTextAreaElement ||
    active instanceof HTMLSelectElement
  )
    return;
  event.preventDefault();
  dom.input.focus();
  dom.input.select();
});

// -------------------------------------------------------------- suggestions

const suggestions = initSuggestions(dom, (q) => commit(withChanges(state, { q })));

void render();
