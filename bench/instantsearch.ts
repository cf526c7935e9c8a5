/**
 * Latency of the Algolia-compatible route against `/search` for the same queries (`npm run
 * bench:instantsearch`): the compiled service (as `npm start` runs it: query cache off, time budget
 * out of the way, analytics off) in a process of its own on loopback; this process sends each query
 * both ways in turn (alternating which goes first), after a warm-up pass. `/search` asks what the
 * Algolia request asks (one snippet per article, 20 hits, the same facets), so the difference is the
 * cost of the translation. Corpus: `../shared/corpora/bbc` (or `BENCH_CORPUS`) with
 * `bench/queries.json`, else 3,000 generated articles (`--quick`, or when the shared corpus is
 * absent). Writes `bench/RESULTS-instantsearch.md` (`-quick.md`).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { syntheticArticles, WORDS } from '../test/helpers/synthetic-articles.js';
import { buildService, indexCommand, serveCommand } from './lib/engine-adapter.js';
import { freePort, startServerProcess, stopProcess } from './lib/load-test.js';
import { median, percentile } from './lib/percentile.js';
import { algoliaResult, attributesOf } from '../src/http/algolia/algolia-result.js';
import { readAlgoliaParams } from '../src/http/algolia/read-algolia-params.js';
import { toSearchParams } from '../src/http/algolia/to-search-params.js';
import type { SearchResponse } from '../src/query/search-archive.js';
import { SHARED_CORPORA } from './lib/prepare-corpus.js';
import queriesFile from './queries.json' with { type: 'json' };

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// `BENCH_CORPUS` names another corpus folder (a worktree has no `../shared` beside it).
const SHARED = process.env['BENCH_CORPUS'] ?? path.join(SHARED_CORPORA, 'bbc');
const quick = process.argv.includes('--quick') || !existsSync(SHARED);
const ROUNDS = quick ? 2 : 3;

function queries(): string[] {
  if (quick) return WORDS.filter((w, i) => w.length > 3 && i % 2 === 0).slice(0, 60);
  return queriesFile.queries.slice(0, 150).map((q) => q.q);
}

/** The two requests of one case: `/search` and the Algolia route asking for the same. */
interface Case {
  name: string;
  search: (q: string) => string;
  algolia: (q: string) => Record<string, unknown>;
}

const CASES: Case[] = [
  {
    // Control: no search on either side (a health probe; an Algolia request whose filters exclude everything, so it builds an empty result).
    name: 'no search (transport, routing, body)',
    search: () => '/health/live',
    algolia: () => ({ query: 'x', facetFilters: [['source:none-a'], ['source:none-b']] }),
  },
  {
    name: 'hits only',
    search: (q) => `/search?q=${encodeURIComponent(q)}&hitsPerPage=20&snippetsPerArticle=1`,
    algolia: (q) => ({ query: q, hitsPerPage: 20, attributesToSnippet: ['text:30'] }),
  },
  {
    name: 'hits and four facets',
    search: (q) =>
      `/search?q=${encodeURIComponent(q)}&hitsPerPage=20&snippetsPerArticle=1&facets=section,source,author,year`,
    algolia: (q) => ({
      query: q,
      hitsPerPage: 20,
      attributesToSnippet: ['text:30'],
      facets: ['section', 'source', 'author', 'year'],
    }),
  },
];

