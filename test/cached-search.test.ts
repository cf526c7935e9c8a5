import { describe, expect, it } from 'vitest';
import { buildIndex } from '../src/index/archive-index.js';
import { cachedSearch } from '../src/query/cached-search.js';
import { searchArchive } from '../src/query/search-archive.js';
import { withDefaults } from '../src/query/search-params.js';
import { syntheticArticles } from './helpers/synthetic-articles.js';

const articles = syntheticArticles(50, 9);

describe('cachedSearch', () => {
  it('answers a repeated search from the cache with the same hits, and any other search afresh', () => {
    const index = buildIndex(articles);
    const search = cachedSearch(searchArchive, 2);
    const first = search(index, withDefaults({ q: 'oil' }));
    const again = search(index, withDefaults({ q: 'oil' }));
    expect({ ...again, processingTimeMs: 0 }).toEqual({ ...first, processingTimeMs: 0 });
    expect(search.stats()).toEqual({ hits: 1, misses: 1, entries: 1 });
    search(index, withDefaults({ q: 'oil', page: 2 }));
    expect(search.stats().misses).toBe(2);
  });

  it('forgets everything when the index changes, and keeps at most maxEntries (least recently used out)', () => {
    const index = buildIndex(articles.slice(0, 40));
    const search = cachedSearch(searchArchive, 2);
    search(index, withDefaults({ q: 'oil' }));
    search(index, withDefaults({ q: 'tax' }));
    search(index, withDefaults({ q: 'oil' }));
    search(index, withDefaults({ q: 'bank' })); // evicts "tax", the least recently used
    expect(search.stats()).toMatchObject({ hits: 1, misses: 3, entries: 2 });
    search(index, withDefaults({ q: 'tax' }));
    expect(search.stats().misses).toBe(4);
    const before = search(index, withDefaults({ q: 'zymurgy' })).totalHits;
    index.addArticles([{ ...articles[45]!, id: 'new', paragraphs: ['Zymurgy is the study of fermentation.'] }]);
    index.refresh();
    expect(before).toBe(0);
    expect(search(index, withDefaults({ q: 'zymurgy' })).totalHits).toBe(1);
  });

  it('with maxEntries 0 is the plain search function', () => {
    expect(cachedSearch(searchArchive, 0)(buildIndex(articles), withDefaults({ q: 'oil' })).query).toBe('oil');
  });
});
