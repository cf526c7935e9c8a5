import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/http/create-app.js';
import { buildIndex } from '../src/index/index-writer.js';
import type { ArticleHit, SearchResponse } from '../src/query/search-archive.js';
import { otherArticles, seedArticle } from './fixtures/http/build-test-index.js';

// The seed plus three small articles (BBC 2025-07-20, Reuters 2025-07-26T09:00Z,
// one undated). Only the seed mentions anything displaced.
const index = buildIndex([seedArticle(), ...otherArticles()]);
const app = createApp({ getIndex: () => index });
const SEED = 'haiti-soldiers-mexico-training';

async function search(query: string): Promise<SearchResponse> {
  const res = await request(app).get(`/search?${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as SearchResponse;
}

const ids = (body: SearchResponse) => body.hits.map((h) => h.articleId);
const firstSnippet = (body: SearchResponse) => body.hits[0]!.snippets[0]!;

describe('GET /search on the seed article', () => {
  it('finds the seed for `displaced` and marks the word in the 1.3 million paragraph (index 7)', async () => {
    const body = await search('q=displaced');
    expect(ids(body)).toEqual([SEED]);
    expect(body.parsedQuery).toEqual({ terms: ['displaced'], phrases: [], excluded: [], ignored: [] });
    const snippet = firstSnippet(body);
    expect(snippet.paragraphId).toBe(`${SEED}#p7`);
    expect(snippet.paragraphIndex).toBe(7);
    expect(snippet.text).toBe(
      '…Over 80% of the capital city Port-au-Prince has been estimated to be under gang control, and nearly 1.3 million people nationwide are internally displaced because of the violence, the UN…',
    );
    expect(snippet.html).toBe(
      '…Over 80% of the capital city Port-au-Prince has been estimated to be under gang control, and nearly 1.3 million people nationwide are internally <mark>displaced</mark> because of the violence, the UN…',
    );
    expect(snippet.highlights).toEqual([{ start: 146, length: 9, term: 'displaced', kind: 'exact' }]);
    expect(snippet.text.slice(146, 155)).toBe('displaced');
    expect(snippet.croppedStart).toBe(true);
    expect(snippet.croppedEnd).toBe(true);
    expect(body.typoTolerance).toBe(false);
  });

  it('returns the hit in the contract shape, with null (not missing) for absent metadata', async () => {
    const hit = (await search('q=displaced')).hits[0]! as ArticleHit & Record<string, unknown>;
    expect(hit).toMatchObject({
      articleId: SEED,
      date: '2025-07-25',
      authors: ['Michael Rios'],
      source: 'CNN',
      section: null,
      url: null,
      matchingParagraphs: 1,
    });
    expect(hit.titleHtml).toBe(
      'Haiti has sent 150 soldiers to train in Mexico as the Caribbean country grapples with rampant gang violence.',
    );
  });

  it('matches `displacing` through the shared stem and marks `displaced` as kind stem', async () => {
    const snippet = firstSnippet(await search('q=displacing'));
    expect(snippet.paragraphIndex).toBe(7);
    expect(snippet.html).toContain('internally <mark>displaced</mark> because');
    expect(snippet.highlights).toEqual([{ start: 146, length: 9, term: 'displacing', kind: 'stem' }]);
  });

  it('matches the phrase `"internally displaced"` and marks both of its words', async () => {
    const body = await search(`q=${encodeURIComponent('"internally displaced"')}`);
    expect(body.parsedQuery.phrases).toEqual(['internally displaced']);
    const snippet = firstSnippet(body);
    expect(snippet.html).toContain('nationwide are <mark>internally</mark> <mark>displaced</mark> because');
    expect(snippet.highlights.map((h) => snippet.text.slice(h.start, h.start + h.length))).toEqual([
      'internally',
      'displaced',
    ]);
  });

  it('finds nothing for `displaced -haiti`: the only article with the word mentions Haiti', async () => {
    const body = await search(`q=${encodeURIComponent('displaced -haiti')}`);
    expect(body.parsedQuery.excluded).toEqual(['haiti']);
    expect(body.hits).toEqual([]);
    expect(body.totalHits).toBe(0);
  });

  it('completes the last word as a prefix: `displ` marks `displaced` as kind prefix', async () => {
    const snippet = firstSnippet(await search('q=displ'));
    expect(snippet.paragraphIndex).toBe(7);
    expect(snippet.highlights).toEqual([{ start: 146, length: 9, term: 'displ', kind: 'prefix' }]);
  });

  it('does not complete a prefix with prefix=off', async () => {
    expect((await search('q=displ&prefix=off')).totalHits).toBe(0);
  });

  it('falls back to typo tolerance for `dsplaced` and says so', async () => {
    const body = await search('q=dsplaced');
    expect(ids(body)).toEqual([SEED]);
    expect(body.typoTolerance).toBe(true);
    expect(body.correctedQuery).toBe('displaced');
    expect(firstSnippet(body).highlights).toEqual([{ start: 146, length: 9, term: 'dsplaced', kind: 'typo' }]);
  });

  it('finds nothing for `dsplaced` with typos=off', async () => {
    const body = await search('q=dsplaced&typos=off');
    expect(body.totalHits).toBe(0);
    expect(body.typoTolerance).toBe(false);
  });

  it('finds the seed for `haiti mexico` with matchingStrategy=all: both words are in it', async () => {
    const body = await search('q=haiti+mexico&matchingStrategy=all');
    expect(ids(body)).toEqual([SEED]);
    expect(body.parsedQuery.terms).toEqual(['haiti', 'mexico']);
  });

  it('with matchingStrategy=any, `haiti york` also finds the Reuters article, which has only `york`', async () => {
    expect(ids(await search('q=haiti+york&matchingStrategy=all'))).toEqual([]);
    expect(new Set(ids(await search('q=haiti+york&matchingStrategy=any')))).toEqual(
      new Set([SEED, 'reuters/markets-open']),
    );
  });
});

