/**
 * The benchmark (`npm run bench`): our search function, raw MiniSearch and SQLite
 * FTS5 over the same paragraphs, each measured in its own child process, plus
 * HTTP over loopback for our service (QUERY_CACHE=0 and the default response
 * cache, WORKERS=1 and 2) and a minimal FTS5 server. Writes `RESULTS.md`,
 * `latency.svg` and `results.json`; a full run over an earlier one in the same
 * folder keeps the earlier report as `RESULTS-previous.md` and compares the two.
 *
 * Flags: `--quick` (tiny fixture corpus, a few queries, ~1 s HTTP runs; results to
 * a temp folder unless `--out`), `--sizes 1,4`, `--runs 3`, `--runs-large N` (runs
 * for sizes above 1×; default 1, to keep a full run near 15 minutes on 2 cores), `--only ours,minisearch,fts5,startup,reindex,http,export`,
 * `--out DIR`, `--http-seconds N` (default 10), `--no-profile`, `--keep` (keep temp files).
 *
 * `--only scale` (alone) runs the scale bench of issue 9 instead (`bench/lib/scale-bench.ts`):
 * generated corpora of `--sizes` (default 1,8,16,48) in `bench/.work`, our service and FTS5
 * built and served in processes of their own; writes `scale-results.json` and the scale
 * section of `RESULTS.md`. Its own flags: `--build-heap-mb N` (our build only; to see the
 * failure row), `--scale-timeout-min N` (per build, default 60), `--note TEXT` (shown in the report),
 * `--systems ours,fts5` (default both; e.g. `fts5` alone at a size today's engine cannot build).
 */
import { fork } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile, appendFile, copyFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readCorpus } from '../src/corpus/read-corpus.js';
import type { ChildResult, ChildTask } from './lib/child-protocol.js';
import { makeQuerySet, type QuerySet } from './lib/make-query-set.js';
import {
  dateFilesBack,
  firstTextArticle,
  prepareCorpus,
  quickCorpusSource,
  REPO_ROOT,
  sharedCorpusSource,
  spread,
  textArticles,
} from './lib/prepare-corpus.js';
import { freePort, readCacheCounters, runLoad, startServerProcess, stopProcess } from './lib/load-test.js';
import { processTreeRss } from './lib/process-tree.js';
import { headline, HTTP_SERVERS } from './lib/summarize-results.js';
import { summarizeProfile } from './lib/summarize-profile.js';
import type { BenchResults, HttpFigures, RunFigures, SizeFigures } from './lib/bench-results.js';
import { warmupDescription, writeReport } from './lib/write-report.js';
import { renderLatencyChart } from './lib/render-latency-chart.js';
import { runScaleBench, withScaleSection } from './lib/scale-bench.js';
import { exportQueries, exportSection, measureExport, type ExportFigures } from './lib/export-bench.js';

const PHASES = ['ours', 'minisearch', 'fts5', 'startup', 'reindex', 'http', 'export', 'scale'] as const;
type Phase = (typeof PHASES)[number];
/** What a run without `--only` measures: everything but the scale bench (a run of its own, hours at 48×). */
const DEFAULT_PHASES = PHASES.filter((p) => p !== 'scale');

interface Flags {
  quick: boolean;
  sizes: number[];
  runs: number;
  runsLarge: number;
  only: Set<Phase>;
  out: string | null;
  httpSeconds: number;
  profile: boolean;
  keep: boolean;
  buildHeapMb: number | null;
  scaleTimeoutMin: number;
  note: string | undefined;
  systems: Set<'ours' | 'fts5'> | undefined;
}

