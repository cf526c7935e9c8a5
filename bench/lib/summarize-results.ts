/**
 * Turns raw per-run measurements into the figures the report shows: medians over
 * runs, and ratios to ours taken within each run, then their median.
 */
import type { BenchResults, Headline, RunFigures, SizeFigures } from './bench-results.js';
import type { TimedList } from './child-protocol.js';
import { median, percentile } from './percentile.js';

/** A row of the latency tables: one system in one mode. */
export interface LatencyRow {
  key: string;
  label: string;
  /** The ours row it is compared with (`ours-default` or `ours-or`); itself for ours rows. */
  versus: string;
  list: (run: RunFigures) => TimedList | undefined;
}

/** The query-set rows, in table order. */
export const LATENCY_ROWS: LatencyRow[] = [
  {
    key: 'ours-default',
    label: 'ours: searchArchive, default mode (AND, last word prefix, snippets)',
    versus: 'ours-default',
    list: (r) => r.ours?.lists.default,
  },
  {
    key: 'ours-or',
    label: 'ours: searchArchive, OR (`matchingStrategy: any`, snippets)',
    versus: 'ours-or',
    list: (r) => r.ours?.lists.or,
  },
  { key: 'ms-and', label: 'raw MiniSearch `search()`, AND', versus: 'ours-default', list: (r) => r.raw?.lists.and },
  { key: 'ms-or', label: 'raw MiniSearch `search()`, OR', versus: 'ours-or', list: (r) => r.raw?.lists.or },
  { key: 'fts-and', label: 'FTS5, AND, no snippet', versus: 'ours-default', list: (r) => r.fts?.lists.and },
  {
    key: 'fts-and-snippet',
    label: 'FTS5, AND, `snippet()`',
    versus: 'ours-default',
    list: (r) => r.fts?.lists.andSnippet,
  },
  { key: 'fts-or', label: 'FTS5, OR, no snippet', versus: 'ours-or', list: (r) => r.fts?.lists.or },
  { key: 'fts-or-snippet', label: 'FTS5, OR, `snippet()`', versus: 'ours-or', list: (r) => r.fts?.lists.orSnippet },
];

/** The as-you-type rows. */
export const TYPING_ROWS: LatencyRow[] = [
  {
    key: 'ours-typing',
    label: 'ours: searchArchive, `prefix: last` (default mode)',
    versus: 'ours-typing',
    list: (r) => r.ours?.lists.typing,
  },
  {
    key: 'ours-suggest',
    label: 'ours: suggestWords (`/suggest`), limit 10',
    versus: 'ours-suggest',
    list: (r) => r.ours?.lists.suggest,
  },
  {
    key: 'ms-typing',
    label: 'raw MiniSearch, AND, last term prefix',
    versus: 'ours-typing',
    list: (r) => r.raw?.lists.typing,
  },
  {
    key: 'fts-typing',
    label: 'FTS5, AND, last term `"…"*`, `snippet()`',
    versus: 'ours-typing',
    list: (r) => r.fts?.lists.typing,
  },
];

/** The query-language rows (`bench/lib/query-language-set.ts`): NEAR and wildcards, ours beside FTS5 where it has the query. */
export const QUERY_LANGUAGE_ROWS: LatencyRow[] = [
  {
    key: 'ours-near',
    label: 'ours: searchArchive `a NEAR/5 b` (snippets)',
    versus: 'ours-near',
    list: (r) => r.ours?.lists.near,
  },
  {
    key: 'fts-near',
    label: 'FTS5 `NEAR("a" "b", 5)`, `snippet()`',
    versus: 'ours-near',
    list: (r) => r.fts?.lists.near,
  },
  {
    key: 'ours-phrase',
    label: 'ours: searchArchive `"a b"` (snippets)',
    versus: 'ours-phrase',
    list: (r) => r.ours?.lists.phrase,
  },
  {
    key: 'fts-phrase',
    label: 'FTS5 phrase `"a" + "b"`, `snippet()`',
    versus: 'ours-phrase',
    list: (r) => r.fts?.lists.phrase,
  },
  {
    key: 'ours-prefix-star',
    label: 'ours: searchArchive `abcd*`',
    versus: 'ours-prefix-star',
    list: (r) => r.ours?.lists.prefixStar,
  },
  {
    key: 'fts-prefix-star',
    label: 'FTS5 `"abcd"*`, `snippet()`',
    versus: 'ours-prefix-star',
    list: (r) => r.fts?.lists.prefixStar,
  },
  {
    key: 'ours-glob',
    label: 'ours: searchArchive `go?ernment` (no FTS5 equivalent)',
    versus: 'ours-glob',
    list: (r) => r.ours?.lists.glob,
  },
];

export const PERCENTILES = [50, 95, 99] as const;

