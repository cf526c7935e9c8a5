import { performance } from 'node:perf_hooks';
import type { ArchiveIndex } from '../index/archive-index.js';
import type { SearchResponse } from './search-archive.js';
import type { SearchParams } from './search-params.js';

/** A search function, as the HTTP layer calls it. */
export type SearchFunction = (index: ArchiveIndex, params: SearchParams) => SearchResponse;

/** Counters of a cached search, for `/health` and the benchmark. */
export interface CacheStats {
  hits: number;
  misses: number;
  entries: number;
}

/**
 * Wraps a search function with a cache of its most recent responses (least
 * recently used out first), keyed by every search parameter. An entry is valid
 * only for the index object and generation it was computed on, so any change to
 * the index (an update bumps its generation) invalidates every entry at once.
 * A hit returns a copy with `processingTimeMs` measured for the lookup itself.
 * `maxEntries` 0 returns `search` unchanged.
 */
export function cachedSearch(search: SearchFunction, maxEntries: number): SearchFunction & { stats: () => CacheStats } {
  const stats = { hits: 0, misses: 0 };
  const entries = new Map<string, SearchResponse>();
  let owner: ArchiveIndex | null = null;
  let generation = -1;
  const wrapped = (index: ArchiveIndex, params: SearchParams): SearchResponse => {
    if (maxEntries <= 0) return search(index, params);
    const started = performance.now();
    if (index !== owner || index.generation !== generation) {
      entries.clear();
      owner = index;
      generation = index.generation;
    }
    const key = JSON.stringify(params);
    const cached = entries.get(key);
    if (cached) {
      stats.hits++;
      // Most recently used last: delete and set again.
      entries.delete(key);
      entries.set(key, cached);
      return { ...cached, processingTimeMs: Math.round((performance.now() - started) * 100) / 100 };
    }
    stats.misses++;
    const response = search(index, params);
    entries.set(key, response);
    if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
    return response;
  };
  return Object.assign(wrapped, { stats: () => ({ ...stats, entries: entries.size }) });
}
