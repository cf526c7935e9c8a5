/**
 * Phrase and proximity queries, two builds of the engine side by side in one
 * process (each its own checkout's `src/`, each its own index cache, opened
 * read-only) and SQLite FTS5 beside them: for each query, before, after and
 * FTS5 one after the other, `--passes` times; CPU time of each call
 * (`process.cpuUsage()`), each query's median, then p50 / p90 / p99 per list.
 * The responses of before and after are compared (total, ids, scores,
 * snippets) and every difference is printed. The lists are the bench's
 * (`query-language-set.ts`): `a NEAR/5 b`, `"a b"`, and from the same words
 * `a ADJ/3 b`, `"a b"~2`, `"a b c"` from the queries of three words, and the queries as
 * they are (`words`, not in the default `--lists`).
 *
 *   npx tsx bench/positions-paired.ts --before DIR --before-cache DIR --after DIR --after-cache DIR
 *     --corpus DIR [--fts DB] [--passes 3] [--lists near,phrase,adj,slop,phrase3]
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { tokenize } from '../src/analysis/tokenize.js';
import { FTS_SEARCH_WITH_SNIPPET } from './lib/fts-match.js';
import type { QuerySet } from './lib/make-query-set.js';
import { queryLanguageSet } from './lib/query-language-set.js';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1]!);
const need = (name: string) => {
  const value = args.get(name);
  if (!value) throw new Error(`--${name} is required`);
  return value;
};
const passes = Number(args.get('passes') ?? 3);
const lists = new Set((args.get('lists') ?? 'near,phrase,adj,slop,phrase3').split(','));

interface Engine {
  search(q: string): unknown;
}

async function engine(repo: string, cacheDir: string, corpusDir: string): Promise<Engine> {
  const { openIndex } = await import(path.resolve(repo, 'src/index/open-index.ts'));
  const { searchArchive } = await import(path.resolve(repo, 'src/query/search-archive.ts'));
  const { withDefaults } = await import(path.resolve(repo, 'src/query/search-params.ts'));
  const { index } = await openIndex({ corpusDir, cacheDir, readOnly: true });
  return { search: (q: string) => searchArchive(index, withDefaults({ q, prefix: 'off' })) };
}

const corpus = need('corpus');
const before = await engine(need('before'), need('before-cache'), corpus);
const after = await engine(need('after'), need('after-cache'), corpus);
const fts = args.get('fts') ? new Database(args.get('fts')!, { readonly: true }) : null;
const ftsSearch = fts?.prepare(FTS_SEARCH_WITH_SNIPPET);

const set = JSON.parse(await readFile(path.resolve(import.meta.dirname, 'queries.json'), 'utf8')) as QuerySet;
const language = queryLanguageSet(set);
const pairs = language.near.map((n) => n.ours.split(' NEAR/5 ') as [string, string]);
const quote = (form: string) => `"${form.replaceAll('"', '""')}"`;
const all: Record<string, { ours: string; fts: string | null }[]> = {
  near: language.near,
  phrase: language.phrase,
  adj: pairs.map(([a, b]) => ({ ours: `${a} ADJ/3 ${b}`, fts: null })),
  slop: pairs.map(([a, b]) => ({ ours: `"${a} ${b}"~2`, fts: null })),
  // The default mode's words (no phrase): what a change to the stored records must leave as it was.
  words: set.queries.map((q) => ({ ours: q.q, fts: null })),
  phrase3: set.queries
    .map((q) => tokenize(q.q).map((t) => t.form))
    .filter((forms) => forms.length >= 3)
    .map((forms) => ({ ours: `"${forms.slice(0, 3).join(' ')}"`, fts: forms.slice(0, 3).map(quote).join(' + ') })),
};

/** CPU time of one call, in ms. */
function cpu(run: () => unknown): number {
  const start = process.cpuUsage();
  run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!;
const summary = (values: number[]) =>
  values.length === 0
    ? '–'
    : `${percentile(values, 0.5).toFixed(3)} / ${percentile(values, 0.9).toFixed(2)} / ${percentile(values, 0.99).toFixed(2)}`;

const load = async () => (await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ');
console.log(`load average at start: ${await load()}; passes: ${passes}`);
console.log(
  '| list | queries | differing responses | before p50 / p90 / p99 ms | after p50 / p90 / p99 ms | FTS5 p50 / p90 / p99 ms |',
);
console.log('| --- | --- | --- | --- | --- | --- |');
for (const [name, queries] of Object.entries(all)) {
  if (!lists.has(name)) continue;
  const times = { before: [] as number[], after: [] as number[], fts: [] as number[] };
  let differing = 0;
  for (const { ours, fts: ftsQuery } of queries) {
    // A cold call each (caches filled), compared, then the timed passes alternating.
    const a = JSON.stringify(before.search(ours));
    const b = JSON.stringify(after.search(ours));
    const strip = (json: string) => json.replace(/"processingTimeMs":[0-9.e+-]+/g, '');
    if (strip(a) !== strip(b)) {
      differing++;
      console.error(`differs: ${ours}`);
    }
    const samples = { before: [] as number[], after: [] as number[], fts: [] as number[] };
    for (let p = 0; p < passes; p++) {
      samples.before.push(cpu(() => before.search(ours)));
      samples.after.push(cpu(() => after.search(ours)));
      if (ftsSearch && ftsQuery) samples.fts.push(cpu(() => ftsSearch.all(ftsQuery)));
    }
    times.before.push(median(samples.before));
    times.after.push(median(samples.after));
    if (args.has('verbose'))
      console.error(`${median(samples.before).toFixed(2)}\t${median(samples.after).toFixed(2)}\t${ours}`);
    if (samples.fts.length) times.fts.push(median(samples.fts));
  }
  console.log(
    `| ${name} | ${queries.length} | ${differing} | ${summary(times.before)} | ${summary(times.after)} | ${summary(times.fts)} |`,
  );
}
console.log(`load average at end: ${await load()}`);
