/**
 * The living archive's benchmark (`npm run bench:writes`, issue 12): a bulk
 * import through `POST /articles` while searches run against the same service,
 * beside the throughput of `npm run index` on the same articles, and the
 * write-to-visible latency of single `PUT`s. Writes `bench/results/RESULTS-writes.md`
 * and `bench/writes-results.json` (or to `--out DIR`).
 *
 * The served corpus is the reference corpus (BBC + Reuters, 1×, from
 * `../shared/corpora`); the import is `--articles N` (default 20,000) of its
 * articles again under new ids. `--quick`: the bench fixture corpus and 300
 * articles, for the test suite. Searches: `--rate` (default 20) a second, sent
 * at a fixed rate (open loop), with `QUERY_CACHE=0` so every search runs.
 * `--cpu-prof DIR`: the service writes a CPU profile there when it stops.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { readCorpus } from '../src/corpus/read-corpus.js';
import { freePort, startServerProcess, stopProcess } from './lib/load-test.js';
import { summarizeLatency, type LatencySummary } from './lib/percentile.js';
import { prepareCorpus, quickCorpusSource, REPO_ROOT, sharedCorpusSource } from './lib/prepare-corpus.js';
import { processTreeRss } from './lib/process-tree.js';

const KEY = 'bench-admin-key-0123456789';

interface Flags {
  quick: boolean;
  articles: number;
  /** Searches a second, sent at a fixed rate. */
  rate: number;
  out: string;
  /** Folder for a CPU profile of the service (`--cpu-prof DIR`), or null. */
  cpuProf: string | null;
}

function parseFlags(argv: string[]): Flags {
  const flags: Flags = {
    quick: false,
    articles: 20_000,
    rate: 20,
    out: path.join(REPO_ROOT, 'bench', 'results'),
    cpuProf: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--quick') {
      flags.quick = true;
      flags.articles = 300;
    } else if (arg === '--articles') flags.articles = Number(argv[++i]);
    else if (arg === '--rate') flags.rate = Number(argv[++i]);
    else if (arg === '--out') flags.out = path.resolve(argv[++i]!);
    else if (arg === '--cpu-prof') flags.cpuProf = path.resolve(argv[++i]!);
    else throw new Error(`unknown flag ${arg}`);
  }
  return flags;
}

interface WritesResults {
  date: string;
  machine: string;
  corpusArticles: number;
  imported: number;
  importSeconds: number;
  importArticlesPerSecond: number;
  /** The same import with nothing else running. */
  aloneSeconds: number;
  aloneArticlesPerSecond: number;
  indexSeconds: number;
  indexArticlesPerSecond: number;
  searchBefore: LatencySummary;
  searchDuring: LatencySummary;
  searchErrors: number;
  /** Searches a second during both measures. */
  rate: number;
  putToVisible: LatencySummary;
  peakRssMb: number;
  articlesAfter: number;
}

/**
 * Sends searches at a fixed rate (open loop: one every 1000/`rate` ms whether or
 * not the last one answered, each latency counted from when it was due, so a
 * stalled service is not hidden by fewer requests) until `stop` resolves.
 */
