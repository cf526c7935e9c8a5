/**
 * `npm run bench -- --only scale`: for each size, the scale-up corpus (generated
 * in a child process, or reused from `bench/.work`), then {@link runScaleSize};
 * writes `scale-results.json` and the scale section of `RESULTS.md` in the output
 * folder (the rest of that file is left as it is).
 */
import { buildService } from './engine-adapter.js';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { measureProcess } from './measure-process.js';
import { readScaleCorpus, SCALE_SEED } from './scale-corpus-cache.js';
import { replaceScaleSection, writeScaleReport } from './scale-report.js';
import type { ScaleResults } from './scale-results.js';
import { runScaleSize, SCALE_QUERIES, type ScaleRunOptions } from './scale-run.js';

/** Settings of {@link runScaleBench}: those of a size run, plus the sizes and where results go. */
export interface ScaleBenchOptions extends ScaleRunOptions {
  sizes: number[];
  outDir: string;
  /** Said of the run, shown in the report (e.g. what else loaded the machine). */
  note?: string;
}

/** The scale section of `outDir/scale-results.json` put into `markdown` (unchanged when there is no such file). */
export async function withScaleSection(outDir: string, markdown: string): Promise<string> {
  const file = path.join(outDir, 'scale-results.json');
  if (!existsSync(file)) return markdown;
  try {
    return replaceScaleSection(markdown, writeScaleReport(JSON.parse(await readFile(file, 'utf8')) as ScaleResults));
  } catch {
    return markdown;
  }
}

/** Runs every size in turn and writes the results; returns them. */
export async function runScaleBench(options: ScaleBenchOptions): Promise<ScaleResults> {
  const started = performance.now();
  buildService(options.repoRoot);
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(':memory:');
  const sqlite = (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  db.close();
  const results: ScaleResults = {
    date: new Date().toISOString(),
    quick: options.quick,
    machine: {
      cpu: os.cpus()[0]?.model ?? 'unknown',
      cores: os.cpus().length,
      ramBytes: os.totalmem(),
      platform: `${os.platform()} ${os.release()}`,
    },
    versions: { node: process.version, sqlite },
    seed: SCALE_SEED,
    heaps: null,
    method:
      `Once \`/health\` says the background warm-up after the start is done (ours: \`warmedUp\`), each server gets ${options.querySet.warmup?.length ?? 30} warm-up queries in default mode and in OR (untimed), then the ${options.querySet.queries.length} queries of the query set in default mode, ` +
      `the same in OR, and ${options.querySet.typing.reduce((t, w) => t + w.prefixes.length, 0)} as-you-type prefixes, then a top-up to ${SCALE_QUERIES.toLocaleString('en')} requests; ` +
      'one request at a time on one keep-alive connection over loopback, timed by the client (server work plus HTTP). The query set is drawn from the real corpus, which every size contains.',
    buildNodeFlags: options.buildNodeFlags,
    ...(options.note ? { note: options.note } : {}),
    sizes: [],
    elapsedSeconds: 0,
  };
  for (const times of options.sizes) {
    options.log(
      `${times}×: corpus (generated once, then reused from ${path.relative(options.repoRoot, options.workDir)})`,
    );
    const gen = await measureProcess(
      {
        program: 'nice',
        args: [
          '-n',
          '10',
          process.execPath,
          '--import',
          'tsx',
          path.join(options.repoRoot, 'bench/make-scale-corpus.ts'),
          '--sizes',
          String(times),
          '--work',
          options.workDir,
          ...(options.quick ? ['--quick'] : []),
        ],
        cwd: options.repoRoot,
      },
      { timeoutMs: options.timeoutMs.corpus },
    );
    const corpus = gen.ok ? await readScaleCorpus(options.workDir, times) : null;
    if (!corpus) {
      const reason = gen.ok
        ? 'generated, but its figures file is missing'
        : `${gen.timedOut ? 'timeout' : `exit code ${gen.exitCode}`}: ${gen.reasonLine}`;
      options.log(`${times}×: no corpus (${reason})`);
      results.sizes.push({ times, corpus: null, corpusFailed: reason, ours: {}, fts: {} });
      continue;
    }
    results.heaps ??= {
      ...corpus.stats.source.heaps,
      tokens: corpus.stats.source.tokens,
      distinctForms: corpus.stats.source.distinctForms,
    };
    results.sizes.push(await runScaleSize(times, corpus, options));
    if (options.systems) results.systems = [...options.systems];
    results.elapsedSeconds = (performance.now() - started) / 1000;
    // Written after every size, so a long run interrupted late keeps what it measured.
    await writeResults(options.outDir, results);
  }
  results.elapsedSeconds = (performance.now() - started) / 1000;
  await writeResults(options.outDir, results);
  return results;
}

async function writeResults(outDir: string, results: ScaleResults): Promise<void> {
  await mkdir(outDir, { recursive: true });
  await writeFile(path.join(outDir, 'scale-results.json'), `${JSON.stringify(results, null, 1)}\n`);
  const reportFile = path.join(outDir, 'RESULTS.md');
  const before = existsSync(reportFile) ? await readFile(reportFile, 'utf8') : '# Benchmark results\n';
  await writeFile(reportFile, replaceScaleSection(before, writeScaleReport(results)));
}
