/**
 * Latency of the Algolia-compatible route against `/search` for the same queries (`npm run
 * bench:instantsearch`): one process serving on loopback, each query sent both ways in turn
 * (alternating which goes first), after a warm-up pass. Compared as `/search` asking what the
 * Algolia request asks (one snippet per article, 20 hits, the same facets): the difference is the
 * cost of the translation. Corpus: `../shared/corpora/bbc` (or `BENCH_CORPUS`) with `bench/queries.json`, else 3,000
 * generated articles (`--quick`, or when the shared corpus is absent). Writes
 * `bench/RESULTS-instantsearch.md`.
 */
import { existsSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { readCorpus } from '../src/corpus/read-corpus.js';
import type { Article } from '../src/corpus/article.js';
import { createApp } from '../src/http/create-app.js';
import { buildIndex } from '../src/index/archive-index.js';
import { syntheticArticles, WORDS } from '../test/helpers/synthetic-articles.js';
import { percentile } from './lib/percentile.js';
import { SHARED_CORPORA } from './lib/prepare-corpus.js';
import queriesFile from './queries.json' with { type: 'json' };

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// `BENCH_CORPUS` names another corpus folder (a worktree has no `../shared` beside it).
const SHARED = process.env['BENCH_CORPUS'] ?? path.join(SHARED_CORPORA, 'bbc');
const quick = process.argv.includes('--quick') || !existsSync(SHARED);
const ROUNDS = quick ? 2 : 3;

async function articles(): Promise<Article[]> {
  if (quick) return syntheticArticles(3000);
  return (await readCorpus(SHARED)).articles;
}

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
    name: 'hits only',
    search: (q) => `/search?q=${encodeURIComponent(q)}&hitsPerPage=20&snippetsPerArticle=1`,
    algolia: (q) => ({ query: q, hitsPerPage: 20, attributesToSnippet: ['text:30'] }),
  },
  {
    name: 'hits and four facets',
    search: (q) => `/search?q=${encodeURIComponent(q)}&hitsPerPage=20&snippetsPerArticle=1&facets=section,source,author,year`,
    algolia: (q) => ({ query: q, hitsPerPage: 20, attributesToSnippet: ['text:30'], facets: ['section', 'source', 'author', 'year'] }),
  },
];

async function main(): Promise<void> {
  const started = performance.now();
  const index = buildIndex(await articles());
  const built = (performance.now() - started) / 1000;
  // No query cache (createApp's default): each request runs its search.
  const app = createApp({ getIndex: () => index, searchBudgetMs: 60_000 });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const timed = async (send: () => Promise<Response>): Promise<number> => {
    const t = performance.now();
    const res = await send();
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return performance.now() - t;
  };
  const list = queries();
  const rows: string[] = [];
  for (const c of CASES) {
    const times = { search: [] as number[], algolia: [] as number[] };
    for (let round = 0; round <= ROUNDS; round++) {
      for (const [i, q] of list.entries()) {
        const search = () => timed(() => fetch(base + c.search(q)));
        const algolia = () => timed(() => fetch(`${base}/1/indexes/articles/query`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify(c.algolia(q)) }));
        // Alternate which goes first, so neither always meets the warmer cache.
        const [a, b] = (i + round) % 2 === 0 ? [await search(), await algolia()] : [await algolia(), await search()].reverse();
        if (round === 0) continue; // warm-up
        times.search.push(a!);
        times.algolia.push(b!);
      }
    }
    const row = (xs: number[]) => [50, 90, 99].map((p) => percentile(xs, p).toFixed(2));
    const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
    const ratio = sum(times.algolia) / sum(times.search);
    rows.push(`| ${c.name} | ${row(times.search).join(' / ')} | ${row(times.algolia).join(' / ')} | ${((ratio - 1) * 100).toFixed(1)} % |`);
    console.log(rows.at(-1));
  }
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const report = [
    '# The Algolia-compatible route against /search',
    '',
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${os.cpus().length} shared cores (${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}, by \`npm run bench:instantsearch${quick ? ' -- --quick' : ''}\`.`,
    `Corpus: ${quick ? '3,000 generated articles' : `${path.basename(SHARED)} (shared corpora)`}, ${index.articleCount.toLocaleString('en')} articles, ${index.paragraphCount.toLocaleString('en')} paragraphs (built in ${built.toFixed(1)} s);`,
    `${list.length} queries × ${ROUNDS} rounds after a warm-up, each sent to both routes in turn over loopback keep-alive, no query cache.`,
    '',
    '| case | /search p50 / p90 / p99 (ms) | POST /1/indexes/articles/query p50 / p90 / p99 (ms) | total time, Algolia route vs /search |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
  writeFileSync(path.join(ROOT, 'bench', `RESULTS-instantsearch${quick ? '-quick' : ''}.md`), report);
  console.log(report);
}

await main();