function parseFlags(argv: string[]): Flags {
  const flags: Flags = {
    quick: false,
    sizes: [1, 4],
    runs: 3,
    runsLarge: 1,
    only: new Set(DEFAULT_PHASES),
    out: null,
    httpSeconds: 10,
    profile: true,
    keep: false,
    buildHeapMb: null,
    scaleTimeoutMin: 60,
    note: undefined,
    systems: undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--quick') flags.quick = true;
    else if (arg === '--sizes') flags.sizes = value().split(',').map(Number);
    else if (arg === '--runs') flags.runs = Number(value());
    else if (arg === '--runs-large') flags.runsLarge = Number(value());
    else if (arg === '--only') {
      const names = value().split(',');
      for (const name of names)
        if (!PHASES.includes(name as Phase))
          throw new Error(`--only: unknown system ${name} (one of ${PHASES.join(', ')})`);
      flags.only = new Set(names as Phase[]);
    } else if (arg === '--out') flags.out = path.resolve(value());
    else if (arg === '--http-seconds') flags.httpSeconds = Number(value());
    else if (arg === '--no-profile') flags.profile = false;
    else if (arg === '--keep') flags.keep = true;
    else if (arg === '--build-heap-mb') flags.buildHeapMb = Number(value());
    else if (arg === '--scale-timeout-min') flags.scaleTimeoutMin = Number(value());
    else if (arg === '--note') flags.note = value();
    else if (arg === '--systems') {
      const names = value().split(',');
      if (names.some((n) => n !== 'ours' && n !== 'fts5')) throw new Error('--systems: ours, fts5 or both');
      flags.systems = new Set(names as ('ours' | 'fts5')[]);
    } else throw new Error(`unknown flag ${arg}`);
  }
  if (flags.only.has('scale')) {
    if (flags.only.size > 1) throw new Error('--only scale runs alone');
    if (!argv.includes('--sizes')) flags.sizes = flags.quick ? [1, 3] : [1, 8, 16, 48];
  }
  if (flags.sizes.some((s) => !Number.isInteger(s) || s < 1)) throw new Error('--sizes: positive integers, e.g. 1,4');
  if (!Number.isInteger(flags.runs) || flags.runs < 1) throw new Error('--runs: a positive integer');
  if (flags.quick) {
    flags.httpSeconds = Math.min(flags.httpSeconds, 1);
    if (!argv.includes('--runs')) flags.runs = 1;
  }
  return flags;
}

const flags = parseFlags(process.argv.slice(2));
const source = flags.quick ? quickCorpusSource() : sharedCorpusSource();
if (!source) {
  console.log('skipped: ../shared/corpora not found');
  process.exit(0);
}
const started = performance.now();
const tmp = await mkdtemp(path.join(os.tmpdir(), 'newsroom-bench-'));
// Quick runs never overwrite bench/results/RESULTS.md: their default output is a temp folder of its own (kept).
const outDir =
  flags.out ??
  (flags.quick
    ? await mkdtemp(path.join(os.tmpdir(), 'newsroom-bench-out-'))
    : path.join(REPO_ROOT, 'bench', 'results'));
const log = (line: string) =>
  console.log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);
const CHILD_TIMEOUT_MS = flags.quick ? 120_000 : 20 * 60_000;
const SERVER_READY_MS = flags.quick ? 60_000 : 5 * 60_000;
/** Every temp corpus file is dated back to this time (a whole second, one hour ago) before its snapshot is built: see `dateFilesBack`. */
const CORPUS_DATE = new Date(Math.floor(Date.now() / 1000 - 3600) * 1000);
/** In-memory re-index: one untimed warm-up file, then this many timed files (the median is reported). */
const REINDEX_SAMPLES = 5;

/** Runs one task in a fresh `node --import tsx --expose-gc` process; extra Node flags in `execArgv`. */
function runChild(task: ChildTask, execArgv: string[] = []): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(REPO_ROOT, 'bench/child.ts'), [JSON.stringify(task)], {
      cwd: REPO_ROOT,
      execArgv: ['--import', 'tsx', '--expose-gc', '--max-old-space-size=16384', ...execArgv],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: ChildResult | null = null;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`child ${task.task} took over ${CHILD_TIMEOUT_MS / 1000} s; killed`));
    }, CHILD_TIMEOUT_MS);
    child.on('message', (message) => (result = message as ChildResult));
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (result && code === 0) resolve(result);
      else reject(new Error(`child ${task.task} exited with ${code}`));
    });
  });
}

function only<T extends ChildResult['task']>(result: ChildResult, task: T): Extract<ChildResult, { task: T }> {
  if (result.task !== task) throw new Error(`expected a ${task} result, got ${result.task}`);
  return result as Extract<ChildResult, { task: T }>;
}

/**
 * One HTTP load test. `cache` (ours only): `'0'` sets QUERY_CACHE=0 (every request
 * searches); `'default'` leaves QUERY_CACHE unset (the service's default cache).
 */
