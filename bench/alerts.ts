/**
 * The alerts benchmark (`npm run bench:alerts`, issue 24). With `--alerts N`
 * (default 10,000) saved searches of mixed kinds (`lib/alert-mix.ts`), it
 * measures on one node, in this process:
 *
 * - the time a write spends matching: `AlertService` matching one article at a
 *   time (candidates from the anchor index, then the exact check on the index of
 *   that article, which a write has built already), p50/p99 over `--sample`
 *   articles (default 2,000) of the half of the archive the alerts were not made from;
 * - a bulk import's throughput (journal → live archive, batches of 250) with
 *   and without the alerts, and the ratio (runs alternate, best of two each);
 * - the time from a `PUT` to a webhook receiver on 127.0.0.1 seeing the event,
 *   over HTTP with the real, checked and pinned sender (`--puts`, default 200).
 *
 * Corpus: `--corpus DIR` (default the reference corpus in `../shared/corpora/bbc`,
 * else the bench fixture). Writes `bench/RESULTS-alerts.md` and
 * `bench/alerts-results.json` (or to `--out DIR`). `--quick`: 300 alerts and a few
 * articles, to check that it runs.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { AlertService } from '../src/alerts/alert-service.js';
import { parseWebhookAllowList } from '../src/alerts/webhook-target.js';
import { withAlerts } from '../src/alerts/with-alerts.js';
import type { Article } from '../src/corpus/article.js';
import { readCorpus } from '../src/corpus/read-corpus.js';
import { createApp } from '../src/http/create-app.js';
import { buildIndex, IndexWriter } from '../src/index/index-writer.js';
import { localWriter } from '../src/live/archive-writer.js';
import { Journal } from '../src/live/journal.js';
import { LiveArchive } from '../src/live/live-archive.js';
import { makeAlertMix, SPECIFIC_PARAGRAPHS } from './lib/alert-mix.js';
import { stemTerm } from '../src/analysis/index-terms.js';
import { summarizeLatency, type LatencySummary } from './lib/percentile.js';
import { QUICK_FIXTURE, REPO_ROOT, SHARED_CORPORA } from './lib/prepare-corpus.js';
import { seededRandom } from './lib/seeded-random.js';
import { existsSync } from 'node:fs';

const KEY = 'bench-admin-key-0123456789';
const SECRET = 'bench-webhook-secret-0123';

interface Flags {
  alerts: number;
  sample: number;
  imports: number;
  puts: number;
  corpus: string;
  out: string;
  /** False (`--no-quick-check`): every exact check runs the search. */
  quickChecks: boolean;
}

function parseFlags(argv: string[]): Flags {
  const shared = path.join(SHARED_CORPORA, 'bbc');
  const flags: Flags = {
    alerts: 10_000,
    sample: 2000,
    imports: 5000,
    puts: 200,
    corpus: existsSync(shared) ? shared : path.join(QUICK_FIXTURE, 'bbc'),
    out: path.join(REPO_ROOT, 'bench', 'results'),
    quickChecks: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--quick') Object.assign(flags, { alerts: 300, sample: 50, imports: 300, puts: 20 });
    else if (arg === '--alerts') flags.alerts = Number(argv[++i]);
    else if (arg === '--sample') flags.sample = Number(argv[++i]);
    else if (arg === '--imports') flags.imports = Number(argv[++i]);
    else if (arg === '--puts') flags.puts = Number(argv[++i]);
    else if (arg === '--corpus') flags.corpus = path.resolve(argv[++i]!);
    else if (arg === '--out') flags.out = path.resolve(argv[++i]!);
    else if (arg === '--no-quick-check') flags.quickChecks = false;
    else throw new Error(`unknown flag ${arg}`);
  }
  return flags;
}

/** Whether exact checks may skip the search (`--no-quick-check`: never). */
let quickChecks = true;

/** An alert service in a temporary folder holding `queries` (created in groups, so their log lines share fsyncs). */
async function serviceWith(
  dir: string,
  queries: ReturnType<typeof makeAlertMix>,
  frequency: (t: string) => number,
  webhookUrl?: string,
): Promise<AlertService> {
  const service = await AlertService.open({
    dir,
    maxAlerts: queries.length + 10,
    allow: parseWebhookAllowList('127.0.0.1'),
    frequency,
    quickChecks,
  });
  for (let i = 0; i < queries.length; i += 500) {
    await Promise.all(
      queries.slice(i, i + 500).map(({ query }, j) => service.create({ name: `bench ${i + j}`, query, webhook: null })),
    );
  }
  if (webhookUrl)
    await service.create({
      name: 'receiver',
      query: { q: 'zebraquokka', from: null, to: null, source: [], section: [], author: [], tag: [] },
      webhook: { url: webhookUrl, secret: SECRET },
    });
  return service;
}

/** A writer holding `articles`, refreshed (in memory). */
function writerOf(articles: readonly Article[]): IndexWriter {
  const writer = new IndexWriter();
  writer.addNewArticles(articles);
  writer.refresh();
  return writer;
}

