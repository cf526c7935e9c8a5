import { describe, expect, it } from 'vitest';
import { buildIndex, buildIndexByAdding } from '../src/index/archive-index.js';
import { decodeSnapshot, encodeSnapshot } from '../src/index/snapshot-format.js';
import { Lexicon } from '../src/index/lexicon.js';
import { suggestWords } from '../src/query/suggest-words.js';
import { syntheticArticles } from './helpers/synthetic-articles.js';

const articles = syntheticArticles(200, 5);

function fromTrees(index: ReturnType<typeof buildIndex>) {
  return Lexicon.fromTrees(index.termTrees);
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

describe('PackedPostings', () => {
  it('applies changes through overlays and compacts them into the same postings a Map would hold', async () => {
    const { PackedPostings, compactPostings } = await import('../src/index/packed-term-data.js');
    for (const scenario of ['append', 'interleave']) {
      const base = new PackedPostings(Int32Array.from([1, 3, 5, 7, 9]), Uint16Array.from([1, 1, 2, 1, 3]));
      const reference = new Map([[1, 1], [3, 1], [5, 2], [7, 1], [9, 3]]);
      const apply = (fn: (m: Map<number, number>) => void) => {
        fn(base);
        fn(reference);
      };
      apply((m) => m.delete(3));
      apply((m) => m.delete(9));
      if (scenario === 'append') apply((m) => m.set(12, 2).set(10, 1));
      else apply((m) => m.set(4, 2).set(5, 7).set(11, 1));
      expect(base.size).toBe(reference.size);
      for (const [doc, tf] of reference) expect(base.get(doc)).toBe(tf);
      expect(base.get(3)).toBeUndefined();
      compactPostings();
      expect(base.pristine).toBe(true);
      expect([...base.entries()]).toEqual([...reference.entries()].sort((a, b) => a[0] - b[0]));
    }
  });
});
