import { describe, expect, it } from 'vitest';
import { buildIndex, type IndexWriter } from '../src/index/index-writer.js';
import { memoryWriter } from './helpers/memory-writer.js';
import { buildMiniSearchReference } from './helpers/minisearch-reference.js';
import { suggestWords } from '../src/query/suggest-words.js';
import type { Article } from '../src/corpus/article.js';
import { syntheticArticles } from './helpers/synthetic-articles.js';

const articles = syntheticArticles(200, 5);

/** Form → documents (paragraphs + headlines), as MiniSearch holding the same articles counts them. */
function referenceCounts(list: Article[]): Map<string, number> {
  const { paragraphs, titles } = buildMiniSearchReference(list);
  const counts = paragraphs.formFrequencies();
  for (const [form, df] of titles.formFrequencies()) counts.set(form, (counts.get(form) ?? 0) + df);
  for (const [form, df] of counts) if (df === 0) counts.delete(form);
  return counts;
}

function expectLexiconMatches(writer: IndexWriter, list: Article[]) {
  const counts = referenceCounts(list);
  expect(writer.compactedLexicon().size).toBe(counts.size);
  for (const [form, df] of counts) expect(writer.reader.lexicon.frequency(form), form).toBe(df);
}

describe('the index lexicon', () => {
  it('holds the forms and frequencies MiniSearch counts, whether the index is one segment or many', () => {
    expectLexiconMatches(memoryWriter(articles), articles);
    expectLexiconMatches(memoryWriter(articles, 17), articles);
  });

  it('gives the most frequent completions of a prefix, ties alphabetical, never stems', () => {
    const index = buildIndex(articles);
    const completions = index.lexicon.completions('gov', 10);
    expect(completions.map((c) => c.form).sort()).toEqual(['govern', 'government', 'governments', 'governor']);
    for (let i = 1; i < completions.length; i++) {
      const [a, b] = [completions[i - 1]!, completions[i]!];
      expect(a.df > b.df || (a.df === b.df && a.form < b.form)).toBe(true);
    }
    expect(index.lexicon.completions('govern', 10, true).map((c) => c.form)).not.toContain('govern');
    expect(index.lexicon.completions('~', 10)).toEqual([]);
  });

  it('stays in step with the live articles after some are removed and others added', () => {
    const writer = memoryWriter(articles.slice(0, 150));
    void writer.reader.lexicon;
    writer.deleteArticles(articles.slice(0, 40).map((a) => a.id));
    const fresh = {
      ...articles[0]!,
      id: 'fresh',
      paragraphs: ['Zephyrology and zephyrologists met.'],
      title: 'Zephyr news',
    };
    writer.addArticles([...articles.slice(150, 200), fresh]);
    const index = writer.refresh();
    expectLexiconMatches(writer, [...articles.slice(40, 200), fresh]);
    expect(suggestWords(index, 'zeph', 5).map((s) => s.text)).toEqual(['zephyr', 'zephyrologists', 'zephyrology']);
  });
});