async function main(): Promise<void> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'nrs-bench-instant-'));
  try {
    let corpus = SHARED;
    if (quick) {
      corpus = path.join(work, 'corpus');
      mkdirSync(corpus, { recursive: true });
      writeFileSync(
        path.join(corpus, 'articles.ndjson'),
        syntheticArticles(3000)
          .map((a) => JSON.stringify({ ...a, file: undefined }))
          .join('\n') + '\n',
      );
    }
    buildService(ROOT);
    const cache = path.join(work, 'cache');
    const index = indexCommand(ROOT, corpus, cache);
    const started = performance.now();
    execFileSync(index.program, index.args, { cwd: index.cwd, stdio: 'ignore' });
    const built = (performance.now() - started) / 1000;
    const port = await freePort();
    const serve = serveCommand(ROOT, corpus, cache, port);
    const service = await startServerProcess(
      serve.program,
      [...serve.args, '--analytics', 'false', '--watch', 'false'],
      { env: { ...process.env }, cwd: serve.cwd, port, timeoutMs: 300_000 },
    );
    const base = service.baseUrl;
    const health = (await (await fetch(`${base}/health`)).json()) as { articles: number; paragraphs: number };
    // node:http with one keep-alive socket for both routes (fetch's own cost for a POST is several ms, a client's, not the route's).
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const send = (path: string, body?: string): Promise<number> =>
      new Promise((resolve, reject) => {
        const t = performance.now();
        const headers: Record<string, string | number> =
          body === undefined ? {} : { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(body) };
        const req = http.request(
          `${base}${path}`,
          { agent, method: body === undefined ? 'GET' : 'POST', headers },
          (res) => {
            res.resume();
            res.on('end', () =>
              res.statusCode === 200
                ? resolve(performance.now() - t)
                : reject(new Error(`HTTP ${res.statusCode} on ${path}`)),
            );
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    /** Mean server time of each route so far (sum and count of the service's request-duration histogram). */
    const serverTotals = async (): Promise<Record<string, [number, number]>> => {
      const text = await (await fetch(`${base}/metrics`)).text();
      const out: Record<string, [number, number]> = {};
      for (const m of text.matchAll(
        /http_request_duration_seconds_(sum|count)\{route="([^"]+)",status="200"\} (\S+)/g,
      )) {
        const entry = (out[m[2]!] ??= [0, 0]);
        entry[m[1] === 'sum' ? 0 : 1] = Number(m[3]);
      }
      return out;
    };
    const list = queries();
    const rows: string[] = [];
    for (const c of CASES) {
      const times = { search: [] as number[], algolia: [] as number[] };
      let before: Record<string, [number, number]> = {};
      for (let round = 0; round <= ROUNDS; round++) {
        if (round === 1) before = await serverTotals();
        for (const [i, q] of list.entries()) {
          const search = () => send(c.search(q));
          const algolia = () => send('/1/indexes/articles/query', JSON.stringify(c.algolia(q)));
          // Alternate which goes first, so neither always meets the warmer caches.
          const [a, b] =
            (i + round) % 2 === 0 ? [await search(), await algolia()] : [await algolia(), await search()].reverse();
          if (round === 0) continue; // warm-up
          times.search.push(a!);
          times.algolia.push(b!);
        }
      }
      const row = (xs: number[]) => [50, 90, 99].map((p) => percentile(xs, p).toFixed(2)).join(' / ');
      // The median over queries of (Algolia route ÷ /search) for the same query in the same round: robust to load
      // from elsewhere on a shared machine, which moves both requests of a pair alike.
      const paired = (median(times.algolia.map((x, i) => x / times.search[i]!)) - 1) * 100;
      const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
      const total = (sum(times.algolia) / sum(times.search) - 1) * 100;
      const after = await serverTotals();
      const mean = (route: string) =>
        (((after[route]?.[0] ?? 0) - (before[route]?.[0] ?? 0)) /
          ((after[route]?.[1] ?? 0) - (before[route]?.[1] ?? 0))) *
        1000;
      const [searchMean, algoliaMean] = [mean(c.search('x').split('?')[0]!), mean('/1/indexes/{indexName}/query')];
      rows.push(
        `| ${c.name} | ${row(times.search)} | ${row(times.algolia)} | ${paired.toFixed(1)} % | ${total.toFixed(1)} % | ` +
          `${searchMean.toFixed(2)} / ${algoliaMean.toFixed(2)} (${((algoliaMean / searchMean - 1) * 100).toFixed(1)} %) |`,
      );
      console.log(rows.at(-1));
    }
    // The translation's own CPU cost, in this process: each /search response of the hits case converted to an Algolia result.
    const responses: { request: Record<string, unknown>; response: SearchResponse }[] = [];
    for (const q of list) {
      const response = (await (await fetch(base + CASES[1]!.search(q))).json()) as SearchResponse;
      responses.push({ request: CASES[1]!.algolia(q), response });
    }
    const convert = () => {
      for (const { request, response } of responses) {
        const { params } = readAlgoliaParams(request);
        const translated = toSearchParams('articles', params, attributesOf(params).cropLength);
        JSON.stringify(
          algoliaResult('articles', request, params, translated, response, { pre: '<em>', post: '</em>' }),
        );
      }
    };
    for (let i = 0; i < 20; i++) convert();
    const convertStarted = performance.now();
    for (let i = 0; i < 50; i++) convert();
    const convertMs = (performance.now() - convertStarted) / 50 / responses.length;
    agent.destroy();
    await stopProcess(service.child, 10_000);
    const report = [
      '# The Algolia-compatible route against /search',
      '',
      `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${os.cpus().length} shared cores (${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}), load average ${os.loadavg()[0]!.toFixed(1)}, Node ${process.version}, by \`npm run bench:instantsearch${quick ? ' -- --quick' : ''}\`.`,
      `Corpus: ${quick ? '3,000 generated articles' : `${path.basename(SHARED)} (shared corpora)`}, ${health.articles.toLocaleString('en')} articles, ${health.paragraphs.toLocaleString('en')} paragraphs (indexed in ${built.toFixed(1)} s);`,
      `${list.length} queries × ${ROUNDS} rounds after a warm-up, each sent to both routes in turn over loopback keep-alive; the compiled service, query cache off.`,
      '',
      'Round trips as a client sees them (node:http, one keep-alive connection); server: the mean time the service itself took per request (its `/metrics` histogram of request durations, arrival to last byte).',
      '',
      '| case | /search p50 / p90 / p99 (ms) | POST /1/indexes/articles/query p50 / p90 / p99 (ms) | Algolia vs /search, median of per-query ratios | total time | server mean, /search / Algolia (ms) |',
      '| --- | --- | --- | --- | --- | --- |',
      ...rows,
      '',
      `The translation itself (parameters read and mapped, the /search response converted and serialised), timed in the bench process: ${convertMs.toFixed(3)} ms per response of 20 hits.`,
      '',
    ].join('\n');
    writeFileSync(path.join(ROOT, 'bench', `RESULTS-instantsearch${quick ? '-quick' : ''}.md`), report);
    console.log(report);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
