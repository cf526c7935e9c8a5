import fc from 'fast-check';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/http/create-app.js';
import { buildIndex } from '../src/index/index-writer.js';
import { searchArchive, type SearchResponse } from '../src/query/search-archive.js';
import { withDefaults, type SearchParams } from '../src/query/search-params.js';
import { makeArticle } from './fixtures/http/build-test-index.js';

// Small articles written for the operators: which words stand how far apart, and in which field.
const articles = [
  makeArticle({
    id: 'a-flood-kenya',
    title: 'Floods in Kenya',
    date: '2024-03-01',
    authors: ['Michael Ríos'],
    source: 'CNN',
    tags: ['climate'],
    // flood … kenya: two words between.
    paragraphs: ['Heavy flood waters hit Kenya this week.', 'Schools were closed for days.'],
  }),
  makeArticle({
    id: 'b-drought-sudan',
    title: 'Drought grips Sudan',
    date: '2024-03-02',
    authors: ['Ana Ruiz'],
    source: 'BBC',
    paragraphs: ['The drought in Sudan worsened as the rains failed.'],
  }),
  makeArticle({
    id: 'c-flood-sport',
    title: 'Flood stops the final',
    date: '2024-03-03',
    authors: ['Ben Okafor'],
    source: 'AP',
    // flood … kenya: one word between; and sport.
    paragraphs: ['A flood in Kenya stopped the sport final.'],
  }),
  makeArticle({
    id: 'd-women-river',
    title: 'Village life by the river',
    date: '2024-03-04',
    source: 'Reuters',
    // flood … kenya: eleven words between.
    paragraphs: ['The women of the village said the flood came at night, far from the city of Nairobi in Kenya.'],
  }),
  makeArticle({
    id: 'e-port-strike',
    title: 'Port strike ends',
    date: '2024-03-05',
    source: 'Reuters',
    section: 'business',
    paragraphs: ['A woman leads the talks that ended the dispute at the docks.'],
  }),
  makeArticle({
    id: 'f-strike-body',
    title: 'Dock workers return',
    date: '2024-03-06',
    source: 'AP',
    paragraphs: ['The port strike is over, the union said.'],
  }),
  makeArticle({
    id: 'g-port-strike-both',
    title: 'Strike at the port',
    date: '2024-03-07',
    source: 'AP',
    paragraphs: ['Workers at the port began a strike on Monday.'],
  }),
];
const index = buildIndex(articles);

const search = (q: string, more: Partial<SearchParams> = {}) =>
  searchArchive(index, withDefaults({ q, prefix: 'off', typos: 'off', ...more }));
const ids = (response: SearchResponse) => response.hits.map((h) => h.articleId).sort();