/** An archive (journal and index in `dir`) over `base`, optionally reporting its changes to `alerts`. */
async function archiveOver(dir: string, base: readonly Article[], alerts: AlertService | null) {
  const journal = Journal.open(path.join(dir, 'journal'), { write: true });
  const live = new LiveArchive({
    writer: writerOf(base),
    held: [],
    overrides: journal,
    corpusDir: path.join(dir, 'corpus'),
    files: [],
    problems: [],
    segmentCache: null,
    commits: false,
    ...(alerts ? { onChange: (change) => alerts.articlesChanged(change) } : {}),
  });
  if (alerts) alerts.catchUp(journal, () => null);
  const writer = withAlerts(localWriter(journal, live), () => alerts);
  return { journal, live, writer, close: async () => (await live.close(), journal.close()) };
}

/** Seconds to import `articles` (batches of 250, appended, then settled), with or without the alerts. */
async function importSeconds(
  base: readonly Article[],
  articles: readonly Article[],
  queries: ReturnType<typeof makeAlertMix> | null,
  frequency: (t: string) => number,
): Promise<{ seconds: number; matchedSeconds: number; events: number }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'nrs-bench-alerts-'));
  const alerts = queries ? await serviceWith(path.join(dir, 'alerts'), queries, frequency) : null;
  const archive = await archiveOver(dir, base, alerts);
  const started = performance.now();
  for (let i = 0; i < articles.length; i += 250)
    await archive.writer.append(
      articles.slice(i, i + 250).map((article) => ({ op: 'put' as const, id: article.id, article })),
    );
  await archive.writer.settled();
  const seconds = (performance.now() - started) / 1000;
  await alerts?.flushed();
  const matchedSeconds = (performance.now() - started) / 1000;
  const stats = alerts?.stats();
  await archive.close();
  await alerts?.close();
  await rm(dir, { recursive: true, force: true });
  return { seconds, matchedSeconds, events: stats ? stats.events['alert.match'] : 0 };
}

