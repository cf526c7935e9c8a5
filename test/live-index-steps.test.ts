import { describe, expect, it } from 'vitest';
import { ArchiveIndex } from '../src/index/archive-index.js';
import { buildIndex } from '../src/index/index-writer.js';
import { memoryWriter } from './helpers/memory-writer.js';
import { searchArchive } from '../src/query/search-archive.js';
import { DEFAULT_SEARCH_PARAMS } from '../src/query/search-params.js';
import { documentTables } from '../src/index/document-tables.js';
import { LayeredLexicon } from '../src/index/lexicon/lexicon.js';
import { lexiconOf } from '../src/index/lexicon/lexicon.js';
import { seededRandom, syntheticArticles, WORDS } from './helpers/synthetic-articles.js';

/**
 * What a write changes is applied in steps that do not redo the whole index:
 * document tables extended instead of rebuilt, the lexicon moved by its changes
 * instead of rebuilt. Each must equal the full rebuild.
 */
describe('an index changed step by step', () => {
  it('has the same tables and lexicon as one rebuilt from its segments, after adds, replacements and deletions', () => {
    const articles = syntheticArticles(400, 7);
    const writer = memoryWriter(articles.slice(0, 100));
    let index = writer.reader;
    void index.lexicon; // the lexicon is then moved along, not rebuilt
    const random = seededRandom(3);
    let next = 100;
    const queries = ['government election', 'market prices', 'flood', 'the court ruling', 'refugees displaced'];
    const search = (i: ArchiveIndex, q: string) => {
      const { processingTimeMs: _t, ...rest } = searchArchive(i, { ...DEFAULT_SEARCH_PARAMS, q, facets: ['source'] });
      return rest;
    };
    for (let step = 0; step < 12; step++) {
      // Searches before each change fill the postings cache, which the change then extends.
      const earlier = index;
      const earlierResults = queries.map((q) => search(earlier, q));
      const remove = Array.from({ length: 5 }, () => articles[Math.floor(random() * next)]!.id);
      writer.deleteArticles(remove);
      const add = articles.slice(next, next + 20);
      next += 20;
      // Some replacements: an id removed above comes back with other text.
      const back = remove
        .slice(0, 2)
        .filter((id) => writer.getArticle(id) === undefined)
        .map((id, k) => ({ ...articles[(next + k) % articles.length]!, id }));
      writer.addArticles([...add, ...back.filter((a, k) => back.findIndex((b) => b.id === a.id) === k)]);
      // Until the refresh, searches see none of the change; after it, a reader taken before still sees none.
      expect(writer.reader).toBe(earlier);
      index = writer.refresh();
      expect(index).not.toBe(earlier);
      expect(queries.map((q) => search(earlier, q))).toEqual(earlierResults);
      const taken = remove.find((id) => earlier.hasArticle(id) && !writer.reader.hasArticle(id));
      if (taken) expect(earlier.getArticle(taken)?.id).toBe(taken);
      const fresh = documentTables(index.segments);
      expect(index.paraNorms).toEqual(fresh.paraNorms);
      expect(index.titleNorms).toEqual(fresh.titleNorms);
      expect(index.paraArticle).toEqual(fresh.paraArticle);
      expect(index.titleArticle).toEqual(fresh.titleArticle);
      expect(index.articleFirstPara).toEqual(fresh.articleFirstPara);
      expect(index.paragraphCount).toBe(fresh.liveParagraphs);
      const rebuilt = lexiconOf(index.segments);
      for (const word of [...WORDS, 'zzz']) {
        expect(index.lexicon.frequency(word), word).toBe(rebuilt.frequency(word));
      }
      for (const prefix of ['gov', 'e', 'refu', 'm', 'the'])
        expect(index.lexicon.completions(prefix, 5)).toEqual(rebuilt.completions(prefix, 5));
      expect(index.lexicon.fuzzy('govermnent', 2)).toEqual(rebuilt.fuzzy('govermnent', 2));
      const reopened = new ArchiveIndex([...index.segments]);
      for (const q of queries) expect(search(index, q), q).toEqual(search(reopened, q));
    }
  });

  it('layers new forms over a lexicon: counts, completions and edits as if rebuilt, and a form at 0 is gone', () => {
    const base = lexiconOf(buildIndex(syntheticArticles(50, 1)).segments);
    const layer = new LayeredLexicon(base);
    layer.apply(
      new Map([
        ['quokka', 2],
        ['quokkas', 1],
        ['government', 3],
      ]),
    );
    expect(layer.frequency('quokka')).toBe(2);
    expect(layer.completions('quok', 5)).toEqual([
      { form: 'quokka', df: 2 },
      { form: 'quokkas', df: 1 },
    ]);
    expect(layer.completions('quokka', 5, true)).toEqual([{ form: 'quokkas', df: 1 }]);
    expect([...layer.fuzzy('qokka', 1)]).toEqual([['quokka', 1]]);
    expect(layer.frequency('government')).toBe(base.frequency('government') + 3);
    layer.apply(
      new Map([
        ['quokka', -2],
        ['government', -3 - base.frequency('government')],
      ]),
    );
    expect(layer.frequency('quokka')).toBe(0);
    expect(layer.completions('quok', 5)).toEqual([{ form: 'quokkas', df: 1 }]);
    expect(layer.frequency('government')).toBe(0);
    expect(layer.completions('governmen', 5).map((c) => c.form)).not.toContain('government');
    expect(layer.fuzzy('government', 0).size).toBe(0);
  });
});