describe('GET /search filters', () => {
  it('`from` a date includes articles from the start of that UTC day', async () => {
    expect(ids(await search('from=2025-07-25'))).toEqual(['reuters/markets-open', SEED]);
  });

  it('`to` a date includes articles up to the end of that UTC day', async () => {
    expect(ids(await search('to=2025-07-25'))).toEqual([SEED, 'bbc/world/floods-north']);
  });

  it('`from` and `to` the same date select that day only', async () => {
    expect(ids(await search('from=2025-07-25&to=2025-07-25'))).toEqual([SEED]);
  });

  it('date-time bounds are inclusive and honour offsets (`%2B` is a `+`)', async () => {
    expect(ids(await search('from=2025-07-26T09:00:00Z'))).toEqual(['reuters/markets-open']);
    expect(ids(await search('to=2025-07-26T08:59:59Z'))).toEqual([SEED, 'bbc/world/floods-north']);
    expect(ids(await search('from=2025-07-26T10:00:00%2B01:00&to=2025-07-26T10:00%2B01:00'))).toEqual([
      'reuters/markets-open',
    ]);
  });

  it('an empty date (as an HTML form sends it) means no bound', async () => {
    expect((await search('from=&to=')).totalHits).toBe(4);
  });

  it('`source` matches case-insensitively: `CNN` and `cnn` both select the seed', async () => {
    expect(ids(await search('source=CNN'))).toEqual([SEED]);
    expect(ids(await search('source=cnn'))).toEqual([SEED]);
    expect(ids(await search('q=displaced&source=cnn'))).toEqual([SEED]);
    expect(ids(await search('q=displaced&source=BBC'))).toEqual([]);
  });

  it('ORs values of one filter and ANDs different filters', async () => {
    expect(ids(await search('source=CNN&source=bbc'))).toEqual([SEED, 'bbc/world/floods-north']);
    expect(ids(await search('source=CNN&source=bbc&section=world'))).toEqual(['bbc/world/floods-north']);
    expect(ids(await search('author=michael+rios'))).toEqual([SEED]);
  });

  it('counts facets over all results, skipping absent values', async () => {
    const body = await search('facets=source,year,section,,source');
    expect(body.facetDistribution).toEqual({
      source: { BBC: 1, CNN: 1, Reuters: 1 },
      year: { '2025': 3 },
      section: { business: 1, world: 1 },
    });
  });

  it('counts paragraphs in facets with groupBy=none', async () => {
    const body = await search('q=haiti&groupBy=none&facets=source');
    expect(body.facetDistribution).toEqual({ source: { CNN: body.totalHits } });
  });

  it('returns no facetDistribution entries when none are asked for', async () => {
    expect((await search('q=haiti')).facetDistribution).toEqual({});
  });
});

