/**
 * Where the time of one search over HTTP goes (`npm run bench:http-split -- --corpus DIR --cache DIR [--fts DB]`):
 * opens the index from an existing cache (`npm run index` or the scale bench's `--keep`),
 * then for the first 200 queries of `bench/queries.json` (default mode, query cache off)
 * measures, in this process and in CPU time, the engine (parse, match, score, rank), the snippets (the page's
 * hits), the facets and the JSON serialisation of the response. Then starts our service as
 * `npm start` does (`dist/main.js serve`, query cache off) and, with `--fts DB`, the FTS5
 * server, and times each request from the socket to its last byte, one client, one request
 * at a time, the servers in turn pass by pass (same run: the ratio holds on a loaded
 * machine), reading each server's CPU time per request from `/proc`. The framework's
 * share is the server's CPU per request less the in-process parts. `--passes N` (default 2).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { buildService, serveCommand } from './lib/engine-adapter.js';
import { freePort, startServerProcess, stopProcess } from './lib/load-test.js';
import { openIndex } from '../src/index/open-index.js';
import { facets } from '../src/query/results/build-hits.js';
import { Deadline } from '../src/query/execute/deadline.js';
import { createFastScorer } from '../src/query/execute/execute-query.js';
import { matchSearch, searchArchive } from '../src/query/search-archive.js';
import { readSearchParams } from '../src/http/read-search-params.js';
import { parseQueryString } from '../src/http/parse-query-string.js';
import { releaseMatches } from '../src/query/execute/execute-query.js';
import { timeRequests } from './lib/http-timing.js';
import { percentile } from './lib/percentile.js';
import { flag } from './lib/cli-flag.js';
import { REPO_ROOT } from './lib/prepare-corpus.js';

const corpusDir = path.resolve(flag('--corpus'));
const cacheDir = path.resolve(flag('--cache'));
const ftsDb = process.argv.includes('--fts') ? path.resolve(flag('--fts')) : null;
const passes = Number(flag('--passes', '2'));
const set = JSON.parse(await readFile(path.join(REPO_ROOT, 'bench/queries.json'), 'utf8')) as {
  queries: { q: string }[];
  warmup?: string[];
};
const queries = set.queries.map((q) => q.q).slice(0, 200);
const warmup = set.warmup ?? queries.slice(0, 50);

const opened = await openIndex({ corpusDir, cacheDir, readOnly: true });
const index = opened.index;
console.log(`index ${opened.state}: ${index.articleCount} articles, ${index.paragraphCount} paragraphs`);
const pathOf = (q: string) => `/search?q=${encodeURIComponent(q)}`;

/** CPU time of this process in ms (user + system): unlike the wall clock, it does not count time other processes hold the cores. */
const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** In-process split of one default-mode search, in CPU ms: engine, snippets (the rest of searchArchive), facets, JSON. */
function split(q: string) {
  const params = readSearchParams(parseQueryString(pathOf(q)));
  const scorer = createFastScorer(index);
  let t = cpuNow();
  const matched = matchSearch(index, params, params.page * params.hitsPerPage, scorer, Deadline.none());
  const engine = cpuNow() - t;
  t = cpuNow();
  facets(index, params, matched.ranked.ids, Deadline.none());
  const facetMs = cpuNow() - t;
  releaseMatches(matched.matches);
  t = cpuNow();
  const response = searchArchive(index, params);
  const whole = cpuNow() - t;
  t = cpuNow();
  JSON.stringify(response);
  const json = cpuNow() - t;
  return { engine, facets: facetMs, snippets: Math.max(0, whole - engine - facetMs), json, whole };
}

for (const q of warmup) split(q);
const parts = {
  engine: [] as number[],
  snippets: [] as number[],
  facets: [] as number[],
  json: [] as number[],
  whole: [] as number[],
};
for (let p = 0; p < passes; p++) {
  for (const q of queries) {
    const s = split(q);
    for (const k of Object.keys(parts) as (keyof typeof parts)[]) parts[k].push(s[k]);
  }
}

// Both servers in processes of their own, ours as `npm start` runs it (`dist/`, query cache off, log level warn).
buildService(REPO_ROOT);
const oursPort = await freePort();
const oursCommand = serveCommand(REPO_ROOT, corpusDir, cacheDir, oursPort);
const oursServer = await startServerProcess(oursCommand.program, oursCommand.args, {
  env: { ...process.env, ...oursCommand.env },
  cwd: REPO_ROOT,
  port: oursPort,
  timeoutMs: 300_000,
});
const servers = [{ name: 'ours', server: oursServer, ms: [] as number[], cpuMs: 0, requests: 0 }];
if (ftsDb) {
  const port = await freePort();
  const fts = await startServerProcess(
    process.execPath,
    ['--import', 'tsx', path.join(REPO_ROOT, 'bench/fts-server.ts')],
    { env: { ...process.env, FTS_DB: ftsDb, PORT: String(port) }, cwd: REPO_ROOT, port, timeoutMs: 60_000 },
  );
  servers.push({ name: 'FTS5', server: fts, ms: [], cpuMs: 0, requests: 0 });
}
/** CPU time (user + system, ms) a process has used, from `/proc` (Linux; clock ticks of 10 ms). */
const cpuOf = (pid: number): number => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
};
// Background work after the start (warming postings, checking bytes) is left to finish first: until a server
// uses under 3 % of a core for a second (at most a minute).
for (const s of servers) {
  for (let waited = 0; waited < 60; waited++) {
    const before = cpuOf(s.server.child.pid!);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    if (cpuOf(s.server.child.pid!) - before < 30) break;
  }
}
for (const s of servers) await timeRequests(s.server.baseUrl, warmup.map(pathOf));
for (let p = 0; p < passes; p++) {
  for (const s of servers) {
    const cpu = cpuOf(s.server.child.pid!);
    s.ms.push(...(await timeRequests(s.server.baseUrl, queries.map(pathOf))).ms);
    s.cpuMs += cpuOf(s.server.child.pid!) - cpu;
    s.requests += queries.length;
  }
}
for (const s of servers) await stopProcess(s.server.child, 10_000);
const ours = servers[0]!.ms;
const theirs = servers[1]?.ms ?? [];

const med = (xs: number[]) => percentile(xs, 50);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const http50 = med(ours);
const inProcess = med(parts.whole) + med(parts.json);
const row = (name: string, ms: number) => console.log(`${name.padEnd(34)} ${ms.toFixed(3)} ms`);
row('engine (parse, match, rank) p50', med(parts.engine));
row('snippets and hits p50', med(parts.snippets));
row('facets p50', med(parts.facets));
row('JSON serialisation p50', med(parts.json));
row('in process, search + JSON (mean)', mean(parts.whole) + mean(parts.json));
row('HTTP socket to last byte p50', http50);
row('HTTP p99', percentile(ours, 99));
row('framework and socket (p50 − parts)', Math.max(0, http50 - inProcess));
for (const s of servers) row(`${s.name} server CPU per request (mean)`, s.cpuMs / s.requests);
row(
  'ours: CPU outside search and JSON',
  Math.max(0, servers[0]!.cpuMs / servers[0]!.requests - (mean(parts.whole) + mean(parts.json))),
);
if (theirs.length) {
  row('FTS5 server p50', med(theirs));
  row('FTS5 server p99', percentile(theirs, 99));
  console.log(
    `ratio ours ÷ FTS5: p50 ${(http50 / med(theirs)).toFixed(2)}×, p99 ${(percentile(ours, 99) / percentile(theirs, 99)).toFixed(2)}×`,
  );
}
process.exit(0);
