/**
 * The InstantSearch example: Algolia's instantsearch.js quick-start pointed at this service. Only
 * the client's application id, key and host differ from Algolia's own example (`hosts` names this
 * page's origin); everything on the page is an InstantSearch widget. Bundled by `npm run build`
 * (scripts/bundle-instantsearch.mjs) into `public/instantsearch/app.js`, served at `/instantsearch/`.
 */
import { liteClient as algoliasearch } from 'algoliasearch/lite';
import instantsearch from 'instantsearch.js';
import { configure, hits, pagination, panel, rangeInput, refinementList, searchBox, stats } from 'instantsearch.js/es/widgets';
import 'instantsearch.css/themes/satellite.css';

// The application id is not checked by this service; the key is the archive's SEARCH_API_KEY (any
// value when the archive has none); the host is the service this page is served from.
const APP_ID = 'newsroom-search';
const SEARCH_KEY = 'search-only-key';
const searchClient = algoliasearch(APP_ID, SEARCH_KEY, {
  hosts: [{ url: location.host, accept: 'read', protocol: location.protocol === 'https:' ? 'https' : 'http' }],
});

const search = instantsearch({
  indexName: 'articles',
  searchClient,
  insights: false,
});

/** A refinement list in a panel with a heading. */
const facetPanel = (attribute, heading) =>
  panel({ templates: { header: () => heading } })(refinementList)({ container: `#${attribute}-list`, attribute, limit: 8, showMore: true });

search.addWidgets([
  configure({ hitsPerPage: 10, attributesToSnippet: ['text:30'] }),
  searchBox({ container: '#searchbox', placeholder: 'Search the archive' }),
  stats({ container: '#stats' }),
  hits({
    container: '#hits',
    templates: {
      item: (hit, { html, components }) => html`
        <article data-position="${hit.__position}">
          <h2 class="hit-title">
            <a href="/?article=${encodeURIComponent(hit.articleId)}${hit.paragraphIndex === null ? '' : `#p${hit.paragraphIndex}`}">${components.Highlight({ hit, attribute: 'title' })}</a>
          </h2>
          <p class="hit-meta">${[hit.date?.slice(0, 10), hit.author.join(', '), hit.source, hit.section].filter(Boolean).join(' · ')}</p>
          <p class="hit-snippet">${components.Snippet({ hit, attribute: 'text' })}</p>
        </article>
      `,
      empty: (results, { html }) => html`<p>No articles for <q>${results.query}</q>.</p>`,
    },
  }),
  facetPanel('section', 'Section'),
  facetPanel('source', 'Source'),
  facetPanel('author', 'Author'),
  panel({ templates: { header: () => 'Year published' } })(rangeInput)({ container: '#year-range', attribute: 'year', precision: 0 }),
  pagination({ container: '#pagination', padding: 2 }),
]);

search.start();

// A click on a hit is counted in the archive's search analytics: the query and the position only.
document.querySelector('#hits')?.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target : null;
  const position = Number(target?.closest('a')?.closest('[data-position]')?.getAttribute('data-position'));
  const query = search.helper?.state.query ?? '';
  if (!(position > 0) || query.trim() === '') return;
  const body = JSON.stringify({ events: [{ type: 'click', query, position }] });
  fetch('/analytics/events', { method: 'POST', keepalive: true, headers: { 'Content-Type': 'application/json', 'X-Algolia-API-Key': SEARCH_KEY }, body }).catch(() => {});
});
