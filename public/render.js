/**
 * DOM builders for the results list, the facets, the article view and the
 * pager. Safe by construction: every value from the API goes in with
 * `textContent` (through `h`), except the API's `html`/`titleHtml` fields, which
 * go through `setMarkedHtml` alone.
 */

import { LIST_FILTERS, lastReachablePage, urlOf, withChanges } from './state.js';
import { h, plural, renderDate, setMarkedHtml } from './dom.js';
import { renderHitVersions } from './versions.js';

/**
 * A marked-text element: `html` when the API sent it (a string), else `text` as text.
 * @param {string} tag
 * @param {Record<string, string|number|boolean|null|undefined>} props
 * @param {string|null|undefined} html
 * @param {string} text
 */
function marked(tag, props, html, text) {
  const node = h(tag, props);
  if (typeof html === 'string') setMarkedHtml(node, html);
  else node.textContent = text;
  return node;
}

/**
 * The metadata line of an article or hit: date · authors · source · section.
 * @param {{date: string|null, authors: string[], source: string|null, section: string|null}} meta
 */
export function renderMeta(meta) {
  const parts = [];
  const date = renderDate(meta.date);
  if (date) parts.push(h('span', { class: 'meta-date' }, date));
  if (meta.authors?.length) parts.push(h('span', { class: 'meta-authors' }, `By ${meta.authors.join(', ')}`));
  if (meta.source) parts.push(h('span', { class: 'meta-source' }, meta.source));
  if (meta.section) parts.push(h('span', { class: 'meta-section' }, meta.section));
  return h('p', { class: 'meta' }, ...parts);
}

/**
 * "What was searched for": terms, phrases, excluded and ignored parts, the synonyms
 * the synonym set added, and the typo fallback's correction.
 * @param {any} response A `/search` response.
 * @param {(q: string) => void} onSearch Runs another query (the correction link).
 */
export function renderParsedQuery(response, onSearch) {
  const pq = response.parsedQuery ?? { terms: [], phrases: [], excluded: [], ignored: [] };
  const box = h('div', { class: 'parsed-query' });
  const chips = h('ul', { class: 'chips', 'aria-label': 'Searched for' });
  for (const term of pq.terms ?? []) chips.append(h('li', { class: 'chip' }, term));
  for (const phrase of pq.phrases ?? []) chips.append(h('li', { class: 'chip chip-phrase' }, `“${phrase}”`));
  for (const word of pq.excluded ?? [])
    chips.append(
      h('li', { class: 'chip chip-excluded' }, h('span', { class: 'visually-hidden' }, 'without '), `−${word}`),
    );
  for (const word of pq.ignored ?? [])
    chips.append(
      h(
        'li',
        { class: 'chip chip-ignored', title: 'Ignored' },
        h('span', { class: 'visually-hidden' }, 'ignored: '),
        word,
      ),
    );
  if (chips.childElementCount) box.append(h('span', { class: 'parsed-label' }, 'Searched for'), chips);
  // Synonyms the set added (PUT /synonyms): "also kyiv for kiev".
  const synonyms = pq.synonyms ?? [];
  if (synonyms.length) {
    const also = h('p', { class: 'synonym-note' }, 'Also searched: ');
    synonyms.forEach((rule, i) => {
      if (i > 0) also.append('; ');
      also.append(h('span', { class: 'chip chip-synonym' }, rule.to.join(', ')), ` for ${rule.from}`);
    });
    box.append(also);
  }

  if (response.typoTolerance) {
    const note = h('p', { class: 'typo-note' });
    if (response.correctedQuery) {
      const link = h('a', { href: '#', class: 'corrected' }, response.correctedQuery);
      link.addEventListener('click', (event) => {
        event.preventDefault();
        onSearch(response.correctedQuery);
      });
      note.append('Showing results for ', link, ' (typo tolerance used).');
    } else {
      note.append('Typo tolerance used: some words matched with a spelling difference.');
    }
    box.append(note);
  }
  return box;
}

/**
 * One hit: headline linking to the article, metadata, snippets linking to their paragraphs.
 * @param {any} hit
 * @param {import('./state.js').UiState} state
 * @param {boolean} browse True in browse mode (the snippet is the lead, not a match).
 * @param {number} position 1-based position of the hit in the whole result list (a click on it reports it).
 */
