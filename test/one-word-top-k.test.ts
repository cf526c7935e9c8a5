import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import request from 'supertest';
import { buildIndex } from '../src/index/index-writer.js';
import { createApp } from '../src/http/create-app.js';
import { searchArchive } from '../src/query/search-archive.js';
import { withDefaults, type SearchParams } from '../src/query/search-params.js';
import type { ArchiveIndex } from '../src/index/archive-index.js';
import { syntheticArticles, WORDS } from './helpers/synthetic-articles.js';
import { topKRanking } from './helpers/top-k-ranking.js';
import { createFastScorer, releaseMatches } from '../src/query/execute/execute-query.js';
import { Deadline } from '../src/query/execute/deadline.js';
import { matchSearch } from '../src/query/search-archive.js';
import { topKArchive } from './helpers/top-k-archive.js';

/** How many matching articles a top-k search left out of the scoring (counted, not listed). */
function unscored(index: ArchiveIndex, params: SearchParams, limit: number): number {
  const found = matchSearch(index, params, limit, createFastScorer(index), Deadline.none(), undefined, { topK: true });
  const count = found.matches.unlistedArticles;
  releaseMatches(found.matches);
  return count;
}

/** One word of the synthetic vocabulary, sometimes cut to a prefix (2–6 letters) that has completions. */
const wordArb = fc
  .record({ word: fc.constantFrom(...WORDS), cut: fc.constantFrom(0, 0, 2, 3, 4, 6) })
  .map(({ word, cut }) => (cut > 0 && word.length > cut ? word.slice(0, cut) : word));

describe('top-k evaluation of one-word queries (block-max windows)', () => {
  it('ranks the same articles with the same scores, pages and snippets as the full evaluation, on random archives and words', () => {
    const indexes = new Map<string, ArchiveIndex>();
    let skipping = 0;
    fc.assert(
      fc.property(
        fc.record({
          size: fc.constantFrom(60, 200, 400, 900),
          seed: fc.integer({ min: 1, max: 3 }),
          segmentArticles: fc.constantFrom(undefined, 45, 300),
          deleted: fc.boolean(),
          long: fc.boolean(),
          q: wordArb,
          prefix: fc.constantFrom('last', 'last', 'off') as fc.Arbitrary<'last' | 'off'>,
          matchingStrategy: fc.constantFrom('all', 'all', 'any') as fc.Arbitrary<'all' | 'any'>,
          hitsPerPage: fc.constantFrom(3, 10, 50),
          page: fc.integer({ min: 1, max: 3 }),
          source: fc.constantFrom<string[]>([], [], ['Reuters', 'BBC']),
        }),
        ({ size, seed, segmentArticles, deleted, long, q, prefix, matchingStrategy, hitsPerPage, page, source }) => {
          const key = `${size}/${seed}/${segmentArticles}/${deleted}/${long}`;
          let index = indexes.get(key);
          if (!index) indexes.set(key, (index = topKArchive(size, seed, segmentArticles, deleted, long)));
          const params = withDefaults({ q, prefix, matchingStrategy, hitsPerPage, page, source });
          const limit = page * hitsPerPage;
          const full = topKRanking(index, params, limit, false);
          const cut = topKRanking(index, params, limit, true);
          if (unscored(index, params, limit) > 0) skipping++;
          expect(full.pruned).toBe(false);
          expect(cut.pruned).toBe(false);
          expect(cut.top, q).toEqual(full.top);
          // Articles left out of the scoring are still counted.
          expect(cut.total, q).toBe(full.total);
          const exact = searchArchive(index, { ...params, totals: 'exact' });
          const atLeast = searchArchive(index, params);
          // The whole response, counts included, is the full evaluation's.
          expect({ ...atLeast, processingTimeMs: 0 }, q).toEqual({ ...exact, processingTimeMs: 0 });
        },
      ),
      { numRuns: 200 },
    );
    // The property is not vacuous: a good share of the runs scored only part of the matching articles.
    expect(skipping).toBeGreaterThan(40);
  }, 120_000);

  it('scores only the articles that can reach the page for a common word, with the page and the counts of the full evaluation', () => {
    // `governments` as typed ranks first (exactness), then `government` and other forms of `govern`.
    const index = buildIndex(syntheticArticles(900));
    const params = withDefaults({ q: 'governments', prefix: 'off', hitsPerPage: 10 });
    const cut = topKRanking(index, params, 30, true);
    const full = topKRanking(index, params, 30, false);
    expect(unscored(index, params, 30)).toBeGreaterThan(100);
    expect(cut.top).toEqual(full.top);
    const response = searchArchive(index, params);
    const exact = searchArchive(index, { ...params, totals: 'exact' });
    expect(response.totalHitsRelation).toBe('eq');
    expect({ ...response, processingTimeMs: 0 }).toEqual({ ...exact, processingTimeMs: 0 });
  });

  it('evaluates one word in full when facets, exact totals or grouped near-duplicates are asked for', () => {
    const index = buildIndex(syntheticArticles(900));
    const base = { q: 'the', prefix: 'last' } as const;
    expect(unscored(index, withDefaults(base), 30)).toBeGreaterThan(0);
    for (const params of [
      { ...base, facets: ['source'] },
      { ...base, totals: 'exact' },
      { ...base, duplicates: 'group' },
    ] as Partial<SearchParams>[])
      expect(unscored(index, withDefaults(params), 30), JSON.stringify(params)).toBe(0);
  });
});

