import { describe, expect, it } from 'vitest';
import { AlertMatcher, checkAlertQuery } from '../src/alerts/alert-matcher.js';
import { ChangeMatching } from '../src/alerts/change-matching.js';
import { buildIndex } from '../src/index/index-writer.js';
import type { AlertQuery } from '../src/alerts/alert.js';
import type { Article } from '../src/corpus/article.js';

const article = (id: string, title: string, paragraphs: string[], extra: Partial<Article> = {}): Article => ({
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
  ...extra,
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

const ARTICLES = [
  article('courts', 'Court delays ruling', [
    'The supreme court delayed its ruling on the harbour tolls.',
    'Judges cited new evidence.',
  ]),
  article('ferry', 'Ferry capsizes', ['A ferry capsized near Mwanza; rescuers saved twelve passengers.']),
  article('tolls', 'Tolls rise again', ['Harbour tolls rose for the third time this year.'], {
    authors: ['Ana Rios'],
    tags: ['ports'],
  }),
  article('budget', 'Budget day', ['The finance minister read the budget to parliament.', 'Taxes on fuel rise.'], {
    source: 'Reuters',
  }),
  article('politics', 'Politicians argue', ['Politics in the capital turned bitter over the budget.']),
];

const QUERIES = [
  'court',
  'courts ruling',
  '"harbour tolls"',
  'ferry OR budget',
  'toll NEAR/3 harbour',
  'title:tolls',
  'budget -fuel',
  'polit*',
  'author:rios',
  '(court AND evidence) OR (ferry AND mwanza)',
  'wom?n OR passengers',
  'tax* budget',
];

describe('matching articles against saved searches', () => {
  it('finds every alert the exact check accepts among the candidates (the anchor index misses none)', () => {
    const matcher = new AlertMatcher();
    QUERIES.forEach((q, i) => matcher.put(`q${i}`, query(q), () => 1));
    for (const a of ARTICLES) {
      const candidates = matcher.candidatesOf(a);
      const all = QUERIES.map((_q, i) => `q${i}`);
      const exact = matcher.match(a, all).map((m) => m.alertId);
      for (const id of exact) expect(candidates, `${a.id} ${id}`).toContain(id);
    }
  });

  it('matches a change of many articles (quick checks, then one search per alert left over their index) as each article alone', () => {
    const matcher = new AlertMatcher();
    QUERIES.forEach((q, i) => matcher.put(`q${i}`, query(q), () => 1));
    const run = (m: ChangeMatching): [string, string[]][] => {
      const out = [];
      while (!m.done) out.push(...m.advance(Infinity));
      return out.map(({ article, matches }) => [article.id, matches.map((x) => `${x.alertId} ${x.snippet}`).sort()]);
    };
    // With the quick checks, and with the search for every alert (`quickChecks` off).
    for (const quick of [true, false]) {
      matcher.quickChecks = quick;
      const expected = run(new ChangeMatching(matcher, ARTICLES, undefined));
      expect(expected.some(([, found]) => found.length > 0)).toBe(true);
      expect(run(new ChangeMatching(matcher, ARTICLES, buildIndex(ARTICLES))), `quick checks ${quick}`).toEqual(
        expected,
      );
    }
  });

  it('checks few alerts for an article: only those sharing an anchor word, and those without one', () => {
    const matcher = new AlertMatcher();
    matcher.put('ferry', query('ferry'), () => 1);
    matcher.put('court', query('court'), () => 1);
    matcher.put('prefix', query('polit*'), () => 1);
    expect([...matcher.candidatesOf(ARTICLES[1]!)].sort()).toEqual(['ferry', 'prefix']);
  });

  it('finds an alert by its anchor after other alerts with the same anchor went, and not after it went or changed', () => {
    const matcher = new AlertMatcher();
    matcher.put('a', query('ferry'), () => 1);
    matcher.put('b', query('ferry'), () => 1);
    matcher.drop('a');
    expect([...matcher.candidatesOf(ARTICLES[1]!)]).toEqual(['b']);
    matcher.put('b', query('court'), () => 1);
    expect([...matcher.candidatesOf(ARTICLES[1]!)]).toEqual([]);
    matcher.put('b', query('ferry'), () => 1);
    expect([...matcher.candidatesOf(ARTICLES[1]!)]).toEqual(['b']);
    matcher.drop('b');
    expect([...matcher.candidatesOf(ARTICLES[1]!)]).toEqual([]);
  });

  it('anchors a query of several words on its rarest word', () => {
    const matcher = new AlertMatcher();
    const frequency = (term: string) => (term === '~mwanza' ? 1 : 100);
    matcher.put('both', query('ferry mwanza'), frequency);
    expect(matcher.candidatesOf(article('x', 'Ferry news', ['Another ferry sailed.'])).size).toBe(0);
    expect([...matcher.candidatesOf(ARTICLES[1]!)]).toEqual(['both']);
  });

  it('gives the article as /search would: stems match, typos and unfinished prefixes do not', () => {
    const matcher = new AlertMatcher();
    matcher.put('stem', query('capsizing'), () => 1);
    matcher.put('typo', query('mwanzo'), () => 1);
    matcher.put('prefix', query('mwan'), () => 1);
    expect(matcher.match(ARTICLES[1]!).map((m) => m.alertId)).toEqual(['stem']);
  });

  it('applies the filters: source, author, dates', () => {
    const matcher = new AlertMatcher();
    matcher.put('reuters', query('budget', { source: ['reuters'] }), () => 1);
    matcher.put('rios', query('tolls', { author: ['Ana Rios'] }), () => 1);
    matcher.put('late', query('budget', { from: '2025-06-01T00:00:00.000Z' }), () => 1);
    expect(matcher.match(ARTICLES[3]!).map((m) => m.alertId)).toEqual(['reuters']);
    expect(matcher.match(ARTICLES[2]!).map((m) => m.alertId)).toEqual(['rios']);
    expect(matcher.match(ARTICLES[4]!).map((m) => m.alertId)).toEqual([]);
  });

  it('highlights the matching paragraph in the snippet, escaped before it is marked', () => {
    const matcher = new AlertMatcher();
    matcher.put('tolls', query('tolls'), () => 1);
    const [match] = matcher.match(article('t', 'News', ['Nothing here.', 'Tolls <rose> & fell.']));
    expect(match!.snippet).toBe('<mark>Tolls</mark> &lt;rose&gt; &amp; fell.');
  });

  it('refuses queries that can never match, and takes metadata-only ones', () => {
    expect(() => checkAlertQuery('-ferry')).toThrow(/can never match/);
    expect(() => checkAlertQuery('NOT ferry')).toThrow(/can never match/);
    expect(() => checkAlertQuery('author:rios')).not.toThrow();
    expect(() => checkAlertQuery('ferry')).not.toThrow();
  });
});
