import { describe, expect, it } from 'vitest';
import type { Article } from '../src/corpus/article.js';
import { buildIndex } from '../src/index/index-writer.js';
import { searchArchive } from '../src/query/search-archive.js';
import { withDefaults, type SearchParams } from '../src/query/search-params.js';
import { stemForm } from '../src/analysis/stem-form.js';
import fc from 'fast-check';
import type { ArchiveIndex } from '../src/index/archive-index.js';
import { articlesWithTerm } from '../src/query/execute/exactness.js';
import { topKArchive } from './helpers/top-k-archive.js';
import { WORDS } from './helpers/synthetic-articles.js';

function article(id: string, title: string, paragraphs: string[]): Article {
  return {
    id,
    title,
    date: null,
    authors: [],
    source: null,
    section: null,
    url: null,
    tags: [],
    paragraphs,
    file: `${id}.txt`,
  };
}

const filler = Array.from({ length: 30 }, (_, i) =>
  article(`filler-${i}`, `Council report ${i}`, [
    `The council met on day ${i} and the meeting was long.`,
    'Officials said the plan was ready.',
  ]),
);

function top(articles: Article[], q: string, params: Partial<SearchParams> = {}): string[] {
  return searchArchive(buildIndex([...articles, ...filler]), withDefaults({ q, ...params })).hits.map(
    (h) => h.articleId,
  );
}

describe('exactness', () => {
  const articles = [
    // Short one-line paragraphs with only other forms of the stem: BM25 alone ranks them first.
    article('displace', 'Markets', ['Robots displace workers.']),
    article('displacing', 'Film', ['A sequel displacing the leader.']),
    // The word as typed, in a long paragraph of a long article.
    article('typed', 'Haiti', [
      'Gang attacks have left thousands dead, and nearly 1.3 million people across the country are internally displaced because of the violence, the UN says.',
      'Soldiers were sent abroad to train.',
    ]),
  ];

  it('ranks every article with the word as typed above the articles with only other forms of its stem', () => {
    // "displaced", "displace" and "displacing" share a stem; only "typed" holds the form the reporter typed.
    expect(top(articles, 'displaced')).toEqual(['typed', 'displace', 'displacing']);
  });

  it('keeps score order within each group', () => {
    const more = [...articles, article('typed-short', 'Camps', ['Displaced families wait.'])];
    // Both hold "displaced"; the shorter paragraph scores higher. The stem-only ones follow.
    expect(top(more, 'displaced')).toEqual(['typed-short', 'typed', 'displace', 'displacing']);
  });

  it('leaves a query of several words to the scores: the typed form only adds its small weight', () => {
    const ids = top(articles, 'displaced workers', { matchingStrategy: 'any' });
    // "displace" holds a form of each word, "typed" only the typed "displaced": two words beat one form.
    expect(ids[0]).toBe('displace');
  });

  it("keeps displacement apart from displaced (an engine's, a ship's): their stems are split", () => {
    expect(stemForm('displacement')).not.toBe(stemForm('displaced'));
    expect(stemForm('displacing')).toBe(stemForm('displaced'));
    expect(
      top([...articles, article('engine', 'Diesels', ['Engine displacement of two litres.'])], 'displaced'),
    ).not.toContain('engine');
  });
});

describe('exactness over a few listed articles', () => {
  it('marks the listed articles holding the typed form alike whether it reads the postings whole or seeks each article', () => {
    const indexes = new Map<string, ArchiveIndex>();
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 1, max: 3 }),
          segmentArticles: fc.constantFrom(undefined, 45, 300),
          deleted: fc.boolean(),
          word: fc.constantFrom(...WORDS),
          picks: fc.array(fc.nat(), { minLength: 1, maxLength: 25 }),
          filtered: fc.boolean(),
        }),
        ({ seed, segmentArticles, deleted, word, picks, filtered }) => {
          const key = `${seed}/${segmentArticles}/${deleted}`;
          let index = indexes.get(key);
          if (!index) indexes.set(key, (index = topKArchive(600, seed, segmentArticles, deleted)));
          const ids = [...new Set(picks.map((p) => p % index!.articleSlots))];
          const filter = filtered ? Uint8Array.from({ length: index.articleSlots }, (_, ord) => ord % 3) : null;
          const whole = articlesWithTerm(index, word, filter, null);
          const expected = ids.map((ord) => whole.marks[ord]);
          whole.clear();
          const sought = articlesWithTerm(index, word, filter, ids);
          expect(
            ids.map((ord) => sought.marks[ord]),
            word,
          ).toEqual(expected);
          sought.clear();
          expect(sought.marks.every((m) => m === 0)).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });
});
