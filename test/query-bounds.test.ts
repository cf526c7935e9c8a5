import { describe, expect, it } from 'vitest';
import { performance } from 'node:perf_hooks';
import { buildIndex } from '../src/index/index-writer.js';
import { compilePlan, MAX_TYPO_WORDS, searchArchive } from '../src/query/search-archive.js';
import { parseQuery } from '../src/query/parse/parse-query.js';
import { withDefaults } from '../src/query/search-params.js';
import { MAX_PHRASE_CHECKS } from '../src/query/execute/execute-query.js';
import { MAX_PREFIX_TERMS } from '../src/query/plan/expand-terms.js';
import { syntheticArticles } from './helpers/synthetic-articles.js';
import { findPhrase } from '../src/analysis/find-phrase.js';
import { tokenize } from '../src/analysis/tokenize.js';
import { Deadline } from '../src/query/execute/deadline.js';
import { FormsLexicon } from '../src/index/lexicon/lexicon.js';
import { expandGlob, MAX_WILDCARD_TERMS } from '../src/query/plan/wildcard.js';

const index = buildIndex(syntheticArticles(2500, 3));

describe('query cost bounds', () => {
  it(`checks every candidate of a phrase on the index's positions, past the ${MAX_PHRASE_CHECKS} texts the w/s check re-tokenizes, and finds every paragraph holding it`, () => {
    const candidates = searchArchive(index, withDefaults({ q: 'the', groupBy: 'none', prefix: 'off' })).totalHits;
    expect(candidates).toBeGreaterThan(MAX_PHRASE_CHECKS);
    const all = searchArchive(index, withDefaults({ q: '"the the"', groupBy: 'none' }));
    expect(all.exhaustive).toBe(true);
    let holding = 0;
    for (let doc = 0; doc < index.paraArticle.length; doc++)
      if (findPhrase(tokenize(index.paragraphText(doc)), ['the', 'the']).length > 0) holding++;
    expect(holding).toBeGreaterThan(0);
    expect(all.totalHits).toBe(holding);
    expect(searchArchive(index, withDefaults({ q: '"oil price"' })).exhaustive).toBe(true);
  });

  it("spends an excluded phrase's check budget on the hits only: a rare word minus a phrase that thousands of other articles hold", () => {
    const article = (i: number, text: string) => ({
      id: `x${String(i).padStart(5, '0')}`,
      title: 'Headline',
      date: '2020-01-01',
      authors: [],
      source: 'AP',
      section: null,
      url: null,
      tags: [],
      paragraphs: [text],
      file: `x${i}.txt`,
    });
    const articles = Array.from({ length: MAX_PHRASE_CHECKS + 500 }, (_, i) => article(i, 'alpha beta.'));
    for (let i = 0; i < 5; i++)
      articles.push(
        article(articles.length, 'alpha beta and a long paragraph about the drought in the region this year.'),
      );
    const response = searchArchive(buildIndex(articles), withDefaults({ q: 'drought -"alpha beta"' }));
    expect(response.totalHits).toBe(0);
    expect(response.exhaustive).toBe(true);
  });

  it(`expands a one-letter prefix to at most ${MAX_PREFIX_TERMS} words, the most frequent ones`, () => {
    const response = searchArchive(index, withDefaults({ q: 't', groupBy: 'none', hitsPerPage: 100 }));
    const words = new Set(
      response.hits.flatMap((h) =>
        h.snippets.flatMap((s) => s.highlights.map((x) => s.text.slice(x.start, x.start + x.length).toLowerCase())),
      ),
    );
    expect(words.size).toBeLessThanOrEqual(MAX_PREFIX_TERMS);
    expect(words).toContain('the');
  });
});

describe('typo bound', () => {
  it(`expands at most ${MAX_TYPO_WORDS} words of a query with typos`, () => {
    const words = [
      'govermment',
      'elecsion',
      'marketts',
      'inflasion',
      'hospitall',
      'teachersx',
      'refugeess',
      'droughtt',
      'ministerz',
      'budgett',
    ];
    const plan = compilePlan(index, parseQuery(words.join(' '), { prefixLast: false }), { typos: true, prefix: false });
    const expanded = plan.clauses.filter((c) =>
      c.some((i) => i.type === 'word' && i.expansions.some((e) => e.kind === 'typo')),
    );
    expect(expanded.length).toBeLessThanOrEqual(MAX_TYPO_WORDS);
    expect(expanded.length).toBeGreaterThan(0);
  });
});

