/**
 * The "Advanced search" panel: reads its fields, writes them as one query
 * (`queryFromFields`) and hands the query and the dates to the page, which
 * searches exactly as if the query had been typed (same `q`, same URL). The
 * panel also shows the query it will run, as it is filled in, so people learn
 * the syntax of the search box.
 */

import { AT_LEAST_DEFAULT, NEAR_DEFAULT, queryFromFields } from './advanced-query.js';

/**
 * @param {string} id
 * @returns {HTMLInputElement}
 */
const field = (id) => /** @type {HTMLInputElement} */ (document.getElementById(id));

/** @returns {import('./advanced-query.js').AdvancedFields} The fields as filled in. */
function readFields() {
  return {
    all: field('adv-all').value,
    phrase: field('adv-phrase').value,
    nearA: field('adv-near-a').value,
    nearB: field('adv-near-b').value,
    nearDistance: Number(field('adv-near-distance').value || NEAR_DEFAULT),
    nearUnit: /** @type {'words'|'sentence'|'paragraph'} */ (field('adv-near-unit').value),
    any: field('adv-any').value,
    none: field('adv-none').value,
    title: field('adv-title').value,
    author: field('adv-author').value,
    section: field('adv-section').value,
    lead: field('adv-lead').value,
    atLeastWord: field('adv-atleast-word').value,
    atLeastCount: Number(field('adv-atleast-count').value || AT_LEAST_DEFAULT),
    person: field('adv-person').value,
    org: field('adv-org').value,
    place: field('adv-place').value,
  };
}

/**
 * Wires the advanced-search form.
 * @param {(q: string, from: string, to: string) => void} onSearch Runs the search (a committed change of `q`, `from` and `to`).
 */
export function initAdvancedSearch(onSearch) {
  const form = /** @type {HTMLFormElement|null} */ (document.getElementById('advanced-form'));
  const preview = document.getElementById('adv-preview');
  if (!form || !preview) return;
  const update = () => {
    // A sentence or a paragraph has no distance to give.
    field('adv-near-distance').disabled = field('adv-near-unit').value !== 'words';
    preview.textContent = queryFromFields(readFields()) || '(nothing yet)';
  };
  form.addEventListener('input', update);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    onSearch(queryFromFields(readFields()), field('adv-from').value, field('adv-to').value);
  });
  form.addEventListener('reset', () => setTimeout(update, 0));
  update();
}
