/**
 * The archivist operators through the service: `w/p` and `SAME` (one paragraph),
 * `w/s` (one sentence), `lead:` (headline and first paragraph), `atleastN:` (the
 * word N times in the paragraphs), on the seed article and on small articles written for them.
 */
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/http/create-app.js';
import { buildIndex } from '../src/index/index-writer.js';
import type { SearchResponse } from '../src/query/search-archive.js';
import { parseQuery } from '../src/query/parse/parse-query.js';
import { printQuery } from '../src/query/parse/query-tree.js';
import { makeArticle, otherArticles, seedArticle } from './fixtures/http/build-test-index.js';

const SEED = 'haiti-soldiers-mexico-training';
const extra = [
  makeArticle({
    id: 'abbreviations',
    title: 'Rates in the U.S.',
    date: '2025-07-21',
    // One sentence despite `U.S.` and `Mr.`; the second sentence holds `cut` alone.
    paragraphs: ['The U.S. central bank under Mr. Powell may raise rates. Others expect a cut.', 'Markets moved.'],
  }),
  makeArticle({
    id: 'hike-later',
    title: 'Banks wait',
    date: '2025-07-22',
    paragraphs: ['Nothing new today.', 'The central bank said it would hike rates.'],
  }),
];
const index = buildIndex([seedArticle(), ...otherArticles(), ...extra]);
// This file tests what is found, not how fast: a loaded machine must not cut a query short.
const app = createApp({ getIndex: () => index, searchBudgetMs: 60_000 });

async function search(q: string, more = ''): Promise<SearchResponse> {
  const res = await request(app).get(`/search?q=${encodeURIComponent(q)}${more}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as SearchResponse;
}
const ids = async (q: string) => (await search(q)).hits.map((h) => h.articleId).sort();

describe('same paragraph and same sentence', () => {
  it('`gang w/s displaced` finds the seed and marks both words in the sentence that holds them', async () => {
    const body = await search('gang w/s displaced');
    expect(body.hits.map((h) => h.articleId)).toEqual([SEED]);
    const snippet = body.hits[0]!.snippets[0]!;
    expect(snippet.paragraphIndex).toBe(7);
    const marked = snippet.highlights.map((h) => snippet.text.slice(h.start, h.start + h.length));
    expect(marked).toEqual(expect.arrayContaining(['gang', 'displaced']));
    expect(snippet.html).toContain('under <mark>gang</mark> control');
    expect(snippet.html).toContain('internally <mark>displaced</mark>');
  });

  it('`haiti w/p displaced` finds the seed (one paragraph, two sentences) while `haiti w/s displaced` does not', async () => {
    expect(await ids('haiti w/p displaced')).toEqual([SEED]);
    expect(await ids('haiti SAME displaced')).toEqual([SEED]);
    expect(await ids('haiti w/s displaced')).toEqual([]);
  });

  it('`mexico w/p kenyan` finds nothing: the words are in different paragraphs of the seed', async () => {
    expect(await ids('mexico w/p kenyan')).toEqual([]);
    expect(await ids('mexico kenyan')).toEqual([SEED]);
  });

  it('does not end a sentence at `U.S.` or `Mr.`', async () => {
    expect(await ids('"central bank" w/s powell')).toEqual(['abbreviations']);
    expect(await ids('u.s. w/s raise')).toEqual(['abbreviations']);
    expect(await ids('raise w/s cut')).toEqual([]);
  });

  it('takes a phrase and a group of alternatives as operands', async () => {
    expect(await ids('"central bank" w/s (raise* OR hike*)')).toEqual(['abbreviations', 'hike-later']);
    expect(await ids('"central bank" w/p (cut OR nothing)')).toEqual(['abbreviations']);
  });

  it('shows the operators in parsedQuery.tree, and prints them back as query syntax', async () => {
    const body = await search('haiti w/p displaced');
    expect(body.parsedQuery.tree).toEqual({
      type: 'near',
      distance: 100,
      ordered: false,
      unit: 'paragraph',
      operands: [
        { type: 'word', form: 'haiti', prefix: false },
        // The last word is completed as typed (prefix=on, the default).
        { type: 'word', form: 'displaced', prefix: true },
      ],
    });
    const parsed = parseQuery('"central bank" w/s (raise* OR hike*)', { prefixLast: false });
    expect(printQuery(parsed.tree!)).toBe('"central bank" w/s raise* OR "central bank" w/s hike*');
  });

  it('never fails on a dangling or misplaced operator: it is ignored and listed', async () => {
    for (const q of [
      'w/s',
      'haiti w/p',
      'w/p haiti',
      'haiti w/s -displaced',
      'haiti SAME SAME displaced',
      '(a b) w/s c',
    ]) {
      const body = await search(q);
      expect(body.parsedQuery.ignored.length, q).toBeGreaterThan(0);
    }
    expect(await ids('same')).toEqual([]);
  });
});

describe('lead: and atleastN:', () => {
  it('`lead:haiti` finds the seed and `lead:kenyan` does not: the Kenyan officers come in a late paragraph', async () => {
    expect(await ids('lead:haiti')).toEqual([SEED]);
    expect(await ids('lead:kenyan')).toEqual([]);
    expect(await ids('kenyan')).toEqual([SEED]);
    expect(await ids('lead:"gang violence"')).toEqual([SEED]);
    expect(await ids('lead:rates')).toEqual(['abbreviations']);
    // `hike` is in the second paragraph of its article.
    expect(await ids('lead:hike')).toEqual([]);
    expect(await ids('kenyan -lead:kenyan')).toEqual([SEED]);
  });

  it('`atleast3:haiti` finds the seed (three paragraphs say Haiti) and `atleast4:haiti` does not', async () => {
    expect(await ids('atleast3:haiti')).toEqual([SEED]);
    expect(await ids('atleast4:haiti')).toEqual([]);
    // Any form of the word counts: `troops` twice, `troop` never.
    expect(await ids('atleast2:troop')).toEqual([SEED]);
    // The Reuters article says Mexico and never Haiti.
    expect(await ids('mexico -atleast3:haiti')).toEqual(['reuters/markets-open']);
  });

  it('shows lead: and atleastN: in parsedQuery.tree; a count of a phrase is ignored and the phrase searched', async () => {
    expect((await search('atleast3:haiti')).parsedQuery.tree).toEqual({ type: 'atleast', form: 'haiti', count: 3 });
    expect((await search('lead:haiti')).parsedQuery.tree).toEqual({
      type: 'word',
      form: 'haiti',
      prefix: true,
      field: 'lead',
    });
    const body = await search('atleast2:"gang violence"');
    expect(body.parsedQuery.ignored).toEqual(['atleast2:']);
    expect(body.hits.map((h) => h.articleId)).toEqual([SEED]);
  });
});