/** Median over runs of a list's percentile, optionally only over queries of `words` words. */
export function latency(size: SizeFigures, results: BenchResults, row: LatencyRow, p: number, words?: number): number {
  return median(size.runs.map((run) => percentileOf(row.list(run), results, p, words)));
}

function percentileOf(list: TimedList | undefined, results: BenchResults, p: number, words?: number): number {
  if (!list) return NaN;
  const ms = words === undefined ? list.ms : list.ms.filter((_, i) => results.querySet.queries[i]?.words === words);
  return percentile(ms, p);
}

/** Median over runs of (row's percentile ÷ its ours row's percentile) in the same run: > 1 means ours is faster. */
export function latencyRatio(size: SizeFigures, results: BenchResults, row: LatencyRow, p: number): number {
  const versus = [...LATENCY_ROWS, ...TYPING_ROWS, ...QUERY_LANGUAGE_ROWS].find((r) => r.key === row.versus)!;
  return median(
    size.runs.map((run) => percentileOf(row.list(run), results, p) / percentileOf(versus.list(run), results, p)),
  );
}

/** Median over runs of `pick(run)` (runs where it is undefined are skipped). */
export function med(size: SizeFigures, pick: (run: RunFigures) => number | undefined): number {
  return median(size.runs.map(pick).filter((v): v is number => v !== undefined));
}

/** Index memory of a build child: heap used + external (typed arrays), after minus before the build, bytes. */
export function indexHeap(
  figures:
    | { memoryBefore: { heapUsed: number; external: number }; memoryAfter: { heapUsed: number; external: number } }
    | undefined,
): number | undefined {
  if (!figures) return undefined;
  return (
    figures.memoryAfter.heapUsed +
    figures.memoryAfter.external -
    figures.memoryBefore.heapUsed -
    figures.memoryBefore.external
  );
}

/** Sum of RSS over a process list, bytes. */
export function totalRss(list: { rss: number }[] | undefined): number | undefined {
  return list ? list.reduce((sum, p) => sum + p.rss, 0) : undefined;
}

/** The HTTP configurations, in table order: key, label, WORKERS, cache setting. */
export const HTTP_SERVERS = [
  { key: 'ours-w1', label: 'ours, WORKERS=1, QUERY_CACHE=0 (every request searches)', workers: 1, cache: '0' },
  { key: 'ours-w2', label: 'ours, WORKERS=2, QUERY_CACHE=0 (every request searches)', workers: 2, cache: '0' },
  {
    key: 'ours-w1-cache',
    label: 'ours, WORKERS=1, query cache on (default, 1000 entries)',
    workers: 1,
    cache: 'default',
  },
  {
    key: 'ours-w2-cache',
    label: 'ours, WORKERS=2, query cache on (default, 1000 entries per worker)',
    workers: 2,
    cache: 'default',
  },
  { key: 'fts', label: 'FTS5 node:http (no cache)', workers: 1, cache: 'none' },
] as const;

/** Cache hits ÷ searches during the timed load of one HTTP measurement, summed over workers; NaN without counters. */
export function cacheHitRate(
  figures:
    | {
        queryCache?: {
          beforeLoad: { hits: number; misses: number } | null;
          afterLoad: { hits: number; misses: number } | null;
        };
      }
    | undefined,
): number {
  const c = figures?.queryCache;
  if (!c?.afterLoad) return NaN;
  const hits = c.afterLoad.hits - (c.beforeLoad?.hits ?? 0);
  const misses = c.afterLoad.misses - (c.beforeLoad?.misses ?? 0);
  return hits + misses > 0 ? hits / (hits + misses) : NaN;
}

/** The figures the before / after table compares, per size. */
export function headline(results: BenchResults): Headline[] {
  const row = (key: string) => [...LATENCY_ROWS, ...TYPING_ROWS].find((r) => r.key === key)!;
  return results.sizes.map((size) => {
    const http: Headline['http'] = {};
    for (const { key } of HTTP_SERVERS) {
      if (!size.runs.some((r) => r.http?.[key])) continue;
      http[key] = {
        rps: med(size, (r) => r.http?.[key]?.load.requestsPerSecond),
        p99: med(size, (r) => r.http?.[key]?.load.p99),
      };
    }
    return {
      times: size.times,
      defaultP50: latency(size, results, row('ours-default'), 50),
      defaultP99: latency(size, results, row('ours-default'), 99),
      orP50: latency(size, results, row('ours-or'), 50),
      orP99: latency(size, results, row('ours-or'), 99),
      typingP99: latency(size, results, row('ours-typing'), 99),
      suggestP99: latency(size, results, row('ours-suggest'), 99),
      startMs: med(size, (r) => r.open?.totalMs),
      reindexInMemoryMs: med(size, (r) => r.reindex?.inMemoryMs),
      reindexEndToEndMs: med(size, (r) => r.reindex?.openMs),
      http,
    };
  });
}