describe('boolean groups', () => {
  it('runs the issue example: (flood OR drought) AND (kenya OR sudan) NOT sport leaves out the article that mentions sport', () => {
    const response = search('(flood OR drought) AND (kenya OR sudan) NOT sport');
    expect(ids(response)).toEqual(['a-flood-kenya', 'b-drought-sudan', 'd-women-river']);
    expect(response.parsedQuery.excluded).toEqual(['sport']);
    expect(response.parsedQuery.ignored).toEqual([]);
  });

  it('binds AND tighter than OR: flood AND kenya OR drought is (flood AND kenya) OR drought', () => {
    expect(ids(search('flood AND kenya OR drought'))).toEqual([
      'a-flood-kenya',
      'b-drought-sudan',
      'c-flood-sport',
      'd-women-river',
    ]);
    expect(ids(search('flood AND (kenya OR drought)'))).toEqual(['a-flood-kenya', 'c-flood-sport', 'd-women-river']);
  });

  it('makes an explicit AND hold even with matchingStrategy=any, while side-by-side words stay any', () => {
    expect(ids(search('drought AND sudan', { matchingStrategy: 'any' }))).toEqual(['b-drought-sudan']);
    expect(ids(search('drought women', { matchingStrategy: 'any' }))).toEqual(['b-drought-sudan', 'd-women-river']);
  });

  it('treats a nested NOT as excluding within its group: (flood NOT sport) OR drought', () => {
    expect(ids(search('(flood NOT sport) OR drought'))).toEqual(['a-flood-kenya', 'b-drought-sudan', 'd-women-river']);
  });

  it('never marks words that are only under NOT', () => {
    const response = search('(flood NOT schools) OR drought');
    const marked = response.hits.flatMap((h) => h.snippets.flatMap((s) => s.highlights.map((x) => x.term)));
    expect(marked).not.toContain('schools');
  });

  it('shows the tree that ran, and no tree for a query of the old syntax', () => {
    expect(search('flood AND kenya OR drought').parsedQuery).toMatchObject({
      tree: {
        op: 'or',
        children: [
          {
            op: 'and',
            children: [
              { type: 'word', form: 'flood' },
              { type: 'word', form: 'kenya' },
            ],
          },
          { type: 'word', form: 'drought' },
        ],
      },
    });
    expect(search('flood -sport kenya OR sudan').parsedQuery).toEqual({
      terms: ['flood', 'kenya', 'sudan'],
      phrases: [],
      excluded: ['sport'],
      ignored: [],
    });
    // An AND that runs as plain clauses still shows the tree it was written as.
    expect(search('flood AND kenya').parsedQuery.tree).toEqual({
      op: 'and',
      children: [
        { type: 'word', form: 'flood', prefix: false },
        { type: 'word', form: 'kenya', prefix: false },
      ],
    });
  });

  it('never fails on unbalanced parentheses or dangling operators, and lists what it dropped', () => {
    const response = search('((flood AND OR kenya');
    expect(ids(response)).toEqual(['a-flood-kenya', 'c-flood-sport', 'd-women-river']);
    expect(response.parsedQuery.ignored).toEqual(['(', '(', 'AND']);
  });
});

describe('fielded search', () => {
  it('matches author:rios to "Michael Ríos" (folded) and byline: as its alias', () => {
    expect(ids(search('author:rios'))).toEqual(['a-flood-kenya']);
    expect(ids(search('byline:RIOS flood'))).toEqual(['a-flood-kenya']);
    expect(ids(search('author:"michael rios"'))).toEqual(['a-flood-kenya']);
  });

  it('searches headlines only with title: (the article with "port strike" in its body only is left out)', () => {
    expect(ids(search('port strike'))).toEqual(['e-port-strike', 'f-strike-body', 'g-port-strike-both']);
    expect(ids(search('title:strike'))).toEqual(['e-port-strike', 'g-port-strike-both']);
    expect(ids(search('title:"port strike"'))).toEqual(['e-port-strike']);
    expect(search('title:strike').hits.find((h) => h.articleId === 'e-port-strike')!.titleHtml).toBe(
      'Port <mark>strike</mark> ends',
    );
  });

  it('marks a title: word in headlines only: in the paragraph, port stays unmarked while strike (a plain word) is', () => {
    const hit = search('title:port strike').hits.find((h) => h.articleId === 'g-port-strike-both')!;
    expect(hit.titleHtml).toBe('<mark>Strike</mark> at the <mark>port</mark>');
    expect(hit.snippets[0]!.html).toBe('Workers at the port began a <mark>strike</mark> on Monday.');
  });

  it('restricts by source, section and tag, and combines fields with OR and NOT', () => {
    // A metadata term alone browses: newest first, as an empty query with a filter does.
    expect(search('source:reuters').hits.map((h) => h.articleId)).toEqual(['e-port-strike', 'd-women-river']);
    expect(ids(search('section:business'))).toEqual(['e-port-strike']);
    expect(ids(search('tag:climate'))).toEqual(['a-flood-kenya']);
    expect(ids(search('flood (source:cnn OR source:ap)'))).toEqual(['a-flood-kenya', 'c-flood-sport']);
    expect(ids(search('flood -source:cnn'))).toEqual(['c-flood-sport', 'd-women-river']);
    expect(ids(search('author:rios OR drought'))).toEqual(['a-flood-kenya', 'b-drought-sudan']);
  });

  it('searches an unknown field as words and lists it as ignored; times and addresses are no fields', () => {
    const response = search('foo:kenya');
    expect(response.parsedQuery.ignored).toEqual(['foo:']);
    expect(response.parsedQuery.phrases).toEqual(['foo kenya']);
    expect(search('10:30').parsedQuery).toEqual({ terms: [], phrases: ['10 30'], excluded: [], ignored: [] });
    expect(search('http://example.com').parsedQuery.ignored).toEqual([]);
  });
});

