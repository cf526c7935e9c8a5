import { describe, expect, it } from 'vitest';
import type { Article } from '../src/corpus/article.js';
import { buildIndex } from '../src/index/index-writer.js';
import { searchArchive } from '../src/query/search-archive.js';
import { withDefaults } from '../src/query/search-params.js';
import { FEEDBACK_MIN_WORDS, wantsFeedback } from '../src/query/execute/feedback.js';
import { compilePlan } from '../src/query/search-archive.js';
import { parseQuery } from '../src/query/parse/parse-query.js';

function article(id: string, paragraphs: string[]): Article {
  return {
    id,
    title: '',
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

/** Filler paragraphs so that document frequencies look like a real archive's. */
const filler = Array.from({ length: 60 }, (_, i) =>
  article(`filler-${i}`, [`The council met on day ${i} and the meeting was long.`]),
);

const index = buildIndex([
  article('eruption-1', ['The volcano eruption sent lava and ash over the island.']),
  article('eruption-2', ['Lava flowed from the volcano after the eruption; ash fell on the island.']),
  article('eruption-3', ['After the eruption the volcano was quiet, but lava and ash still covered the island.']),
  article('villages', ['Hot lava and thick ash buried villages on the island overnight, and more lava followed.']),
  article('football', ['The island football team won on Saturday.']),
  article('lava-only', ['Lava and ash, lava and ash.']),
  ...filler,
]);

const hits = (q: string) =>
  searchArchive(
    index,
    withDefaults({ q, matchingStrategy: 'any', typos: 'off', prefix: 'off', hitsPerPage: 100 }),
  ).hits.map((h) => h.articleId);

describe('pseudo-relevance feedback (RM3) for long queries', () => {
  it(`applies to queries of ${FEEDBACK_MIN_WORDS} words or more only`, () => {
    const plan = (n: number) => ({
      clauses: Array.from({ length: n }, (_, i) => [{ type: 'word' as const, form: `w${i}`, expansions: [] }]),
      excluded: [],
    });
    expect(wantsFeedback(plan(FEEDBACK_MIN_WORDS - 1), index)).toBe(false);
    expect(wantsFeedback(plan(FEEDBACK_MIN_WORDS), index)).toBe(true);
  });

  it('counts only the words that weigh in the ranking: words most paragraphs hold do not make a query long', () => {
    const compiled = (q: string) =>
      compilePlan(index, parseQuery(q, { prefixLast: false, defaultOperator: 'or' }), { typos: false, prefix: false });
    // "the" and "and" are in more than half of the paragraphs (every filler holds both): their IDF is at the floor,
    // so these are two keywords padded to six words, not a description of six.
    expect(wantsFeedback(compiled('the volcano and the lava and'), index)).toBe(false);
    // Five words that each weigh (fewer than half of the paragraphs hold each; "the" aside, and "news", which none holds): long enough.
    expect(wantsFeedback(compiled('after the volcano eruption, news from the island'), index)).toBe(true);
    expect(wantsFeedback(compiled('the volcano eruption, news from the island'), index)).toBe(false);
  });

  it('ranks an article about the same thing above one that shares a single query word, by the words the best hits share', () => {
    // Both hold only "island" of the query; the best hits are about lava and ash, as "villages" is.
    const ranked = hits('after the volcano eruption, news from the island');
    expect(ranked.indexOf('villages')).toBeLessThan(ranked.indexOf('football'));
  });

  it('keeps a short keyword query as typed: one pass, the shorter paragraph first', () => {
    const ranked = hits('island');
    expect(ranked.indexOf('football')).toBeLessThan(ranked.indexOf('villages'));
  });

  it('runs once with feedback=off: the shorter paragraph first, as the words alone rank it', () => {
    const response = searchArchive(
      index,
      withDefaults({
        q: 'after the volcano eruption, news from the island',
        matchingStrategy: 'any',
        typos: 'off',
        prefix: 'off',
        hitsPerPage: 100,
        feedback: 'off',
      }),
    );
    const ranked = response.hits.map((h) => h.articleId);
    expect(ranked.indexOf('football')).toBeLessThan(ranked.indexOf('villages'));
  });

  it('adds no hit: an article with feedback words but no query word is not returned', () => {
    expect(hits('after the volcano eruption, news from the island')).not.toContain('lava-only');
  });

  it('marks only the words of the query in snippets, never the feedback words', () => {
    const response = searchArchive(
      index,
      withDefaults({
        q: 'after the volcano eruption, news from the island',
        matchingStrategy: 'any',
        typos: 'off',
        prefix: 'off',
      }),
    );
    const villages = response.hits.find((h) => h.articleId === 'villages')!;
    expect(villages.snippets[0]!.html).toBe(
      'Hot lava and thick ash buried villages on <mark>the</mark> <mark>island</mark> overnight, and more lava followed.',
    );
  });
});

describe('feedback drawn from the best paragraph of each article', () => {
  // The eruption reports end with a sports round-up: a second subject, in paragraphs that hold no query word.
  const roundUp = 'In sport, the stadium crowd cheered a late goal, a second goal and a third goal.';
  const long = buildIndex([
    article('eruption-1', ['The volcano eruption sent lava and ash over the island.', roundUp]),
    article('eruption-2', ['Lava flowed from the volcano after the eruption; ash fell on the island.', roundUp]),
    article('eruption-3', [
      'After the eruption the volcano was quiet, but lava and ash still covered the island.',
      roundUp,
    ]),
    article('villages', ['Hot lava and thick ash buried villages on the island overnight.']),
    article('match', ['The island stadium cheered every goal of the match, goal after goal.']),
    ...filler,
  ]);

  it('expands with the words of the paragraphs that matched, not with the other subjects of the same articles', () => {
    // Both hold only "island" of the query. Drawn from whole articles, "goal" (three times in each
    // feedback article) would outweigh lava and ash and lift the football match; from the best paragraphs, lava and ash lift the villages.
    const ranked = searchArchive(
      long,
      withDefaults({
        q: 'the volcano eruption sent news from the island',
        matchingStrategy: 'any',
        typos: 'off',
        prefix: 'off',
        hitsPerPage: 100,
      }),
    ).hits.map((h) => h.articleId);
    expect(ranked.indexOf('villages')).toBeLessThan(ranked.indexOf('match'));
  });
});
