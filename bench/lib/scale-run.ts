/**
 * The scale runs (`npm run bench -- --only scale --sizes 1,8,16,48`): at each size,
 * the generated corpus, then our service and SQLite FTS5 each built and served in
 * processes of their own, measured from outside. Every step has a timeout; a step
 * that fails becomes a failed row with its reason and the run goes on.
 */
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { indexCommand, searchPath, serveCommand, type Command } from './engine-adapter.js';
import { timeRequests } from './http-timing.js';
import { freePort, startServerProcess, stopProcess } from './load-test.js';
import { measureProcess } from './measure-process.js';
import type { QuerySet } from './make-query-set.js';
import { percentile } from './percentile.js';
import { dateFilesBack } from './prepare-corpus.js';
import { processTreeRss } from './process-tree.js';
import type { ScaleCorpusRecord } from './scale-corpus-cache.js';
import type { BuildRun, ModeLatency, ScaleSize, ServeRun, SystemRun } from './scale-results.js';

/** Settings of {@link runScaleSize}. */
export interface ScaleRunOptions {
  repoRoot: string;
  /** Corpora, caches and databases go here (`bench/.work`). */
  workDir: string;
  querySet: QuerySet;
  quick: boolean;
  /** Node flags for our build only (e.g. `--max-old-space-size=64` to see the failure row). */
  buildNodeFlags: string[];
  /** Per step: corpus generation, each build, each server's start, each query pass. */
  timeoutMs: { corpus: number; build: number; ready: number; queries: number };
  /** Keep caches and databases after the size is measured. */
  keep: boolean;
  /** Systems to measure (default both): e.g. FTS5 alone at a size today's engine cannot build. */
  systems?: ReadonlySet<'ours' | 'fts5'>;
  log: (line: string) => void;
}

/** Requests each server gets before its memory is read. */
export const SCALE_QUERIES = 1000;
/** Every corpus file is dated to this instant before building, so no start re-hashes a file (see `dateFilesBack`). */
const CORPUS_DATE = new Date('2026-01-01T00:00:00Z');

/** Bytes of all files under `dir` (0 when missing). */
async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => [])) {
    if (entry.isFile()) total += (await stat(path.join(entry.parentPath, entry.name))).size;
  }
  return total;
}

function summarize(ms: number[], non200: number): ModeLatency {
  return { count: ms.length, p50: percentile(ms, 50), p99: percentile(ms, 99), non200 };
}

/** Runs a build command and reads the index size it left at `output`. */
async function build(command: Command, output: string, timeoutMs: number): Promise<BuildRun> {
  const run = await measureProcess(command, { timeoutMs });
  const reason = run.ok
    ? ''
    : `${run.timedOut ? `killed after ${Math.round(timeoutMs / 1000)} s (timeout)` : run.signal ? `killed by ${run.signal}` : `exit code ${run.exitCode}`}: ${run.reasonLine || '(no stderr)'}`;
  return {
    ok: run.ok,
    wallMs: run.wallMs,
    peakRss: run.peakRss,
    exitCode: run.exitCode,
    signal: run.signal,
    timedOut: run.timedOut,
    reason,
    diskBytes: await folderBytes(output).catch(() => 0),
  };
}

/** One file's or folder's size: stat for a file, a walk for a folder. */
async function pathBytes(target: string): Promise<number> {
  const s = await stat(target).catch(() => null);
  if (!s) return 0;
  return s.isDirectory() ? folderBytes(target) : s.size;
}

/**
 * Waits until `/health` says the background warm-up after the start is done (our service's
 * `warmedUp`: the postings of frequent terms decoded, the duplicate groups built), so the passes time
 * searches at full speed rather than beside that work; a server without `warmedUp` (FTS5's) is warm at once.
 */
