import { describe, expect, it } from 'vitest';
import { buildIndex } from '../src/index/archive-index.js';
import { compilePlan, MAX_TYPO_WORDS, searchArchive } from '../src/query/search-archive.js';
import { parseQuery } from '../src/query/parse-query.js';
import { withDefaults } from '../src/query/search-params.js';
import { MAX_PHRASE_CHECKS } from '../src/query/execute-query.js';
import { MAX_PREFIX_TERMS } from '../src/query/expand-terms.js';
import { syntheticArticles } from './helpers/synthetic-articles.js';

const index = buildIndex(syntheticArticles(2500, 3));

describe('query cost bounds', () => {
  it(`checks at most ${MAX_PHRASE_CHECKS} candidate texts for phrases per query, and says the hits are then not exhaustive`, () => {
    const candidates = searchArchive(index, withDefaults({ q: 'the', groupBy: 'none', prefix: 'off' })).totalHits;
    expect(candidates).toBeGreaterThan(MAX_PHRASE_CHECKS);
    const bounded = searchArchive(index, withDefaults({ q: '"the the"', groupBy: 'none' }));
    expect(bounded.exhaustive).toBe(false);
    expect(bounded.totalHits).toBeGreaterThan(0);
    expect(searchArchive(index, withDefaults({ q: '"oil price"' })).exhaustive).toBe(true);
  });

  it('spends an excluded phrase\'s check budget on the hits only: a rare word minus a phrase that thousands of other articles hold', () => {
    const article = (i: number, text: string) => ({ id: `x${String(i).padStart(5, '0')}`, title: 'Headline', date: '2020-01-01', authors: [], source: 'AP', section: null, url: null, tags: [], paragraphs: [text], file: `x${i}.txt` });
    const articles = Array.from({ length: MAX_PHRASE_CHECKS + 500 }, (_, i) => article(i, 'alpha beta.'));
    for (let i = 0; i < 5; i++) articles.push(article(articles.length, 'alpha beta and a long paragraph about the drought in the region this year.'));
    const response = searchArchive(buildIndex(articles), withDefaults({ q: 'drought -"alpha beta"' }));
    expect(response.totalHits).toBe(0);
    expect(response.exhaustive).toBe(true);
  });

  it(`expands a one-letter prefix to at most ${MAX_PREFIX_TERMS} words, the most frequent ones`, () => {
    const response = searchArchive(index, withDefaults({ q: 't', groupBy: 'none', hitsPerPage: 100 }));
    const words = new Set(response.hits.flatMap((h) => h.snippets.flatMap((s) => s.highlights.map((x) => s.text.slice(x.start, x.start + x.length).toLowerCase()))));
    expect(words.size).toBeLessThanOrEqual(MAX_PREFIX_TERMS);
    expect(words).toContain('the');
  });
});

describe('typo bound', () => {
  it(`expands at most ${MAX_TYPO_WORDS} words of a query with typos`, () => {
    const words = ['govermment', 'elecsion', 'marketts', 'inflasion', 'hospitall', 'teachersx', 'refugeess', 'droughtt', 'ministerz', 'budgett'];
    const plan = compilePlan(index, parseQuery(words.join(' '), { prefixLast: false }), { typos: true, prefix: false });
    const expanded = plan.clauses.filter((c) => c.some((i) => i.type === 'word' && i.expansions.some((e) => e.kind === 'typo')));
    expect(expanded.length).toBeLessThanOrEqual(MAX_TYPO_WORDS);
    expect(expanded.length).toBeGreaterThan(0);
  });
});
