/**
 * The cluster's benchmark (`npm run bench:cluster`, issue 15): a throwaway
 * PostgreSQL, three search nodes following it and nginx (`docs/nginx.conf`), all
 * on this machine's loopback. Measures read throughput through nginx over 1, 2
 * and 3 nodes (autocannon, `QUERY_CACHE=0` so every search runs), the
 * write-to-visible latency (a `PUT` on node 1 until both other nodes find it),
 * and catch-up speed (a node stopped while N changes are written, then started:
 * changes fetched and applied per second). Writes `bench/results/RESULTS-cluster.md`.
 *
 * The corpus is the reference one (BBC + Reuters from `../shared/corpora`) when
 * present, else the bench fixture; `--quick` uses the fixture and short runs.
 * Every process shares the same cores: on a 2-core machine three nodes, nginx,
 * PostgreSQL and the load generator compete, so more nodes cannot mean more
 * throughput here; the figures show the overhead, not the scaling.
 */
import { writeFile } from 'node:fs/promises';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { runImportCommand } from '../src/cli/import-command.js';
import { parseArgs } from '../src/cli/parse-args.js';
import { PgStore } from '../src/store/pg-store.js';
import { findNginx, startNginx } from '../scripts/cluster/nginx-config.js';
import { startCluster } from '../scripts/cluster/start-cluster.js';
import { freePort, runLoad, type LoadFigures } from './lib/load-test.js';
import { summarizeLatency, type LatencySummary } from './lib/percentile.js';
import { prepareCorpus, quickCorpusSource, REPO_ROOT, sharedCorpusSource } from './lib/prepare-corpus.js';

const QUERIES = [
  'police',
  'oil prices',
  'election results',
  'bank rates',
  'football coach',
  'court ruling',
  'trade deficit',
  'film award',
];
const quick = process.argv.includes('--quick');
const seconds = quick ? 3 : 5;
const connections = 8;
const writes = quick ? 20 : 60;
const catchUpChanges = quick ? 500 : 5_000;

