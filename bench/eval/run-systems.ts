/**
 * The systems the evaluation compares, each turning a collection's queries into
 * ranked document ids (at most {@link RUN_DEPTH}): our search function, our
 * service over HTTP, SQLite FTS5 and raw MiniSearch, all on the same text.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import MiniSearch from 'minisearch';
import { stemmer } from 'stemmer';
import { readCorpus } from '../../src/corpus/read-corpus.js';
import { buildIndex } from '../../src/index/index-writer.js';
import { searchArchive } from '../../src/query/search-archive.js';
import { withDefaults, type SearchParams } from '../../src/query/search-params.js';
import { freePort, startServerProcess, stopProcess } from '../lib/load-test.js';
import { toNdjson, type EvalCollection } from './collection.js';

/** Hits asked for per query (the protocol's `hitsPerPage=100`). */
export const RUN_DEPTH = 100;

/** Query id → ranked document ids (the collection's own ids, best first). */
export type Run = Map<string, string[]>;

/** The protocol's request parameters (step 3), beside the query words. */
export const PROTOCOL_PARAMS: Partial<SearchParams> = {
  matchingStrategy: 'any',
  typos: 'off',
  prefix: 'off',
  hitsPerPage: RUN_DEPTH,
};

/** Our article id for a document of the collection, and back. */
const articleId = (collection: EvalCollection, docId: string) => `${collection.name}-${docId}`;
const docIdOf = (collection: EvalCollection, id: string) => id.slice(collection.name.length + 1);

/** Writes the collection as a one-file NDJSON corpus in a new temp folder; returns the folder. */
async function writeCorpus(collection: EvalCollection): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `eval-${collection.name}-`));
  await mkdir(path.join(dir, 'corpus'));
  await writeFile(path.join(dir, 'corpus', `${collection.name}.ndjson`), toNdjson(collection));
  return dir;
}

/** Our search function: the corpus read and indexed as `npm start` does, queried in process. */
export async function runOurs(collection: EvalCollection): Promise<Run> {
  const dir = await writeCorpus(collection);
  try {
    const { articles } = await readCorpus(path.join(dir, 'corpus'));
    const index = buildIndex(articles);
    const run: Run = new Map();
    for (const q of collection.queries) {
      const response = searchArchive(index, withDefaults({ ...PROTOCOL_PARAMS, q: q.words }));
      run.set(
        q.id,
        response.hits.map((h) => docIdOf(collection, h.articleId)),
      );
    }
    return run;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Our service as a user runs it (`src/main.ts serve` in a child process, its own index cache), over loopback HTTP. */
export async function runOursOverHttp(collection: EvalCollection, repoRoot: string): Promise<Run> {
  const dir = await writeCorpus(collection);
  const port = await freePort();
  const env = {
    ...process.env,
    CORPUS_DIR: path.join(dir, 'corpus'),
    INDEX_CACHE_DIR: path.join(dir, 'cache'),
    PORT: String(port),
    QUERY_CACHE: '0',
  };
  const server = await startServerProcess(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
    env,
    cwd: repoRoot,
    port,
    timeoutMs: 120_000,
  });
  try {
    const run: Run = new Map();
    for (const q of collection.queries) {
      const params = new URLSearchParams({
        q: q.words,
        matchingStrategy: 'any',
        typos: 'off',
        prefix: 'off',
        hitsPerPage: String(RUN_DEPTH),
      });
      const response = await fetch(`${server.baseUrl}/search?${params}`);
      if (!response.ok) throw new Error(`query ${q.id}: HTTP ${response.status} ${await response.text()}`);
      const body = (await response.json()) as { hits: { articleId: string }[] };
      run.set(
        q.id,
        body.hits.map((h) => docIdOf(collection, h.articleId)),
      );
    }
    return run;
  } finally {
    await stopProcess(server.child, 5000);
    await rm(dir, { recursive: true, force: true });
  }
}

/** The SQLite library's version, as better-sqlite3 runs it. */
export function sqliteVersion(): string {
  const db = new Database(':memory:');
  try {
    return (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  } finally {
    db.close();
  }
}

/**
 * SQLite FTS5 as the protocol sets it up (step 5): `tokenize='porter unicode61'`,
 * columns `title` and `text`, the words OR-ed as quoted terms, `ORDER BY bm25(t)`.
 */
export function runFts5(collection: EvalCollection): Run {
  const db = new Database(':memory:');
  try {
    db.exec(`CREATE VIRTUAL TABLE t USING fts5(id UNINDEXED, title, text, tokenize='porter unicode61')`);
    const insert = db.prepare('INSERT INTO t (id, title, text) VALUES (?, ?, ?)');
    db.transaction(() => {
      for (const d of collection.docs) insert.run(d.id, d.title, d.text);
    })();
    const select = db.prepare(`SELECT id FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT ${RUN_DEPTH}`);
    const run: Run = new Map();
    for (const q of collection.queries) {
      const words = q.words.split(' ').filter(Boolean);
      const rows = words.length === 0 ? [] : (select.all(words.map((w) => `"${w}"`).join(' OR ')) as { id: string }[]);
      run.set(
        q.id,
        rows.map((r) => r.id),
      );
    }
    return run;
  } finally {
    db.close();
  }
}

/** Raw MiniSearch: fields `title` and `text`, `stemmer` on the lowercased term as `processTerm`, otherwise its defaults. */
export function runMiniSearch(collection: EvalCollection): Run {
  const ms = new MiniSearch<{ id: string; title: string; text: string }>({
    fields: ['title', 'text'],
    processTerm: (term) => stemmer(term.toLowerCase()),
  });
  ms.addAll(collection.docs.map((d) => ({ id: articleId(collection, d.id), title: d.title, text: d.text })));
  const run: Run = new Map();
  for (const q of collection.queries) {
    run.set(
      q.id,
      ms
        .search(q.words)
        .slice(0, RUN_DEPTH)
        .map((r) => docIdOf(collection, String(r.id))),
    );
  }
  return run;
}
