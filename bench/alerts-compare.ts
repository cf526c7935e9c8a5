/**
 * The matching of two versions of the alerts in one process (`npx tsx
 * bench/alerts-compare.ts --before DIR`): this checkout's `AlertService` and the
 * one of `DIR` (another checkout of this project, its dependencies installed
 * or linked; `git archive <commit> src | tar -x -C DIR` and a `node_modules`
 * link make one), each holding the same `--alerts N` saved searches
 * (default 10,000, `lib/alert-mix.ts`), match the same written articles, a
 * round of `--articles N` (default 800) at a time, the two versions taking
 * turns (and turns first), for `--rounds N` rounds (default 4) after one to
 * warm up. On a machine whose cores are shared, what one run measures differs
 * from the next run more than the versions differ: measured side by side, the
 * load falls on both alike, and their ratios hold. Prints the wall and CPU
 * time of matching one article (p50, p99, mean) of each version, their
 * ratios (after / before), and the events each made (the same verdicts make
 * the same count). Then a bulk import's matching: `--steps N` (default 8)
 * steps of 250 articles, each matched with the segment the step added (the
 * batch path), the versions taking turns: the time per article each took.
 * Corpus: `--corpus DIR`, as `bench/alerts.ts`.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { AlertService } from '../src/alerts/alert-service.js';
import { stemTerm } from '../src/analysis/index-terms.js';
import type { Article } from '../src/corpus/article.js';
import { readCorpus } from '../src/corpus/read-corpus.js';
import { buildIndex } from '../src/index/index-writer.js';
import { makeAlertMix } from './lib/alert-mix.js';
import { percentile } from './lib/percentile.js';
import { QUICK_FIXTURE, SHARED_CORPORA } from './lib/prepare-corpus.js';
import { seededRandom } from './lib/seeded-random.js';

interface Flags {
  before: string;
  alerts: number;
  articles: number;
  rounds: number;
  steps: number;
  corpus: string;
}

function parseFlags(argv: string[]): Flags {
  const shared = path.join(SHARED_CORPORA, 'bbc');
  const flags: Flags = {
    before: '',
    alerts: 10_000,
    articles: 800,
    rounds: 4,
    steps: 8,
    corpus: existsSync(shared) ? shared : path.join(QUICK_FIXTURE, 'bbc'),
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--before') flags.before = path.resolve(argv[++i]!);
    else if (arg === '--alerts') flags.alerts = Number(argv[++i]);
    else if (arg === '--articles') flags.articles = Number(argv[++i]);
    else if (arg === '--rounds') flags.rounds = Number(argv[++i]);
    else if (arg === '--steps') flags.steps = Number(argv[++i]);
    else if (arg === '--corpus') flags.corpus = path.resolve(argv[++i]!);
    else throw new Error(`unknown flag ${arg}`);
  }
  if (!flags.before) throw new Error('--before DIR (another checkout of this project) is required');
  return flags;
}

/** What both versions offer: opening a service, and building an index of articles (each version its own). */
interface Version {
  name: string;
  open: (options: { dir: string; maxAlerts: number; frequency: (t: string) => number }) => Promise<AlertService>;
  build: (articles: Article[]) => unknown;
}

