/**
 * The search box: results as the user types (debounced; one history entry per
 * typing session), Enter as a committed search, "/" to focus it.
 */

import { dom } from './page-dom.js';
import { commit, navigate, screen } from './screen.js';
import { urlOf, withChanges } from './state.js';

/** Delay between the last keystroke and the search, in ms. */
const TYPING_DEBOUNCE_MS = 150;

/**
 * Wires the search box, its form and the "/" key; `suggestions` are updated as the user types and closed on Enter.
 * @param {{update: (q: string) => Promise<void>, close: () => void}} suggestions
 */
export function initSearchBox(suggestions) {
  dom.input.addEventListener('input', () => {
    clearTimeout(screen.typingTimer);
    screen.typingTimer = setTimeout(() => {
      const q = dom.input.value;
      const next = withChanges(screen.state, { q });
      if (urlOf(next) !== urlOf(screen.state) || screen.state.article !== null) {
        navigate(next, screen.typingSession ? 'replace' : 'push');
        screen.typingSession = true;
      }
      void suggestions.update(q);
    }, TYPING_DEBOUNCE_MS);
  });

  dom.searchForm.addEventListener('submit', (event) => {
    event.preventDefault();
    suggestions.close();
    const next = withChanges(screen.state, { q: dom.input.value });
    if (urlOf(next) === urlOf(screen.state) && screen.state.article === null) {
      // Typing already shows these results; Enter just ends the typing session.
      clearTimeout(screen.typingTimer);
      screen.typingSession = false;
      return;
    }
    commit(next);
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
}
