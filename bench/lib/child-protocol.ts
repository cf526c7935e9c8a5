/** The messages between `run.ts` and `child.ts`: one task in, one result out. */

/** A measurement task for one child process. */
export type ChildTask =
  | {
      task: 'ours';
      corpusDir: string;
      queriesFile: string;
      hostile: boolean;
      /** Record the query window's clock times (for a `--cpu-prof` run). */
      profile: boolean;
      /** Where to write the source maps of the loaded `src/` modules (for a `--cpu-prof` run with `--enable-source-maps`). */
      sourceMapsOut?: string;
    }
  | { task: 'raw'; corpusDir: string; queriesFile: string; jsonOut: string }
  | { task: 'raw-load'; jsonFile: string }
  | { task: 'fts'; corpusDir: string; queriesFile: string; dbFile: string }
  | { task: 'open'; corpusDir: string; cacheDir: string }
  | {
      task: 'reindex';
      corpusDir: string;
      cacheDir: string;
      /** Edited after the snapshot was saved: the end-to-end `openIndex` re-indexes it. */
      changedFile: string;
      /** Files edited one at a time for the in-memory update: the first warms the path up (not timed), the rest are timed. */
      sampleFiles: string[];
    };

/** How many corpus files `openIndex` had to read and hash again (size or mtime moved, or dated within 2 s of the snapshot). */
export interface RehashFigures {
  files: number;
  rehashed: number;
}

/** `process.memoryUsage()` figures after a forced GC, in bytes. */
export interface MemoryFigures {
  heapUsed: number;
  /** Memory of C++ objects and ArrayBuffers bound to JS objects (typed arrays live here). */
  external: number;
  rss: number;
}

/** Per-query durations (ms) and result counts, in query-set order. */
export interface TimedList {
  ms: number[];
  hits: number[];
}

interface BuildFigures {
  articles: number;
  paragraphs: number;
  buildMs: number;
  memoryBefore: MemoryFigures;
  memoryAfter: MemoryFigures;
  lists: Record<string, TimedList>;
}

/** What a child sends back, by task. */
export type ChildResult =
  | (BuildFigures & {
      task: 'ours';
      hostile?: Record<string, { ms: number; hits: number }>;
      /** Start and end of the timed query passes, in µs of the monotonic clock (for the CPU profile). */
      profileWindow?: [number, number];
    })
  | (BuildFigures & { task: 'raw'; jsonBytes: number; stringifyMs: number; docsKept: number })
  | (BuildFigures & { task: 'fts'; dbBytes: number })
  | {
      task: 'raw-load';
      readMs: number;
      loadMs: number;
      totalMs: number;
      documents: number;
      memoryBefore: MemoryFigures;
      memoryAfter: MemoryFigures;
    }
  | {
      task: 'open';
      state: string;
      totalMs: number;
      timings: { readMs: number; indexMs: number; saveMs: number; totalMs: number };
      paragraphs: number;
      cacheBytes: number;
      /** Files re-hashed by this start (0 in the steady state); absent in results of older runs. */
      rehash?: RehashFigures;
      memoryBefore: MemoryFigures;
      memoryAfter: MemoryFigures;
    }
  | {
      task: 'reindex';
      state: string;
      openMs: number;
      timings: { readMs: number; indexMs: number; saveMs: number; totalMs: number };
      /** In-memory update after one changed file: the median over the timed sample files (a single file in older runs). */
      inMemoryMs: number;
      /** Each timed in-memory update (ms), after one untimed warm-up. */
      inMemoryEachMs?: number[];
      changedArticles: number;
      /** Files the end-to-end `openIndex` re-hashed (1 expected: the changed file). */
      rehash?: RehashFigures;
      /** Files `openIndex` reported as changed or removed. */
      changedFiles?: string[];
    };
