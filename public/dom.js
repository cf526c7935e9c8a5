/**
 * The DOM primitives every view builds with: `h` (elements whose strings are
 * always text), `setMarkedHtml` (the one door for the API's highlighted HTML),
 * dates and plurals. Imports nothing, so any view can use them.
 */

/**
 * Creates an element. `props` sets attributes (`class`, `href`, `aria-*`, …;
 * `null`/`false` skip one, `true` sets it empty); children are nodes or strings,
 * and strings become text nodes, so they are never parsed as HTML.
 * @param {string} tag
 * @param {Record<string, string|number|boolean|null|undefined>} [props]
 * @param {...(Node|string|null|undefined|false)} children
 * @returns {HTMLElement}
 */
export function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}

/**
 * Puts one of the API's highlighted-HTML fields (`html`, `titleHtml`) into `node`.
 *
 * Why `innerHTML` is safe here: the contract guarantees these fields are the
 * plain text with `& < > " '` escaped and `<mark>`/`</mark>` as the only tags,
 * never caller-chosen. As a second line of defence the string is parsed in an
 * inert `<template>` (no script runs, no image loads there), and anything that
 * parsed into an element other than a bare `<mark>` is replaced by its text, so
 * even a misbehaving server cannot inject markup. Nothing else in the UI uses
 * `innerHTML`.
 * @param {Element} node
 * @param {string} html
 */
export function setMarkedHtml(node, html) {
  const template = document.createElement('template');
  template.innerHTML = html; // safe: server-escaped text with <mark> only, parsed inert (see above)
  for (const el of [...template.content.querySelectorAll('*')].reverse()) {
    if (el.tagName !== 'MARK' || el.attributes.length > 0)
      el.replaceWith(document.createTextNode(el.textContent ?? ''));
  }
  node.replaceChildren(template.content);
}

const DATE_FORMAT = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});

/**
 * A publication date as a `<time>` element ("25 Jul 2025") inside a link to that
 * day's articles (`?day=2025-07-25`), or null when unknown.
 * Dates are shown in UTC so a date-only value never shifts a day.
 * @param {string|null} iso `YYYY-MM-DD` or an ISO date-time.
 */
export function renderDate(iso) {
  if (!iso) return null;
  const time = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T00:00:00Z` : iso);
  const shown = h('time', { datetime: iso }, Number.isNaN(time) ? iso : DATE_FORMAT.format(time));
  const day = /^\d{4}-\d{2}-\d{2}/.test(iso) ? iso.slice(0, 10) : null;
  return day
    ? h('a', { href: `?day=${day}`, 'data-nav': '', class: 'day-link', title: 'All articles of this day' }, shown)
    : shown;
}

/**
 * @param {number} n
 * @param {string} one
 * @param {string} many
 */
export function plural(n, one, many) {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
}