async function searchLoad(
  baseUrl: string,
  queries: readonly string[],
  rate: number,
  stop: Promise<unknown>,
): Promise<{ latencies: number[]; errors: number }> {
  let done = false;
  void stop.then(() => (done = true));
  const latencies: number[] = [];
  let errors = 0;
  const inFlight: Promise<void>[] = [];
  const started = performance.now();
  for (let n = 0; !done; n++) {
    const due = started + (n * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const q = queries[n % queries.length]!;
    inFlight.push(
      fetch(`${baseUrl}/search?q=${encodeURIComponent(q)}`)
        .then(async (res) => {
          await res.arrayBuffer();
          if (res.status !== 200) errors++;
          else latencies.push(performance.now() - due);
        })
        .catch(() => {
          errors++;
        }),
    );
  }
  await Promise.all(inFlight);
  return { latencies, errors };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const source = flags.quick ? quickCorpusSource() : sharedCorpusSource();
  if (!source) {
    console.error('bench:writes needs ../shared/corpora (BBC and Reuters); use --quick for the fixture corpus');
    process.exit(1);
  }
  const work = await mkdtemp(path.join(os.tmpdir(), 'bench-writes-'));
  try {
    execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: REPO_ROOT, stdio: 'inherit' });
    const corpusDir = await prepareCorpus(source, 1, path.join(work, 'corpus'));
    const { articles } = await readCorpus(corpusDir);
    const importBody = (prefix: string) =>
      articles.length === 0
        ? ''
        : Array.from({ length: flags.articles }, (_, i) => {
            const a = articles[i % articles.length]!;
            return JSON.stringify({
              id: `${prefix}-${i}`,
              title: a.title,
              date: a.date,
              authors: a.authors,
              source: a.source,
              section: a.section,
              url: a.url,
              tags: a.tags,
              paragraphs: a.paragraphs,
            });
          }).join('\n') + '\n';
    const ndjson = importBody('import');

    // The baseline: `npm run index` of the same articles, as one NDJSON file.
    const importCorpus = path.join(work, 'import-corpus');
    await mkdir(importCorpus);
    await writeFile(path.join(importCorpus, 'import.ndjson'), ndjson);
    const indexRun = spawnSync(
      process.execPath,
      ['dist/main.js', 'index', '--corpus', importCorpus, '--cache', path.join(work, 'import-cache')],
      { cwd: REPO_ROOT, encoding: 'utf8' },
    );
    const indexSeconds = Number(/time:\s+([\d.]+) s/.exec(indexRun.stdout)?.[1] ?? NaN);

    const port = await freePort();
    const server = await startServerProcess(
      process.execPath,
      [...(flags.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${flags.cpuProf}`] : []), 'dist/main.js', 'serve'],
      {
        cwd: REPO_ROOT,
        port,
        timeoutMs: 300_000,
        env: {
          ...process.env,
          PORT: String(port),
          CORPUS_DIR: corpusDir,
          INDEX_CACHE_DIR: path.join(work, 'cache'),
          ADMIN_API_KEY: KEY,
          QUERY_CACHE: '0',
          WATCH: 'false',
          LOG_LEVEL: 'warn',
        },
      },
    );
    try {
      const words = [
        'market',
        'election',
        'oil prices',
        'bank',
        'film',
        'minister said',
        'growth',
        'football',
        'shares',
        'trade deficit',
        'music',
        'court',
      ];
      // Search latency without writes, then during the import.
      // Each query once first: the first use of a term decodes its postings (measured elsewhere, in npm run bench).
      for (const q of words) await (await fetch(`${server.baseUrl}/search?q=${encodeURIComponent(q)}`)).arrayBuffer();
      const before = await searchLoad(server.baseUrl, words, flags.rate, sleep(flags.quick ? 1000 : 5000));
      const post = async (body: string) => {
        const started = performance.now();
        const res = await fetch(`${server.baseUrl}/articles`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/x-ndjson' },
          body,
        });
        const answer = (await res.json()) as { written: number; failed: number };
        if (answer.written !== flags.articles)
          throw new Error(
            `import wrote ${answer.written} of ${flags.articles} (${JSON.stringify(answer).slice(0, 300)})`,
          );
        return (performance.now() - started) / 1000;
      };
      // The import alone (nothing else running), then another as large while searches run.
      const aloneSeconds = await post(importBody('alone'));
      let peakRss = 0;
      const sampler = setInterval(() => {
        peakRss = Math.max(
          peakRss,
          processTreeRss(server.child.pid!).reduce((n, p) => n + p.rss, 0),
        );
      }, 200);
      let finishImport!: () => void;
      const importDone = new Promise<void>((resolve) => (finishImport = resolve));
      const during = searchLoad(server.baseUrl, words, flags.rate, importDone);
      const importSeconds = await post(ndjson).finally(finishImport);
      const searched = await during;
      clearInterval(sampler);

      // Single writes: the PUT answers once the article is searchable here; time until a search finds it.
      const puts: number[] = [];
      for (let i = 0; i < (flags.quick ? 10 : 100); i++) {
        const t = performance.now();
        const r = await fetch(`${server.baseUrl}/articles/put-${i}`, {
          method: 'PUT',
          headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ title: `Zorblat ${i}`, body: `Unique word zorblat${i} in a fresh story.` }),
        });
        await r.arrayBuffer();
        for (;;) {
          const found = (await (await fetch(`${server.baseUrl}/search?q=zorblat${i}`)).json()) as { totalHits: number };
          if (found.totalHits === 1) break;
          if (performance.now() - t > 5000) throw new Error(`put-${i} not searchable 5 s after its ${r.status}`);
        }
        puts.push(performance.now() - t);
      }
      const health = (await (await fetch(`${server.baseUrl}/health`)).json()) as { articles: number };
      const results: WritesResults = {
        date: new Date().toISOString(),
        machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
        corpusArticles: articles.length,
        imported: flags.articles,
        importSeconds,
        importArticlesPerSecond: flags.articles / importSeconds,
        aloneSeconds,
        aloneArticlesPerSecond: flags.articles / aloneSeconds,
        indexSeconds,
        indexArticlesPerSecond: flags.articles / indexSeconds,
        searchBefore: summarizeLatency(before.latencies),
        searchDuring: summarizeLatency(searched.latencies),
        searchErrors: searched.errors + before.errors,
        rate: flags.rate,
        putToVisible: summarizeLatency(puts),
        peakRssMb: peakRss / 2 ** 20,
        articlesAfter: health.articles,
      };
      await mkdir(flags.out, { recursive: true });
      await writeFile(path.join(flags.out, 'writes-results.json'), JSON.stringify(results, null, 2) + '\n');
      await writeFile(path.join(flags.out, 'RESULTS-writes.md'), report(results));
      console.log(report(results));
    } finally {
      await stopProcess(server.child, 10_000);
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

const ms = (v: number) => `${v.toFixed(1)} ms`;

function report(r: WritesResults): string {
  const ratio = r.importArticlesPerSecond / r.indexArticlesPerSecond;
  const aloneRatio = r.aloneArticlesPerSecond / r.indexArticlesPerSecond;
  return `# Living archive: writes while searching

${r.date.slice(0, 10)}, ${r.machine}. Served corpus: ${r.corpusArticles.toLocaleString('en')} articles. ${r.imported.toLocaleString('en')} articles imported through \`POST /articles\` (one NDJSON body) alone, then ${r.imported.toLocaleString('en')} more while searches ran against the same service at ${r.rate} a second (open loop: each latency counted from when the search was due; \`QUERY_CACHE=0\`, so every search runs).

| measure | value | target |
|---|---|---|
| \`npm run index\` of the same articles | ${Math.round(r.indexArticlesPerSecond).toLocaleString('en')} articles/s (${r.indexSeconds.toFixed(1)} s) | |
| import alone | ${Math.round(r.aloneArticlesPerSecond).toLocaleString('en')} articles/s (${r.aloneSeconds.toFixed(1)} s); ratio to index ${aloneRatio.toFixed(2)} | ≥ 0.50 ${aloneRatio >= 0.5 ? '✓' : '✗'} |
| import while searching | ${Math.round(r.importArticlesPerSecond).toLocaleString('en')} articles/s (${r.importSeconds.toFixed(1)} s); ratio to index ${ratio.toFixed(2)} | ≥ 0.50 ${ratio >= 0.5 ? '✓' : '✗'} |
| search p50 / p99 before the import | ${ms(r.searchBefore.p50)} / ${ms(r.searchBefore.p99)} (${r.searchBefore.count} searches) | |
| search p50 / p99 during the import | ${ms(r.searchDuring.p50)} / ${ms(r.searchDuring.p99)} (max ${ms(r.searchDuring.max)}, ${r.searchDuring.count} searches) | p99 < 100 ms ${r.searchDuring.p99 < 100 ? '✓' : '✗'} |
| failed searches | ${r.searchErrors} | 0 |
| single \`PUT\` until a search finds it, p50 / p99 | ${ms(r.putToVisible.p50)} / ${ms(r.putToVisible.p99)} | < 1 s |
| peak RSS of the service during the import | ${Math.round(r.peakRssMb)} MB | |
| articles after | ${r.articlesAfter.toLocaleString('en')} | ${(r.corpusArticles + 2 * r.imported + r.putToVisible.count).toLocaleString('en')} |
`;
}

await main();
