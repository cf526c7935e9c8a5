import { Writable } from 'node:stream';
import request from 'supertest';
import { createLogger } from '../src/log/create-logger.js';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/http/create-app.js';
import { buildIndex } from '../src/index/index-writer.js';
import { hostileArticle, otherArticles, seedArticle } from './fixtures/http/build-test-index.js';

/**
 * The Algolia-compatible routes (`POST /1/indexes/*\/queries`, `POST /1/indexes/{index}/query`):
 * the translation of Algolia's parameters to a search, and of the response back, over the seed
 * article, three others and the hostile-markup article.
 */
const index = buildIndex([seedArticle(), ...otherArticles(), hostileArticle()]);
// A generous time budget: a cold first search on a busy machine must not be cut short.
const app = createApp({ getIndex: () => index, searchBudgetMs: 10_000 });

async function multi(requests: unknown[]) {
  return request(app).post('/1/indexes/*/queries').set('Content-Type', 'text/plain').send(JSON.stringify({ requests }));
}

async function one(params: unknown, indexName = 'articles') {
  const res = await multi([{ indexName, params }]);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.results[0];
}

describe('POST /1/indexes/*/queries', () => {
  it('answers a URL-encoded params string with hits, 0-based paging and totals, as the /search of the same query', async () => {
    const search = await request(app).get('/search?q=families&hitsPerPage=1&page=2');
    const result = await one('query=families&hitsPerPage=1&page=1');
    expect(result.nbHits).toBe(search.body.totalHits);
    expect(result.page).toBe(1);
    expect(result.hitsPerPage).toBe(1);
    expect(result.nbPages).toBe(search.body.totalPages);
    expect(result.hits.map((h: { objectID: string }) => h.objectID)).toEqual(
      search.body.hits.map((h: { articleId: string }) => h.articleId),
    );
    expect(result.query).toBe('families');
    expect(result.params).toBe('query=families&hitsPerPage=1&page=1');
    expect(result.exhaustiveNbHits).toBe(true);
    expect(typeof result.processingTimeMS).toBe('number');
  });

  it('reads params given as an object just as the same params URL-encoded', async () => {
    const asObject = await one({ query: 'families', facets: ['source'], facetFilters: [['source:BBC']] });
    const asString = await one(
      `query=families&facets=${encodeURIComponent('["source"]')}&facetFilters=${encodeURIComponent('[["source:BBC"]]')}`,
    );
    expect(asObject.hits).toEqual(asString.hits);
    expect(asObject.facets).toEqual({ source: { BBC: 1 } });
    expect(asObject.params).toBe(
      'query=families&facets=%5B%22source%22%5D&facetFilters=%5B%5B%22source%3ABBC%22%5D%5D',
    );
  });

  it('marks the headline and snippet with the requested tags, escaping the text first for HTML tags', async () => {
    const result = await one({
      query: 'council script',
      attributesToSnippet: ['text'],
      highlightPreTag: '<em>',
      highlightPostTag: '</em>',
    });
    const hit = result.hits[0];
    expect(hit.objectID).toBe('hostile-markup');
    expect(hit._highlightResult.title.value).toBe(
      '<em>Council</em> &lt;<em>script</em>&gt;alert(1)&lt;/<em>script</em>&gt; vote &amp; &quot;quotes&quot; in Port-au-Prince',
    );
    expect(hit._highlightResult.title.matchLevel).toBe('full');
    expect(hit._highlightResult.title.matchedWords).toEqual(['council', 'script']);
    expect(hit._snippetResult.text.value).toBe(
      'The <em>council</em> said &lt;<em>script</em>&gt;alert(1)&lt;/<em>script</em>&gt; appeared in the minutes, and the clerk removed it.',
    );
    expect(hit._snippetResult.text.matchLevel).toBe('full');
    expect(hit.title).toBe('Council <script>alert(1)</script> vote & "quotes" in Port-au-Prince');
  });

  it("sends InstantSearch's placeholder tags around plain text, which InstantSearch escapes itself", async () => {
    const result = await one({
      query: 'script',
      highlightPreTag: '__ais-highlight__',
      highlightPostTag: '__/ais-highlight__',
    });
    expect(result.hits[0]._highlightResult.title.value).toBe(
      'Council <__ais-highlight__script__/ais-highlight__>alert(1)</__ais-highlight__script__/ais-highlight__> vote & "quotes" in Port-au-Prince',
    );
    expect(result.hits[0]._highlightResult.title.matchLevel).toBe('full');
  });

  it('says matchLevel partial when some query words are marked, none when none are', async () => {
    const hit = (await one({ query: 'soldiers OR zebra', attributesToHighlight: ['title'] })).hits[0];
    expect(hit._highlightResult.title.matchLevel).toBe('partial');
    const browse = (await one({ query: '', hitsPerPage: 1 })).hits[0];
    expect(browse._highlightResult.title).toEqual({
      value: browse.title.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'),
      matchLevel: 'none',
      matchedWords: [],
      fullyHighlighted: false,
    });
  });

  it('filters by nested facetFilters (AND of ORs) with the counts /search gives for the same filters', async () => {
    const result = await one({
      query: 'families OR troops',
      facets: ['source', 'section'],
      facetFilters: [['source:BBC', 'source:CNN'], 'section:world'],
    });
    const search = await request(app).get(
      '/search?q=families+OR+troops&source=BBC&source=CNN&section=world&facets=source,section',
    );
    expect(result.nbHits).toBe(search.body.totalHits);
    expect(result.facets).toEqual(search.body.facetDistribution);
  });

  it('keeps only the values two groups on one attribute share, and finds nothing when they share none', async () => {
    expect(
      (await one({ query: 'families', facetFilters: [['source:BBC', 'source:CNN'], ['source:bbc']] })).nbHits,
    ).toBe(1);
    const none = await one({ query: 'families', facetFilters: ['source:BBC', 'source:CNN'], facets: ['source'] });
    expect(none).toMatchObject({ nbHits: 0, nbPages: 0, hits: [], facets: { source: {} } });
  });

  it('filters the publication date with numericFilters on year and timestamp, and with the filters expression', async () => {
    const all = await one({ query: '', facets: ['year'], hitsPerPage: 0 });
    expect(all.facets.year).toEqual({ '2025': 3, '2024': 1 });
    expect(all.facets_stats.year).toEqual({ min: 2024, max: 2025, avg: 2024.75, sum: 8099 });
    expect((await one({ query: '', numericFilters: ['year>=2025'] })).nbHits).toBe(3);
    expect((await one({ query: '', numericFilters: ['year<2025'] })).nbHits).toBe(1);
    const july26 = Date.UTC(2025, 6, 26) / 1000;
    expect(
      (await one({ query: '', numericFilters: [`timestamp>=${july26}`] })).hits.map(
        (h: { objectID: string }) => h.objectID,
      ),
    ).toEqual(['reuters/markets-open']);
    expect(
      (await one({ query: '', filters: 'year:2024 TO 2024' })).hits.map((h: { objectID: string }) => h.objectID),
    ).toEqual(['hostile-markup']);
    expect((await one({ query: '', filters: '(source:BBC OR source:Reuters) AND year >= 2025' })).nbHits).toBe(2);
    expect(
      (await one({ query: '', filters: 'author:"Jane Doe"' })).hits.map((h: { objectID: string }) => h.objectID),
    ).toEqual(['bbc/world/floods-north']);
  });

  it('answers a disjunctive-facet request (hitsPerPage 0) with counts and no hits', async () => {
    const result = await one({
      query: 'families',
      hitsPerPage: 0,
      page: 0,
      facets: ['source'],
      analytics: false,
      attributesToRetrieve: [],
    });
    expect(result.hits).toEqual([]);
    expect(result.nbHits).toBeGreaterThan(0);
    expect(result.nbPages).toBe(0);
    expect(result.facets.source).toBeDefined();
  });

  it('answers several requests in order, and names the ignored parameters in a header', async () => {
    const res = await multi([
      { indexName: 'articles', params: { query: 'troops', clickAnalytics: true } },
      { indexName: 'paragraphs', params: 'query=troops&analytics=false&hitsPerPage=2' },
    ]);
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { index: string }) => r.index)).toEqual(['articles', 'paragraphs']);
    expect(res.headers['x-algolia-ignored-params']).toBe('analytics, clickAnalytics');
    const many = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`unknown${String(i).padStart(2, '0')}`, 1]));
    const capped = await multi([{ indexName: 'articles', params: { query: 'troops', ...many, 'bad name': 1 } }]);
    expect(capped.headers['x-algolia-ignored-params']!.split(', ')).toHaveLength(31);
    expect(capped.headers['x-algolia-ignored-params']).toMatch(/^unknown00, .*unknown29, \.\.\.$/);
  });

  it('gives one hit per paragraph on the paragraphs index, the paragraph id as objectID', async () => {
    const result = await one({ query: 'families' }, 'paragraphs');
    const search = await request(app).get('/search?q=families&groupBy=none&hitsPerPage=20');
    expect(result.hits.map((h: { objectID: string }) => h.objectID)).toEqual(
      search.body.hits.map((h: { snippets: { paragraphId: string }[] }) => h.snippets[0]!.paragraphId),
    );
    expect(result.hits[0].objectID).toMatch(/#p\d+$/);
  });

  it('uses the full query language in query', async () => {
    const phrase = await one({ query: '"forced hundreds"' });
    expect(phrase.hits.map((h: { objectID: string }) => h.objectID)).toEqual(['bbc/world/floods-north']);
    expect(
      (await one({ query: 'families -source:bbc' })).hits.map((h: { objectID: string }) => h.objectID),
    ).not.toContain('bbc/world/floods-north');
  });

  it("answers bad values with 400 in Algolia's error shape, naming the parameter", async () => {
    for (const [params, name] of [
      [{ hitsPerPage: 500 }, 'hitsPerPage'],
      [{ page: -1 }, 'page'],
      [{ facets: ['colour'] }, 'facets'],
      [{ facetFilters: [{ a: 1 }] }, 'facetFilters'],
      [{ facetFilters: ['section:-world'] }, 'facetFilters'],
      [{ numericFilters: ['words>3'] }, 'numericFilters'],
      [{ filters: 'NOT source:BBC' }, 'filters'],
      [{ highlightPreTag: 3 }, 'highlightPreTag'],
    ] as const) {
      const res = await multi([{ indexName: 'articles', params }]);
      expect(res.status, JSON.stringify(params)).toBe(400);
      expect(Object.keys(res.body).sort()).toEqual(['message', 'status']);
      expect(res.body.status).toBe(400);
      expect(res.body.message).toContain(`\`${name}\``);
    }
  });

  it("answers an unknown index with 404, a broken body with 400, both in Algolia's shape", async () => {
    const unknown = await multi([{ indexName: 'products', params: '' }]);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({
      message: 'Index `products` does not exist; use `articles` or `paragraphs`.',
      status: 404,
    });
    const broken = await request(app)
      .post('/1/indexes/*/queries')
      .set('Content-Type', 'application/json')
      .send('{"requests": [');
    expect(broken.status).toBe(400);
    expect(broken.body.status).toBe(400);
    const wrongVerb = await request(app).get('/1/indexes/*/queries');
    expect(wrongVerb.status).toBe(405);
    expect(wrongVerb.body.status).toBe(405);
  });
});

