/**
 * `npm run eval`: the relevance protocol of `../shared/relevance/README.md` on each
 * judged collection there — our search function, SQLite FTS5 and raw MiniSearch on
 * the same text (and our service over HTTP with `--http`) — scored by nDCG@10 and
 * MAP, with the geometric mean of ours ÷ FTS5 nDCG@10, written to `bench/results/RELEVANCE.md`.
 *
 * Flags: `--collections DIR` (default `../shared/relevance`), `--only cranfield,med`
 * (collection names), `--http` (also run the service over loopback), `--out FILE`
 * (default `bench/results/RELEVANCE.md`), `--no-write` (print only), `--per-query FILE` (also
 * write each judged query's nDCG@10, ours and FTS5's, and the ranks of its judged documents, tab-separated).
 * Without the collections folder it says so and exits 0.
 */
import { existsSync, readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './lib/prepare-corpus.js';
import { packageVersion } from '../src/package-version.js';
import { readCollection } from './eval/collection.js';
import { evaluateCollection } from './eval/evaluate.js';
import { PER_QUERY_HEADER, perQueryLines } from './eval/per-query-report.js';
import { sqliteVersion } from './eval/run-systems.js';
import { geometricMeanRatio, renderRelevanceTable, writeRelevanceReport } from './eval/write-relevance-report.js';

interface Flags {
  collections: string;
  only: Set<string> | null;
  http: boolean;
  out: string;
  write: boolean;
  perQuery: string | null;
}

function parseFlags(argv: string[]): Flags {
  const flags: Flags = {
    collections: path.resolve(REPO_ROOT, '../shared/relevance'),
    only: null,
    http: false,
    out: path.join(REPO_ROOT, 'bench/results/RELEVANCE.md'),
    write: true,
    perQuery: null,
  };
  const rest = [...argv];
  while (rest.length > 0) {
    const arg = rest.shift()!;
    const takesValue = arg === '--collections' || arg === '--only' || arg === '--out' || arg === '--per-query';
    const value = takesValue ? rest.shift() : '';
    if (value === undefined) throw new Error(`${arg} needs a value`);
    switch (arg) {
      case '--collections':
        flags.collections = path.resolve(value);
        break;
      case '--only':
        flags.only = new Set(value.split(','));
        break;
      case '--out':
        flags.out = path.resolve(value);
        break;
      case '--per-query':
        flags.perQuery = path.resolve(value);
        break;
      case '--http':
        flags.http = true;
        break;
      case '--no-write':
        flags.write = false;
        break;
      default:
        throw new Error(`unknown flag ${arg}`);
    }
  }
  return flags;
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  if (!existsSync(flags.collections)) {
    console.log(
      `npm run eval: skipped — no judged collections at ${flags.collections} (the shared folder beside the repository, ../shared/relevance).`,
    );
    return;
  }
  const files = readdirSync(flags.collections)
    .filter((f) => f.endsWith('.json'))
    .filter((f) => !flags.only || flags.only.has(path.basename(f, '.json')))
    .sort();
  if (files.length === 0) {
    console.log(`npm run eval: skipped — no collection files (*.json) in ${flags.collections}.`);
    return;
  }
  const results = [];
  const perQuery = [PER_QUERY_HEADER];
  for (const file of files) {
    const collection = await readCollection(path.join(flags.collections, file));
    const started = performance.now();
    const figures = await evaluateCollection(collection, { http: flags.http, repoRoot: REPO_ROOT });
    const s = figures.systems;
    console.log(
      `${collection.name}: nDCG@10 ours ${s.ours!.ndcg10.toFixed(4)} fts5 ${s.fts5!.ndcg10.toFixed(4)} minisearch ${s.minisearch!.ndcg10.toFixed(4)}` +
        (s.http ? ` http ${s.http.ndcg10.toFixed(4)}` : '') +
        ` | MAP ours ${s.ours!.map.toFixed(4)} fts5 ${s.fts5!.map.toFixed(4)} minisearch ${s.minisearch!.map.toFixed(4)}` +
        ` | ours/fts5 ${(s.ours!.ndcg10 / s.fts5!.ndcg10).toFixed(3)} (${Math.round(performance.now() - started)} ms)`,
    );
    results.push(figures);
    perQuery.push(...perQueryLines(collection, figures));
  }
  if (flags.perQuery) {
    await writeFile(flags.perQuery, `${perQuery.join('\n')}\n`);
    console.log(`wrote per-query figures to ${path.relative(process.cwd(), flags.perQuery)}`);
  }
  console.log(`geometric mean ours/fts5 nDCG@10: ${geometricMeanRatio(results).toFixed(4)}`);
  if (!flags.write) return;
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  const table = renderRelevanceTable(results, {
    date: `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    machine: `${cpu}, ${os.cpus().length} cores`,
    versions: `Node ${process.versions.node}, MiniSearch ${packageVersion('minisearch')}, SQLite ${sqliteVersion()}`,
  });
  await writeRelevanceReport(flags.out, table);
  console.log(`wrote ${path.relative(process.cwd(), flags.out)}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
