/**
 * One measurement in its own process (forked by `run.ts` with `--expose-gc`):
 * reads a task from argv[2] (JSON), measures, sends the result to the parent
 * over IPC and exits. Each system gets a fresh process, so no heap, JIT or cache
 * state leaks from one system's figures into another's.
 */
import { queryLanguageSet } from './lib/query-language-set.js';
import { readFile, stat, writeFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { findSourceMap } from 'node:module';
import { pathToFileURL } from 'node:url';
import MiniSearch from 'minisearch';
import Database from 'better-sqlite3';
import { readCorpus, parseCorpusFiles } from '../src/corpus/read-corpus.js';
import { buildIndex } from '../src/index/index-writer.js';
import { openIndex } from '../src/index/open-index.js';
import { readCommit, type Commit } from '../src/index/index-cache.js';
import { walkCorpus } from '../src/corpus/walk-corpus.js';
import { searchArchive } from '../src/query/search-archive.js';
import { withDefaults } from '../src/query/search-params.js';
import { suggestWords } from '../src/query/suggest-words.js';
import { tokenize } from '../src/analysis/tokenize.js';
import { stemForm } from '../src/analysis/stem-form.js';
import type { QuerySet } from './lib/make-query-set.js';
import { FTS_SCHEMA, FTS_SEARCH, FTS_SEARCH_WITH_SNIPPET, ftsMatch } from './lib/fts-match.js';
import type { ChildResult, ChildTask, MemoryFigures, RehashFigures, TimedList } from './lib/child-protocol.js';
import { median } from './lib/percentile.js';

const gc = (globalThis as { gc?: () => void }).gc;

/** Heap and RSS after a full collection, in bytes. */
function memory(): MemoryFigures {
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return { heapUsed: m.heapUsed, external: m.external, rss: m.rss };
}

/** Runs `fn` for each input, timing each call in ms. */
function timeEach<T>(inputs: readonly T[], fn: (input: T) => number): TimedList {
  const ms: number[] = [];
  const hits: number[] = [];
  for (const input of inputs) {
    const t = performance.now();
    hits.push(fn(input));
    ms.push(performance.now() - t);
  }
  return { ms, hits };
}

function rawOptions() {
  return {
    fields: ['text'],
    tokenize: (text: string) => tokenize(text).map((t) => t.form),
    processTerm: (term: string) => stemForm(term),
  };
}

async function loadQueries(file: string): Promise<QuerySet> {
  return JSON.parse(await readFile(file, 'utf8')) as QuerySet;
}

const WARMUP = 30;

/** Untimed warm-up queries: the set's own warm-up list (other queries of the same kind), else its first 30. */
function warmupQueries(set: QuerySet): string[] {
  return set.warmup ?? set.queries.slice(0, WARMUP).map((q) => q.q);
}

// searchArchive is called directly here, never through `cachedSearch` (the HTTP
// layer's response cache): every timed call runs a real search.
async function runOurs(task: Extract<ChildTask, { task: 'ours' }>): Promise<ChildResult> {
  const set = await loadQueries(task.queriesFile);
  const corpus = await readCorpus(task.corpusDir);
  const before = memory();
  let t = performance.now();
  const index = buildIndex(corpus.articles);
  const buildMs = performance.now() - t;
  const after = memory();

  const qs = set.queries.map((q) => q.q);
  const search = (q: string, matchingStrategy: 'all' | 'any') =>
    searchArchive(index, withDefaults({ q, matchingStrategy })).totalHits;
  for (const q of warmupQueries(set)) search(q, 'all'), search(q, 'any');
  const prefixes = set.typing.flatMap((w) => w.prefixes);

  let profileWindow: [number, number] | undefined;
  if (task.profile) profileWindow = [Number(process.hrtime.bigint() / 1000n), 0];
  const lists: Record<string, TimedList> = {
    default: timeEach(qs, (q) => search(q, 'all')),
    or: timeEach(qs, (q) => search(q, 'any')),
  };
  if (profileWindow) profileWindow[1] = Number(process.hrtime.bigint() / 1000n);
  lists.typing = timeEach(prefixes, (q) => searchArchive(index, withDefaults({ q, prefix: 'last' })).totalHits);
  const language = queryLanguageSet(set);
  const plain = (q: string) => searchArchive(index, withDefaults({ q, prefix: 'off' })).totalHits;
  lists.near = timeEach(
    language.near.map((x) => x.ours),
    plain,
  );
  lists.phrase = timeEach(
    language.phrase.map((x) => x.ours),
    plain,
  );
  lists.prefixStar = timeEach(
    language.prefix.map((x) => x.ours),
    plain,
  );
  lists.glob = timeEach(language.glob, plain);
  lists.suggest = timeEach(prefixes, (q) => suggestWords(index, q, 10).length);

  let hostile: Record<string, { ms: number; hits: number }> | undefined;
  if (task.hostile) {
    const h = set.hostile;
    const cases: Record<string, string> = {
      'the ×200': Array(200).fill('the').join(' '),
      '32 common words': h.commonWords.join(' '),
      'one-letter prefix t': 't',
      '32 long typo words': h.typoWords.join(' '),
      'a* NEAR/50 t*': 'a* NEAR/50 t*',
      '200 nested parentheses': `${'('.repeat(200)}${h.commonWords[0]} OR ${h.commonWords[1]}${')'.repeat(200)}`,
    };
    hostile = {};
    for (const [name, q] of Object.entries(cases)) {
      for (const mode of ['all', 'any'] as const) {
        t = performance.now();
        const hits = searchArchive(index, withDefaults({ q, matchingStrategy: mode })).totalHits;
        hostile[`${name} (${mode === 'all' ? 'default' : 'OR'})`] = { ms: performance.now() - t, hits };
      }
    }
    t = performance.now();
    const n = suggestWords(index, 't', 10).length;
    hostile['/suggest t'] = { ms: performance.now() - t, hits: n };
  }
  if (task.sourceMapsOut) await writeSourceMaps(task.sourceMapsOut);
  return {
    task: 'ours',
    articles: corpus.articles.length,
    paragraphs: index.paragraphCount,
    buildMs,
    memoryBefore: before,
    memoryAfter: after,
    lists,
    hostile,
    profileWindow,
  };
}

/** The source maps tsx made for the loaded `src/` modules, by file URL, so profile positions map back to source lines. */
async function writeSourceMaps(file: string): Promise<void> {
  const srcDir = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../src');
  const maps: Record<string, unknown> = {};
  for (const entry of await readdir(srcDir, { recursive: true })) {
    if (!entry.endsWith('.ts')) continue;
    const url = pathToFileURL(path.join(srcDir, entry)).href;
    const map = findSourceMap(url);
    if (map) maps[url] = map.payload;
  }
  await writeFile(file, JSON.stringify(maps));
}

async function runRaw(task: Extract<ChildTask, { task: 'raw' }>): Promise<ChildResult> {
  const set = await loadQueries(task.queriesFile);
  const corpus = await readCorpus(task.corpusDir);
  const docs = corpus.articles.flatMap((a) => a.paragraphs.map((text, i) => ({ id: `${a.id}#p${i}`, text })));
  const before = memory();
  let t = performance.now();
  const ms = new MiniSearch(rawOptions());
  ms.addAll(docs);
  const buildMs = performance.now() - t;
  const after = memory();

  const qs = set.queries.map((q) => q.q);
  const search = (q: string, combineWith: 'AND' | 'OR') => ms.search(q, { combineWith }).slice(0, 10).length;
  for (const q of warmupQueries(set)) search(q, 'AND'), search(q, 'OR');
  const prefixes = set.typing.flatMap((w) => w.prefixes);
  const lists: Record<string, TimedList> = {
    and: timeEach(qs, (q) => ms.search(q, { combineWith: 'AND' }).length),
    or: timeEach(qs, (q) => ms.search(q, { combineWith: 'OR' }).length),
    typing: timeEach(
      prefixes,
      (q) => ms.search(q, { combineWith: 'AND', prefix: (_t, i, terms) => i === terms.length - 1 }).length,
    ),
  };

  t = performance.now();
  const json = JSON.stringify(ms);
  const stringifyMs = performance.now() - t;
  await writeFile(task.jsonOut, json);
  return {
    task: 'raw',
    articles: corpus.articles.length,
    paragraphs: ms.documentCount,
    buildMs,
    memoryBefore: before,
    memoryAfter: after,
    lists,
    jsonBytes: Buffer.byteLength(json),
    stringifyMs,
    // Keep the documents reachable until after the heap was measured, as in the other children.
    docsKept: docs.length,
  };
}

async function runRawLoad(task: Extract<ChildTask, { task: 'raw-load' }>): Promise<ChildResult> {
  const before = memory();
  const t0 = performance.now();
  const json = await readFile(task.jsonFile, 'utf8');
  const t1 = performance.now();
  const ms = MiniSearch.loadJSON(json, rawOptions());
  const t2 = performance.now();
  const after = memory();
  return {
    task: 'raw-load',
    readMs: t1 - t0,
    loadMs: t2 - t1,
    totalMs: t2 - t0,
    documents: ms.documentCount,
    memoryBefore: before,
    memoryAfter: after,
  };
}

async function runFts(task: Extract<ChildTask, { task: 'fts' }>): Promise<ChildResult> {
  const set = await loadQueries(task.queriesFile);
  const corpus = await readCorpus(task.corpusDir);
  const before = memory();
  const t = performance.now();
  const db = new Database(task.dbFile);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.exec(FTS_SCHEMA);
  const insert = db.prepare('INSERT INTO para (pid, title, text) VALUES (?, ?, ?)');
  db.transaction(() => {
    for (const a of corpus.articles) a.paragraphs.forEach((text, i) => insert.run(`${a.id}#p${i}`, a.title, text));
  })();
  const buildMs = performance.now() - t;
  const after = memory();
  const paragraphs = (db.prepare('SELECT count(*) AS n FROM para').get() as { n: number }).n;

  const withSnippet = db.prepare(FTS_SEARCH_WITH_SNIPPET);
  const plain = db.prepare(FTS_SEARCH);
  const run = (statement: typeof plain, match: string | null) => (match === null ? 0 : statement.all(match).length);
  const qs = set.queries.map((q) => q.q);
  for (const q of warmupQueries(set)) run(withSnippet, ftsMatch(q, 'and')), run(withSnippet, ftsMatch(q, 'or'));
  const prefixes = set.typing.flatMap((w) => w.prefixes);
  const lists: Record<string, TimedList> = {
    and: timeEach(qs, (q) => run(plain, ftsMatch(q, 'and'))),
    or: timeEach(qs, (q) => run(plain, ftsMatch(q, 'or'))),
    andSnippet: timeEach(qs, (q) => run(withSnippet, ftsMatch(q, 'and'))),
    orSnippet: timeEach(qs, (q) => run(withSnippet, ftsMatch(q, 'or'))),
    typing: timeEach(prefixes, (q) => run(withSnippet, ftsMatch(q, 'and', true))),
  };
  const language = queryLanguageSet(set);
  lists.near = timeEach(
    language.near.map((x) => x.fts),
    (q) => run(withSnippet, q),
  );
  lists.phrase = timeEach(
    language.phrase.map((x) => x.fts),
    (q) => run(withSnippet, q),
  );
  lists.prefixStar = timeEach(
    language.prefix.map((x) => x.fts),
    (q) => run(withSnippet, q),
  );
  db.close();
  return {
    task: 'fts',
    articles: corpus.articles.length,
    paragraphs,
    buildMs,
    memoryBefore: before,
    memoryAfter: after,
    lists,
    dbBytes: (await stat(task.dbFile)).size,
  };
}

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isFile()) total += (await stat(path.join(dir, entry.name))).size;
  }
  return total;
}

