import { describe, expect, it } from 'vitest';
import { buildIndex, buildIndexByAdding, type ArchiveIndex } from '../src/index/archive-index.js';
import { decodeSnapshot, encodeSnapshot } from '../src/index/snapshot-format.js';
import { searchArchive } from '../src/query/search-archive.js';
import { createFastScorer, createPlainScorer, executeQuery, releaseMatches } from '../src/query/execute-query.js';
import { compilePlan } from '../src/query/search-archive.js';
import { parseQuery } from '../src/query/parse-query.js';
import { withDefaults, type SearchParams } from '../src/query/search-params.js';
import { syntheticArticles, WORDS } from './helpers/synthetic-articles.js';
import { IdList } from '../src/index/id-list.js';

const articles = syntheticArticles(300);

function sortedIndexJson(index: ArchiveIndex, which: 'paragraphs' | 'titles') {
  const json = (index[which] as unknown as { toJSON(): { index: [string, Record<string, Record<string, number>>][] } }).toJSON();
  json.index.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  return json;
}

/** Hits of a search, reduced to what must be equal between two indexes. */
function hitsOf(index: ArchiveIndex, params: Partial<SearchParams>, plain = false) {
  const response = searchArchive(index, withDefaults({ hitsPerPage: 100, ...params }), plain ? createPlainScorer(index) : undefined);
  return {
    totalHits: response.totalHits,
    totalParagraphs: response.totalParagraphs,
    hits: response.hits.map((h) => [h.articleId, h.score, h.snippets.map((s) => [s.paragraphIndex, s.score, s.html])]),
  };
}

const QUERIES = ['government', 'oil prices', 'the', 'displaced refugees', 'gov', 'marke', 'elections -court', '"oil price"', 'goverment', 'tax OR budget'];

describe('bulk build', () => {
  it('gives MiniSearch the same documents, field lengths and postings as adding documents one by one', () => {
    const bulk = buildIndex(articles);
    const added = buildIndexByAdding(articles);
    for (const which of ['paragraphs', 'titles'] as const) {
      expect(sortedIndexJson(bulk, which)).toEqual(sortedIndexJson(added, which));
    }
  });

  it('answers every query like the index built by adding documents', () => {
    const bulk = buildIndex(articles);
    const added = buildIndexByAdding(articles);
    for (const q of QUERIES) expect(hitsOf(bulk, { q }), q).toEqual(hitsOf(added, { q }));
  });
});

describe('fast path', () => {
  it('gives the same hits and scores as the plain path through MiniSearch search(), for the query set in every mode', () => {
    const index = buildIndex(articles);
    const queries = [...QUERIES, ...WORDS.slice(0, 40).map((w, i) => `${w} ${WORDS[(i * 7) % WORDS.length]}`)];
    for (const q of queries) {
      for (const mode of [
        {},
        { matchingStrategy: 'any' as const },
        { groupBy: 'none' as const },
        { prefix: 'off' as const, typos: 'auto' as const },
      ]) {
        const fast = hitsOf(index, { q, ...mode });
        const plain = hitsOf(index, { q, ...mode }, true);
        expect(fast.totalHits, `${q} ${JSON.stringify(mode)}`).toBe(plain.totalHits);
        // The same hits, with the same scores, in the same order except among tied scores: the paths sum
        // and rescale in different orders, so two equal scores may differ in their last bits and swap.
        expect(new Set(fast.hits.map((h) => h[0]))).toEqual(new Set(plain.hits.map((h) => h[0])));
        fast.hits.forEach((h, i) => {
          expect(h[1] as number).toBeCloseTo(plain.hits[i]![1] as number, 6);
          if (h[0] !== plain.hits[i]![0]) expect(h[1], `${q}: a swap at ${i} between different scores`).toBe(plain.hits[i]![1]);
        });
      }
    }
  });
});

describe('snapshot', () => {
  it('round-trips: a decoded snapshot answers every query exactly like the index it was made from', () => {
    const index = buildIndex(articles);
    const restored = decodeSnapshot(encodeSnapshot(index));
    expect(restored.articleCount).toBe(index.articleCount);
    expect(restored.paragraphCount).toBe(index.paragraphCount);
    for (const q of QUERIES) expect(hitsOf(restored, { q }), q).toEqual(hitsOf(index, { q }));
    expect([...restored.articles.values()]).toEqual([...index.articles.values()]);
  });

  it('still round-trips after articles were removed and added (short ids with gaps)', () => {
    const index = buildIndex(articles.slice(0, 200));
    index.removeArticles(articles.slice(50, 80).map((a) => a.id));
    index.addArticles(articles.slice(200, 230));
    index.refresh();
    const restored = decodeSnapshot(encodeSnapshot(index));
    for (const q of QUERIES) expect(hitsOf(restored, { q }), q).toEqual(hitsOf(index, { q }));
  });

  it('rejects a truncated snapshot or one with a broken header with an error', () => {
    const bytes = encodeSnapshot(buildIndex(articles.slice(0, 20)));
    expect(() => decodeSnapshot(bytes.subarray(0, bytes.length - 100))).toThrow();
    expect(() => decodeSnapshot(bytes.subarray(0, 10))).toThrow(/magic|truncated/);
    const broken = Buffer.from(bytes);
    broken.write('XX', 0, 'latin1');
    expect(() => decodeSnapshot(broken)).toThrow(/magic/);
  });
});

