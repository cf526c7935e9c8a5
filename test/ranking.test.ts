import { describe, expect, it } from 'vitest';
import type { Article } from '../src/corpus/article.js';
import { buildIndex } from '../src/index/index-writer.js';
import { searchArchive } from '../src/query/search-archive.js';
import { withDefaults, type SearchParams } from '../src/query/search-params.js';

function article(id: string, title: string, paragraphs: string[], extra: Partial<Article> = {}): Article {
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
    ...extra,
  };
}

/** Filler paragraphs so that document frequencies look like a real archive's. */
const filler = Array.from({ length: 30 }, (_, i) =>
  article(`filler-${i}`, `Filler report ${i}`, [
    `The council met on day ${i} and the meeting was long.`,
    `Officials said the plan was ready.`,
  ]),
);

function top(articles: Article[], q: string, params: Partial<SearchParams> = {}): string[] {
  return searchArchive(buildIndex([...articles, ...filler]), withDefaults({ q, ...params })).hits.map(
    (h) => h.articleId,
  );
}

describe('ranking', () => {
  it('ranks the exact word form above a stem-only match: "arrivals" finds "new arrivals" before "the arrival"', () => {
    const ids = top(
      [
        article('arrival', 'Zoo update', ['The arrival of two pandas at the zoo.']),
        article('arrivals', 'Zoo news', ['New arrivals at the zoo include two pandas.']),
      ],
      'arrivals',
    );
    // Both contain the stem "arriv"; only "arrivals" contains the form, which adds its exact-form score.
    expect(ids.slice(0, 2)).toEqual(['arrivals', 'arrival']);
  });

  it('never matches "new" for "news": Porter\'s shared stem is split for them', () => {
    const ids = top(
      [
        article('arrivals', 'Zoo update', ['New arrivals at the zoo include two pandas.']),
        article('bulletin', 'Evening bulletin', ['The news at nine covered the zoo.']),
      ],
      'news',
    );
    expect(ids).toEqual(['bulletin']);
  });

  it('ranks a headline match above the same match in a paragraph only', () => {
    const ids = top(
      [
        article('body-only', 'Weather report', ['Heavy flooding closed the coastal road.']),
        article('headline', 'Flooding closes roads', ['Heavy flooding closed the coastal road.']),
      ],
      'flooding',
    );
    // Same paragraph text; the headline adds a boosted title score.
    expect(ids).toEqual(['headline', 'body-only']);
  });

  it('weights a rare term above a common one (inverse document frequency)', () => {
    const ids = top(
      [
        article('common', 'Council', ['The council said the plan was long.']),
        article('rare', 'Volcano', ['The volcano erupted overnight.']),
      ],
      'council volcano',
      { matchingStrategy: 'any' },
    );
    // "council" occurs in 31 articles, "volcano" in one: the volcano match is worth far more.
    expect(ids[0]).toBe('rare');
  });

  it('prefers the shorter paragraph when the term occurs once in each (length normalization)', () => {
    const ids = top(
      [
        article('long', 'A', [
          'Drought in the north, as officials reported on many other issues affecting farmers, roads, schools and hospitals across the region this year.',
        ]),
        article('short', 'B', ['Drought in the north.']),
      ],
      'drought',
    );
    expect(ids).toEqual(['short', 'long']);
  });

  it('matches a quoted phrase only where the words are adjacent and in order', () => {
    const ids = top(
      [
        article('adjacent', 'A', ['Oil price rises again.']),
        article('apart', 'B', ['The price of oil rises again.']),
        article('reversed', 'C', ['Price oil rises.']),
      ],
      '"oil price"',
    );
    expect(ids).toEqual(['adjacent']);
  });

  it('with matchingStrategy=all and groupBy=article, terms may be in different paragraphs of one article', () => {
    const articles = [
      article('split', 'Report', ['Haiti sent soldiers.', 'They train in Mexico.']),
      article('one-term', 'Other', ['Haiti alone.']),
    ];
    expect(top(articles, 'haiti mexico')).toEqual(['split']);
    // Per paragraph, no single paragraph holds both words.
    expect(top(articles, 'haiti mexico', { groupBy: 'none' })).toEqual([]);
  });

  it('ranks an article whose best paragraph holds every term above one that spreads a single term over many paragraphs', () => {
    const ids = top(
      [
        article('focused', 'A', ['Refugees crossed the border at dawn.']),
        article('spread', 'B', [
          'Refugees waited.',
          'Refugees waited again.',
          'Refugees waited more.',
          'Border guards watched.',
        ]),
      ],
      'refugees border',
    );
    // Both match both terms; extra paragraphs add only log-damped score, the best paragraph dominates.
    expect(ids[0]).toBe('focused');
  });

  it('sorts by date when asked, undated articles last, ties by score then id', () => {
    const ids = top(
      [
        article('old', 'A', ['Storm warning.'], { date: '2020-01-01' }),
        article('new', 'B', ['Storm warning.'], { date: '2024-01-01' }),
        article('undated', 'C', ['Storm warning.']),
      ],
      'storm',
      { sort: 'date:desc' },
    );
    expect(ids).toEqual(['new', 'old', 'undated']);
  });
});
