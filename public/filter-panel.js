/**
 * The filter panel: sort, "prefer recent", the dates (applied once a typed date
 * settles) and the facets' boxes, each change committed as a new state with
 * focus kept on the box ticked; open beside the results on wide screens,
 * collapsed above them on phones.
 */

import { dom } from './page-dom.js';
import { commit, screen } from './screen.js';
import { LIST_FILTERS, PREFER_RECENT_HALF_LIFE, urlOf, withChanges } from './state.js';

/** Delay before a date typed into a date box is applied, in ms (the year arrives digit by digit). */
const DATE_DEBOUNCE_MS = 500;
/** @type {ReturnType<typeof setTimeout>|undefined} */
let dateTimer;

/** Wires the filter panel's controls: each change is committed as a new state. */
export function initFilterPanel() {
  dom.filterForm.addEventListener('submit', (event) => event.preventDefault());

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

  // Filters: open beside the results on wide screens, collapsed above them on phones.
  const wide = window.matchMedia('(min-width: 56rem)');
  dom.filters.open = wide.matches;
  wide.addEventListener('change', () => {
    dom.filters.open = wide.matches;
  });
}

/**
 * Commits the filter panel's values (sort, dates, ticked facets) as a new state.
 * @param {HTMLInputElement|HTMLSelectElement} [target] The control that changed, to keep focus on it.
 */
function applyFilters(target) {
  /** @type {Partial<import('./state.js').UiState>} */
  const changes = {
    sort: /** @type {any} */ (dom.sort.value),
    // Keeps a half-life set in the URL while ticked; ticking asks for a year.
    recencyHalfLife: dom.preferRecent.checked ? screen.state.recencyHalfLife || PREFER_RECENT_HALF_LIFE : 0,
    from: dom.from.value,
    to: dom.to.value,
  };
  for (const key of LIST_FILTERS) {
    const boxes = /** @type {NodeListOf<HTMLInputElement>} */ (dom.facets.querySelectorAll(`input[name="${key}"]`));
    // Keep the order values were ticked in (stable URLs), and values the list does not show.
    const shown = new Set([...boxes].map((b) => b.value));
    const checked = [...boxes].filter((b) => b.checked).map((b) => b.value);
    const kept = screen.state[key].filter((v) => !shown.has(v) || checked.includes(v));
    changes[key] = [...kept, ...checked.filter((v) => !kept.includes(v))];
  }
  const next = withChanges(screen.state, changes);
  if (urlOf(next) === urlOf(screen.state)) return;
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