describe('POST /1/indexes/{indexName}/query', () => {
  it('answers one search with its result, the params in the body as a string or as its keys', async () => {
    const asString = await request(app)
      .post('/1/indexes/articles/query')
      .send({ params: 'query=troops&hitsPerPage=2' });
    expect(asString.status).toBe(200);
    const search = await request(app).get('/search?q=troops&hitsPerPage=2');
    expect(asString.body.hits.map((h: { objectID: string }) => h.objectID)).toEqual(
      search.body.hits.map((h: { articleId: string }) => h.articleId),
    );
    const asKeys = await request(app).post('/1/indexes/articles/query').send({ query: 'troops', hitsPerPage: 2 });
    expect(asKeys.body.hits).toEqual(asString.body.hits);
  });
});

describe('keys and CORS on the Algolia routes', () => {
  const keyed = createApp({
    getIndex: () => index,
    searchBudgetMs: 10_000,
    keys: { admin: 'admin-key', search: 'search-key' },
    corsOrigins: ['https://ui.example'],
  });

  it('takes the search key as X-Algolia-API-Key, and answers 401 in Algolia shape without it', async () => {
    const body = JSON.stringify({ requests: [{ indexName: 'articles', params: 'query=troops' }] });
    const missing = await request(keyed).post('/1/indexes/*/queries').send(body);
    expect(missing.status).toBe(401);
    expect(missing.body.status).toBe(401);
    const ok = await request(keyed)
      .post('/1/indexes/*/queries')
      .set('X-Algolia-API-Key', 'search-key')
      .set('X-Algolia-Application-Id', 'newsroom')
      .send(body);
    expect(ok.status).toBe(200);
    const inQuery = await request(keyed)
      .post('/1/indexes/*/queries?x-algolia-api-key=search-key&x-algolia-application-id=newsroom')
      .send(body);
    expect(inQuery.status).toBe(200);
  });

  it('never logs the key an Algolia client puts in the query string, even with logQueries', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logged = createApp({
      getIndex: () => index,
      searchBudgetMs: 10_000,
      keys: { admin: 'admin-key', search: 'search-key' },
      logger: createLogger({ destination }),
      logQueries: true,
    });
    const res = await request(logged)
      .post('/1/indexes/*/queries?x-algolia-api-key=search-key&x-algolia-agent=test')
      .send({ requests: [{ indexName: 'articles', params: 'query=troops' }] });
    expect(res.status).toBe(200);
    const access = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l['msg'] === 'request');
    expect(access?.['query']).toBe('x-algolia-api-key=(redacted)&x-algolia-agent=test');
    expect(lines.join('')).not.toContain('search-key');
  });

  it('answers the preflight of an allowed origin, allowing the Algolia headers', async () => {
    const res = await request(keyed)
      .options('/1/indexes/*/queries')
      .set('Origin', 'https://ui.example')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'x-algolia-api-key');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('https://ui.example');
    expect(res.headers['access-control-allow-headers']).toContain('X-Algolia-API-Key');
    expect(res.headers['access-control-allow-methods']).toContain('POST');
  });
});