describe('GET /search pages, grouping and browsing', () => {
  it('browses newest first with an empty `q`, undated last, each with its lead paragraph unmarked', async () => {
    const body = await search('q=');
    expect(ids(body)).toEqual(['reuters/markets-open', SEED, 'bbc/world/floods-north', 'undated-note']);
    const seed = body.hits[1]!;
    expect(seed.snippets).toHaveLength(1);
    expect(seed.snippets[0]!.paragraphIndex).toBe(0);
    expect(seed.snippets[0]!.text).toBe(
      '(CNN) — Haiti has sent 150 soldiers to train in Mexico as the Caribbean country grapples with rampant gang violence.',
    );
    expect(seed.snippets[0]!.highlights).toEqual([]);
    expect(body.parsedQuery).toEqual({ terms: [], phrases: [], excluded: [], ignored: [] });
  });

  it('pages through results', async () => {
    const body = await search('hitsPerPage=1&page=2');
    expect(ids(body)).toEqual([SEED]);
    expect(body).toMatchObject({ page: 2, hitsPerPage: 1, totalHits: 4, totalPages: 4, maxTotalHits: 1000 });
  });

  it('answers a page beyond the end with no hits and status 200', async () => {
    const body = await search('page=3&hitsPerPage=2');
    expect(body.hits).toEqual([]);
    expect(body.totalHits).toBe(4);
  });

  it('accepts page × hitsPerPage = 1000 exactly', async () => {
    expect((await search('page=10&hitsPerPage=100')).hits).toEqual([]);
    expect((await search('page=1000&hitsPerPage=1')).hits).toEqual([]);
  });

  it('rejects page × hitsPerPage = 1001 with invalid_search_page', async () => {
    const res = await request(app).get('/search?page=77&hitsPerPage=13');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      message: '`page` × `hitsPerPage` must be at most 1000 (maxTotalHits), got 77 × 13 = 1001.',
      code: 'invalid_search_page',
      type: 'invalid_request',
      requestId: res.headers['x-request-id'],
    });
  });

  it('with groupBy=none returns one hit per matching paragraph, each with one snippet', async () => {
    // prefix=off: otherwise `haiti` also completes to `haitian`.
    const body = await search('q=haiti&groupBy=none&prefix=off');
    expect(body.totalHits).toBe(body.totalParagraphs);
    for (const hit of body.hits) {
      expect(hit.articleId).toBe(SEED);
      expect(hit.matchingParagraphs).toBe(1);
      expect(hit.snippets).toHaveLength(1);
      expect(hit.snippets[0]!.html).toMatch(/<mark>Haiti<\/mark>/);
    }
    expect(body.hits.map((h) => h.snippets[0]!.paragraphIndex).sort()).toEqual([0, 7, 8]);
  });

  it('shows at most snippetsPerArticle snippets of cropLength words', async () => {
    const body = await search('q=haiti&snippetsPerArticle=1&cropLength=10');
    const hit = body.hits[0]!;
    expect(hit.snippets).toHaveLength(1);
    expect(hit.matchingParagraphs).toBeGreaterThan(1);
    const words = hit.snippets[0]!.text.replace(/…/g, ' ').trim().split(/\s+/);
    expect(words.length).toBeLessThanOrEqual(10);
  });

  it('sorts by date ascending on request, undated last', async () => {
    expect(ids(await search('sort=date:asc'))).toEqual([
      'bbc/world/floods-north',
      SEED,
      'reuters/markets-open',
      'undated-note',
    ]);
  });

  it('lists what the query parser could not use in parsedQuery.ignored and still searches', async () => {
    const body = await search(`q=${encodeURIComponent('displaced ---')}`);
    expect(body.parsedQuery.ignored).toEqual(['---']);
    expect(ids(body)).toEqual([SEED]);
  });

  it('echoes `q` as given in `query`', async () => {
    expect((await search('q=Displaced+%C3%A9t%C3%A9')).query).toBe('Displaced été');
  });

  it('sends JSON as application/json; charset=utf-8', async () => {
    const res = await request(app).get('/search?q=haiti');
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  });
});

