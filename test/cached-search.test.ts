import { describe, expect, it, vi } from 'vitest';
import { buildIndex } from '../src/index/index-writer.js';
import { memoryWriter } from './helpers/memory-writer.js';
import { cachedSearch, PARTIAL_TTL_MS, type SearchFunction } from '../src/query/cached-search.js';
import { Deadline } from '../src/query/execute/deadline.js';
import { estimateResponseBytes } from '../src/query/results/estimate-response-bytes.js';
import { searchArchive } from '../src/query/search-archive.js';
import { withDefaults } from '../src/query/search-params.js';
import { syntheticArticles } from './helpers/synthetic-articles.js';

const articles = syntheticArticles(50, 9);
const run: SearchFunction = (index, params, deadline) => searchArchive(index, params, undefined, deadline);

describe('cachedSearch', () => {
  it('answers a repeated search from the cache with the same hits, and any other search afresh', () => {
    const index = buildIndex(articles);
    const search = cachedSearch(run, 2);
    const first = search(index, withDefaults({ q: 'oil' }));
    const again = search(index, withDefaults({ q: 'oil' }));
    expect({ ...again, processingTimeMs: 0 }).toEqual({ ...first, processingTimeMs: 0 });
    expect(search.stats()).toMatchObject({ hits: 1, misses: 1, entries: 1 });
    expect(search.stats().bytes).toBeGreaterThan(estimateResponseBytes(first));
    search(index, withDefaults({ q: 'oil', page: 2 }));
    expect(search.stats().misses).toBe(2);
  });

  it('forgets everything when the index changes, and keeps at most maxEntries (least recently used out)', () => {
    const writer = memoryWriter(articles.slice(0, 40));
    let index = writer.reader;
    const search = cachedSearch(run, 2);
    search(index, withDefaults({ q: 'oil' }));
    search(index, withDefaults({ q: 'tax' }));
    search(index, withDefaults({ q: 'oil' }));
    search(index, withDefaults({ q: 'bank' })); // evicts "tax", the least recently used
    expect(search.stats()).toMatchObject({ hits: 1, misses: 3, entries: 2 });
    search(index, withDefaults({ q: 'tax' }));
    expect(search.stats().misses).toBe(4);
    const before = search(index, withDefaults({ q: 'zymurgy' })).totalHits;
    writer.addArticles([{ ...articles[45]!, id: 'new', paragraphs: ['Zymurgy is the study of fermentation.'] }]);
    index = writer.refresh();
    expect(before).toBe(0);
    expect(search(index, withDefaults({ q: 'zymurgy' })).totalHits).toBe(1);
  });

  it('with maxEntries 0 is the plain search function', () => {
    expect(cachedSearch(run, 0)(buildIndex(articles), withDefaults({ q: 'oil' })).query).toBe('oil');
  });

  it('keeps no more estimated bytes than maxBytes, dropping the least recently used first', () => {
    const index = buildIndex(articles);
    const one = estimateResponseBytes(run(index, withDefaults({ q: 'oil' })));
    const search = cachedSearch(run, 1000, one * 4.5);
    for (const q of ['oil', 'tax', 'bank', 'rates', 'oil prices', 'tax bank']) search(index, withDefaults({ q }));
    expect(search.stats().bytes).toBeLessThanOrEqual(one * 4.5);
    expect(search.stats().entries).toBeLessThan(6);
    expect(search.stats().entries).toBeGreaterThan(0);
  });

  it('keeps a response that its deadline cut short for PARTIAL_TTL_MS only, then searches afresh', () => {
    vi.useFakeTimers();
    try {
      const index = buildIndex(articles);
      const search = cachedSearch(run, 10);
      expect(search(index, withDefaults({ q: 'oil tax' }), Deadline.after(-1)).exhaustive).toBe(false);
      expect(search(index, withDefaults({ q: 'oil tax' })).exhaustive).toBe(false);
      expect(search.stats()).toMatchObject({ hits: 1, misses: 1 });
      vi.advanceTimersByTime(PARTIAL_TTL_MS + 1);
      expect(search(index, withDefaults({ q: 'oil tax' })).exhaustive).toBe(true);
      expect(search.stats()).toMatchObject({ hits: 1, misses: 2, entries: 1 });
    } finally {
      vi.useRealTimers();
    }
  });
});