async function manifestOf(cacheDir: string): Promise<Commit | null> {
  const read = readCommit(cacheDir);
  return read.ok ? read.commit : null;
}

/**
 * How many corpus files `openIndex` re-reads and hashes against `manifest`: those
 * new, or whose size or mtime differs from the snapshot's, or dated within 2 s
 * before the snapshot was written (the rule of `checkCorpus`, counted from outside).
 */
async function countRehashed(corpusDir: string, manifest: Commit | null): Promise<RehashFigures> {
  const { paths } = await walkCorpus(corpusDir);
  const before = new Map((manifest?.corpus ?? []).map((f) => [f.path, f]));
  const recordedAt = manifest ? Date.parse(manifest.createdAt) : NaN;
  let rehashed = 0;
  for (const relPath of paths) {
    const old = before.get(relPath);
    const { mtimeMs, size } = await stat(path.join(corpusDir, ...relPath.split('/')));
    if (!(old && old.mtimeMs === mtimeMs && old.size === size && mtimeMs < recordedAt - 2000)) rehashed++;
  }
  return { files: paths.length, rehashed };
}

async function runOpen(task: Extract<ChildTask, { task: 'open' }>): Promise<ChildResult> {
  const before = memory();
  const t = performance.now();
  const result = await openIndex({ corpusDir: task.corpusDir, cacheDir: task.cacheDir });
  const totalMs = performance.now() - t;
  const after = memory();
  return {
    task: 'open',
    state: result.state,
    totalMs,
    timings: result.timings,
    paragraphs: result.index.paragraphCount,
    cacheBytes: await folderBytes(task.cacheDir),
    memoryBefore: before,
    memoryAfter: after,
    // Counted after the timed open (so the extra stat calls do not warm it), against the snapshot now on disk.
    rehash:
      result.state === 'loaded' ? await countRehashed(task.corpusDir, await manifestOf(task.cacheDir)) : undefined,
  };
}