export function renderHit(hit, state, browse, position) {
  const articleUrl = urlOf(withChanges(state, { article: hit.articleId, page: state.page }));
  const title = h(
    'h2',
    { class: 'hit-title' },
    marked('a', { href: articleUrl, 'data-nav': '' }, hit.titleHtml, hit.title),
  );
  const item = h('li', { class: 'hit', 'data-position': String(position) }, h('article', {}, title, renderMeta(hit)));
  const snippets = h('ul', { class: 'snippets' });
  for (const snippet of hit.snippets ?? []) {
    const href = urlOf(
      withChanges(state, { article: hit.articleId, paragraph: snippet.paragraphIndex, page: state.page }),
    );
    const link = marked('a', { href, class: 'snippet', 'data-nav': '' }, snippet.html, snippet.text);
    link.prepend(h('span', { class: 'visually-hidden' }, `Paragraph ${snippet.paragraphIndex + 1}: `));
    snippets.append(h('li', {}, link));
  }
  if (snippets.childElementCount) item.firstElementChild?.append(snippets);
  if (!browse && hit.matchingParagraphs > 1) {
    item.firstElementChild?.append(
      h(
        'p',
        { class: 'hit-count' },
        `${plural(hit.matchingParagraphs, 'matching paragraph', 'matching paragraphs')} in this article`,
      ),
    );
  }
  item.firstElementChild?.append(...renderHitVersions(hit, state));
  return item;
}

/**
 * The pager: previous, numbered pages around the current one, next.
 * @param {any} response
 * @param {import('./state.js').UiState} state
 */
export function renderPager(response, state) {
  const last = lastReachablePage(response.totalPages ?? 1, state.hitsPerPage);
  if (last <= 1) return null;
  const current = state.page;
  const list = h('ul', { class: 'pager-list' });
  /**
   * @param {number} page
   * @param {string} label
   * @param {string} [extraClass]
   */
  const link = (page, label, extraClass = '') => {
    const href = urlOf(withChanges(state, { page }));
    const props =
      page === current
        ? { href, 'aria-current': 'page', class: `page current ${extraClass}`, 'data-nav': '' }
        : { href, class: `page ${extraClass}`, 'data-nav': '' };
    return h('li', {}, h('a', props, label));
  };
  if (current > 1) list.append(link(current - 1, '← Previous', 'prev'));
  const pages = new Set([1, last, current - 1, current, current + 1].filter((p) => p >= 1 && p <= last));
  let previous = 0;
  for (const page of [...pages].sort((a, b) => a - b)) {
    if (page - previous > 1) list.append(h('li', { class: 'gap', 'aria-hidden': 'true' }, '…'));
    list.append(link(page, String(page)));
    previous = page;
  }
  if (current < last) list.append(link(current + 1, 'Next →', 'next'));
  return h('nav', { class: 'pager', 'aria-label': 'Result pages' }, list);
}

/** Facet labels, in display order. */
const FACET_LABELS = /** @type {const} */ ({
  source: 'Source',
  section: 'Section',
  author: 'Author',
  tag: 'Tag',
  person: 'People',
  org: 'Organisations',
  place: 'Places',
});

/** Values shown per facet before the list is cut (selected values are always shown). */
const FACET_LIMIT = 8;

/**
 * The facet checkboxes (source, section, author, tag) with counts, and year shortcuts.
 * Selected values always stay listed, even when the current results do not count
 * them, so they can be unticked.
 * @param {Record<string, Record<string, number>>} distribution `facetDistribution`.
 * @param {import('./state.js').UiState} state
 */
