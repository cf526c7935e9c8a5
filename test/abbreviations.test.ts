import { describe, expect, it } from 'vitest';
import type { Article } from '../src/corpus/article.js';
import { tokenize } from '../src/analysis/tokenize.js';
import { stemForm } from '../src/analysis/stem-form.js';
import { buildIndex } from '../src/index/index-writer.js';
import { searchArchive } from '../src/query/search-archive.js';
import { withDefaults } from '../src/query/search-params.js';

const forms = (text: string) => tokenize(text).map((t) => t.form);

function article(id: string, paragraphs: string[]): Article {
  return {
    id,
    title: id,
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

const index = buildIndex([
  article('dotted', ['The U.S. economy grew faster than expected.']),
  article('capitals', ['US officials met their counterparts in Geneva.']),
  article('lower-dotted', ['Exports to the u.s. rose in March.']),
  article('pronoun', ['Let us know what you think, readers wrote to us.']),
  article('useful', ['A useful guide: used cars and how to use them.']),
  article('kingdom', ['The U.K. and the UK government both appear here.']),
]);

const ids = (q: string) =>
  searchArchive(index, withDefaults({ q, matchingStrategy: 'any', typos: 'off', prefix: 'off' }))
    .hits.map((h) => h.articleId)
    .sort();
const marked = (q: string) =>
  searchArchive(
    index,
    withDefaults({ q, matchingStrategy: 'any', typos: 'off', prefix: 'off', hitsPerPage: 100 }),
  ).hits.flatMap((h) => h.snippets.flatMap((s) => [...s.html.matchAll(/<mark>(.*?)<\/mark>/g)].map((m) => m[1])));

describe('abbreviations spelled like words', () => {
  it('gives U.S., US, u.s. and U.S’s one form, u.s., apart from the pronoun us', () => {
    expect(forms('U.S. US u.s. u.s US’s us Us')).toEqual(['u.s.', 'u.s.', 'u.s.', 'u.s.', 'u.s.', 'us', 'us']);
  });

  it('keeps other initialisms as their letters, so U.K. and UK still meet', () => {
    expect(forms('U.K. UK uk e.g.')).toEqual(['uk', 'uk', 'uk', 'eg']);
  });

  it('reads capitals as an abbreviation only for US, not for words shouted in a headline', () => {
    expect(forms('IT WHO AM NO')).toEqual(['it', 'who', 'am', 'no']);
    expect(forms('A.M. I.T.')).toEqual(['a.m.', 'i.t.']);
  });

  it('lets U.S., US and u.s. find each other', () => {
    const expected = ['capitals', 'dotted', 'lower-dotted'];
    expect(ids('U.S.')).toEqual(expected);
    expect(ids('US')).toEqual(expected);
    expect(ids('u.s.')).toEqual(expected);
  });

  it('never matches us, use or useful for U.S., nor U.S. for them', () => {
    expect(ids('us')).toEqual(['pronoun']);
    expect(ids('useful')).toEqual(['useful']);
    expect(ids('use')).toEqual(['useful']);
  });

  it('never marks U.S. for useful: only the words that matched are marked', () => {
    expect(marked('useful')).toEqual(['useful', 'used', 'use']);
    expect(marked('us')).toEqual(['us', 'us']);
    expect(marked('US')).toEqual(expect.arrayContaining(['U.S.', 'US', 'u.s.']));
    expect(marked('US')).toHaveLength(3);
  });
});

describe('stem exceptions', () => {
  it('keeps short words apart from the two-letter Porter stems of longer ones', () => {
    expect(stemForm('us')).toBe('us');
    expect(stemForm('use')).toBe('us-');
    expect(stemForm('useful')).toBe('us-');
    expect(stemForm('on')).toBe('on');
    expect(stemForm('one')).toBe('on-');
    expect(stemForm('or')).toBe('or');
    expect(stemForm('ores')).toBe('or-');
  });

  it('splits Porter stems that join unrelated news words, and keeps the related ones together', () => {
    const same = (a: string, b: string) => stemForm(a) === stemForm(b);
    expect(same('news', 'new')).toBe(false);
    expect(same('united', 'unit')).toBe(false);
    expect(same('united', 'unites')).toBe(true);
    expect(same('important', 'imports')).toBe(false);
    expect(same('imports', 'imported')).toBe(true);
    expect(same('france', 'francs')).toBe(false);
    expect(same('several', 'severe')).toBe(false);
    expect(same('severe', 'severity')).toBe(true);
    expect(same('general', 'generation')).toBe(false);
    expect(same('general', 'generally')).toBe(true);
    expect(same('internal', 'international')).toBe(false);
    expect(same('university', 'universe')).toBe(false);
    expect(same('executive', 'execution')).toBe(false);
    expect(same('emergency', 'emerging')).toBe(false);
    expect(same('authorities', 'author')).toBe(false);
    expect(same('community', 'communications')).toBe(false);
    expect(same('organization', 'organs')).toBe(false);
    expect(same('securities', 'secured')).toBe(false);
    expect(same('displaced', 'displacing')).toBe(true);
  });
});
