import { performance } from 'node:perf_hooks';
import type { ArchiveIndex } from '../index/archive-index.js';
import type { Deadline } from './execute/deadline.js';
import { estimateResponseBytes } from './results/estimate-response-bytes.js';
import type { SearchResponse } from './search-archive.js';
import type { SearchParams } from './search-params.js';

/** A search function, as the HTTP layer calls it; `deadline` bounds its time (default none). */
export type SearchFunction = (index: ArchiveIndex, params: SearchParams, deadline?: Deadline) => SearchResponse;

/** Milliseconds a response cut short by its time budget stays in the cache. */
export const PARTIAL_TTL_MS = 10_000;

/** Counters of a cached search, for `/health`, `/metrics` and the benchmark. */
export interface CacheStats {
  hits: number;
  misses: number;
  entries: number;
  /** Estimated heap held by the entries (see `estimateResponseBytes`). */
  bytes: number;
}

/**
 * Wraps a search function with a cache of its most recent responses (least
 * recently used out first), keyed by every search parameter, bounded both in
 * entries and in estimated bytes. An entry is valid
 * only for the index object and generation it was computed on, so any change to
 * the index (an update bumps its generation) invalidates every entry at once.
 * A hit returns a copy with `processingTimeMs` measured for the lookup itself.
 * A response cut short by its deadline (`exhaustive: false` for lack of time)
 * is kept for {@link PARTIAL_TTL_MS} only: under load its repeats are answered
 * cheaply, and once the load is gone the search runs in full again. `maxEntries` 0 returns
 * `search`'s responses uncached. `maxBytes` (default unbounded) bounds the
 * estimated bytes kept; a response over a quarter of it is not kept. `version`, when given, is
 * read at every call: a change (a new synonym set) invalidates every entry, as an index change does.
 */
export function cachedSearch(
  search: SearchFunction,
  maxEntries: number,
  maxBytes = Infinity,
  version: () => number = () => 0,
): SearchFunction & { stats: () => CacheStats } {
  const stats = { hits: 0, misses: 0 };
  const entries = new Map<string, { response: SearchResponse; bytes: number; expiresAt: number }>();
  let bytes = 0;
  let owner: ArchiveIndex | null = null;
  let generation = -1;
  let seen = -1;
  const clear = () => {
    entries.clear();
    bytes = 0;
  };
  const wrapped = (index: ArchiveIndex, params: SearchParams, deadline?: Deadline): SearchResponse => {
    if (maxEntries <= 0) return search(index, params, deadline);
    const started = performance.now();
    const current = version();
    if (index !== owner || index.generation !== generation || current !== seen) {
      clear();
      owner = index;
      generation = index.generation;
      seen = current;
    }
    const key = JSON.stringify(params);
    let cached = entries.get(key);
    if (cached && cached.expiresAt < Date.now()) {
      entries.delete(key);
      bytes -= cached.bytes;
      cached = undefined;
    }
    if (cached) {
      stats.hits++;
      // Most recently used last: delete and set again.
      entries.delete(key);
      entries.set(key, cached);
      return { ...cached.response, processingTimeMs: Math.round((performance.now() - started) * 100) / 100 };
    }
    stats.misses++;
    const response = search(index, params, deadline);
    const size = estimateResponseBytes(response) + key.length * 2;
    if (size > maxBytes / 4) return response;
    entries.set(key, { response, bytes: size, expiresAt: deadline?.reached ? Date.now() + PARTIAL_TTL_MS : Infinity });
    bytes += size;
    while (entries.size > maxEntries || bytes > maxBytes) {
      const [oldest, entry] = entries.entries().next().value!;
      entries.delete(oldest);
      bytes -= entry.bytes;
    }
    return response;
  };
  return Object.assign(wrapped, { stats: () => ({ ...stats, entries: entries.size, bytes }) });
}