describe('incremental update', () => {
  it('a term looked up before an update is looked up again after it (no stale postings)', () => {
    const index = buildIndex(articles.slice(0, 50));
    expect(hitsOf(index, { q: 'zyzzyva' }).totalHits).toBe(0);
    const before = hitsOf(index, { q: 'government' }).totalHits;
    index.addArticles([{ ...articles[60]!, id: 'new-one', paragraphs: ['A zyzzyva met the government.'] }]);
    index.refresh();
    expect(hitsOf(index, { q: 'zyzzyva' }).totalHits).toBe(1);
    expect(hitsOf(index, { q: 'government' }).totalHits).toBe(before + 1);
    index.removeArticles(['new-one']);
    index.refresh();
    expect(hitsOf(index, { q: 'zyzzyva' }).totalHits).toBe(0);
    expect(hitsOf(index, { q: 'government' }).totalHits).toBe(before);
  });

  it('removing and re-adding articles gives the same results as a fresh build of the same articles', () => {
    const changed = articles.slice(0, 100).map((a, i) => (i % 10 === 0 ? { ...a, paragraphs: [...a.paragraphs, 'A new paragraph about displaced voters.'] } : a));
    const index = buildIndex(articles.slice(0, 100));
    const ids = changed.filter((_, i) => i % 10 === 0).map((a) => a.id);
    index.removeArticles(ids);
    index.addArticles(changed.filter((a) => ids.includes(a.id)));
    index.refresh();
    const fresh = buildIndex(changed);
    for (const q of [...QUERIES, 'displaced voters']) {
      const a = hitsOf(index, { q });
      const b = hitsOf(fresh, { q });
      expect(a.totalHits, q).toBe(b.totalHits);
      expect(new Set(a.hits.map((h) => h[0]))).toEqual(new Set(b.hits.map((h) => h[0])));
    }
  });
});

describe('AND execution', () => {
  it('scores listed documents (accumulateAt) exactly as a scan with the same article filter does, packed postings or Maps', () => {
    for (const index of [buildIndex(articles), buildIndexByAdding(articles)]) {
      const filter = new Uint8Array(index.articleCount);
      const paras: number[] = [];
      const titles: number[] = [];
      for (let ord = 0; ord < index.articleCount; ord += 3) {
        filter[ord] = 1;
        paras.push(...index.articleParagraphs[ord]!);
        titles.push(index.articleTitle[ord]!);
      }
      const lists = { paragraphs: Int32Array.from(paras).sort(), titles: Int32Array.from(titles).sort() };
      for (const scorer of [createFastScorer(index), createPlainScorer(index)]) {
        for (const term of ['the', 'oil', '~govern', 'displaced', 'no-such-term']) {
          for (const collection of ['paragraphs', 'titles'] as const) {
            const size = collection === 'paragraphs' ? index.paraArticle.length : index.titleArticle.length;
            const scanned = new Float64Array(size);
            const probed = new Float64Array(size);
            const scannedTouched = new IdList();
            const probedTouched = new IdList();
            const a = scorer.accumulate(collection, term, 0.5, scanned, scannedTouched, filter);
            const b = scorer.accumulateAt(collection, term, 0.5, probed, probedTouched, lists[collection], lists[collection].length);
            expect(b, `${term} ${collection}`).toBe(a);
            expect(probedTouched.toArray().sort((x, y) => x - y)).toEqual(scannedTouched.toArray().sort((x, y) => x - y));
            expect(probed).toEqual(scanned);
          }
        }
      }
    }
  });

  it('gives the articles that match every clause the same scores whether or not later clauses skip articles already out', () => {
    const index = buildIndex(articles);
    for (const q of ['government oil', 'the displaced refugees', 'market prices the', '"oil price" tax', 'gov']) {
      const parsed = parseQuery(q, { prefixLast: true });
      const plan = compilePlan(index, parsed, { typos: false, prefix: true });
      const scorer = createFastScorer(index);
      const summarize = (requireAll: boolean) => {
        const m = executeQuery(index, plan, scorer, null, { requireAll });
        const full = (1 << m.clauseCount) - 1;
        const out = m.articleTouched.toArray().filter((o) => m.articleMask[o] === full).map((o) => [o, m.articleScore[o]]).sort((a, b) => a[0]! - b[0]!);
        releaseMatches(m);
        return out;
      };
      const lean = summarize(true);
      const plain = summarize(false);
      expect(lean.map((x) => x[0]), q).toEqual(plain.map((x) => x[0]));
      lean.forEach((x, i) => expect(x[1]!).toBeCloseTo(plain[i]![1]!, 9));
    }
  });
});