export function renderFacets(distribution, state) {
  const root = document.createDocumentFragment();
  for (const key of LIST_FILTERS) {
    const counts = distribution?.[key] ?? {};
    const selected = state[key];
    const entries = Object.entries(counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    const shown = entries.slice(0, FACET_LIMIT);
    for (const value of selected) {
      if (!shown.some(([v]) => v.toLowerCase() === value.toLowerCase())) shown.push([value, counts[value] ?? 0]);
    }
    if (!shown.length) continue;
    const fieldset = h('fieldset', { class: 'facet', 'data-facet': key }, h('legend', {}, FACET_LABELS[key]));
    const list = h('ul', { class: 'facet-list' });
    shown.forEach(([value, count], i) => {
      const id = `facet-${key}-${i}`;
      const checked = selected.some((v) => v.toLowerCase() === value.toLowerCase());
      const box = h('input', { type: 'checkbox', id, name: key, value, checked });
      list.append(
        h(
          'li',
          {},
          box,
          h(
            'label',
            { for: id },
            h('span', { class: 'facet-value' }, value),
            h('span', { class: 'facet-count' }, count.toLocaleString('en-GB')),
          ),
        ),
      );
    });
    fieldset.append(list);
    if (entries.length > shown.length)
      fieldset.append(h('p', { class: 'facet-more' }, `+ ${entries.length - shown.length} more`));
    root.append(fieldset);
  }
  const years = Object.entries(distribution?.year ?? {}).sort((a, b) => b[0].localeCompare(a[0]));
  if (years.length > 1 || (years.length === 1 && !(state.from || state.to))) {
    const list = h('ul', { class: 'year-list' });
    for (const [year, count] of years.slice(0, 12)) {
      const href = urlOf(withChanges(state, { from: `${year}-01-01`, to: `${year}-12-31` }));
      list.append(
        h(
          'li',
          {},
          h(
            'a',
            { href, class: 'year', 'data-nav': '' },
            year,
            h('span', { class: 'facet-count' }, count.toLocaleString('en-GB')),
          ),
        ),
      );
    }
    root.append(h('div', { class: 'facet facet-years' }, h('h3', { class: 'facet-heading' }, 'Year'), list));
  }
  return root;
}

/**
 * The article view: back link, headline, metadata, every paragraph (marked when a
 * query is active), each with id `p<index>` so `#p<index>` can target it.
 * @param {any} article A `/articles/{id}` response.
 * @param {string} backHref URL of the results the article was opened from.
 * @param {number|null} target Paragraph index to highlight.
 */
export function renderArticle(article, backHref, target) {
  const back = h('a', { href: backHref, class: 'back-link', 'data-nav': '', 'data-back': '' }, '← Back to results');
  const title = marked(
    'h1',
    { class: 'article-title', id: 'article-title', tabindex: '-1' },
    article.titleHtml,
    article.title,
  );
  const body = h('div', { class: 'article-body' });
  for (const paragraph of article.paragraphs ?? []) {
    const index = paragraph.paragraphIndex;
    const p = marked(
      'p',
      { id: `p${index}`, tabindex: '-1', class: index === target ? 'paragraph target' : 'paragraph' },
      paragraph.html,
      paragraph.text,
    );
    body.append(p);
  }
  const links = [];
  if (typeof article.url === 'string' && /^https?:\/\//i.test(article.url)) {
    // Only http(s): a `javascript:` URL in the data must never become a link.
    links.push(h('a', { href: article.url, rel: 'noopener noreferrer', class: 'original-link' }, 'Original article ↗'));
  }
  const tags = (article.tags ?? []).length ? h('p', { class: 'tags' }, `Tags: ${article.tags.join(', ')}`) : null;
  return h(
    'article',
    { class: 'article', 'aria-labelledby': 'article-title' },
    back,
    title,
    renderMeta(article),
    renderEntities(article.entities),
    body,
    tags,
    ...links,
  );
}

/**
 * The people, organisations and places an article names, each a link to the articles that name it too.
 * @param {{people: string[], orgs: string[], places: string[]}|undefined} entities
 */
function renderEntities(entities) {
  if (!entities) return null;
  const rows = /** @type {const} */ ([
    ['person', 'People', entities.people],
    ['org', 'Organisations', entities.orgs],
    ['place', 'Places', entities.places],
  ]).filter(([, , names]) => names.length > 0);
  if (rows.length === 0) return null;
  const list = h('dl', { class: 'entities' });
  for (const [key, label, names] of rows) {
    const links = names.flatMap((name, i) => [
      i > 0 ? ', ' : '',
      h('a', { href: `?${new URLSearchParams({ [key]: name })}`, 'data-nav': '', class: 'entity' }, name),
    ]);
    list.append(h('dt', {}, label), h('dd', {}, ...links));
  }
  return list;
}

/**
 * The "Related articles" list under an article: links that open each one (the
 * current query kept, so its words are marked there too), with their metadata.
 * @param {any} related A `/articles/{id}/related` response.
 * @param {import('./state.js').UiState} state
 */
export function renderRelated(related, state) {
  const section = h(
    'section',
    { class: 'related', 'aria-labelledby': 'related-heading' },
    h('h2', { id: 'related-heading', class: 'related-heading' }, 'Related articles'),
  );
  const hits = related?.hits ?? [];
  if (hits.length === 0) {
    section.append(h('p', { class: 'related-empty' }, 'No related articles found.'));
    return section;
  }
  const list = h('ul', { class: 'related-list' });
  for (const hit of hits) {
    const href = urlOf(withChanges(state, { article: hit.articleId }));
    list.append(h('li', {}, h('a', { href, 'data-nav': '', class: 'related-link' }, hit.title), renderMeta(hit)));
  }
  section.append(list);
  return section;
}
