import { describe, expect, it } from 'vitest';
import type { Article } from '../src/corpus/article.js';
import { buildIndex } from '../src/index/index-writer.js';
import { searchArchive } from '../src/query/search-archive.js';
import { withDefaults, type SearchParams } from '../src/query/search-params.js';
import { createFastScorer } from '../src/query/execute/execute-query.js';
import { Deadline } from '../src/query/execute/deadline.js';
import { MAX_SYNONYMS_PER_ENTRY, parseSynonymSet, SynonymTable } from '../src/query/plan/synonyms.js';

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

const filler = Array.from({ length: 40 }, (_, i) =>
  article(`filler-${i}`, [`The council met on day ${i} and the meeting was long.`]),
);
const index = buildIndex([
  article('kyiv', ['Shelling hit Kyiv overnight, officials said.']),
  article('kiev', ['Shelling hit Kiev overnight, officials said.']),
  article('un-short', ['The UN sent food convoys.']),
  article('un-long', ['The United Nations sent food convoys.']),
  article('nyc', ['New York City opened its budget hearings.']),
  article('nyc-short', ['NYC opened its budget hearings.']),
  article('york', ['York, in England, opened its budget hearings.']),
  ...filler,
]);

const table = new SynonymTable(
  parseSynonymSet({
    groups: [
      ['kyiv', 'kiev'],
      ['united nations', 'un'],
    ],
    oneWay: [{ from: 'nyc', to: ['new york city'] }],
  }),
);
const search = (q: string, extra: Partial<SearchParams> = {}) =>
  searchArchive(index, withDefaults({ q, ...extra }), createFastScorer(index), Deadline.none(), table);
const ids = (q: string, extra: Partial<SearchParams> = {}) => search(q, extra).hits.map((h) => h.articleId);

describe('synonyms at query time', () => {
  it('finds the articles of every word of a group, the word as typed first (a synonym weighs half)', () => {
    expect(ids('kiev')).toEqual(['kiev', 'kyiv']);
    expect(ids('kyiv')).toEqual(['kyiv', 'kiev']);
  });

  it('marks a synonym in snippets with the kind `synonym`, naming the word typed', () => {
    const hit = search('kiev').hits.find((h) => h.articleId === 'kyiv')!;
    expect(hit.snippets[0]!.html).toBe('Shelling hit <mark>Kyiv</mark> overnight, officials said.');
    expect(hit.snippets[0]!.highlights).toEqual([expect.objectContaining({ kind: 'synonym', term: 'kiev' })]);
  });

  it('matches a several-word entry typed as separate words, in the default mode that wants every word', () => {
    // "united nations" → "un": an article holding only "UN" has both words of the entry.
    expect(ids('united nations')).toEqual(['un-long', 'un-short']);
  });

  it('expands one word into a phrase of several, marked as a synonym', () => {
    expect(ids('un')).toEqual(['un-short', 'un-long']);
    const hit = search('un').hits.find((h) => h.articleId === 'un-long')!;
    expect(hit.snippets[0]!.html).toBe('The <mark>United</mark> <mark>Nations</mark> sent food convoys.');
    expect(hit.snippets[0]!.highlights.map((h) => h.kind)).toEqual(['synonym', 'synonym']);
  });

  it('applies a one-way rule from its `from` only: nyc finds New York City, new york city does not find NYC', () => {
    expect(ids('nyc')).toEqual(['nyc-short', 'nyc']);
    expect(ids('"new york city"')).toEqual(['nyc']);
    // The phrase's words, not York alone: the article about York in England is not a synonym match.
    expect(ids('nyc')).not.toContain('york');
  });

  it('shows the rules a query used in parsedQuery.synonyms, and none when it used none', () => {
    expect(search('kiev shelling').parsedQuery.synonyms).toEqual([{ from: 'kiev', to: ['kyiv'] }]);
    expect(search('shelling').parsedQuery).not.toHaveProperty('synonyms');
  });

  it('changes nothing without a synonym set', () => {
    expect(searchArchive(index, withDefaults({ q: 'kiev' })).hits.map((h) => h.articleId)).toEqual(['kiev']);
  });
});

describe('the synonym set', () => {
  it('takes the shape of the issue and gives it back trimmed', () => {
    expect(parseSynonymSet({ groups: [[' kyiv', 'kiev ']], oneWay: [{ from: 'nyc', to: ['new york city'] }] })).toEqual(
      {
        groups: [['kyiv', 'kiev']],
        oneWay: [{ from: 'nyc', to: ['new york city'] }],
      },
    );
    expect(parseSynonymSet({})).toEqual({ groups: [], oneWay: [] });
  });

  it.each([
    [{ groups: [['kyiv']] }, /groups\[0\] must hold 2/],
    [{ groups: [['kyiv', 3]] }, /groups\[0\]\[1\] must be a string/],
    [{ groups: [['kyiv', '...']] }, /groups\[0\]\[1\] .* holds no word/],
    [{ oneWay: [{ from: 'nyc' }] }, /oneWay\[0\]\.to must be an array/],
    [{ oneWay: [{ from: 'nyc', to: ['a'], via: 1 }] }, /oneWay\[0\] has an unknown field `via`/],
    [{ rules: [] }, /Unknown field `rules`/],
    [[], /must be a JSON object/],
  ])('rejects %j naming the bad entry', (value, message) => {
    expect(() => parseSynonymSet(value)).toThrow(message);
  });

  it(`keeps at most ${MAX_SYNONYMS_PER_ENTRY} synonyms per entry: a query's expansion is bounded`, () => {
    const big = new SynonymTable(parseSynonymSet({ groups: [Array.from({ length: 20 }, (_, i) => `word${i}`)] }));
    expect(big.lookup(['word0'])).toHaveLength(MAX_SYNONYMS_PER_ENTRY);
  });
});

describe('synonyms in the ranking', () => {
  it('ranks the article with the word as typed above the one with its synonym in a query of several words (a synonym weighs half)', () => {
    // The two paragraphs are the same but for Kiev/Kyiv; with two words there is no exactness tier, so only the weights decide.
    expect(ids('kiev shelling')).toEqual(['kiev', 'kyiv']);
    expect(ids('kyiv shelling')).toEqual(['kyiv', 'kiev']);
    expect(search('kiev shelling').hits[0]!.score).toBeGreaterThan(search('kiev shelling').hits[1]!.score);
  });
});