describe('GET /search for one word', () => {
  const app = createApp({ getIndex: () => buildIndex(syntheticArticles(900)) });

  it('answers a common word scored in part with the body of totals=exact, counts and totalHitsRelation eq included', async () => {
    const cut = await request(app).get('/search?q=the');
    const exact = await request(app).get('/search?q=the&totals=exact');
    expect(cut.status).toBe(200);
    expect({ ...cut.body, processingTimeMs: 0 }).toEqual({ ...exact.body, processingTimeMs: 0 });
    expect(cut.body.totalHitsRelation).toBe('eq');
  });
});

describe('counts bounded at the paging depth (one word)', () => {
  it('counts matching articles only up to countTo, with the best articles and scores of the full evaluation', () => {
    const indexes = new Map<string, ArchiveIndex>();
    let bounded = 0;
    fc.assert(
      fc.property(
        fc.record({
          size: fc.constantFrom(200, 900),
          seed: fc.integer({ min: 1, max: 2 }),
          segmentArticles: fc.constantFrom(undefined, 300),
          deleted: fc.boolean(),
          q: wordArb,
          hitsPerPage: fc.constantFrom(3, 10),
          page: fc.integer({ min: 1, max: 2 }),
          countTo: fc.constantFrom(20, 60, 200),
        }),
        ({ size, seed, segmentArticles, deleted, q, hitsPerPage, page, countTo }) => {
          const key = `${size}/${seed}/${segmentArticles}/${deleted}`;
          let index = indexes.get(key);
          if (!index) indexes.set(key, (index = topKArchive(size, seed, segmentArticles, deleted)));
          const params = withDefaults({ q, hitsPerPage, page });
          const limit = page * hitsPerPage;
          const full = topKRanking(index, params, limit, false);
          const found = matchSearch(index, params, limit, createFastScorer(index), Deadline.none(), undefined, {
            topK: true,
            countTo,
          });
          const top = found.ranked.top.map((ord) => [ord, found.matches.articleScore[ord]!]);
          const total = found.ranked.ids.length + found.matches.unlistedArticles;
          const pruned = found.matches.pruned;
          releaseMatches(found.matches);
          expect(top, q).toEqual(full.top);
          // A lower bound, and never below countTo when there are that many: exact when nothing was left uncounted.
          expect(total, q).toBeLessThanOrEqual(full.total);
          expect(total, q).toBeGreaterThanOrEqual(Math.min(full.total, countTo));
          if (!pruned) expect(total, q).toBe(full.total);
          if (total < full.total) bounded++;
        },
      ),
      { numRuns: 120 },
    );
    expect(bounded).toBeGreaterThan(10);
  }, 120_000);

  it('GET /search of a common word past 1,000 hits: the page and the page count of totals=exact, totalHits 1,000 and gte, whatever the segments', async () => {
    const articles = syntheticArticles(2400);
    const app = createApp({ getIndex: () => buildIndex(articles) });
    const cut = await request(app).get('/search?q=the');
    const exact = await request(app).get('/search?q=the&totals=exact');
    expect(cut.status).toBe(200);
    expect(exact.body.totalHits).toBeGreaterThan(1000);
    expect(exact.body.totalHitsRelation).toBe('eq');
    expect(cut.body.totalHitsRelation).toBe('gte');
    // As Elasticsearch's track_total_hits: the bound is the paging depth itself, however far past it the
    // counting went (that depends on the segments: the same archive cut another way says the same).
    expect(cut.body.totalHits).toBe(1000);
    expect(cut.body.totalPages).toBe(exact.body.totalPages);
    expect(cut.body.hits).toEqual(exact.body.hits);
    const cutSmall = await request(createApp({ getIndex: () => buildIndex(articles, { segmentArticles: 150 }) })).get(
      '/search?q=the',
    );
    expect(cutSmall.body.totalHitsRelation).toBe('gte');
    expect(cutSmall.body.totalHits).toBe(1000);
    expect(cutSmall.body.hits).toEqual(cut.body.hits);
    // The InstantSearch route says the count is a lower bound: not exhaustive, as Algolia says of a capped count.
    const algolia = await request(app)
      .post('/1/indexes/*/queries')
      .set('Content-Type', 'text/plain')
      .send(JSON.stringify({ requests: [{ indexName: 'articles', params: 'query=the' }] }));
    expect(algolia.status).toBe(200);
    expect(algolia.body.results[0].nbHits).toBe(cut.body.totalHits);
    expect(algolia.body.results[0].exhaustiveNbHits).toBe(false);
    expect(algolia.body.results[0].exhaustive.nbHits).toBe(false);
  }, 60_000);
});
