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
  | { task: 'reindex'; corpusDir: string; cacheDir: string; changedFile: string };

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
  | { task: 'raw-load'; readMs: number; loadMs: number; totalMs: number; documents: number; memoryBefore: MemoryFigures; memoryAfter: MemoryFigures }
  | {
      task: 'open';
      state: string;
      totalMs: number;
      timings: { readMs: number; indexMs: number; saveMs: number; totalMs: number };
      paragraphs: number;
      cacheBytes: number;
      memoryBefore: MemoryFigures;
      memoryAfter: MemoryFigures;
    }
  | {
      task: 'reindex';
      state: string;
      openMs: number;
      timings: { readMs: number; indexMs: number; saveMs: number; totalMs: number };
      inMemoryMs: number;
      changedArticles: number;
    };
