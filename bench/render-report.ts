/**
 * Re-renders `RESULTS.md` and `latency.svg` from a saved `results.json` without
 * measuring again (after a change to the report's wording or layout):
 * `npx tsx bench/render-report.ts [DIR]`, DIR defaulting to `bench/results/`. The scale
 * section is rendered again from `scale-results.json` when that file is there.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BenchResults } from './lib/bench-results.js';
import { REPO_ROOT } from './lib/prepare-corpus.js';
import { renderLatencyChart } from './lib/render-latency-chart.js';
import { writeReport } from './lib/write-report.js';
import { withScaleSection } from './lib/scale-bench.js';

const dir = path.resolve(process.argv[2] ?? path.join(REPO_ROOT, 'bench', 'results'));
const results = JSON.parse(await readFile(path.join(dir, 'results.json'), 'utf8')) as BenchResults;
await writeFile(path.join(dir, 'RESULTS.md'), await withScaleSection(dir, writeReport(results)));
await writeFile(path.join(dir, 'latency.svg'), await renderLatencyChart(results));
console.log(`wrote ${path.join(dir, 'RESULTS.md')} and latency.svg from results.json`);