describe('proximity', () => {
  it('NEAR/n finds both words with at most n words between, in either order', () => {
    expect(ids(search('flood NEAR/2 kenya'))).toEqual(['a-flood-kenya', 'c-flood-sport']);
    // The headline "Floods in Kenya" has one word between (and "Floods" shares flood's stem).
    expect(ids(search('flood NEAR/1 kenya'))).toEqual(['a-flood-kenya', 'c-flood-sport']);
    expect(ids(search('flood NEAR/0 kenya'))).toEqual([]);
    expect(ids(search('kenya NEAR/3 flood'))).toEqual(['a-flood-kenya', 'c-flood-sport']);
    expect(ids(search('flood NEAR/20 kenya'))).toEqual(['a-flood-kenya', 'c-flood-sport', 'd-women-river']);
  });

  it('ADJ/n wants them in order', () => {
    expect(ids(search('flood ADJ/3 kenya'))).toEqual(['a-flood-kenya', 'c-flood-sport']);
    expect(ids(search('kenya ADJ/3 flood'))).toEqual([]);
  });

  it('"a b"~n is a sloppy phrase (Lucene slop: the words swapped need 2)', () => {
    expect(ids(search('"flood kenya"~2'))).toEqual(['a-flood-kenya', 'c-flood-sport']);
    expect(ids(search('"flood kenya"~1'))).toEqual(['c-flood-sport']);
    expect(ids(search('"kenya flood"~3'))).toEqual(['c-flood-sport']);
  });

  it('marks both words and keeps them in one snippet window', () => {
    // 19 words; flood is word 8 and Kenya word 19: a 12-word window holds both, only if it is chosen for them.
    const response = search('flood NEAR/15 kenya', { cropLength: 12, groupBy: 'none' });
    const river = response.hits.find((h) => h.articleId === 'd-women-river')!.snippets[0]!;
    expect(river.text).toBe('…flood came at night, far from the city of Nairobi in Kenya.');
    expect(river.highlights.map((h) => river.text.slice(h.start, h.start + h.length))).toEqual(['flood', 'Kenya']);
    const kenya = search('"flood kenya"~2').hits.find((h) => h.articleId === 'a-flood-kenya')!.snippets[0]!;
    expect(kenya.html).toBe('Heavy <mark>flood</mark> waters hit <mark>Kenya</mark> this week.');
  });

  it('ranks the closer pair no lower than the article where they are farther apart: both hold the words once', () => {
    const response = search('flood NEAR/20 kenya');
    expect(response.hits.map((h) => h.articleId).indexOf('d-women-river')).toBe(2);
  });
});

describe('proximity ranking', () => {
  // The same six words in both paragraphs (same BM25): only how far apart flood and kenya stand differs.
  const pair = buildIndex([
    makeArticle({ id: 'far', title: 'One', paragraphs: ['flood alpha beta gamma delta kenya'] }),
    makeArticle({ id: 'near', title: 'Two', paragraphs: ['alpha flood kenya beta gamma delta'] }),
  ]);
  const rank = (q: string) => searchArchive(pair, withDefaults({ q, prefix: 'off' })).hits.map((h) => h.articleId);

  it('ranks the closer pair first: a proximity scores its BM25 times 1/(1 + gap/(n + 1))', () => {
    expect(rank('flood NEAR/5 kenya')).toEqual(['near', 'far']);
    expect(rank('kenya NEAR/5 flood')).toEqual(['near', 'far']);
    expect(rank('"flood kenya"~5')).toEqual(['near', 'far']);
    // Plain words ignore distance: the tie is broken by article id.
    expect(rank('flood kenya')).toEqual(['far', 'near']);
  });
});