async function main(): Promise<void> {
  const nginxBin = findNginx();
  if (!nginxBin) throw new Error('nginx is needed (Debian package `nginx`)');
  const source = (!quick && sharedCorpusSource()) || quickCorpusSource();
  const work = mkdtempSync(path.join(os.tmpdir(), 'nrs-bench-cluster-'));
  const cluster = await startCluster({ nodes: 3, startNodes: 0, nginxBin, env: { QUERY_CACHE: '0' } });
  const extraNginx: { kill: (s: NodeJS.Signals) => boolean }[] = [];
  try {
    const corpus = await prepareCorpus(source, 1, path.join(work, 'corpus'));
    const importStarted = performance.now();
    const importSettings = parseArgs(['import', '--corpus', corpus], { DATABASE_URL: cluster.postgres.url });
    await runImportCommand(importSettings, { out: (t) => process.stderr.write(t), err: () => {}, isTTY: false });
    const importSeconds = (performance.now() - importStarted) / 1000;
    const store = new PgStore(cluster.postgres.url);
    const articles = (await store.counts()).articles;
    console.error(`imported ${articles} articles in ${importSeconds.toFixed(1)} s; starting 3 nodes`);
    await Promise.all(cluster.nodes.map((n) => n.start()));

    const paths = QUERIES.map((q) => `/search?q=${encodeURIComponent(q)}`);
    const reads: { nodes: number; load: LoadFigures }[] = [];
    for (const k of [1, 2, 3]) {
      const port = await freePort();
      extraNginx.push(
        await startNginx(
          nginxBin,
          cluster.nodes.slice(0, k).map((n) => n.port),
          port,
          path.join(work, `nginx-${k}`),
        ),
      );
      await runLoad(`http://127.0.0.1:${port}`, paths, 1, connections); // warm-up
      const load = await runLoad(`http://127.0.0.1:${port}`, paths, seconds, connections);
      reads.push({ nodes: k, load });
      console.error(
        `${k} node(s) through nginx: ${load.requestsPerSecond.toFixed(0)} searches/s, p50 ${load.p50} ms, p99 ${load.p99} ms, non-2xx ${load.non2xx}, errors ${load.errors}`,
      );
    }
    const direct = await runLoad(cluster.nodes[0]!.url, paths, seconds, connections);
    console.error(
      `1 node, no nginx: ${direct.requestsPerSecond.toFixed(0)} searches/s, p50 ${direct.p50} ms, p99 ${direct.p99} ms`,
    );

    const visible: number[] = [];
    for (let i = 0; i < writes; i++) {
      const word = `zqxbench${i}word`;
      const started = performance.now();
      const res = await fetch(`${cluster.nodes[0]!.url}/articles/bench-visible-${i}`, {
        method: 'PUT',
        headers: { Authorization: `Bearer ${cluster.adminKey}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ title: `Bench ${i}`, body: `A paragraph with ${word} in it.` }),
      });
      if (!res.ok) throw new Error(`PUT answered ${res.status}`);
      for (const node of cluster.nodes.slice(1)) {
        for (;;) {
          const body = (await (await fetch(`${node.url}/search?q=${word}`)).json()) as { hits: unknown[] };
          if (body.hits.length > 0) break;
          if (performance.now() - started > 10_000) throw new Error(`${word} not visible on ${node.name} after 10 s`);
          await new Promise((r) => setTimeout(r, 2));
        }
      }
      visible.push(performance.now() - started);
    }
    const latency = summarizeLatency(visible);
    console.error(
      `write to visible on the two other nodes: p50 ${latency.p50.toFixed(0)} ms, p99 ${latency.p99.toFixed(0)} ms`,
    );

    const late = cluster.nodes[2]!;
    await late.kill('SIGTERM');
    const sample = (await store.changesAfter(0, 200)).filter((r) => r.op === 'put');
    for (let i = 0; i < catchUpChanges; i += 500) {
      const batch = Array.from({ length: Math.min(500, catchUpChanges - i) }, (_, j) => {
        const record = sample[(i + j) % sample.length]!;
        const id = `catchup-${i + j}`;
        return { op: 'put' as const, id, article: { ...(record.op === 'put' ? record.article : ({} as never)), id } };
      });
      await store.write(batch);
    }
    const restarted = performance.now();
    await late.start();
    const readySeconds = (performance.now() - restarted) / 1000;
    const fetched = /change\(s\) fetched in ([0-9.]+) s/.exec(late.log);
    const fetchSeconds = fetched ? Number(fetched[1]) : NaN;
    console.error(
      `catch-up of ${catchUpChanges} changes: fetched in ${fetchSeconds.toFixed(2)} s, ready (applied) ${readySeconds.toFixed(2)} s after the start`,
    );
    await store.close();

    const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB, Node ${process.version}`;
    await writeFile(
      path.join(REPO_ROOT, 'bench', 'results', quick ? 'RESULTS-cluster-quick.md' : 'RESULTS-cluster.md'),
      report({ machine, articles, importSeconds, reads, direct, latency, fetchSeconds, readySeconds }),
    );
  } finally {
    for (const n of extraNginx) n.kill('SIGTERM');
    await cluster.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

function report(r: {
  machine: string;
  articles: number;
  importSeconds: number;
  reads: { nodes: number; load: LoadFigures }[];
  direct: LoadFigures;
  latency: LatencySummary;
  fetchSeconds: number;
  readySeconds: number;
}): string {
  const row = (label: string, l: LoadFigures) =>
    `| ${label} | ${l.requestsPerSecond.toFixed(0)} | ${l.p50} | ${l.p99} | ${l.non2xx + l.errors + l.timeouts} |`;
  return [
    `# Cluster benchmark (${new Date().toISOString().slice(0, 10)})`,
    '',
    `Machine: ${r.machine}. Everything on it: PostgreSQL, 3 nodes, nginx and the load generator share its cores.`,
    `Corpus: ${r.articles} articles imported with \`npm run import\` in ${r.importSeconds.toFixed(1)} s (${(r.articles / r.importSeconds).toFixed(0)} articles/s).`,
    '',
    `## Reads (${connections} connections, ${seconds} s each, query cache off)`,
    '',
    '| through | searches/s | p50 ms | p99 ms | failed |',
    '| --- | --- | --- | --- | --- |',
    row('1 node, no nginx', r.direct),
    ...r.reads.map((x) => row(`nginx, ${x.nodes} node(s)`, x.load)),
    '',
    `## Write to visible (${r.latency.count} PUTs on node 1, until both other nodes find the article)`,
    '',
    `p50 ${r.latency.p50.toFixed(0)} ms, p95 ${r.latency.p95.toFixed(0)} ms, p99 ${r.latency.p99.toFixed(0)} ms, max ${r.latency.max.toFixed(0)} ms.`,
    '',
    `## Catch-up (a node stopped while ${catchUpChanges} changes were written, then started)`,
    '',
    `Fetched into its mirror in ${r.fetchSeconds.toFixed(2)} s (${(catchUpChanges / r.fetchSeconds).toFixed(0)} changes/s); ready, with the changes applied, ${r.readySeconds.toFixed(2)} s after its start (${(catchUpChanges / r.readySeconds).toFixed(0)} changes/s, process start included).`,
    '',
  ].join('\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
