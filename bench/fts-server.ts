/**
 * A minimal `node:http` search server over the FTS5 paragraph table, the HTTP
 * peer of our service in the benchmark: `GET /search?q=…[&mode=or]` answers
 * `{query, hits: [{paragraphId, title, snippet, score}]}` (top 10 by BM25, AND by
 * default); `GET /health` answers 200. Env: FTS_DB (database file), PORT, HOST.
 */
import http from 'node:http';
import Database from 'better-sqlite3';
import { FTS_SEARCH_WITH_SNIPPET, ftsMatch, openFtsDatabase, type FtsHit } from './lib/fts-match.js';

const file = process.env.FTS_DB;
if (!file) throw new Error('FTS_DB is not set');
const db = openFtsDatabase(Database, file);
const search = db.prepare<[string], FtsHit>(FTS_SEARCH_WITH_SNIPPET);

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === '/health') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ready"}');
    return;
  }
  if (url.pathname !== '/search') {
    res.writeHead(404).end();
    return;
  }
  const q = url.searchParams.get('q') ?? '';
  const match = ftsMatch(
    q,
    url.searchParams.get('mode') === 'or' ? 'or' : 'and',
    url.searchParams.get('prefix') === 'last',
  );
  const hits = match === null ? [] : search.all(match);
  const body = JSON.stringify({
    query: q,
    hits: hits.map((h) => ({ paragraphId: h.pid, title: h.title, snippet: h.snippet, score: h.score })),
  });
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(body);
});
server.keepAliveTimeout = 5_000;
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  const address = server.address();
  process.stderr.write(`fts-server listening on ${typeof address === 'object' && address ? address.port : '?'}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