async function measureHttp(
  kind: 'ours' | 'fts',
  workers: number,
  cache: string,
  corpusDir: string,
  cacheDir: string,
  dbFile: string,
  paths: string[],
): Promise<HttpFigures> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1' };
  delete env.QUERY_CACHE;
  if (kind === 'ours' && cache !== 'default') env.QUERY_CACHE = cache;
  const server =
    kind === 'ours'
      ? await startServerProcess(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
          env: { ...env, CORPUS_DIR: corpusDir, INDEX_CACHE_DIR: cacheDir, WORKERS: String(workers) },
          cwd: REPO_ROOT,
          port,
          timeoutMs: SERVER_READY_MS,
          consecutive: workers * 3,
        })
      : await startServerProcess(process.execPath, ['--import', 'tsx', 'bench/fts-server.ts'], {
          env: { ...env, FTS_DB: dbFile },
          cwd: REPO_ROOT,
          port,
          timeoutMs: SERVER_READY_MS,
        });
  try {
    const rssIdle = processTreeRss(server.child.pid!);
    await runLoad(server.baseUrl, paths, flags.quick ? 0.3 : 1, 32); // warm-up, not reported
    const beforeLoad = kind === 'ours' ? await readCacheCounters(server.baseUrl, workers) : null;
    const load = await runLoad(server.baseUrl, paths, flags.httpSeconds, 32);
    const rssAfter = processTreeRss(server.child.pid!);
    const afterLoad = kind === 'ours' ? await readCacheCounters(server.baseUrl, workers) : null;
    return {
      load,
      readyMs: server.readyMs,
      rssIdle,
      rssAfter,
      ...(kind === 'ours' ? { queryCache: { setting: cache, beforeLoad, afterLoad } } : {}),
    };
  } finally {
    await stopProcess(server.child, 15_000);
  }
}

/**
 * Export throughput and peak RSS (`bench/lib/export-bench.ts`): our service from the snapshot
 * cache, each export of {@link exportQueries} streamed in turn by a reading client.
 */
async function measureExports(corpusDir: string, cacheDir: string, commonWord: string): Promise<ExportFigures[]> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    CORPUS_DIR: corpusDir,
    INDEX_CACHE_DIR: cacheDir,
    WORKERS: '1',
  };
  delete env.QUERY_CACHE;
  const server = await startServerProcess(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
    env,
    cwd: REPO_ROOT,
    port,
    timeoutMs: SERVER_READY_MS,
  });
  try {
    const figures: ExportFigures[] = [];
    for (const query of exportQueries(commonWord))
      figures.push(await measureExport(server.baseUrl, server.child.pid!, query));
    return figures;
  } finally {
    await stopProcess(server.child, 15_000);
  }
}

async function loadQuerySet(): Promise<QuerySet> {
  if (flags.quick) {
    const dir = await prepareCorpus(source!, 1, path.join(tmp, 'queries-corpus'));
    return makeQuerySet((await readCorpus(dir)).articles, {
      perLength: 4,
      typingWords: 3,
      bands: { common: 4, middle: 2, rare: 1 },
    });
  }
  const file = path.join(REPO_ROOT, 'bench/queries.json');
  if (!existsSync(file)) throw new Error('bench/queries.json is missing: run `npx tsx bench/make-queries.ts` once');
  return JSON.parse(await readFile(file, 'utf8')) as QuerySet;
}

if (flags.only.has('scale')) {
  try {
    await runScaleBench({
      repoRoot: REPO_ROOT,
      workDir: flags.quick ? path.join(tmp, 'scale-work') : path.join(REPO_ROOT, 'bench/.work'),
      querySet: await loadQuerySet(),
      quick: flags.quick,
      buildNodeFlags: flags.buildHeapMb ? [`--max-old-space-size=${flags.buildHeapMb}`] : [],
      timeoutMs: {
        corpus: 60 * 60_000,
        build: flags.scaleTimeoutMin * 60_000,
        ready: SERVER_READY_MS,
        queries: 30 * 60_000,
      },
      keep: flags.keep,
      log,
      sizes: flags.sizes,
      outDir,
      note: flags.note,
      systems: flags.systems,
    });
    log(`wrote ${path.join(outDir, 'RESULTS.md')} (scale section) and scale-results.json`);
  } finally {
    if (!flags.keep) await rm(tmp, { recursive: true, force: true }).catch(() => {});
  }
  process.exit(0);
}

