/**
 * Browsing one day: the day's articles in source and section order (the desk's
 * view of a day's paper), and links to the day before and the day after. The page
 * shows it for `?day=YYYY-MM-DD`; every date on the page links there.
 */

import { h } from './dom.js';
import { urlOf, withChanges } from './state.js';

const DAY_FORMAT = new Intl.DateTimeFormat('en-GB', {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

/**
 * The day `n` days after `day` (before, for a negative `n`), `YYYY-MM-DD`, UTC.
 * @param {string} day `YYYY-MM-DD`
 * @param {number} n
 */
export function shiftDay(day, n) {
  const time = Date.parse(`${day}T00:00:00Z`) + n * 86_400_000;
  return new Date(time).toISOString().slice(0, 10);
}

/**
 * The day of a publication date (`YYYY-MM-DD` or an ISO date-time, UTC), or null.
 * @param {string|null} iso
 */
export function dayOf(iso) {
  return iso && /^\d{4}-\d{2}-\d{2}/.test(iso) ? iso.slice(0, 10) : null;
}

/**
 * Hits in source, then section order (no source or section last), then by time and headline.
 * @template {{source: string|null, section: string|null, date: string|null, title: string}} T
 * @param {readonly T[]} hits
 * @returns {T[]}
 */
export function orderForDay(hits) {
  const key = (/** @type {string|null} */ v) => (v === null || v === '' ? '\uffff' : v.toLowerCase());
  return [...hits].sort(
    (a, b) =>
      key(a.source).localeCompare(key(b.source)) ||
      key(a.section).localeCompare(key(b.section)) ||
      (a.date ?? '').localeCompare(b.date ?? '') ||
      a.title.localeCompare(b.title),
  );
}

/**
 * The bar above a day's articles: the day written out, the day before and the day after, and the way back.
 * @param {import('./state.js').UiState} state A state with `day` set.
 */
export function renderDayNav(state) {
  const link = (/** @type {string} */ day, /** @type {string} */ text, /** @type {string} */ rel) =>
    h('a', { href: urlOf(withChanges(state, { day })), 'data-nav': '', class: `day-step day-${rel}`, rel }, text);
  return h(
    'nav',
    { class: 'day-nav', 'aria-label': 'Browse by day' },
    link(shiftDay(state.day, -1), '← Day before', 'prev'),
    h('span', { class: 'day-label' }, DAY_FORMAT.format(Date.parse(`${state.day}T00:00:00Z`))),
    link(shiftDay(state.day, 1), 'Day after →', 'next'),
    h('a', { href: urlOf(withChanges(state, { day: '' })), 'data-nav': '', class: 'day-leave' }, 'All days'),
  );
}
