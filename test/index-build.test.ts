import { describe, expect, it } from 'vitest';
import type { ArchiveIndex } from '../src/index/archive-index.js';
import { buildIndex } from '../src/index/index-writer.js';
import { memoryWriter } from './helpers/memory-writer.js';
import { buildMiniSearchReference } from './helpers/minisearch-reference.js';
import { buildSegment } from '../src/index/segments/build-segment.js';
import { Segment } from '../src/index/segments/segment-reader.js';
import { searchArchive } from '../src/query/search-archive.js';
import { createFastScorer, executeQuery, releaseMatches } from '../src/query/execute/execute-query.js';
import { createPlainScorer } from './helpers/plain-scorer.js';
import { compilePlan } from '../src/query/search-archive.js';
import { parseQuery } from '../src/query/parse/parse-query.js';
import { withDefaults, type SearchParams } from '../src/query/search-params.js';
import type { Article } from '../src/corpus/article.js';
import { syntheticArticles, WORDS } from './helpers/synthetic-articles.js';
import { IdList } from '../src/index/id-list.js';

const articles = syntheticArticles(300);
const references = new WeakMap<ArchiveIndex, ReturnType<typeof buildMiniSearchReference>>();

/** An index of `list` and, for the plain scorer, MiniSearch holding the same articles. */
function indexWithReference(list: Article[], segmentArticles?: number): ArchiveIndex {
  const index = buildIndex(list, { segmentArticles });
  references.set(index, buildMiniSearchReference(list));
  return index;
}

/** Hits of a search, reduced to what must be equal between two indexes. */
function hitsOf(index: ArchiveIndex, params: Partial<SearchParams>, plain = false) {
  const response = searchArchive(
    index,
    withDefaults({ hitsPerPage: 100, ...params }),
    plain ? createPlainScorer(index, references.get(index)!) : undefined,
  );
  return {
    totalHits: response.totalHits,
    totalParagraphs: response.totalParagraphs,
    hits: response.hits.map((h) => [h.articleId, h.score, h.snippets.map((s) => [s.paragraphIndex, s.score, s.html])]),
  };
}

const QUERIES = [
  'government',
  'oil prices',
  'the',
  'displaced refugees',
  'gov',
  'marke',
  'elections -court',
  '"oil price"',
  'goverment',
  'tax OR budget',
];

describe('segments', () => {
  it('hold the same documents, field lengths and document frequencies as MiniSearch given the same articles one by one', () => {
    const segment = Segment.fromBytes(buildSegment(articles, null)!, 'one');
    const reference = buildMiniSearchReference(articles);
    for (const [c, ref] of [
      ['p', reference.paragraphs],
      ['t', reference.titles],
    ] as const) {
      expect(segment.termCount(c)).toBe(ref.termCount);
      for (let i = 0; i < segment.termCount(c); i += 7)
        expect(ref.documentFrequency(segment.term(c, i))).toBe(segment.termDf(c, i));
    }
    articles.slice(0, 20).forEach((a, i) => {
      expect(segment.titleLength[i]).toBe(reference.titles.fieldLength(a.id));
      expect(segment.article(i)).toEqual(a);
      a.paragraphs.forEach((text, k) => {
        expect(segment.paraLength[segment.firstPara[i]! + k]).toBe(reference.paragraphs.fieldLength(`${a.id}#p${k}`));
        expect(segment.paragraphText(i, k)).toBe(text);
      });
    });
  });

  it('read several paragraphs of an article at once as they read one by one, near or far apart, in the order asked', () => {
    // Paragraphs of 40 kB between short ones: two of them apart pass the one-read span (64 kB).
    const long = 'x'.repeat(40_000);
    const list: Article[] = [
      { ...articles[0]!, id: 'spread', paragraphs: ['première é', long, 'deux 𠀀', long, 'trois'] },
      ...articles.slice(1, 30),
    ];
    const segment = Segment.fromBytes(buildSegment(list, null)!, 'one');
    list.forEach((a, i) => {
      const ks = a.paragraphs.map((_, k) => k).reverse();
      for (const asked of [ks, ks.slice(0, 2), ks.slice(-3), [ks[0]!, ks.at(-1)!], [ks.at(-1)!]])
        expect(segment.paragraphTexts(i, asked)).toEqual(asked.map((k) => a.paragraphs[k]));
    });
    expect(() => segment.paragraphTexts(0, [0, 5])).toThrow();
  });

  it("number every paragraph by its place in its article, a deleted article's and one after an article without paragraphs included", () => {
    const list = articles.slice(0, 40).map((a, i) => (i % 9 === 4 ? { ...a, paragraphs: [] } : a));
    const writer = memoryWriter(list.slice(0, 25));
    writer.addArticles(list.slice(25));
    writer.deleteArticles(list.filter((_, i) => i % 7 === 3).map((a) => a.id));
    const index = writer.refresh();
    let doc = 0;
    let deleted = 0;
    for (const [s, segment] of index.segments.entries()) {
      expect(index.paraBase[s]).toBe(doc);
      for (let i = 0; i < segment.articleCount; i++) {
        const count = segment.firstPara[i + 1]! - segment.firstPara[i]!;
        if (segment.deleted[i]) deleted += count;
        for (let k = 0; k < count; k++, doc++) expect(index.paragraphIndex(doc)).toBe(k);
      }
    }
    expect(doc).toBe(index.paraArticle.length);
    expect(deleted).toBeGreaterThan(0);
  });

  it('give identical hits, scores and snippets whether the archive is one segment or many', () => {
    const one = buildIndex(articles);
    for (const size of [1, 7, 64]) {
      const many = buildIndex(articles, { segmentArticles: size });
      expect(many.segments.length).toBe(Math.ceil(articles.length / size));
      for (const q of QUERIES) {
        for (const mode of [
          {},
          { matchingStrategy: 'any' as const },
          { groupBy: 'none' as const },
          { facets: ['source', 'author', 'year'] as ('source' | 'author' | 'year')[] },
        ]) {
          const a = { ...searchArchive(one, withDefaults({ q, hitsPerPage: 100, ...mode })), processingTimeMs: 0 };
          const b = { ...searchArchive(many, withDefaults({ q, hitsPerPage: 100, ...mode })), processingTimeMs: 0 };
          expect(b, `${q} ${size}`).toEqual(a);
        }
      }
    }
  });

  it('reject a truncated segment or one with a broken header or a flipped bit, with an error', () => {
    const bytes = buildSegment(articles.slice(0, 20), null)!;
    expect(() => Segment.fromBytes(bytes.subarray(0, bytes.length - 100), 'x')).toThrow();
    expect(() => Segment.fromBytes(bytes.subarray(0, 10), 'x')).toThrow(/truncated/);
    const broken = Buffer.from(bytes);
    broken.write('XX', 0, 'latin1');
    expect(() => Segment.fromBytes(broken, 'x')).toThrow(/not a segment/);
    const flipped = Buffer.from(bytes);
    flipped[bytes.length >> 1] = flipped[bytes.length >> 1]! ^ 1;
    expect(() => {
      const segment = Segment.fromBytes(flipped, 'x');
      segment.verify();
    }).toThrow(/checksum/);
  });
});

