import { describe, expect, it } from 'vitest';
import type { Article } from '../src/corpus/article.js';
import { buildIndex } from '../src/index/index-writer.js';
import { searchArchive } from '../src/query/search-archive.js';
import { withDefaults, type SearchParams } from '../src/query/search-params.js';
import { CORRECTION_FACTOR } from '../src/query/plan/did-you-mean.js';

function article(id: string, paragraphs: string[]): Article {
  return {
    id,
    title: `Report ${id}`,
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

/** Far more articles (the factor and some) with the word spelt right than the one with the typo. */
const archive = buildIndex([
  article('typo', ['The goverment budget was late.']),
  ...Array.from({ length: CORRECTION_FACTOR + 5 }, (_, i) =>
    article(`right-${i}`, [`The government budget for year ${i} was passed.`]),
  ),
  ...Array.from({ length: 5 }, (_, i) => article(`budgets-${i}`, [`Household budgets shrank in year ${i}.`])),
]);

const search = (q: string, params: Partial<SearchParams> = {}) =>
  searchArchive(archive, withDefaults({ q, ...params }));

describe('did you mean', () => {
  it('offers "government budget" for "goverment budget", whose hits stay those of the query as typed', () => {
    const response = search('goverment budget');
    // The typed query finds the one article with the typo; "government" is in 25 times as many.
    expect(response.hits.map((h) => h.articleId)).toEqual(['typo']);
    expect(response.correctedQuery).toBe('government budget');
    expect(response.typoTolerance).toBe(false);
  });

  it('offers nothing when the typed words are common enough', () => {
    expect(search('government budget').correctedQuery).toBeNull();
  });

  it('never offers another form of the same stem ("budgets" is not corrected to "budget")', () => {
    expect(search('budgets').correctedQuery).toBeNull();
  });

  it("offers nothing with typos=off, and keeps the fallback's correction when nothing matched as typed", () => {
    expect(search('goverment budget', { typos: 'off' }).correctedQuery).toBeNull();
    const fallback = search('govrnment');
    expect(fallback.correctedQuery).toBe('government');
    expect(fallback.typoTolerance).toBe(true);
  });

  it('looks for no correction beside hits when offerCorrection is off (the Algolia routes), and still falls back when nothing matched', () => {
    const typed = search('goverment budget', { offerCorrection: false });
    expect(typed.hits.map((h) => h.articleId)).toEqual(['typo']);
    expect(typed.correctedQuery).toBeNull();
    const fallback = search('govrnment', { offerCorrection: false });
    expect(fallback.correctedQuery).toBe('government');
    expect(fallback.typoTolerance).toBe(true);
  });
});
