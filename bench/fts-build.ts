/**
 * Builds the SQLite FTS5 paragraph table of an NDJSON corpus folder in a stream
 * (the scale bench's FTS5 side; run as a measured child process): `tsx
 * bench/fts-build.ts CORPUS_DIR DB_FILE`. Reads every `*.ndjson` file (sorted) line
 * by line, one transaction per file, each paragraph a row `(pid, title, text)`;
 * prints `{articles, paragraphs, buildMs, dbBytes}` as one JSON line.
 */
import { createReadStream } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import readline from 'node:readline';
import Database from 'better-sqlite3';
import { FTS_SCHEMA } from './lib/fts-match.js';

const [corpusDir, dbFile] = process.argv.slice(2);
if (!corpusDir || !dbFile) throw new Error('usage: fts-build.ts CORPUS_DIR DB_FILE');
await rm(dbFile, { force: true });
const started = performance.now();
const db = new Database(dbFile);
db.pragma('journal_mode = OFF');
db.pragma('synchronous = OFF');
db.exec(FTS_SCHEMA);
const insert = db.prepare('INSERT INTO para (pid, title, text) VALUES (?, ?, ?)');
const begin = db.prepare('BEGIN');
const commit = db.prepare('COMMIT');
let articles = 0;
let paragraphs = 0;
const files = (await readdir(corpusDir, { recursive: true })).filter((f) => f.endsWith('.ndjson')).sort();
for (const file of files) {
  begin.run();
  const lines = readline.createInterface({
    input: createReadStream(path.join(corpusDir, file), 'utf8'),
    crlfDelay: Infinity,
  });
  for await (const line of lines) {
    if (!line.trim()) continue;
    const a = JSON.parse(line) as { id: string; title: string; paragraphs: string[] };
    a.paragraphs.forEach((text, i) => insert.run(`${a.id}#p${i}`, a.title, text));
    articles++;
    paragraphs += a.paragraphs.length;
  }
  commit.run();
}
db.close();
const buildMs = performance.now() - started;
process.stdout.write(`${JSON.stringify({ articles, paragraphs, buildMs, dbBytes: (await stat(dbFile)).size })}\n`);