async function runReindex(task: Extract<ChildTask, { task: 'reindex' }>): Promise<ChildResult> {
  // The file was edited after the snapshot was saved: openIndex re-indexes just that file.
  const manifest = await manifestOf(task.cacheDir);
  const t = performance.now();
  const opened = await openIndex({ corpusDir: task.corpusDir, cacheDir: task.cacheDir });
  const openMs = performance.now() - t;
  // Counted against the snapshot as it was before this open (it saved a new one since).
  const rehash = await countRehashed(task.corpusDir, manifest);

  // The in-memory part alone, as a running service would do it: edit a file, then
  // remove its articles, parse it, add them back and refresh the tables. The first
  // file warms the path up (JIT); each of the others is timed.
  const writer = opened.writer;
  const update = async (absolute: string): Promise<{ ms: number; articles: number }> => {
    const file = path.relative(task.corpusDir, absolute).split(path.sep).join('/');
    await writeFile(absolute, `${await readFile(absolute, 'utf8')}\n\nAn edit made by the benchmark.\n`);
    const started = performance.now();
    const index = writer.reader;
    const stale = index.articlesOfFile(file).map((ord) => index.article(ord).id);
    writer.deleteArticles(stale);
    const parsed = await parseCorpusFiles(task.corpusDir, [file]);
    writer.addArticles(parsed.articles);
    writer.refresh();
    return { ms: performance.now() - started, articles: stale.length };
  };
  const [warm, ...timed] = task.sampleFiles;
  if (warm) await update(warm);
  const each: number[] = [];
  let changedArticles = 0;
  for (const file of timed) {
    const r = await update(file);
    each.push(r.ms);
    changedArticles = Math.max(changedArticles, r.articles);
  }
  return {
    task: 'reindex',
    state: opened.state,
    openMs,
    timings: opened.timings,
    inMemoryMs: median(each),
    inMemoryEachMs: each,
    changedArticles,
    rehash,
    changedFiles: opened.changedFiles,
  };
}

async function main(): Promise<void> {
  const task = JSON.parse(process.argv[2] ?? '{}') as ChildTask;
  let result: ChildResult;
  switch (task.task) {
    case 'ours':
      result = await runOurs(task);
      break;
    case 'raw':
      result = await runRaw(task);
      break;
    case 'raw-load':
      result = await runRawLoad(task);
      break;
    case 'fts':
      result = await runFts(task);
      break;
    case 'open':
      result = await runOpen(task);
      break;
    case 'reindex':
      result = await runReindex(task);
      break;
  }
  await new Promise<void>((resolve, reject) =>
    process.send!(result, (error: Error | null) => (error ? reject(error) : resolve())),
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench child failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