async function untilWarmedUp(base: string, timeoutMs: number): Promise<void> {
  const until = performance.now() + timeoutMs;
  for (;;) {
    const body = (await (await fetch(`${base}/health`)).json()) as { warmedUp?: Record<string, boolean> };
    if (!body.warmedUp || Object.values(body.warmedUp).every(Boolean)) return;
    if (performance.now() > until) throw new Error(`not warmed up ${Math.round(timeoutMs / 1000)} s after ready`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Starts a server, times `/health`, waits for its warm-up to end, sends the warm-up queries, the timed passes (default,
 * OR, as-you-type) and a top-up to {@link SCALE_QUERIES} requests, reads its RSS, stops it.
 */
async function serve(
  command: (port: number) => Command,
  paths: (q: string, mode: 'default' | 'or' | 'typing') => string,
  options: ScaleRunOptions,
): Promise<ServeRun> {
  const port = await freePort();
  const c = command(port);
  const server = await startServerProcess(c.program, c.args, {
    env: { ...process.env, ...c.env, PORT: String(port), HOST: '127.0.0.1' },
    cwd: c.cwd,
    port,
    timeoutMs: options.timeoutMs.ready,
  });
  try {
    const base = server.baseUrl;
    const rssReady = processTreeRss(server.child.pid!).reduce((t, p) => t + p.rss, 0);
    await untilWarmedUp(base, options.timeoutMs.ready);
    const set = options.querySet;
    const qs = set.queries.map((q) => q.q);
    const warm = set.warmup ?? qs.slice(0, 30);
    const prefixes = set.typing.flatMap((w) => w.prefixes);
    const deadline = performance.now() + options.timeoutMs.queries;
    const pass = async (list: string[]) => {
      if (performance.now() > deadline)
        throw new Error(`query passes took over ${Math.round(options.timeoutMs.queries / 1000)} s`);
      return timeRequests(base, list);
    };
    let sent = 0;
    const counted = async (list: string[]) => {
      sent += list.length;
      return pass(list);
    };
    await counted([...warm.map((q) => paths(q, 'default')), ...warm.map((q) => paths(q, 'or'))]);
    const d = await counted(qs.map((q) => paths(q, 'default')));
    const o = await counted(qs.map((q) => paths(q, 'or')));
    const t = await counted(prefixes.map((q) => paths(q, 'typing')));
    const topUp = Array.from({ length: Math.max(0, SCALE_QUERIES - sent) }, (_, i) =>
      paths(qs[i % qs.length]!, i % 2 ? 'or' : 'default'),
    );
    await counted(topUp);
    const rssAfter = processTreeRss(server.child.pid!).reduce((total, p) => total + p.rss, 0);
    return {
      readyMs: server.readyMs,
      rssReady,
      rssAfter,
      queries: sent,
      default: summarize(d.ms, d.non200),
      or: summarize(o.ms, o.non200),
      typing: summarize(t.ms, t.non200),
    };
  } finally {
    await stopProcess(server.child, 15_000);
  }
}

/** The FTS5 server's path for a query mode: AND with `snippet()`, OR with `snippet()`, AND with the last word a prefix. */
function ftsPath(q: string, mode: 'default' | 'or' | 'typing'): string {
  return `/search?q=${encodeURIComponent(q)}${mode === 'or' ? '&mode=or' : mode === 'typing' ? '&prefix=last' : ''}`;
}

/** First line of an error's message (server start failures carry stderr after it). */
function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const lines = message
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const fatal = lines.find((l) => /FATAL ERROR|out of memory|cannot load/i.test(l));
  return fatal ? `${lines[0]} ${fatal}` : (lines[0] ?? message);
}

/** Measures one size on its corpus: our build and service, then FTS5's. */
export async function runScaleSize(
  times: number,
  corpus: ScaleCorpusRecord,
  options: ScaleRunOptions,
): Promise<ScaleSize> {
  const { repoRoot, workDir, log } = options;
  const s = corpus.stats;
  const size: ScaleSize = {
    times,
    corpus: {
      articles: s.articles,
      paragraphs: s.paragraphs,
      tokens: s.tokens,
      distinctForms: s.distinctForms,
      bytes: corpus.bytes,
      files: corpus.files,
      generateSeconds: corpus.generateSeconds,
    },
    ours: {},
    fts: {},
    loadAverage: os.loadavg()[0],
  };
  await dateFilesBack(corpus.dir, CORPUS_DATE);
  const cacheDir = path.join(workDir, 'runs', `cache-${times}x`);
  const dbFile = path.join(workDir, 'runs', `fts-${times}x.db`);
  await rm(cacheDir, { recursive: true, force: true });
  await mkdir(path.dirname(dbFile), { recursive: true });

  const system = async (
    name: string,
    run: SystemRun,
    buildCommand: Command,
    output: string,
    serveCommandAt: (port: number) => Command,
    paths: typeof ftsPath,
  ) => {
    log(`${times}×: ${name} build`);
    run.build = await build(buildCommand, output, options.timeoutMs.build);
    run.build.diskBytes = await pathBytes(output);
    if (!run.build.ok) {
      run.failed = `build: ${run.build.reason}`;
      log(
        `${times}×: ${name} build FAILED after ${(run.build.wallMs / 1000).toFixed(0)} s (peak RSS ${(run.build.peakRss / 2 ** 20).toFixed(0)} MB): ${run.build.reason}`,
      );
      return;
    }
    log(
      `${times}×: ${name} built in ${(run.build.wallMs / 1000).toFixed(1)} s, peak RSS ${(run.build.peakRss / 2 ** 20).toFixed(0)} MB; serving ${SCALE_QUERIES} queries`,
    );
    try {
      run.serve = await serve(serveCommandAt, paths, options);
    } catch (error) {
      run.failed = `serve: ${firstLine(error)}`;
      log(`${times}×: ${name} serve FAILED: ${run.failed}`);
    }
  };

  const wanted = (name: 'ours' | 'fts5', run: SystemRun): boolean => {
    if (!options.systems || options.systems.has(name)) return true;
    run.skipped = true;
    return false;
  };
  if (wanted('ours', size.ours))
    await system(
      'ours',
      size.ours,
      indexCommand(repoRoot, corpus.dir, cacheDir, options.buildNodeFlags),
      cacheDir,
      (port) => serveCommand(repoRoot, corpus.dir, cacheDir, port),
      searchPath,
    );
  if (wanted('fts5', size.fts))
    await system(
      'FTS5',
      size.fts,
      {
        program: process.execPath,
        args: ['--import', 'tsx', path.join(repoRoot, 'bench/fts-build.ts'), corpus.dir, dbFile],
        cwd: repoRoot,
      },
      dbFile,
      (port) => ({
        program: process.execPath,
        args: ['--import', 'tsx', path.join(repoRoot, 'bench/fts-server.ts')],
        cwd: repoRoot,
        env: { FTS_DB: dbFile, PORT: String(port) },
      }),
      ftsPath,
    );
  if (!options.keep) {
    await rm(cacheDir, { recursive: true, force: true });
    await rm(dbFile, { force: true });
  }
  return size;
}