describe('wildcards', () => {
  it('wom?n matches woman and women, marked as wildcard', () => {
    const response = search('wom?n');
    expect(ids(response)).toEqual(['d-women-river', 'e-port-strike']);
    const kinds = response.hits.flatMap((h) =>
      h.snippets.flatMap((s) => s.highlights.map((x) => [s.text.slice(x.start, x.start + x.length), x.kind])),
    );
    expect(kinds.sort()).toEqual([
      ['woman', 'wildcard'],
      ['women', 'wildcard'],
    ]);
    expect(response.parsedQuery.terms).toEqual(['wom?n']);
  });

  it('a star inside a word is a pattern, at the end a prefix anywhere in the query', () => {
    expect(ids(search('dr*ght'))).toEqual(['b-drought-sudan']);
    expect(ids(search('stri* port'))).toEqual(['e-port-strike', 'f-strike-body', 'g-port-strike-both']);
  });

  it('refuses a leading wildcard (it would test every word of the lexicon) and lists it as ignored', () => {
    const response = search('*ood kenya');
    expect(response.parsedQuery.ignored).toEqual(['*ood']);
    expect(ids(response)).toEqual(['a-flood-kenya', 'c-flood-sport', 'd-women-river']);
  });

  it('keeps a question mark at the end of a word as punctuation', () => {
    expect(search('drought?').parsedQuery.terms).toEqual(['drought']);
  });
});

describe('the query language over HTTP', () => {
  const app = createApp({ getIndex: () => index });
  it('answers 200 with the tree for fielded, proximity and boolean queries, never 400', async () => {
    for (const q of ['author:rios AND (flood NEAR/3 kenya)', 'foo:bar ((( OR', 'wom?n NOT *x', ')))) AND NOT']) {
      const res = await request(app).get('/search').query({ q });
      expect(res.status, q).toBe(200);
    }
    const res = await request(app).get('/search').query({ q: 'author:rios AND (flood NEAR/3 kenya)' });
    expect(res.body.hits.map((h: { articleId: string }) => h.articleId)).toEqual(['a-flood-kenya']);
    expect(res.body.parsedQuery.tree).toBeDefined();
  });

  it('highlights a whole article for a query-language q, as a search would', async () => {
    const res = await request(app).get('/articles/a-flood-kenya').query({ q: 'flood NEAR/3 kenya' });
    expect(res.status).toBe(200);
    expect(res.body.paragraphs[0].html).toBe('Heavy <mark>flood</mark> waters hit <mark>Kenya</mark> this week.');
  });
});

describe('any query of the language', () => {
  const piece = fc.constantFrom(
    'flood',
    'Kenya',
    'wom?n',
    'stri*',
    '"port strike"',
    '"flood kenya"~3',
    'NEAR/3',
    'ADJ/2',
    'AND',
    'OR',
    'NOT',
    '(',
    ')',
    '-',
    'title:',
    'author:',
    'rios',
    'sport',
    ' ',
  );
  const entities: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

  it('gives well-formed snippets: highlights sorted, disjoint, on the text; html is the text with marks', () => {
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 12 }),
        fc.constantFrom<'article' | 'none'>('article', 'none'),
        (parts, groupBy) => {
          const response = search(parts.join(' '), { groupBy, cropLength: 10 });
          for (const hit of response.hits) {
            for (const snippet of hit.snippets) {
              let end = 0;
              for (const h of snippet.highlights) {
                expect(h.start).toBeGreaterThanOrEqual(end);
                expect(h.length).toBeGreaterThan(0);
                end = h.start + h.length;
              }
              expect(end).toBeLessThanOrEqual(snippet.text.length);
              expect(
                snippet.html.replace(/<\/?mark>/g, '').replace(/&(amp|lt|gt|quot|#39);/g, (e) => entities[e]!),
              ).toBe(snippet.text);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
