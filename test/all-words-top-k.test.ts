import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import request from 'supertest';
import { buildIndex } from '../src/index/index-writer.js';
import { createApp } from '../src/http/create-app.js';
import { searchArchive } from '../src/query/search-archive.js';
import { withDefaults, type SearchParams } from '../src/query/search-params.js';
import type { ArchiveIndex } from '../src/index/archive-index.js';
import { syntheticArticles, WORDS } from './helpers/synthetic-articles.js';
import { pageOf, topKRanking } from './helpers/top-k-ranking.js';
import { topKArchive } from './helpers/top-k-archive.js';

/** One to four words of the synthetic vocabulary; the last sometimes cut to a prefix (2–4 letters) that has completions. */
const queryArb = fc
  .record({
    words: fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 4 }),
    cut: fc.constantFrom(0, 0, 2, 3, 4),
  })
  .map(({ words, cut }) => {
    const last = words[words.length - 1]!;
    if (cut > 0 && last.length > cut) words[words.length - 1] = last.slice(0, cut);
    return words.join(' ');
  });

describe('top-k evaluation of all-words queries (article at a time)', () => {
  it('ranks the same articles with the same scores, pages and snippets as the full evaluation, on random archives and queries', () => {
    const indexes = new Map<string, ArchiveIndex>();
    let pruned = 0;
    fc.assert(
      fc.property(
        fc.record({
          size: fc.constantFrom(60, 200, 400),
          seed: fc.integer({ min: 1, max: 3 }),
          segmentArticles: fc.constantFrom(undefined, 45),
          deleted: fc.boolean(),
          q: queryArb,
          prefix: fc.constantFrom('last', 'last', 'off') as fc.Arbitrary<'last' | 'off'>,
          hitsPerPage: fc.constantFrom(3, 10, 50),
          page: fc.integer({ min: 1, max: 3 }),
          source: fc.constantFrom<string[]>([], [], ['Reuters', 'BBC']),
        }),
        ({ size, seed, segmentArticles, deleted, q, prefix, hitsPerPage, page: pageNumber, source }) => {
          const key = `${size}/${seed}/${segmentArticles}/${deleted}`;
          let index = indexes.get(key);
          if (!index) indexes.set(key, (index = topKArchive(size, seed, segmentArticles, deleted)));
          const params = withDefaults({ q, prefix, hitsPerPage, page: pageNumber, source });
          const limit = pageNumber * hitsPerPage;
          const full = topKRanking(index, params, limit, false);
          const cut = topKRanking(index, params, limit, true);
          if (cut.pruned) pruned++;
          expect(full.pruned).toBe(false);
          expect(cut.top, q).toEqual(full.top);
          // Articles left out of the scoring are still counted.
          expect(cut.total, q).toBe(full.total);
          const exact = searchArchive(index, { ...params, totals: 'exact' });
          const atLeast = searchArchive(index, params);
          expect(pageOf(atLeast), q).toEqual(pageOf(exact));
          expect(atLeast.totalHits).toBe(exact.totalHits);
          expect(exact.totalHitsRelation).toBe('eq');
          expect(atLeast.totalHitsRelation).toBe(cut.pruned ? 'gte' : 'eq');
          if (cut.pruned) expect(atLeast.totalParagraphs).toBeLessThan(exact.totalParagraphs);
          else expect(atLeast.totalParagraphs).toBe(exact.totalParagraphs);
        },
      ),
      { numRuns: 250 },
    );
    // The property is not vacuous: a good share of the runs scored only part of the matching articles.
    expect(pruned).toBeGreaterThan(40);
  });

  it('scores only the articles that can reach the page for two common words, keeping totalHits exact and saying the paragraph count is a lower bound', () => {
    const index = buildIndex(syntheticArticles(400));
    const params = withDefaults({ q: 'government the', prefix: 'off' });
    const cut = topKRanking(index, params, 10, true);
    const full = topKRanking(index, params, 10, false);
    expect(cut.pruned).toBe(true);
    expect(cut.top).toEqual(full.top);
    const response = searchArchive(index, params);
    const exact = searchArchive(index, { ...params, totals: 'exact' });
    expect(response.totalHitsRelation).toBe('gte');
    expect(response.totalHits).toBe(exact.totalHits);
    expect(response.totalParagraphs).toBeLessThan(exact.totalParagraphs);
  });

  it('keeps first the articles that a rare completion of the last word puts first', () => {
    // `governolatry` (made up, so that no other word shares its stem), in 4 of 400 articles, is read once for
    // all rather than sought in each candidate article (a rare term): its share of those articles' bounds
    // must still be counted, or they would be left out.
    const articles = syntheticArticles(400).map((a, i) =>
      i % 130 === 7
        ? { ...a, title: 'A report', paragraphs: ['The governolatry, the governolatry, the governolatry.'] }
        : a,
    );
    const index = buildIndex(articles);
    const params = withDefaults({ q: 'the govern', prefix: 'last', hitsPerPage: 3 });
    const cut = topKRanking(index, params, 3, true);
    const full = topKRanking(index, params, 3, false);
    expect(cut.pruned).toBe(true);
    expect(cut.top).toEqual(full.top);
    const governolatry = new Set(articles.filter((_, i) => i % 130 === 7).map((a) => a.id));
    expect(searchArchive(index, params).hits.every((h) => governolatry.has(h.articleId))).toBe(true);
  });

  it('intersects through a form whose stem shares its paragraphs but not its headlines', () => {
    // `zorblat` (made up) and its stem term share their paragraph postings (no other form in the paragraphs),
    // read once in pass 1 under the form; the stem alone is in headlines (`Zorblats`). An article holding
    // `zorblat` in a paragraph and not in its headline must still hold the clause.
    const articles = syntheticArticles(600).map((a, i) => ({
      ...a,
      title: i % 12 === 0 ? `Zorblats ${a.title}` : a.title,
      paragraphs: [
        ...a.paragraphs,
        ...(i % 2 === 0 ? ['A zorblat note.', 'The zorblat again.', 'One more zorblat.'] : []),
        ...(i % 6 === 0 ? ['The quix report.', 'A quix line.', 'Quix at last.'] : []),
      ],
    }));
    const index = buildIndex(articles);
    const params = withDefaults({ q: 'zorblat quix', prefix: 'off' });
    const cut = topKRanking(index, params, 10, true);
    const full = topKRanking(index, params, 10, false);
    expect(full.total).toBe(100);
    expect(cut.total).toBe(full.total);
    expect(cut.top).toEqual(full.top);
  });

  it('evaluates in full, with exact totals, when facets, exact totals or grouped near-duplicates are asked for', () => {
    const index = buildIndex(syntheticArticles(400));
    const base = { q: 'government the', prefix: 'off' } as const;
    for (const params of [
      { ...base, facets: ['source'] },
      { ...base, totals: 'exact' },
      { ...base, duplicates: 'group' },
    ] as Partial<SearchParams>[]) {
      const response = searchArchive(index, withDefaults(params));
      expect(response.totalHitsRelation, JSON.stringify(params)).toBe('eq');
    }
  });
});

describe('GET /search totals in all-words mode', () => {
  const app = createApp({ getIndex: () => buildIndex(syntheticArticles(400)) });

  it('gives totalHitsRelation gte for a pruned all-words query and eq with totals=exact, with the same hits and totalHits', async () => {
    const cut = await request(app).get('/search?q=government+the&prefix=off');
    const exact = await request(app).get('/search?q=government+the&prefix=off&totals=exact');
    expect(cut.status).toBe(200);
    expect(cut.body.totalHitsRelation).toBe('gte');
    expect(exact.body.totalHitsRelation).toBe('eq');
    expect(cut.body.totalHits).toBe(exact.body.totalHits);
    expect(cut.body.hits).toEqual(exact.body.hits);
  });
});