async function versionAt(name: string, root: string): Promise<Version> {
  const url = (file: string) => pathToFileURL(path.join(root, 'src', file)).href;
  const service = (await import(url('alerts/alert-service.ts'))) as { AlertService: typeof AlertService };
  const writer = (await import(url('index/index-writer.ts'))) as { buildIndex: typeof buildIndex };
  return { name, open: (o) => service.AlertService.open(o), build: (a) => writer.buildIndex(a) };
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const { articles } = await readCorpus(flags.corpus);
  const index = buildIndex(articles);
  const frequency = (term: string) => index.documentFrequency('paragraphs', term);
  const half = Math.max(1, Math.floor(articles.length / 2));
  const queries = makeAlertMix(seededRandom(24), articles.slice(0, half), flags.alerts, (form) =>
    frequency(stemTerm(form)),
  );
  const fresh = articles.length > 1 ? articles.slice(half) : articles;
  const here = path.resolve(import.meta.dirname, '..');
  const versions = await Promise.all([versionAt('before', flags.before), versionAt('after', here)]);
  const runs = await Promise.all(
    versions.map(async (version) => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'nrs-alerts-compare-'));
      const service = await version.open({ dir, maxAlerts: queries.length + 10, frequency });
      for (let i = 0; i < queries.length; i += 500)
        await Promise.all(
          queries
            .slice(i, i + 500)
            .map(({ query }, j) => service.create({ name: `bench ${i + j}`, query, webhook: null })),
        );
      return { version, service, dir, wall: [] as number[], cpu: [] as number[] };
    }),
  );
  const loads: number[] = [os.loadavg()[0]!];
  for (let round = 0; round <= flags.rounds; round++) {
    const batch = Array.from(
      { length: flags.articles },
      (_v, i) => fresh[(round * flags.articles + i) % fresh.length]!,
    );
    for (const run of round % 2 ? runs : [...runs].reverse()) {
      for (let i = 0; i < batch.length; i++) {
        // As a PUT gives it: a new id (new matches), and the segment the write added as the article's index.
        const article = { ...batch[i]!, id: `round-${round}-${i}` };
        const single = run.version.build([article]);
        const cpu = process.cpuUsage();
        const started = performance.now();
        run.service.articlesChanged({ published: [article], withdrawn: [], seq: null, index: single as never });
        const wall = performance.now() - started;
        const used = process.cpuUsage(cpu);
        if (round > 0) {
          run.wall.push(wall);
          run.cpu.push((used.user + used.system) / 1000);
        }
      }
      await run.service.flushed();
    }
    loads.push(os.loadavg()[0]!);
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const figures = runs.map((run) => {
    const events = run.service.stats().events;
    return {
      version: run.version.name,
      wallP50: percentile(run.wall, 50),
      wallP99: percentile(run.wall, 99),
      wallMean: mean(run.wall),
      cpuP50: percentile(run.cpu, 50),
      cpuP99: percentile(run.cpu, 99),
      cpuMean: mean(run.cpu),
      events: events['alert.match'] + events['alert.update'],
    };
  });
  const [before, after] = figures as [(typeof figures)[0], (typeof figures)[0]];
  const keys = ['wallP50', 'wallP99', 'wallMean', 'cpuP50', 'cpuP99', 'cpuMean'] as const;
  console.log(
    `${new Date().toISOString().slice(0, 10)}, ${articles.length} articles, ${queries.length} saved searches, ${flags.rounds} rounds of ${flags.articles} written articles, load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`,
  );
  console.log('| version | wall p50 | wall p99 | wall mean | CPU p50 | CPU p99 | CPU mean | events |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const f of figures)
    console.log(`| ${f.version} | ${keys.map((k) => `${f[k].toFixed(3)} ms`).join(' | ')} | ${f.events} |`);
  console.log(`| after / before | ${keys.map((k) => (after[k] / before[k]).toFixed(2)).join(' | ')} | |`);

  // A bulk import's steps: 250 articles at a time, matched with the step's segment, until their events are durable.
  const stepMs = runs.map(() => [] as number[]);
  const stepEvents = runs.map((run) => run.service.stats().events['alert.match']);
  for (let step = 0; step <= flags.steps; step++) {
    const batch = Array.from({ length: 250 }, (_v, i) => ({
      ...fresh[(step * 250 + i) % fresh.length]!,
      id: `step-${step}-${i}`,
    }));
    for (const r of step % 2 ? [0, 1] : [1, 0]) {
      const run = runs[r]!;
      const segment = run.version.build(batch);
      const started = performance.now();
      run.service.articlesChanged({ published: batch, withdrawn: [], seq: null, index: segment as never });
      await run.service.flushed();
      if (step > 0) stepMs[r]!.push((performance.now() - started) / batch.length);
    }
  }
  const perArticle = stepMs.map(mean);
  console.log(
    `Import steps of 250: ${perArticle.map((ms, r) => `${runs[r]!.version.name} ${ms.toFixed(3)} ms per article (${runs[r]!.service.stats().events['alert.match'] - stepEvents[r]!} matches)`).join(', ')}; after / before ${(perArticle[1]! / perArticle[0]!).toFixed(2)}`,
  );
  for (const run of runs) {
    await run.service.close();
    await rm(run.dir, { recursive: true, force: true });
  }
}

await main();
