import request from 'supertest';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildIndex } from '../src/index/index-writer.js';
import { createApp } from '../src/http/create-app.js';
import { searchArchive } from '../src/query/search-archive.js';
import { createFastScorer, executeQuery, releaseMatches } from '../src/query/execute/execute-query.js';
import { compilePlan, matchSearch } from '../src/query/search-archive.js';
import { parseQuery } from '../src/query/parse/parse-query.js';
import { TopScores } from '../src/index/top-k.js';
import { Deadline } from '../src/query/execute/deadline.js';
import type { Article } from '../src/corpus/article.js';
import { withDefaults, type SearchParams } from '../src/query/search-params.js';
import { syntheticArticles, WORDS } from './helpers/synthetic-articles.js';
import { pageOf, topKRanking } from './helpers/top-k-ranking.js';
import type { ArchiveIndex } from '../src/index/archive-index.js';

/** The best `k` articles of a plan's evaluation (as `rank` orders them: score, then ordinal), with their scores. */
function bestOf(index: ArchiveIndex, q: string, prefix: boolean, k: number, topK: number) {
  const plan = compilePlan(index, parseQuery(q, { prefixLast: prefix, defaultOperator: 'or' }), {
    typos: false,
    prefix,
  });
  const matches = executeQuery(index, plan, createFastScorer(index), null, { topK });
  const top = new TopScores(k);
  for (let i = 0; i < matches.articleTouched.length; i++) {
    const ord = matches.articleTouched.ids[i]!;
    if (matches.articleMask[ord] !== 0) top.offer(ord, matches.articleScore[ord]!, ord);
  }
  const best = top.best().map((ord) => [ord, matches.articleScore[ord]!]);
  // Left articles out of the scoring: MaxScore (counts then lower bounds) or the any-word top-k (which counts them).
  const pruned = matches.pruned || matches.unlistedArticles > 0;
  releaseMatches(matches);
  return { best, pruned };
}

/**
 * An archive where a rare word (`zebra`, in the headline and a short paragraph of 150 articles)
 * and a common one (`said`, in a long paragraph of 300 other articles, never in a headline) meet:
 * no article with `said` alone can reach the best 100 of `zebra said`.
 */
function zebraArchive(): Article[] {
  const filler = 'the council met on tuesday and the minister spoke about the budget for the coming year in detail';
  const article = (i: number, title: string, paragraphs: string[]): Article => ({
    id: `z/${String(i).padStart(4, '0')}`,
    title,
    date: '2024-01-01',
    authors: [],
    source: 'Test',
    section: null,
    url: null,
    tags: [],
    paragraphs,
    file: `z/${i}.txt`,
  });
  const list: Article[] = [];
  for (let i = 0; i < 150; i++) list.push(article(i, `Zebra report ${i}`, ['A zebra was seen.', filler]));
  for (let i = 150; i < 450; i++)
    list.push(article(i, `Council report ${i}`, [`${filler} as the mayor said today`, filler]));
  return list;
}

const queryArb = fc.array(fc.constantFrom(...WORDS), { minLength: 2, maxLength: 4 }).map((words) => words.join(' '));