describe('query language bounds', () => {
  // Timed generously: these catch a runaway query (seconds), not a latency target (see the benchmark).
  const timed = (q: string, more: Partial<Parameters<typeof withDefaults>[0]> = {}) => {
    const started = performance.now();
    const response = searchArchive(index, withDefaults({ q, ...more }));
    return { response, ms: performance.now() - started };
  };

  it('bounds a NEAR of two one-letter wildcards over 7,500 paragraphs: wide expansions, every candidate checked on positions', () => {
    const { response, ms } = timed('g* NEAR/50 t*');
    expect(response.totalHits).toBeGreaterThan(0);
    expect(response.exhaustive).toBe(true);
    expect(ms).toBeLessThan(1000);
  });

  it('stops checking proximity candidates once the time budget is spent, and says so', () => {
    const response = searchArchive(index, withDefaults({ q: 'g* NEAR/50 t*' }), undefined, Deadline.after(0));
    expect(response.exhaustive).toBe(false);
  });

  it('parses 200 nested parentheses as their contents, listing the levels past the bound as ignored', () => {
    const { response, ms } = timed(`${'('.repeat(200)}oil${')'.repeat(200)}`, { prefix: 'off' });
    expect(response.parsedQuery.terms).toEqual(['oil']);
    expect(response.parsedQuery.ignored.length).toBe(2 * (200 - 16));
    expect(response.totalHits).toBe(searchArchive(index, withDefaults({ q: 'oil', prefix: 'off' })).totalHits);
    expect(ms).toBeLessThan(1000);
  });

  it('takes thousands of operators without failing, and keeps at most 32 clauses in a tree', () => {
    const { response, ms } = timed(`oil ${'OR AND NOT ( ) NEAR/5 '.repeat(1000)} price`);
    expect(response.totalHits).toBeGreaterThanOrEqual(0);
    expect(ms).toBeLessThan(2000);
    const pairs = Array.from({ length: 20 }, (_, i) => `(w${2 * i} AND w${2 * i + 1})`);
    const tree = parseQuery(`${pairs.join(' OR ')} oil`, { prefixLast: false });
    expect(tree.clauses.length).toBeLessThanOrEqual(32);
    expect(tree.ignored.length).toBeGreaterThan(0);
  });

  it(`expands a wildcard to the ${MAX_WILDCARD_TERMS} most frequent words, and says when it was cut`, () => {
    const lexicon = FormsLexicon.fromSorted(
      Array.from({ length: 100 }, (_, i) => ({ form: `wa${String(i).padStart(2, '0')}`, df: i + 1 })),
    );
    const { forms, complete } = expandGlob(lexicon, 'w?*');
    expect(complete).toBe(false);
    expect(forms.map((f) => f.form)).toEqual(Array.from({ length: MAX_WILDCARD_TERMS }, (_, i) => `wa${99 - i}`));
    expect(expandGlob(lexicon, 'wa?7').complete).toBe(true);
    // The tests of a pattern are bounded too (the query's patterns share one budget of them).
    expect(expandGlob(lexicon, 'wa?7', 5)).toMatchObject({ complete: false, tested: 5 });
    // A starred prefix says when its completions were cut; the word being typed keeps its cap silently, as before.
    const words = Array.from({ length: 40 }, (_, i) => `wa${String(i).padStart(2, '0')}`);
    const many = buildIndex([
      {
        id: 'many',
        title: 'Many words',
        date: null,
        authors: [],
        source: null,
        section: null,
        url: null,
        tags: [],
        paragraphs: [words.join(' ')],
        file: 'many.txt',
      },
    ]);
    expect(searchArchive(many, withDefaults({ q: 'wa* many', prefix: 'off' })).exhaustive).toBe(false);
    expect(searchArchive(many, withDefaults({ q: 'many wa' })).exhaustive).toBe(true);
    expect(searchArchive(many, withDefaults({ q: 'w?0*', prefix: 'off' })).exhaustive).toBe(true);
    expect(searchArchive(index, withDefaults({ q: 'oil t', prefix: 'off' })).parsedQuery.terms).toEqual(['oil', 't']);
    const narrow = searchArchive(index, withDefaults({ q: 'go?ernment', prefix: 'off' }));
    expect(narrow.exhaustive).toBe(true);
    expect(narrow.totalHits).toBeGreaterThan(0);
  });
});
