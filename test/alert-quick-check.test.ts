import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { AlertMatcher, alertSearchParams } from '../src/alerts/alert-matcher.js';
import { ArticleTokens, QuickCheck } from '../src/alerts/quick-check.js';
import type { AlertQuery } from '../src/alerts/alert.js';
import { stemTerm } from '../src/analysis/index-terms.js';
import type { Article } from '../src/corpus/article.js';
import { readCorpus } from '../src/corpus/read-corpus.js';
import { buildIndex } from '../src/index/index-writer.js';
import { parseQuery } from '../src/query/parse/parse-query.js';
import { searchArchive } from '../src/query/search-archive.js';
import { makeAlertMix } from '../bench/lib/alert-mix.js';
import { seededRandom } from '../bench/lib/seeded-random.js';

const article = (id: string, title: string, paragraphs: string[]): Article => ({
  id,
  title,
  date: '2025-05-01',
  authors: [],
  source: 'Wire',
  section: null,
  url: null,
  tags: [],
  paragraphs,
  file: '(api)',
});
const query = (q: string, extra: Partial<AlertQuery> = {}): AlertQuery => ({
  q,
  from: null,
  to: null,
  source: [],
  section: [],
  author: [],
  tag: [],
  ...extra,
});
const compile = (q: string, extra: Partial<AlertQuery> = {}) =>
  QuickCheck.compile(parseQuery(q, { prefixLast: false }), query(q, extra));

const FERRY = article('ferry', 'Ferry capsizes on the lake', [
  'Markets were calm on Monday.',
  'A ferry capsized near Mwanza; rescuers saved twelve <passengers> & crew.',
]);

/** Each article's matching alerts, with the quick checks on or off. */
function verdicts(
  matcher: AlertMatcher,
  articles: readonly Article[],
  ids: readonly string[],
  quick: boolean,
): Map<string, string[]> {
  matcher.quickChecks = quick;
  return new Map(
    articles.map((a) => [
      a.id,
      matcher
        .match(a, ids)
        .map((m) => m.alertId)
        .sort(),
    ]),
  );
}

describe('the quick exact check of an alert (no search run)', () => {
  it('decides words, prefixes, phrases, AND, OR, title: and NEAR alone, and leaves the rest to the search', () => {
    for (const q of [
      'ferry mwanza',
      '"ferry capsized"',
      'ferry OR budget',
      '(court AND evidence) OR (ferry AND mwanza)',
      'title:ferry',
      'ferry NEAR/3 mwanza',
      '"ferry capsized" ADJ/2 mwanza',
      'ferr* mwanza',
      'title:ferr*',
    ]) {
      expect(compile(q), q).not.toBeNull();
    }
    for (const q of [
      'ferry w/s mwanza',
      'ferry -budget',
      'ferr* NEAR/3 mwanza',
      'author:rios',
      'wom?n',
      'lead:ferry',
      '"ferry capsized"~2',
    ])
      expect(compile(q), q).toBeNull();
    // Filters are the search's to apply.
    expect(compile('ferry', { source: ['Wire'] })).toBeNull();
    expect(compile('ferry', { from: '2025-01-01' })).toBeNull();
  });

  it("matches any form of a word's stem, an exact phrase in one paragraph, and builds an escaped, marked snippet of the best paragraph", () => {
    const tokens = new ArticleTokens(FERRY);
    expect(compile('capsizing ferries')!.run(tokens)).toEqual({
      matched: true,
      snippet:
        'A <mark>ferry</mark> <mark>capsized</mark> near Mwanza; rescuers saved twelve &lt;passengers&gt; &amp; crew.',
    });
    expect(compile('"ferry capsized"')!.run(tokens)).toMatchObject({ matched: true });
    // The words are there, not side by side.
    expect(compile('"ferry mwanza"')!.run(tokens)).toEqual({ matched: false });
    expect(compile('title:mwanza')!.run(tokens)).toEqual({ matched: false });
    expect(compile('ferries NEAR/2 mwanza')!.run(tokens)).toMatchObject({ matched: true });
    expect(compile('ferries NEAR/1 mwanza')!.run(tokens)).toEqual({ matched: false });
    expect(compile('mwanza ADJ/5 ferry')!.run(tokens)).toEqual({ matched: false });
    // A prefix: a longer form it begins (marked), or any form of its own stem.
    expect(compile('mwanz* ferry')!.run(tokens)).toEqual({
      matched: true,
      snippet:
        'A <mark>ferry</mark> capsized near <mark>Mwanza</mark>; rescuers saved twelve &lt;passengers&gt; &amp; crew.',
    });
    expect(compile('mwanzo* ferry')!.run(tokens)).toEqual({ matched: false });
    expect(compile('ferries* mwanza')!.run(tokens)).toMatchObject({ matched: true });
    // Only the headline matches: the search chooses that snippet.
    expect(compile('title:lake')!.run(tokens)).toBeNull();
  });

  it('gives the same verdicts as the search on the fixture corpus, for a mix of saved searches of every kind', async () => {
    const corpus = await readCorpus(path.join(import.meta.dirname, 'fixtures', 'corpus'));
    const articles = corpus.articles.filter((a) => a.paragraphs.length > 0);
    const index = buildIndex(articles);
    const frequency = (term: string) => index.documentFrequency('paragraphs', term);
    const mix = makeAlertMix(seededRandom(7), articles, 400, (form) => frequency(stemTerm(form)));
    const matcher = new AlertMatcher();
    mix.forEach(({ query: q }, i) => matcher.put(`a${i}`, q, frequency));
    const ids = mix.map((_m, i) => `a${i}`);
    const searched = verdicts(matcher, articles, ids, false);
    const quick = verdicts(matcher, articles, ids, true);
    expect(quick).toEqual(searched);
    // Both against the search itself, run plainly over an index of each article (no quick check, no filter first).
    const plain = new Map(
      articles.map((a) => {
        const single = buildIndex([a]);
        const hits = ids.filter((_id, i) => searchArchive(single, alertSearchParams(mix[i]!.query)).hits.length > 0);
        single.close();
        return [a.id, hits.sort()];
      }),
    );
    expect(searched).toEqual(plain);
    // The comparison means something: many matches, and many decided without a search.
    expect([...searched.values()].flat().length).toBeGreaterThan(50);
    expect(
      mix.filter(({ query: q }) => QuickCheck.compile(parseQuery(q.q, { prefixLast: false }), q)).length,
    ).toBeGreaterThan(150);
  });
});
