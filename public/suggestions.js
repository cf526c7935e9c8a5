/**
 * The search box's suggestions: completions of the word being typed (`/suggest`),
 * listed as a listbox under the box (ARIA combobox: arrow keys move, Enter
 * chooses, Escape closes, a click chooses without taking focus from the box).
 */

import { suggestWords } from './api.js';
import { h, plural } from './dom.js';
import { lastWordOf, replaceLastWord } from './state.js';

/** Most suggestions listed. */
const MAX_SUGGESTIONS = 8;

/**
 * Wires the suggestions of `input` into `list`; `onChoose(q)` receives the query
 * with the word being typed replaced by the chosen one.
 * @param {{input: HTMLInputElement, suggestions: HTMLElement}} dom
 * @param {(q: string) => void} onChoose
 * @returns {{update: (q: string) => Promise<void>, close: () => void}}
 */
export function initSuggestions(dom, onChoose) {
  let suggestSeq = 0;
  /** @type {AbortController|null} */
  let suggestController = null;
  /** @type {{text: string, count: number}[]} */
  let suggestionItems = [];
  let activeSuggestion = -1;

  /**
   * Asks for completions of the word being typed and lists them.
   * @param {string} q
   */
  async function updateSuggestions(q) {
    suggestController?.abort();
    const seq = ++suggestSeq;
    const last = lastWordOf(q);
    if (!last || document.activeElement !== dom.input) {
      closeSuggestions();
      return;
    }
    suggestController = new AbortController();
    try {
      const { suggestions } = await suggestWords(q, suggestController.signal);
      if (seq !== suggestSeq || dom.input.value !== q) return;
      const items = (Array.isArray(suggestions) ? suggestions : []).slice(0, MAX_SUGGESTIONS);
      const lastWord = last.word.toLowerCase();
      if (items.length === 0 || (items.length === 1 && items[0]?.text.toLowerCase() === lastWord)) {
        closeSuggestions();
        return;
      }
      showSuggestions(items);
    } catch {
      // Suggestions are a convenience: a failure (or the index loading) just hides them.
      if (seq === suggestSeq) closeSuggestions();
    }
  }

  /**
   * Lists `items` as listbox options; none is active until the arrow keys move.
   * @param {{text: string, count: number}[]} items
   */
  function showSuggestions(items) {
    suggestionItems = items;
    activeSuggestion = -1;
    dom.suggestions.replaceChildren(
      ...items.map((item, i) =>
        h(
          'li',
          { id: `suggestion-${i}`, role: 'option', 'aria-selected': 'false', class: 'suggestion' },
          h('span', { class: 'suggestion-text' }, item.text),
          h(
            'span',
            { class: 'suggestion-count' },
            h('span', { class: 'visually-hidden' }, ', '),
            plural(item.count, 'article', 'articles'),
          ),
        ),
      ),
    );
    dom.suggestions.hidden = false;
    dom.input.setAttribute('aria-expanded', 'true');
    dom.input.removeAttribute('aria-activedescendant');
  }

  /** Hides the suggestion list. */
  function closeSuggestions() {
    suggestController?.abort();
    suggestSeq += 1;
    suggestionItems = [];
    activeSuggestion = -1;
    dom.suggestions.hidden = true;
    dom.suggestions.replaceChildren();
    dom.input.setAttribute('aria-expanded', 'false');
    dom.input.removeAttribute('aria-activedescendant');
  }

  /**
   * Marks option `index` as active (-1: none), for the arrow keys.
   * @param {number} index
   */
  function setActiveSuggestion(index) {
    activeSuggestion = index;
    [...dom.suggestions.children].forEach((option, i) => {
      option.setAttribute('aria-selected', String(i === index));
      option.classList.toggle('active', i === index);
    });
    if (index >= 0) {
      dom.input.setAttribute('aria-activedescendant', `suggestion-${index}`);
      dom.suggestions.children[index]?.scrollIntoView({ block: 'nearest' });
    } else dom.input.removeAttribute('aria-activedescendant');
  }

  /**
   * Replaces the word being typed by suggestion `index` and searches.
   * @param {number} index
   */
  function chooseSuggestion(index) {
    const item = suggestionItems[index];
    if (!item) return;
    const q = replaceLastWord(dom.input.value, item.text);
    closeSuggestions();
    dom.input.value = q;
    dom.input.focus();
    onChoose(q);
  }

  dom.input.addEventListener('keydown', (event) => {
    const open = !dom.suggestions.hidden && suggestionItems.length > 0;
    switch (event.key) {
      case 'ArrowDown':
        if (!open) {
          if (lastWordOf(dom.input.value)) void updateSuggestions(dom.input.value);
          return;
        }
        event.preventDefault();
        setActiveSuggestion(activeSuggestion + 1 >= suggestionItems.length ? 0 : activeSuggestion + 1);
        break;
      case 'ArrowUp':
        if (!open) return;
        event.preventDefault();
        setActiveSuggestion(activeSuggestion <= 0 ? suggestionItems.length - 1 : activeSuggestion - 1);
        break;
      case 'Enter':
        if (open && activeSuggestion >= 0) {
          event.preventDefault();
          chooseSuggestion(activeSuggestion);
        }
        break;
      case 'Escape':
        if (open) {
          // Close the list only; without this the search box would also clear itself.
          event.preventDefault();
          closeSuggestions();
        }
        break;
      case 'Tab':
        closeSuggestions();
        break;
      default:
    }
  });

  dom.input.addEventListener('blur', () => {
    // Let a click on an option land before the list goes away.
    setTimeout(() => {
      if (document.activeElement !== dom.input) closeSuggestions();
    }, 150);
  });

  // mousedown, not click: keeps focus in the search box while choosing.
  dom.suggestions.addEventListener('mousedown', (event) => {
    const option = event.target instanceof Element ? event.target.closest('[role="option"]') : null;
    if (!option) return;
    event.preventDefault();
    chooseSuggestion([...dom.suggestions.children].indexOf(option));
  });

  return { update: updateSuggestions, close: closeSuggestions };
}