describe('top-k evaluation (MaxScore) of any-word queries', () => {
  it('ranks the same articles with the same scores in the same order as the full evaluation, on random archives and queries', () => {
    const indexes = new Map<string, ArchiveIndex>();
    fc.assert(
      fc.property(
        fc.record({
          size: fc.constantFrom(60, 180, 320),
          seed: fc.integer({ min: 1, max: 4 }),
          segmentArticles: fc.constantFrom(undefined, 45),
          q: queryArb,
          prefix: fc.constantFrom('last', 'off') as fc.Arbitrary<'last' | 'off'>,
          hitsPerPage: fc.constantFrom(3, 10, 50),
          page: fc.integer({ min: 1, max: 3 }),
          groupBy: fc.constantFrom('article', 'article', 'none') as fc.Arbitrary<'article' | 'none'>,
        }),
        ({ size, seed, segmentArticles, q, prefix, hitsPerPage, page: pageNumber, groupBy }) => {
          const key = `${size}/${seed}/${segmentArticles}`;
          let index = indexes.get(key);
          if (!index) indexes.set(key, (index = buildIndex(syntheticArticles(size, seed), { segmentArticles })));
          const params = withDefaults({
            q,
            matchingStrategy: 'any',
            prefix,
            hitsPerPage,
            page: pageNumber,
            groupBy,
            feedback: 'off',
          });
          const limit = pageNumber * hitsPerPage;
          const full = topKRanking(index, params, limit, false);
          const cut = topKRanking(index, params, limit, true);
          expect(full.pruned).toBe(false);
          expect(cut.top, q).toEqual(full.top);
          if (!cut.pruned) expect(cut.total).toBe(full.total);
          else expect(cut.total).toBeLessThanOrEqual(full.total);
          const exact = searchArchive(index, { ...params, totals: 'exact' });
          const atLeast = searchArchive(index, params);
          expect(pageOf(atLeast)).toEqual(pageOf(exact));
          expect(exact.totalHitsRelation).toBe('eq');
          expect(atLeast.totalHitsRelation).toBe(cut.pruned ? 'gte' : 'eq');
        },
      ),
      { numRuns: 120 },
    );
  });

  it('keeps the best k of every evaluation exact, scores and order, for any k, and prunes where it can', () => {
    const indexes = new Map<string, ArchiveIndex>();
    let pruned = 0;
    fc.assert(
      fc.property(
        fc.record({
          size: fc.constantFrom(60, 200, 400),
          seed: fc.integer({ min: 1, max: 3 }),
          segmentArticles: fc.constantFrom(undefined, 70),
          q: queryArb,
          prefix: fc.boolean(),
          k: fc.constantFrom(1, 3, 10, 40),
        }),
        ({ size, seed, segmentArticles, q, prefix, k }) => {
          const key = `${size}/${seed}/${segmentArticles}`;
          let index = indexes.get(key);
          if (!index) indexes.set(key, (index = buildIndex(syntheticArticles(size, seed), { segmentArticles })));
          const full = bestOf(index, q, prefix, k, 0);
          const cut = bestOf(index, q, prefix, k, k);
          if (cut.pruned) pruned++;
          expect(cut.best, `${q} k=${k}`).toEqual(full.best);
        },
      ),
      { numRuns: 200 },
    );
    // The property is not vacuous: a good share of the runs did leave articles out.
    expect(pruned).toBeGreaterThan(20);
  });

  it('leaves out articles that cannot reach the page when a common word follows a rarer one, and counts them (any-word top-k)', () => {
    const index = buildIndex(zebraArchive());
    const params = withDefaults({ q: 'zebra said', matchingStrategy: 'any', prefix: 'off' });
    const cut = topKRanking(index, params, 10, true);
    const full = topKRanking(index, params, 10, false);
    // `said` is in no headline and only in long paragraphs: no article holding it alone reaches the best 30.
    const found = matchSearch(index, params, 10, createFastScorer(index), Deadline.none(), undefined, { topK: true });
    expect(found.matches.unlistedArticles).toBeGreaterThan(100);
    releaseMatches(found.matches);
    expect(cut.pruned).toBe(false);
    expect(cut.total).toBe(full.total);
    expect(cut.top).toEqual(full.top);
    const response = searchArchive(index, params);
    expect(response.totalHitsRelation).toBe('eq');
    expect(response.totalHits).toBe(full.total);
  });

  it('counts every hit exactly when facets are asked for and with a feedback pass', () => {
    const index = buildIndex(syntheticArticles(400));
    const base = { q: 'government the', prefix: 'off' } as const;
    for (const params of [
      { ...base, matchingStrategy: 'any', facets: ['source'] },
      // Feedback needs five words that weigh: in this small vocabulary "the", "government" and "prices" are in over half the paragraphs.
      { q: 'government the oil market prices court judge hospital budget', matchingStrategy: 'any' },
    ] as const) {
      const response = searchArchive(index, withDefaults(params as Partial<SearchParams>));
      expect(response.totalHitsRelation, JSON.stringify(params)).toBe('eq');
      expect(response.totalHits).toBe(
        searchArchive(index, withDefaults({ ...(params as Partial<SearchParams>), totals: 'exact' })).totalHits,
      );
    }
  });
});

describe('GET /search totals', () => {
  const app = createApp({ getIndex: () => buildIndex(zebraArchive()) });

  it('answers 400 invalid_search_totals naming the parameter for a value other than exact or atLeast', async () => {
    const res = await request(app).get('/search?q=oil&totals=some');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_search_totals');
    expect(res.body.message).toContain('totals');
  });

  it('gives totalHitsRelation eq for an any-word query scored in part (counted), with the hits of totals=exact', async () => {
    const cut = await request(app).get('/search?q=zebra+said&matchingStrategy=any&prefix=off&hitsPerPage=20');
    expect(cut.status).toBe(200);
    expect(cut.body.totalHitsRelation).toBe('eq');
    const exact = await request(app).get(
      '/search?q=zebra+said&matchingStrategy=any&prefix=off&hitsPerPage=20&totals=exact',
    );
    expect(exact.body.totalHitsRelation).toBe('eq');
    expect({ ...cut.body, processingTimeMs: 0 }).toEqual({ ...exact.body, processingTimeMs: 0 });
  });
});
