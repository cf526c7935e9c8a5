import { describe, expect, it } from 'vitest';
import { buildIndex, buildIndexByAdding } from '../src/index/archive-index.js';
import { decodeSnapshot, encodeSnapshot } from '../src/index/snapshot-format.js';
import { Lexicon } from '../src/index/lexicon.js';
import { suggestWords } from '../src/query/suggest-words.js';
import { syntheticArticles } from './helpers/synthetic-articles.js';

const articles = syntheticArticles(200, 5);

function fromTrees(index: ReturnType<typeof buildIndex>) {
  return Lexicon.fromTrees([index.paraInternals._index, index.titleInternals._index]);
}

describe('Lexicon', () => {
  it('holds the same forms and frequencies whether built from sorted term lists, a snapshot, or by walking the trees', () => {
    const bulk = buildIndex(articles);
    const walked = fromTrees(buildIndexByAdding(articles));
    const restored = decodeSnapshot(encodeSnapshot(bulk));
    for (const prefix of ['', 'g', 'gov', 'the', 'mark', 'zzz']) {
      expect(bulk.lexicon.completions(prefix, 50), prefix).toEqual(walked.completions(prefix, 50));
      expect(restored.lexicon.completions(prefix, 50), prefix).toEqual(walked.completions(prefix, 50));
    }
    expect(bulk.lexicon.size).toBe(walked.size);
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

  it('stays in step with the trees after articles are removed and added', () => {
    const index = buildIndex(articles.slice(0, 150));
    void index.lexicon;
    index.removeArticles(articles.slice(0, 40).map((a) => a.id));
    index.addArticles([
      ...articles.slice(150, 200),
      { ...articles[0]!, id: 'fresh', paragraphs: ['Zephyrology and zephyrologists met.'], title: 'Zephyr news' },
    ]);
    index.refresh();
    const walked = fromTrees(index);
    for (const prefix of ['', 'z', 'zephyr', 'gov', 'the', 'oil']) {
      expect(index.lexicon.completions(prefix, 100), prefix).toEqual(walked.completions(prefix, 100));
    }
    expect(suggestWords(index, 'zeph', 5).map((s) => s.text)).toEqual(['zephyr', 'zephyrologists', 'zephyrology']);
  });
});