describe('the pluggable search function', () => {
  it('is called with the index and the validated parameters, and may be async', async () => {
    const seen: unknown[] = [];
    const custom = createApp({
      getIndex: () => index,
      search: async (_index, params) => {
        seen.push(params);
        return { hits: [], custom: true } as unknown as SearchResponse;
      },
    });
    const res = await request(custom).get('/search?q=x&page=2&source=a&source=b&facets=year');
    expect(res.body).toEqual({ hits: [], custom: true });
    expect(seen).toEqual([
      {
        q: 'x',
        page: 2,
        hitsPerPage: 10,
        groupBy: 'article',
        snippetsPerArticle: 3,
        cropLength: 30,
        matchingStrategy: 'all',
        prefix: 'last',
        typos: 'fallback',
        feedback: 'auto',
        from: null,
        to: null,
        source: ['a', 'b'],
        section: [],
        author: [],
        tag: [],
        person: [],
        org: [],
        place: [],
        sort: 'relevance',
        facets: ['year'],
        recencyHalfLife: 0,
        totals: 'atLeast',
        duplicates: 'show',
        prefer: 'best',
        offerCorrection: true,
      },
    ]);
  });
});

describe('GET /suggest', () => {
  it('completes the last word with corpus words, most frequent first, never stems', async () => {
    const res = await request(app).get('/suggest?q=troops+hai');
    expect(res.status).toBe(200);
    // `haiti` is in 3 paragraphs and the headline; `haitian` in 3 paragraphs.
    expect(res.body.suggestions).toEqual([
      { text: 'haiti', count: 4 },
      { text: 'haitian', count: 3 },
    ]);
  });

  it('normalizes the typed prefix with the shared tokenizer (case and accents)', async () => {
    const res = await request(app).get('/suggest?q=DISPL%C3%81');
    expect(res.body.suggestions).toEqual([{ text: 'displaced', count: 1 }]);
  });

  it('suggests nothing once the last word is finished or the query is empty', async () => {
    expect((await request(app).get('/suggest?q=hai+')).body.suggestions).toEqual([]);
    expect((await request(app).get('/suggest')).body.suggestions).toEqual([]);
  });

  it('returns at most `limit` suggestions', async () => {
    const res = await request(app).get('/suggest?q=t&limit=3');
    expect(res.body.suggestions).toHaveLength(3);
    expect(res.body.suggestions[0]).toEqual({ text: 'the', count: expect.any(Number) });
  });
});

describe('GET /articles/{articleId}', () => {
  it('returns the whole article with paragraph ids and no highlights without `q`', async () => {
    const res = await request(app).get(`/articles/${SEED}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ articleId: SEED, source: 'CNN', section: null, url: null, query: null });
    expect(res.body.paragraphs).toHaveLength(seedArticle().paragraphs.length);
    expect(res.body.paragraphs[7]).toEqual({
      paragraphId: `${SEED}#p7`,
      paragraphIndex: 7,
      text: seedArticle().paragraphs[7],
    });
  });

  it('with `q` gives every paragraph html and highlights for the query', async () => {
    const res = await request(app).get(`/articles/${SEED}?q=displacing`);
    const paragraphs = res.body.paragraphs as { html: string; highlights: unknown[]; text: string }[];
    expect(paragraphs.every((p) => typeof p.html === 'string' && Array.isArray(p.highlights))).toBe(true);
    expect(paragraphs.filter((p) => p.highlights.length > 0)).toHaveLength(1);
    expect(paragraphs[7]!.highlights).toEqual([{ start: 222, length: 9, term: 'displacing', kind: 'stem' }]);
    expect(paragraphs[7]!.text.slice(222, 231)).toBe('displaced');
    expect(paragraphs[7]!.html).toContain('internally <mark>displaced</mark> because');
  });

  it('accepts ids with slashes, written as is or as %2F', async () => {
    for (const path of ['/articles/bbc/world/floods-north', '/articles/bbc%2Fworld%2Ffloods-north']) {
      const res = await request(app).get(path);
      expect(res.status).toBe(200);
      expect(res.body.articleId).toBe('bbc/world/floods-north');
    }
  });
});
