/**
 * The timeline of hits: a bar chart of the `month` facet, drawn by hand as an
 * SVG (no library, no build step). Accessible: the SVG is a labelled group of
 * links, one per period with hits, each named ("March 2024: 12 articles") and
 * reachable with Tab; Enter or a click filters the results to that period
 * (`from`/`to`). A table of the same counts, with the same links, follows in a
 * `<details>` for screen readers and for reading exact numbers.
 *
 * Up to {@link MAX_MONTH_BARS} months from the first to the last with hits are
 * one bar each (months without hits included, as empty bars); a longer span is
 * drawn by year, and clicking a year narrows to it, where the months show.
 */

import { h } from './dom.js';
import { urlOf, withChanges } from './state.js';

/** Most months drawn one bar each; a longer span is drawn by year. */
export const MAX_MONTH_BARS = 120;

const SVG_NS = 'http://www.w3.org/2000/svg';
/** Drawing size in SVG units (the SVG scales to its box). */
const WIDTH = 600;
const HEIGHT = 120;
const MONTH_FORMAT = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/**
 * An SVG element with attributes and children.
 * @param {string} tag
 * @param {Record<string, string|number>} attrs
 * @param {...(Node|string)} children
 */
function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  for (const child of children) node.append(child);
  return node;
}

/**
 * @typedef {object} Period
 * @property {string} key `YYYY-MM` or `YYYY`.
 * @property {string} label "March 2024" or "2024".
 * @property {string} from First day, `YYYY-MM-DD`.
 * @property {string} to Last day, `YYYY-MM-DD`.
 * @property {number} count Hits.
 */

/**
 * The periods to draw for a `month` facet: every month from the first to the last
 * (zeros filled in), or every year when that is more than {@link MAX_MONTH_BARS} months.
 * @param {Record<string, number>} months `{"2024-03": 12, …}`
 * @returns {Period[]}
 */
export function periodsOf(months) {
  const keys = Object.keys(months)
    .filter((k) => /^\d{4}-\d{2}$/.test(k))
    .sort();
  if (keys.length === 0) return [];
  const first = /** @type {string} */ (keys[0]);
  const last = /** @type {string} */ (keys[keys.length - 1]);
  const index = (/** @type {string} */ key) => Number(key.slice(0, 4)) * 12 + Number(key.slice(5, 7)) - 1;
  const span = index(last) - index(first) + 1;
  const day = (/** @type {number} */ y, /** @type {number} */ m, /** @type {number} */ d) =>
    new Date(Date.UTC(y, m, d)).toISOString().slice(0, 10);
  /** @type {Period[]} */
  const periods = [];
  if (span <= MAX_MONTH_BARS) {
    for (let i = index(first); i <= index(last); i++) {
      const y = Math.floor(i / 12);
      const m = i % 12;
      const key = `${String(y).padStart(4, '0')}-${String(m + 1).padStart(2, '0')}`;
      periods.push({
        key,
        label: MONTH_FORMAT.format(Date.UTC(y, m, 1)),
        from: day(y, m, 1),
        to: day(y, m + 1, 0),
        count: months[key] ?? 0,
      });
    }
    return periods;
  }
  for (let y = Number(first.slice(0, 4)); y <= Number(last.slice(0, 4)); y++) {
    let count = 0;
    for (let m = 1; m <= 12; m++) count += months[`${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`] ?? 0;
    periods.push({ key: String(y), label: String(y), from: day(y, 0, 1), to: day(y, 11, 31), count });
  }
  return periods;
}

/**
 * The timeline for a `month` facet, or null when no hit is dated.
 * @param {Record<string, number>|undefined} months
 * @param {import('./state.js').UiState} state
 * @returns {HTMLElement|null}
 */
export function renderTimeline(months, state) {
  const periods = periodsOf(months ?? {});
  if (periods.length === 0) return null;
  const byYear = periods[0]?.key.length === 4;
  const max = Math.max(1, ...periods.map((p) => p.count));
  const slot = WIDTH / periods.length;
  const noun = (/** @type {number} */ n) => `${n.toLocaleString('en-GB')} ${n === 1 ? 'article' : 'articles'}`;
  const hrefOf = (/** @type {Period} */ p) => urlOf(withChanges(state, { from: p.from, to: p.to }));
  const chart = svg('svg', {
    class: 'timeline-chart',
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    preserveAspectRatio: 'none',
    role: 'group',
    'aria-labelledby': 'timeline-heading',
  });
  periods.forEach((p, i) => {
    const height = p.count === 0 ? 1 : Math.max(3, (p.count / max) * (HEIGHT - 4));
    const x = i * slot + Math.min(1, slot * 0.1);
    const bar = svg('rect', {
      class: p.count ? 'bar' : 'bar bar-empty',
      x: x.toFixed(2),
      y: (HEIGHT - height).toFixed(2),
      width: Math.max(0.5, slot - 2 * Math.min(1, slot * 0.1)).toFixed(2),
      height: height.toFixed(2),
    });
    if (p.count === 0) {
      chart.append(bar);
      return;
    }
    // The whole column is the target, so a short bar is as easy to hit as a tall one.
    const hitArea = svg('rect', {
      class: 'bar-target',
      x: (i * slot).toFixed(2),
      y: 0,
      width: slot.toFixed(2),
      height: HEIGHT,
    });
    const label = `${p.label}: ${noun(p.count)}`;
    chart.append(
      svg(
        'a',
        { href: hrefOf(p), 'data-nav': '', 'data-period': p.key, 'aria-label': label },
        svg('title', {}, label),
        hitArea,
        bar,
      ),
    );
  });
  const first = /** @type {Period} */ (periods[0]);
  const last = /** @type {Period} */ (periods[periods.length - 1]);
  const axis = h(
    'p',
    { class: 'timeline-axis', 'aria-hidden': 'true' },
    h('span', {}, first.label),
    h('span', {}, last.label),
  );
  const rows = periods
    .filter((p) => p.count > 0)
    .map((p) =>
      h(
        'tr',
        {},
        h('th', { scope: 'row' }, h('a', { href: hrefOf(p), 'data-nav': '' }, p.label)),
        h('td', {}, p.count.toLocaleString('en-GB')),
      ),
    );
  const table = h(
    'details',
    { class: 'timeline-table' },
    h('summary', {}, 'Show as a table'),
    h(
      'table',
      {},
      h(
        'thead',
        {},
        h('tr', {}, h('th', { scope: 'col' }, byYear ? 'Year' : 'Month'), h('th', { scope: 'col' }, 'Articles')),
      ),
      h('tbody', {}, ...rows),
    ),
  );
  const hint = h(
    'p',
    { class: 'timeline-hint' },
    `Articles per ${byYear ? 'year' : 'month'}; choose a bar to show only that ${byYear ? 'year' : 'month'}.`,
  );
  return h(
    'section',
    { class: 'timeline', 'aria-labelledby': 'timeline-heading' },
    h('h2', { id: 'timeline-heading', class: 'timeline-heading' }, 'Timeline'),
    hint,
    chart,
    axis,
    table,
  );
}
