/**
 * Alerts on three nodes (`npm run bench:alerts-cluster`, issue 24): a throwaway
 * PostgreSQL, three search nodes and nginx on this machine's loopback, with
 * `--alerts N` saved searches (default 1,000, made through nginx) of mixed
 * kinds over words no written article holds, plus one whose webhook is a
 * receiver on 127.0.0.1. Measures the time from a `PUT` through nginx to the
 * receiver seeing its event (`--puts`, default 100, one at a time), and counts
 * events received twice (there should be none). Writes
 * `bench/results/RESULTS-alerts-cluster.md` (or into `--out DIR`).
 *
 * Every process shares the same cores: the three nodes each match every write.
 */
import { writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { findNginx } from '../scripts/cluster/nginx-config.js';
import { startCluster } from '../scripts/cluster/start-cluster.js';
import { summarizeLatency } from './lib/percentile.js';
import { REPO_ROOT } from './lib/prepare-corpus.js';

const SECRET = 'bench-cluster-secret-0123';

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const alerts = flag('--alerts', quick ? 50 : 1_000);
  const puts = flag('--puts', quick ? 10 : 100);
  const outAt = process.argv.indexOf('--out');
  const out = outAt >= 0 ? path.resolve(process.argv[outAt + 1]!) : path.join(REPO_ROOT, 'bench', 'results');
  const nginxBin = findNginx();
  if (!nginxBin) throw new Error('nginx is needed (Debian package `nginx`, or NGINX_BIN)');

  const seen = new Map<string, number>();
  const arrived = new Map<string, number>();
  let duplicates = 0;
  const receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => {
      const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        id: string;
        article: { articleId: string };
      };
      if (seen.has(event.id)) duplicates++;
      seen.set(event.id, 1);
      if (!arrived.has(event.article.articleId)) arrived.set(event.article.articleId, performance.now());
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

  const cluster = await startCluster({
    nodes: 3,
    nginxBin,
    env: { ALERT_WEBHOOK_ALLOW: '127.0.0.1', MAX_ALERTS: String(alerts + 10) },
    log: (line) => console.error(line),
  });
  const headers = { Authorization: `Bearer ${cluster.adminKey}`, 'Content-Type': 'application/json' };
  const post = (body: object) =>
    fetch(`${cluster.nginxUrl}/alerts`, { method: 'POST', headers, body: JSON.stringify(body) });
  try {
    const kinds = (i: number) =>
      [`word${i} report`, `"word${i} market"`, `word${i} NEAR/5 prices`, `title:word${i}`, `word${i} OR thing${i}`][
        i % 5
      ]!;
    for (let i = 0; i < alerts; i += 20) {
      await Promise.all(
        Array.from({ length: Math.min(20, alerts - i) }, (_, j) => post({ name: `bench ${i + j}`, q: kinds(i + j) })),
      );
    }
    const made = await post({ name: 'receiver', q: 'zebraquokka', webhook: { url: hook, secret: SECRET } });
    if (made.status !== 201) throw new Error(`creating the receiver's alert: ${made.status} ${await made.text()}`);
    const latencies: number[] = [];
    const answers: number[] = [];
    for (let i = 0; i < puts; i++) {
      const id = `bench-${i}`;
      const started = performance.now();
      const res = await fetch(`${cluster.nginxUrl}/articles/${id}`, {
        method: 'PUT',
        headers,
        body: JSON.stringify({
          title: `Zebraquokka sighting ${i}`,
          body: `A zebraquokka was seen near the river, report ${i}.`,
        }),
      });
      if (res.status !== 201) throw new Error(`PUT ${id}: ${res.status}`);
      answers.push(performance.now() - started);
      while (!arrived.has(id)) {
        if (performance.now() - started > 30_000) throw new Error(`${id} never reached the receiver`);
        await new Promise((r) => setTimeout(r, 2));
      }
      latencies.push(arrived.get(id)! - started);
    }
    // Late duplicates from the other nodes would arrive within their poll.
    await new Promise((r) => setTimeout(r, 2_000));
    const l = summarizeLatency(latencies);
    const a = summarizeLatency(answers);
    const date = new Date().toISOString().slice(0, 10);
    const load = os.loadavg()[0]!.toFixed(1);
    const text = [
      '# Alerts on three nodes (`npm run bench:alerts-cluster`)',
      '',
      `${date}, 2 shared cores (load average ${load} at the end); a throwaway PostgreSQL, three nodes and nginx on 127.0.0.1; ${alerts} saved searches of mixed kinds (words, phrases, NEAR, title:, OR) plus one with a webhook on 127.0.0.1; ${puts} PUTs through nginx, one at a time, each matching that one alert.`,
      '',
      '| measure | p50 | p95 | p99 | max | goal |',
      '|---|---|---|---|---|---|',
      `| PUT → webhook receiver (ms, three nodes) | ${l.p50.toFixed(1)} | ${l.p95.toFixed(1)} | ${l.p99.toFixed(1)} | ${l.max.toFixed(1)} | p99 ≤ 1000 ms |`,
      `| … of which the PUT's own answer (ms) | ${a.p50.toFixed(1)} | ${a.p95.toFixed(1)} | ${a.p99.toFixed(1)} | ${a.max.toFixed(1)} | |`,
      '',
      `Events received: ${seen.size} for ${puts} matching writes; received twice: ${duplicates}.`,
      '',
    ].join('\n');
    await writeFile(path.join(out, 'RESULTS-alerts-cluster.md'), text);
    console.log(text);
  } finally {
    await cluster.stop();
    receiver.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
