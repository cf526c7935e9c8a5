import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { searchArchive, compilePlan, matchSearch } from '../src/query/search-archive.js';
import { createFastScorer } from '../src/query/execute/execute-query.js';
import { Deadline } from '../src/query/execute/deadline.js';
import { withDefaults } from '../src/query/search-params.js';
import type { ArchiveIndex } from '../src/index/archive-index.js';
import { WORDS } from './helpers/synthetic-articles.js';
import { pageOf, topKRanking } from './helpers/top-k-ranking.js';
import { topKArchive } from './helpers/top-k-archive.js';
import { parseQuery } from '../src/query/parse/parse-query.js';
import { acquireMatches, releaseMatches } from '../src/query/execute/query-matches.js';
import { scoreAnyWordTopK } from '../src/query/execute/any-word-top-k.js';
import { EXTRA_PARAGRAPHS_WEIGHT, PASSAGE_WEIGHT, TITLE_BOOST } from '../src/query/execute/score-weights.js';

const weights = { titleBoost: TITLE_BOOST, extraParagraphs: EXTRA_PARAGRAPHS_WEIGHT, passage: PASSAGE_WEIGHT };

/**
 * Runs the any-word top-k alone on `q` (no prefix) with depth `k`: whether it ran, how many
 * matching articles it scored (listed) and how many it left out (counted, not listed).
 */
function anyWordRun(index: ArchiveIndex, q: string, k: number): { ran: boolean; listed: number; unlisted: number } {
  const plan = compilePlan(index, parseQuery(q, { prefixLast: false, defaultOperator: 'or' }), {
    typos: false,
    prefix: false,
  });
  const clauses = plan.clauses.map((clause) => clause.flatMap((item) => (item.type === 'word' ? item.expansions : [])));
  const matches = acquireMatches(index.paraArticle.length, index.articleSlots, clauses.length);
  const order = clauses.map((_, c) => c);
  const ran = scoreAnyWordTopK(index, clauses, order, null, matches, k, weights);
  const result = { ran, listed: matches.articleTouched.length, unlisted: matches.unlistedArticles };
  releaseMatches(matches);
  return result;
}

/** A word of the synthetic vocabulary, sometimes cut to a prefix (2–6 letters) that has completions. */
const wordArb = fc
  .record({ word: fc.constantFrom(...WORDS), cut: fc.constantFrom(0, 0, 0, 3, 5) })
  .map(({ word, cut }) => (cut > 0 && word.length > cut ? word.slice(0, cut) : word));

describe('top-k evaluation of any-word queries (block-max windows)', () => {
  it('ranks the same articles with the same scores, pages and snippets as the full evaluation, on random archives and queries', () => {
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
          words: fc.array(wordArb, { minLength: 2, maxLength: 4 }),
          prefix: fc.constantFrom('last', 'off') as fc.Arbitrary<'last' | 'off'>,
          hitsPerPage: fc.constantFrom(3, 10, 50),
          page: fc.integer({ min: 1, max: 3 }),
          source: fc.constantFrom<string[]>([], [], ['Reuters', 'BBC']),
        }),
        ({ size, seed, segmentArticles, deleted, long, words, prefix, hitsPerPage, page, source }) => {
          const key = `${size}/${seed}/${segmentArticles}/${deleted}/${long}`;
          let index = indexes.get(key);
          if (!index) indexes.set(key, (index = topKArchive(size, seed, segmentArticles, deleted, long)));
          const q = words.join(' ');
          const params = withDefaults({
            q,
            prefix,
            matchingStrategy: 'any',
            hitsPerPage,
            page,
            source,
            feedback: 'off',
          });
          const limit = page * hitsPerPage;
          const full = topKRanking(index, params, limit, false);
          const cut = topKRanking(index, params, limit, true);
          expect(full.pruned).toBe(false);
          expect(cut.top, q).toEqual(full.top);
          const exact = searchArchive(index, { ...params, totals: 'exact' });
          const atLeast = searchArchive(index, params);
          if (cut.pruned) {
            // Left to the term-at-a-time MaxScore (a prefix of many completions, …): counts are lower bounds.
            expect(cut.total).toBeLessThanOrEqual(full.total);
            expect(pageOf(atLeast), q).toEqual(pageOf(exact));
          } else {
            // Articles left out of the scoring are still counted: the whole response, counts included, is the
            // full evaluation's (fewer than 1,000 hits: counted exactly).
            expect(cut.total, q).toBe(full.total);
            expect({ ...atLeast, processingTimeMs: 0 }, q).toEqual({ ...exact, processingTimeMs: 0 });
          }
          if (source.length === 0 && prefix === 'off') {
            const run = anyWordRun(index, q, Math.max(limit, 30));
            if (run.ran && run.unlisted > 0) skipping++;
          }
        },
      ),
      { numRuns: 200 },
    );
    // The property is not vacuous: a share of the runs left articles out of the any-word top-k.
    expect(skipping).toBeGreaterThan(15);
  }, 180_000);

  it('scores only part of the matching articles of two common words, with the best of the full evaluation', () => {
    const index = topKArchive(900, 1, undefined, false);
    const run = anyWordRun(index, 'the government', 30);
    expect(run.ran).toBe(true);
    expect(run.unlisted).toBeGreaterThan(100);
    const params = withDefaults({ q: 'the government', prefix: 'off', matchingStrategy: 'any', feedback: 'off' });
    const full = topKRanking(index, params, 30, false);
    const cut = topKRanking(index, params, 30, true);
    expect(cut.top).toEqual(full.top);
    expect(cut.total).toBe(full.total);
    const response = searchArchive(index, params);
    expect(response.totalHitsRelation).toBe('eq');
    expect({ ...response, processingTimeMs: 0 }).toEqual({
      ...searchArchive(index, { ...params, totals: 'exact' }),
      processingTimeMs: 0,
    });
  });

  it('counts matching articles only up to countTo past the page, with the best articles and scores of the full evaluation', () => {
    const index = topKArchive(900, 2, 300, true);
    const params = withDefaults({ q: 'the government', prefix: 'off', matchingStrategy: 'any', feedback: 'off' });
    const full = topKRanking(index, params, 30, false);
    const found = matchSearch(index, params, 30, createFastScorer(index), Deadline.none(), undefined, {
      topK: true,
      countTo: 40,
    });
    expect(found.ranked.top.map((ord) => [ord, found.matches.articleScore[ord]!])).toEqual(full.top);
    const counted = found.ranked.ids.length + found.matches.unlistedArticles;
    expect(found.matches.pruned).toBe(true);
    expect(counted).toBeGreaterThanOrEqual(40);
    expect(counted).toBeLessThan(full.total);
    releaseMatches(found.matches);
  });
});
