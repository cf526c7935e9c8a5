/**
 * `duplicates=group` beside `duplicates=show` on the scale-up archives (1× is
 * BBC + Reuters, N× the generated archive of `make-scale-corpus.ts`): the time
 * to build the groups from the signatures (once per process), how many groups,
 * and the latency of the same queries in both modes, in process, after a warm-up.
 *
 *   npx tsx bench/duplicates-scale.ts [--sizes 1,16] [--rounds 5] [--work DIR] [--out FILE]
 *
 * Needs `../shared/corpora` (skips, saying so, without it). The index of each
 * size is built (or loaded) in `<work>/dup-cache-<N>x` (gitignored).
 */
import { existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { duplicateView } from '../src/index/duplicate-groups.js';
import { openIndex } from '../src/index/open-index.js';
import { searchArchive } from '../src/query/search-archive.js';
import { withDefaults } from '../src/query/search-params.js';
import { readSourceArticles, tokenizeForms } from './lib/engine-adapter.js';
import { REPO_ROOT, SHARED_CORPORA } from './lib/prepare-corpus.js';
import { ensureScaleCorpus, SCALE_SEED } from './lib/scale-corpus-cache.js';

const argv = process.argv.slice(2);
const flag = (name: string, fallback: string): string => {
  const i = argv.indexOf(`--${name}`);
  return i === -1 ? fallback : argv[i + 1]!;
};
const sizes = flag('sizes', '1,16').split(',').map(Number);
const rounds = Number(flag('rounds', '5'));
const workDir = path.resolve(flag('work', path.join(REPO_ROOT, 'bench/.work')));
const out = flag('out', '');
if (!existsSync(SHARED_CORPORA)) {
  console.log(`skipped: ${SHARED_CORPORA} is absent (the shared corpora)`);
  process.exit(0);
}
const log = (line: string) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);

/** The queries of `bench/duplicates.ts`: news words of the 1× corpus, common and rare. */
const QUERIES = [
  'oil prices',
  'coffee',
  'bank rate',
  'trade deficit',
  'election',
  'football',
  'shares rose',
  'dollar yen',
  'wheat',
  'profit',
];

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

const source = await readSourceArticles(SHARED_CORPORA, ['bbc/', 'reuters-21578.ndjson']);
const rows: string[] = [];
for (const times of sizes) {
  const record = await ensureScaleCorpus(workDir, times, source, tokenizeForms, { seed: SCALE_SEED, log });
  let t = performance.now();
  const opened = await openIndex({ corpusDir: record.dir, cacheDir: path.join(workDir, `dup-cache-${times}x`), log });
  const openS = (performance.now() - t) / 1000;
  const index = opened.index;
  log(`${times}×: ${index.articleCount} articles, index ${opened.state} in ${openS.toFixed(1)} s`);
  t = performance.now();
  const view = duplicateView(index);
  const groupS = (performance.now() - t) / 1000;
  const grouped = view.members.reduce((n, m) => n + m.length, 0);
  log(`${times}×: ${view.members.length} groups holding ${grouped} articles, grouped in ${groupS.toFixed(1)} s`);
  // A warm-up pass (postings decoded, caches filled), then rounds alternating the two modes.
  for (const q of QUERIES)
    for (const duplicates of ['show', 'group'] as const) searchArchive(index, withDefaults({ q, duplicates }));
  const times_: Record<'show' | 'group', number[]> = { show: [], group: [] };
  const totals: Record<'show' | 'group', number> = { show: 0, group: 0 };
  for (let r = 0; r < rounds; r++) {
    for (const q of QUERIES) {
      for (const duplicates of r % 2 ? (['group', 'show'] as const) : (['show', 'group'] as const)) {
        const s = performance.now();
        const response = searchArchive(index, withDefaults({ q, duplicates }));
        times_[duplicates].push(performance.now() - s);
        if (r === 0) totals[duplicates] += response.totalHits;
      }
    }
  }
  const line = (mode: 'show' | 'group') => {
    const sorted = [...times_[mode]].sort((a, b) => a - b);
    return `median ${percentile(sorted, 0.5).toFixed(1)} ms, p95 ${percentile(sorted, 0.95).toFixed(1)} ms`;
  };
  log(`${times}×: show ${line('show')}; group ${line('group')}`);
  rows.push(
    `| ${times}× | ${index.articleCount.toLocaleString('en')} | ${view.members.length.toLocaleString('en')} (${((100 * grouped) / index.articleCount).toFixed(1)} % of articles) | ${groupS.toFixed(1)} s | ${line('show')} | ${line('group')} | ${totals.show.toLocaleString('en')} / ${totals.group.toLocaleString('en')} |`,
  );
  index.close();
}

const report = [
  `# duplicates=group beside duplicates=show at scale`,
  '',
  `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${os.cpus().length} shared cores, load average ${os.loadavg()[0]!.toFixed(1)} at the end; ` +
    `${QUERIES.length} queries × ${rounds} rounds per mode, in process, after a warm-up pass; \`npx tsx bench/duplicates-scale.ts --sizes ${sizes.join(',')}\`.`,
  '',
  '| size | articles | groups | grouping (once) | `duplicates=show` | `duplicates=group` | totalHits of the 10 queries, show / group |',
  '| --- | --- | --- | --- | --- | --- | --- |',
  ...rows,
  '',
];
console.log(report.join('\n'));
if (out) writeFileSync(out, report.join('\n'));