describe('fast path', () => {
  it('gives the same hits and scores as the plain path through MiniSearch search(), for the query set in every mode', () => {
    const index = indexWithReference(articles);
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
          if (h[0] !== plain.hits[i]![0])
            expect(h[1], `${q}: a swap at ${i} between different scores`).toBe(plain.hits[i]![1]);
        });
      }
    }
  });
});

describe('incremental update', () => {
  it('a term looked up before an update is looked up again after it (no stale postings)', () => {
    const writer = memoryWriter(articles.slice(0, 50));
    let index = writer.reader;
    expect(hitsOf(index, { q: 'zyzzyva' }).totalHits).toBe(0);
    const before = hitsOf(index, { q: 'government' }).totalHits;
    writer.addArticles([{ ...articles[60]!, id: 'new-one', paragraphs: ['A zyzzyva met the government.'] }]);
    index = writer.refresh();
    expect(hitsOf(index, { q: 'zyzzyva' }).totalHits).toBe(1);
    expect(hitsOf(index, { q: 'government' }).totalHits).toBe(before + 1);
    writer.deleteArticles(['new-one']);
    index = writer.refresh();
    expect(hitsOf(index, { q: 'zyzzyva' }).totalHits).toBe(0);
    expect(hitsOf(index, { q: 'government' }).totalHits).toBe(before);
  });

  it('removing and re-adding articles gives the same results as a fresh build of the same articles', () => {
    const changed = articles
      .slice(0, 100)
      .map((a, i) =>
        i % 10 === 0 ? { ...a, paragraphs: [...a.paragraphs, 'A new paragraph about displaced voters.'] } : a,
      );
    const writer = memoryWriter(articles.slice(0, 100));
    const ids = changed.filter((_, i) => i % 10 === 0).map((a) => a.id);
    writer.deleteArticles(ids);
    writer.addArticles(changed.filter((a) => ids.includes(a.id)));
    const index = writer.refresh();
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
  it('scores listed documents (accumulateAt) exactly as a scan with the same article filter does, one segment or many', () => {
    for (const index of [indexWithReference(articles), indexWithReference(articles, 40)]) {
      const filter = new Uint8Array(index.articleCount);
      const paras: number[] = [];
      const titles: number[] = [];
      for (let ord = 0; ord < index.articleCount; ord += 3) {
        filter[ord] = 1;
        for (let doc = index.articleFirstPara[ord]!; doc < index.articleFirstPara[ord + 1]!; doc++) paras.push(doc);
        titles.push(ord);
      }
      const lists = { paragraphs: Int32Array.from(paras).sort(), titles: Int32Array.from(titles).sort() };
      for (const scorer of [createFastScorer(index), createPlainScorer(index, references.get(index)!)]) {
        for (const term of ['the', 'oil', '~govern', 'displaced', 'no-such-term']) {
          for (const collection of ['paragraphs', 'titles'] as const) {
            const size = collection === 'paragraphs' ? index.paraArticle.length : index.titleArticle.length;
            const scanned = new Float64Array(size);
            const probed = new Float64Array(size);
            const scannedTouched = new IdList();
            const probedTouched = new IdList();
            const a = scorer.accumulate(collection, term, 0.5, scanned, scannedTouched, filter);
            const b = scorer.accumulateAt(
              collection,
              term,
              0.5,
              probed,
              probedTouched,
              lists[collection],
              lists[collection].length,
            );
            expect(b, `${term} ${collection}`).toBe(a);
            expect(probedTouched.toArray().sort((x, y) => x - y)).toEqual(
              scannedTouched.toArray().sort((x, y) => x - y),
            );
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
        const out = m.articleTouched
          .toArray()
          .filter((o) => m.articleMask[o] === full)
          .map((o) => [o, m.articleScore[o]])
          .sort((a, b) => a[0]! - b[0]!);
        releaseMatches(m);
        return out;
      };
      const lean = summarize(true);
      const plain = summarize(false);
      expect(
        lean.map((x) => x[0]),
        q,
      ).toEqual(plain.map((x) => x[0]));
      lean.forEach((x, i) => expect(x[1]!).toBeCloseTo(plain[i]![1]!, 9));
    }
  });
});