/** PUT → webhook latency (ms) over HTTP with a receiver on 127.0.0.1. */
async function putToWebhook(
  base: readonly Article[],
  queries: ReturnType<typeof makeAlertMix>,
  frequency: (t: string) => number,
  puts: number,
): Promise<LatencySummary> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'nrs-bench-alerts-'));
  const seen = new Map<string, number>();
  const receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      seen.set((JSON.parse(body) as { article: { articleId: string } }).article.articleId, performance.now());
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const alerts = await serviceWith(
    path.join(dir, 'alerts'),
    queries,
    frequency,
    `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
  );
  const archive = await archiveOver(dir, base, alerts);
  const app = createApp({
    getIndex: () => archive.live.index,
    live: { archive: () => archive.live, writer: () => archive.writer },
    alerts: () => alerts,
    keys: { admin: KEY, search: null },
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const latencies: number[] = [];
  for (let i = 0; i < puts; i++) {
    const id = `put-${i}`;
    const sent = performance.now();
    const res = await fetch(`${url}/articles/${id}`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        title: `Zebraquokka sighting ${i}`,
        body: `A zebraquokka was seen near the harbour, report ${i}.`,
      }),
    });
    await res.arrayBuffer();
    while (!seen.has(id)) await new Promise((r) => setTimeout(r, 1));
    latencies.push(seen.get(id)! - sent);
  }
  await new Promise((r) => server.close(r));
  await archive.close();
  await alerts.close();
  await new Promise((r) => receiver.close(r));
  await rm(dir, { recursive: true, force: true });
  return summarizeLatency(latencies);
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  quickChecks = flags.quickChecks;
  const corpus = await readCorpus(flags.corpus);
  const articles = corpus.articles;
  const index = buildIndex(articles);
  const frequency = (term: string) => index.documentFrequency('paragraphs', term);
  const random = seededRandom(24);
  // Saved searches from the first half of the archive; the articles written are from the second (news to them).
  const half = Math.max(1, Math.floor(articles.length / 2));
  const queries = makeAlertMix(random, articles.slice(0, half), flags.alerts, (form) => frequency(stemTerm(form)));
  const fresh = articles.length > 1 ? articles.slice(half) : articles;
  console.log(`${articles.length} articles, ${queries.length} saved searches`);

  // 1. Matching one article at a time (the time a write spends matching).
  const dir = await mkdtemp(path.join(os.tmpdir(), 'nrs-bench-alerts-'));
  const service = await serviceWith(dir, queries, frequency);
  const sample = Array.from({ length: flags.sample }, (_v, i) => ({ ...fresh[i % fresh.length]!, id: `sample-${i}` }));
  const matchMs: number[] = [];
  // CPU time too: on a machine whose cores are shared, the wall time includes waiting for a core.
  const matchCpuMs: number[] = [];
  const loadBefore = os.loadavg()[0]!;
  for (const article of sample) {
    // As a PUT gives it: the article's index is the segment the write added (built by the write, not by the matching).
    const single = buildIndex([article]);
    const cpu = process.cpuUsage();
    const started = performance.now();
    service.articlesChanged({ published: [article], withdrawn: [], seq: null, index: single });
    matchMs.push(performance.now() - started);
    const used = process.cpuUsage(cpu);
    matchCpuMs.push((used.user + used.system) / 1000);
  }
  await service.flushed();
  const stats = service.stats();
  const unanchored = service.unanchoredCount;
  await service.close();
  await rm(dir, { recursive: true, force: true });
  const matching = summarizeLatency(matchMs);
  const matchingCpu = summarizeLatency(matchCpuMs);
  console.log(
    `matching: p50 ${matching.p50.toFixed(3)} ms, p99 ${matching.p99.toFixed(3)} ms; ${stats.events['alert.match']} matches over ${sample.length} articles; ${unanchored} alerts checked against every article`,
  );

  // 2. Import throughput with and without the alerts (alternating, best of two each).
  const base = articles.slice(0, half);
  const imported = Array.from({ length: flags.imports }, (_v, i) => ({
    ...fresh[i % fresh.length]!,
    id: `import-${i}`,
    file: '(api)',
  }));
  const without: number[] = [];
  const withAlertsRuns: number[] = [];
  const matchedRuns: number[] = [];
  let importEvents = 0;
  for (let run = 0; run < 2; run++) {
    without.push((await importSeconds(base, imported, null, frequency)).seconds);
    const result = await importSeconds(base, imported, queries, frequency);
    withAlertsRuns.push(result.seconds);
    matchedRuns.push(result.matchedSeconds);
    importEvents = result.events;
  }
  const plainRate = flags.imports / Math.min(...without);
  const alertRate = flags.imports / Math.min(...withAlertsRuns);
  const matchedRate = flags.imports / Math.min(...matchedRuns);
  const cost = 1 - alertRate / plainRate;
  console.log(
    `import: ${plainRate.toFixed(0)} articles/s without alerts, ${alertRate.toFixed(0)} with (${(cost * 100).toFixed(1)} % less), all matched at ${matchedRate.toFixed(0)}/s; ${importEvents} matches`,
  );

  // 3. PUT → webhook receiver.
  const putLatency = await putToWebhook(base, queries, frequency, flags.puts);
  console.log(`PUT → webhook: p50 ${putLatency.p50.toFixed(1)} ms, p99 ${putLatency.p99.toFixed(1)} ms`);

  const results = {
    date: new Date().toISOString(),
    machine: '2 shared cores',
    quickChecks,
    corpusArticles: articles.length,
    alerts: queries.length,
    alertsCheckedAlways: unanchored,
    matchingMs: matching,
    matchingCpuMs: matchingCpu,
    loadAverage: [loadBefore, os.loadavg()[0]!],
    matchesPerArticle: stats.events['alert.match'] / sample.length,
    importArticles: flags.imports,
    importPerSecondWithout: plainRate,
    importPerSecondWith: alertRate,
    importCost: cost,
    importMatchedPerSecond: matchedRate,
    putToWebhookMs: putLatency,
  };
  await writeFile(path.join(flags.out, 'alerts-results.json'), `${JSON.stringify(results, null, 2)}\n`);
  const f = (n: number) => n.toFixed(2);
  const report = [
    '# Alerts benchmark (`npm run bench:alerts`)',
    '',
    `${results.date.slice(0, 10)}, ${results.machine} (load average ${loadBefore.toFixed(1)} at the start, ${os.loadavg()[0]!.toFixed(1)} at the end: other work shared the two cores); ${articles.length} articles, ${queries.length} saved searches of mixed kinds (words, phrases, NEAR, OR, title:, source and date filters, prefixes), each around a specific word (one at most ${SPECIFIC_PARAGRAPHS} paragraphs of the archive hold); ${unanchored} of them (no word to look up) are checked against every article. Exact checks: ${quickChecks ? 'the quick check where it decides (words, prefixes, phrases, AND, OR, title:, NEAR, ADJ), the search for the rest (after its date and metadata filters)' : 'the search for every one (`--no-quick-check`)'}.`,
    '',
    '| measure | p50 | p99 | max | goal |',
    '|---|---|---|---|---|',
    `| matching one written article (ms) | ${f(matching.p50)} | ${f(matching.p99)} | ${f(matching.max)} | p99 ≤ 5 ms |`,
    `| … its CPU time (ms) | ${f(matchingCpu.p50)} | ${f(matchingCpu.p99)} | ${f(matchingCpu.max)} | |`,
    `| PUT → webhook receiver (ms, one node) | ${f(putLatency.p50)} | ${f(putLatency.p99)} | ${f(putLatency.max)} | p99 ≤ 1000 ms |`,
    '',
    `Bulk import of ${flags.imports} articles (until searchable): ${plainRate.toFixed(0)} articles/s without alerts, ${alertRate.toFixed(0)} with (${(cost * 100).toFixed(1)} % less; goal ≤ 15 %); every match of the import recorded at ${matchedRate.toFixed(0)} articles/s. Matches: ${f(results.matchesPerArticle)} per written article on average (${importEvents} in the import).`,
    '',
  ].join('\n');
  await writeFile(path.join(flags.out, 'RESULTS-alerts.md'), report);
  console.log(report);
}

await main();