try {
  const querySet = await loadQuerySet();
  const queriesFile = path.join(tmp, 'queries.json');
  await writeFile(queriesFile, JSON.stringify(querySet));
  const searchPaths = querySet.queries.map((q) => `/search?q=${encodeURIComponent(q.q)}`);
  log(
    `${flags.quick ? 'quick mode: fixture corpus' : 'reference corpus'}; ${querySet.queries.length} queries; sizes ${flags.sizes.join(', ')}×; temp ${tmp}`,
  );

  const results: BenchResults = {
    date: new Date().toISOString(),
    quick: flags.quick,
    machine: {
      cpu: os.cpus()[0]?.model ?? 'unknown',
      cores: os.cpus().length,
      ramBytes: os.totalmem(),
      platform: `${os.platform()} ${os.release()}`,
    },
    versions: await versions(),
    flags: {
      sizes: flags.sizes,
      runs: flags.runs,
      runsLarge: flags.runsLarge,
      httpSeconds: flags.httpSeconds,
      only: [...flags.only],
    },
    querySet: {
      description: querySet.description,
      bands: querySet.bands,
      queries: querySet.queries.map(({ q, words, band, maxDf }) => ({ q, words, band, maxDf })),
      warmup: warmupDescription(querySet.warmup),
    },
    sizes: [],
  };

  for (const times of flags.sizes) {
    const corpusDir = await prepareCorpus(source, times, path.join(tmp, `corpus-${times}x`));
    // Older than the snapshot built below by far more than 2 s: a start re-hashes no file (the steady state).
    await dateFilesBack(corpusDir, CORPUS_DATE);
    const cacheDir = path.join(tmp, `cache-${times}x`);
    const dbFile = path.join(tmp, `fts-${times}x.db`);
    const rawJson = path.join(tmp, `minisearch-${times}x.json`);
    const size: SizeFigures = { times, articles: 0, paragraphs: 0, runs: [] };
    results.sizes.push(size);
    const needsCache =
      flags.only.has('startup') || flags.only.has('reindex') || flags.only.has('http') || flags.only.has('export');
    if (needsCache) {
      log(`${times}×: building the snapshot cache (openIndex, rebuilt)`);
      size.rebuilt = only(await runChild({ task: 'open', corpusDir, cacheDir }), 'open');
      size.paragraphs = size.rebuilt.paragraphs;
    }
    const runs = times > 1 ? flags.runsLarge : flags.runs;
    for (let r = 1; r <= runs; r++) {
      const run: RunFigures = {};
      size.runs.push(run);
      const step = (what: string) => log(`${times}× run ${r}/${runs}: ${what}`);
      if (flags.only.has('ours')) {
        step('ours (searchArchive)');
        run.ours = only(
          await runChild({ task: 'ours', corpusDir, queriesFile, hostile: times === 1, profile: false }),
          'ours',
        );
        size.articles = run.ours.articles;
        size.paragraphs = run.ours.paragraphs;
      }
      if (flags.only.has('minisearch')) {
        step('raw MiniSearch');
        run.raw = only(await runChild({ task: 'raw', corpusDir, queriesFile, jsonOut: rawJson }), 'raw');
        step('raw MiniSearch loadJSON');
        run.rawLoad = only(await runChild({ task: 'raw-load', jsonFile: rawJson }), 'raw-load');
        await rm(rawJson, { force: true });
      }
      if (flags.only.has('fts5') || flags.only.has('http')) {
        step('SQLite FTS5');
        await rm(dbFile, { force: true });
        run.fts = only(await runChild({ task: 'fts', corpusDir, queriesFile, dbFile }), 'fts');
      }
      if (flags.only.has('startup')) {
        step('start from the snapshot (fresh process)');
        run.open = only(await runChild({ task: 'open', corpusDir, cacheDir }), 'open');
      }
      if (flags.only.has('reindex')) {
        step('re-index after one changed file');
        const copyDir = path.join(tmp, `reindex-${times}x`);
        await rm(copyDir, { recursive: true, force: true });
        await cp(corpusDir, path.join(copyDir, 'corpus'), { recursive: true, preserveTimestamps: true });
        await cp(cacheDir, path.join(copyDir, 'cache'), { recursive: true });
        // The copy keeps the snapshot's mtimes exactly, so the changed file is the only one re-hashed.
        await dateFilesBack(path.join(copyDir, 'corpus'), CORPUS_DATE);
        const changedFile = await firstTextArticle(path.join(copyDir, 'corpus'));
        await appendFile(changedFile, '\n\nA paragraph added by the benchmark to change this file.\n');
        const others = (await textArticles(path.join(copyDir, 'corpus'))).filter((f) => f !== changedFile);
        const sampleFiles = spread(others, REINDEX_SAMPLES + 1);
        run.reindex = only(
          await runChild({
            task: 'reindex',
            corpusDir: path.join(copyDir, 'corpus'),
            cacheDir: path.join(copyDir, 'cache'),
            changedFile,
            sampleFiles,
          }),
          'reindex',
        );
        await rm(copyDir, { recursive: true, force: true });
      }
      if (flags.only.has('http')) {
        run.http = {};
        for (const server of HTTP_SERVERS) {
          step(`HTTP: ${server.label}`);
          run.http[server.key] = await measureHttp(
            server.key === 'fts' ? 'fts' : 'ours',
            server.workers,
            server.cache,
            corpusDir,
            cacheDir,
            dbFile,
            searchPaths,
          );
        }
      }
      // Once per size: an export streams for seconds, its figures vary little between runs.
      if (flags.only.has('export') && r === 1) {
        const common = querySet.queries.find((q) => q.band === 'common' && q.words === 1) ?? querySet.queries[0]!;
        step(`export (every article; every paragraph; "${common.q}" per paragraph and per article)`);
        size.exports = await measureExports(corpusDir, cacheDir, common.q);
      }
    }
    await rm(corpusDir, { recursive: true, force: true });
  }

  if (flags.profile && flags.only.has('ours')) {
    const times = flags.sizes[0]!;
    log(`CPU profile of the ours-child (--cpu-prof) at ${times}×`);
    const corpusDir = await prepareCorpus(source, times, path.join(tmp, `corpus-profile`));
    const profileDir = path.join(tmp, 'cpu-profile');
    await mkdir(profileDir, { recursive: true });
    const profiled = only(
      await runChild(
        {
          task: 'ours',
          corpusDir,
          queriesFile,
          hostile: false,
          profile: true,
          sourceMapsOut: path.join(profileDir, 'sourcemaps.json'),
        },
        ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--enable-source-maps'],
      ),
      'ours',
    );
    results.profile = { times, ...(await summarizeProfile(profileDir, profiled.profileWindow)) };
  }

  results.elapsedSeconds = (performance.now() - started) / 1000;
  await mkdir(outDir, { recursive: true });
  // A full run replacing an earlier one in the same folder keeps its report as RESULTS-previous.md
  // and its headline figures in results.json (the before / after table).
  const previousFile = path.join(outDir, 'results.json');
  if (!flags.quick && existsSync(previousFile)) {
    try {
      const previous = JSON.parse(await readFile(previousFile, 'utf8')) as BenchResults;
      if (!previous.quick) {
        if (existsSync(path.join(outDir, 'RESULTS.md')))
          await copyFile(path.join(outDir, 'RESULTS.md'), path.join(outDir, 'RESULTS-previous.md'));
        results.previous = {
          date: previous.date,
          machine: previous.machine,
          report: 'RESULTS-previous.md',
          sizes: headline(previous),
          warmup: previous.querySet.warmup,
        };
      }
    } catch (error) {
      log(`previous results.json unreadable (${(error as Error).message}); no before / after table`);
    }
  }
  await writeFile(path.join(outDir, 'results.json'), `${JSON.stringify(results)}\n`);
  await writeFile(path.join(outDir, 'latency.svg'), await renderLatencyChart(results));
  // The scale section of an earlier scale run (its own `scale-results.json`) is kept.
  const exports = exportSection(results.sizes.map((s) => ({ label: `${s.times}×`, exports: s.exports })));
  await writeFile(
    path.join(outDir, 'RESULTS.md'),
    await withScaleSection(outDir, writeReport(results) + (exports ? `\n${exports}` : '')),
  );
  log(`wrote ${path.join(outDir, 'RESULTS.md')}, latency.svg and results.json`);
} finally {
  if (!flags.keep) await rm(tmp, { recursive: true, force: true }).catch(() => {});
}

async function versions(): Promise<BenchResults['versions']> {
  const pkg = async (name: string) =>
    (
      JSON.parse(await readFile(path.join(REPO_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as {
        version: string;
      }
    ).version;
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(':memory:');
  const sqlite = (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  db.close();
  return {
    node: process.version,
    minisearch: await pkg('minisearch'),
    sqlite,
    betterSqlite3: await pkg('better-sqlite3'),
    autocannon: await pkg('autocannon'),
  };
}
