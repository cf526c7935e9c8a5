import { describe, expect, it } from 'vitest';
import type { Article } from '../src/corpus/article.js';
import { buildIndex } from '../src/index/index-writer.js';
import { ARTICLE_EVIDENCE_DEPTH, articleScores } from '../src/query/execute/article-evidence.js';
import { compilePlan, searchArchive } from '../src/query/search-archive.js';
import { parseQuery } from '../src/query/parse/parse-query.js';
import { createFastScorer } from '../src/query/execute/term-scorer.js';
import { withDefaults } from '../src/query/search-params.js';

function article(id: string, title: string, paragraphs: string[]): Article {
  return {
    id,
    title,
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

/** Filler so that document frequencies look like an archive's: "drought" stays rare. */
const filler = Array.from({ length: 30 }, (_, i) =>
  article(`filler-${i}`, `Council report ${i}`, [
    `The council met on day ${i} and the meeting was long.`,
    'Officials said the plan was ready.',
  ]),
);

describe('whole-article evidence', () => {
  it('ranks an article about the drought all along above one whose single paragraph names it', () => {
    const articles = [
      // One paragraph with both words once: the best single passage…
      article('mention', 'Council notes', [
        'The drought may harm the harvest, the council was told.',
        'The council met and the meeting was long.',
        'Officials said the plan was ready for the new year.',
      ]),
      // …against longer paragraphs that each speak of it: more evidence as a whole article.
      article('report', 'Farm report', [
        'The drought has left the wells of the northern valley dry since the spring.',
        'Farmers in the valley say the drought has cost them most of the harvest.',
        'Cattle were sold early because the drought left no harvest of hay in the hills.',
        'The drought is expected to last until the autumn rains arrive, too late for this harvest.',
      ]),
    ];
    const index = buildIndex([...articles, ...filler]);
    const hits = searchArchive(index, withDefaults({ q: 'drought harvest', matchingStrategy: 'any' })).hits.map(
      (h) => h.articleId,
    );
    expect(hits).toEqual(['report', 'mention']);
  });

  it('scores an article as one document: term frequencies summed over headline and paragraphs', () => {
    const index = buildIndex([
      article('twice', 'Drought', ['A drought.']),
      article('once', 'Weather', ['A drought.']),
      article('none', 'Weather', ['Rain.']),
      ...filler,
    ]);
    const plan = compilePlan(index, parseQuery('drought', { prefixLast: false, defaultOperator: 'and' }), {
      typos: false,
      prefix: false,
    });
    const [twice, once, none] = articleScores(index, plan, createFastScorer(index), [0, 1, 2]);
    // tf 2 (headline and paragraph) in a 3-token article beats tf 1 in one of the same length.
    expect(twice).toBeGreaterThan(once!);
    expect(once).toBeGreaterThan(0);
    expect(none).toBe(0);
  });

  it('keeps pages consistent: the second page continues the first when the rescored depth is passed', () => {
    const many = Array.from({ length: ARTICLE_EVIDENCE_DEPTH + 20 }, (_, i) =>
      article(`a${String(i).padStart(3, '0')}`, `Story ${i}`, [
        'Drought ' + 'and more words '.repeat(i % 7) + 'here.',
        ...Array.from({ length: i % 3 }, () => 'The drought again.'),
      ]),
    );
    const index = buildIndex([...many, ...filler]);
    const all = searchArchive(
      index,
      withDefaults({ q: 'drought story', matchingStrategy: 'any', hitsPerPage: 100, page: 2 }),
    ).hits.map((h) => h.articleId);
    const first = searchArchive(
      index,
      withDefaults({ q: 'drought story', matchingStrategy: 'any', hitsPerPage: 100, page: 1 }),
    ).hits.map((h) => h.articleId);
    // Every rescored article gains a non-negative score, so it stays above those past the depth.
    expect(new Set([...first, ...all]).size).toBe(ARTICLE_EVIDENCE_DEPTH + 20);
  });
});
