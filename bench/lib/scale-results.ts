/** The shape of `scale-results.json`: what one scale run (`npm run bench -- --only scale`) measured. */
import type { HeapsFit } from './heaps-law.js';

/** Latency of one query mode over HTTP, ms. */
export interface ModeLatency {
  count: number;
  p50: number;
  p99: number;
  /** Answers other than 200 (errors, timeouts). */
  non200: number;
}

/** Building the index (ours: `npm run index`; FTS5: `bench/fts-build.ts`) as a measured child process. */
export interface BuildRun {
  ok: boolean;
  wallMs: number;
  /** Peak RSS of the build's process tree, bytes. */
  peakRss: number;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** One line saying why it failed ('' when it did not). */
  reason: string;
  /** Index on disk after the build (ours: the cache folder; FTS5: the database file), bytes. */
  diskBytes: number;
}

/** A server started from the built index and queried one request at a time. */
export interface ServeRun {
  /** Spawn until `/health` first answered 200, ms. */
  readyMs: number;
  /** RSS of the server's process tree when ready, bytes. */
  rssReady: number;
  /** RSS of the server's process tree after every query below, bytes. */
  rssAfter: number;
  /** Requests sent in all (warm-up, timed, top-up): at least 1,000. */
  queries: number;
  default: ModeLatency;
  or: ModeLatency;
  typing: ModeLatency;
}

/** One system at one size; `failed` says which step failed and why. */
export interface SystemRun {
  build?: BuildRun;
  serve?: ServeRun;
  failed?: string;
  /** Left out of this run on purpose (`--systems`). */
  skipped?: boolean;
}

/** The generated corpus of one size. */
export interface ScaleCorpusFigures {
  articles: number;
  paragraphs: number;
  tokens: number;
  distinctForms: number;
  bytes: number;
  files: number;
  generateSeconds: number;
}

/** One size. */
export interface ScaleSize {
  times: number;
  corpus: ScaleCorpusFigures | null;
  /** Why the corpus could not be had (then nothing else ran). */
  corpusFailed?: string;
  ours: SystemRun;
  fts: SystemRun;
  /** The machine's 1-minute load average when the size's measurements began (2 cores shared: above 2 means queueing). */
  loadAverage?: number;
}

/** A whole scale run. */
export interface ScaleResults {
  date: string;
  quick: boolean;
  machine: { cpu: string; cores: number; ramBytes: number; platform: string };
  versions: { node: string; sqlite: string };
  seed: number;
  /** Heaps' law fitted on the real corpus (null when no size's corpus was had). */
  heaps: (HeapsFit & { tokens: number; distinctForms: number }) | null;
  /** How queries were sent and timed, in words. */
  method: string;
  /** Node flags given to our build (e.g. a small heap to test the failure row); [] = defaults. */
  buildNodeFlags: string[];
  sizes: ScaleSize[];
  elapsedSeconds: number;
  /** Systems measured when not both (`--systems`). */
  systems?: string[];
  /** Said of the run by whoever ran it (`--note`), shown under the heading. */
  note?: string;
}
