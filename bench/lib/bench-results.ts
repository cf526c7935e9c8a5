/** The shape of `results.json`: everything one benchmark run measured, before summarizing. */
import type { ChildResult } from './child-protocol.js';
import type { Band } from './make-query-set.js';
import type { CacheCounters, LoadFigures } from './load-test.js';
import type { ExportFigures } from './export-bench.js';

type Of<T extends ChildResult['task']> = Extract<ChildResult, { task: T }>;

/** One HTTP load test of one server. */
export interface HttpFigures {
  load: LoadFigures;
  /** Spawn to ready (ms). */
  readyMs: number;
  /** RSS of the server's process tree before and after the load, bytes per process. */
  rssIdle: { pid: number; rss: number }[];
  rssAfter: { pid: number; rss: number }[];
  /**
   * Our service's response cache: `QUERY_CACHE` as set (`0` off, `default` = unset, 1000
   * entries per process), and its `/health` counters summed over the workers after the
   * warm-up and after the timed load (their difference is the timed window). Absent for
   * FTS5 (no cache) and in results of older runs (before the cache existed).
   */
  queryCache?: { setting: string; beforeLoad: CacheCounters | null; afterLoad: CacheCounters | null };
}

/** Every system's figures from one run at one size. */
export interface RunFigures {
  ours?: Of<'ours'>;
  raw?: Of<'raw'>;
  rawLoad?: Of<'raw-load'>;
  fts?: Of<'fts'>;
  open?: Of<'open'>;
  reindex?: Of<'reindex'>;
  /**
   * Keys: `ours-w1`, `ours-w2` (QUERY_CACHE=0: every request searches; runs before the
   * cache existed had none either), `ours-w1-cache`, `ours-w2-cache` (the default cache on), `fts`.
   */
  http?: Record<string, HttpFigures>;
}

/** One corpus size (1× = BBC + Reuters once; 4× = the same text four times with new ids). */
export interface SizeFigures {
  times: number;
  articles: number;
  paragraphs: number;
  /** The first `openIndex` over an empty cache (a full read + build + save). */
  rebuilt?: Of<'open'>;
  runs: RunFigures[];
  /** Export throughput and memory, measured once per size (absent in older results). */
  exports?: ExportFigures[];
}

/** Top self-time functions of the CPU profile of our query passes. */
export interface ProfileSummary {
  times: number;
  /** Samples counted (inside the query window when it could be found). */
  totalMs: number;
  windowed: boolean;
  top: { name: string; where: string; selfMs: number; share: number }[];
}

export interface BenchResults {
  date: string;
  quick: boolean;
  machine: { cpu: string; cores: number; ramBytes: number; platform: string };
  versions: { node: string; minisearch: string; sqlite: string; betterSqlite3: string; autocannon: string };
  flags: { sizes: number[]; runs: number; runsLarge: number; httpSeconds: number; only: string[] };
  querySet: {
    description: string;
    bands: { common: number; middle: number; rare: number };
    queries: { q: string; words: number; band: Band; maxDf: number }[];
    /** The untimed warm-up before each system's timed latency pass, in words (absent in older results: the first 30 queries). */
    warmup?: string;
  };
  sizes: SizeFigures[];
  profile?: ProfileSummary;
  elapsedSeconds?: number;
  /** Headline figures of the run this one replaced in the same folder (for the before / after table). */
  previous?: { date: string; machine: BenchResults['machine']; report: string; sizes: Headline[]; warmup?: string };
}

/** The figures compared between two runs, at one size (NaN when not measured). */
export interface Headline {
  times: number;
  defaultP50: number;
  defaultP99: number;
  orP50: number;
  orP99: number;
  typingP99: number;
  suggestP99: number;
  startMs: number;
  reindexInMemoryMs: number;
  reindexEndToEndMs: number;
  /** By HTTP key (`ours-w1`, `ours-w2`, `ours-w1-cache`, `ours-w2-cache`, `fts`). */
  http: Record<string, { rps: number; p99: number }>;
}
