/**
 * The screen's state and its history: the state on screen is always what the URL
 * says; `navigate` and `commit` change both, then render.
 *
 * History: a committed search (Enter, a filter, sort, page, a suggestion, an
 * article) gets its own entry (`pushState`). While typing, the first debounced
 * update of a typing session pushes one entry and the following ones replace it
 * (`replaceState`), so Back returns to the screen before the typing, not to
 * every prefix typed. `popstate` re-renders whatever the URL says.
 */

import { stateFromUrl, urlOf } from './state.js';

/** What the views and controls share about the screen. */
export const screen = {
  /** The state on screen (always equal to what the URL says). */
  state: stateFromUrl(location.search, location.hash),
  /** True after the first history entry of the current typing session was pushed. */
  typingSession: false,
  /** @type {ReturnType<typeof setTimeout>|undefined} */
  typingTimer: undefined,
  /** The article last opened from the results, to put focus back on it. */
  openedFrom: /** @type {{articleId: string, resultsUrl: string}|null} */ (null),
};

/** Renders the screen for `screen.state` (set by the page's controller: `setRenderer`). */
let render = async () => {};

/**
 * Sets what renders the screen after each change of state.
 * @param {() => Promise<void>} renderer
 */
export function setRenderer(renderer) {
  render = renderer;
}

/** Renders the screen again for the state it shows (a retry, a history step). */
export function rerender() {
  void render();
}

/**
 * Shows `next` and records it in the history.
 * @param {import('./state.js').UiState} next
 * @param {'push'|'replace'} mode
 */
export function navigate(next, mode) {
  const url = urlOf(next);
  const current = location.search + location.hash || './';
  if (url !== current && !(url === './' && location.search === '' && location.hash === '')) {
    if (mode === 'push') history.pushState(null, '', url);
    else history.replaceState(null, '', url);
  }
  screen.state = next;
  void render();
}

/**
 * A committed change: its own history entry; ends the typing session.
 * @param {import('./state.js').UiState} next
 */
export function commit(next) {
  clearTimeout(screen.typingTimer);
  screen.typingSession = false;
  navigate(next, 'push');
}
