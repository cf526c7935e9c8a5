/**
 * Where a default-mode search spends its time, in process, query by query
 * (`npx tsx bench/default-mode-profile.ts --corpus DIR --cache DIR [--passes N] [--out FILE] [--mode default|or]`):
 * opens the index read-only from an existing cache, warms it as the service does (the most frequent
 * terms' postings, the near-duplicate groups), then runs the bench's 300 queries (`bench/queries.json`)
 * as `GET /search?q=…` would (query cache off) `--passes` times (default 3), and prints per query the
 * CPU time of each stage of the last pass:
 * `match` (parse, plan, match, score, rank: `matchSearch`), `hits` (the page's hits and snippets, the
 * totals: the rest of `searchArchive` less the facets), `facets` and `json` (`JSON.stringify`). `--out FILE`
 * writes the per-query rows as tab-separated values; the summary (p50, p90, p99, mean of each stage, and the
 * slowest queries) goes to stdout. CPU time (`process.cpuUsage`) leaves out the time other processes hold
 * the cores; run it with `--cpu-prof` for the functions inside a stage.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { openIndex } from '../src/index/open-index.js';
import { duplicateGroupsOf } from '../src/index/duplicate-groups.js';
import { warmPostings } from '../src/index/warm-postings.js';
import { facets } from '../src/query/results/build-hits.js';
import { Deadline } from '../src/query/execute/deadline.js';
import { createFastScorer, releaseMatches } from '../src/query/execute/execute-query.js';
import { matchSearch, searchArchive } from '../src/query/search-archive.js';
import { readSearchParams } from '../src/http/read-search-params.js';
import { parseQueryString } from '../src/http/parse-query-string.js';
import { flag } from './lib/cli-flag.js';
import { REPO_ROOT } from './lib/prepare-corpus.js';

const corpusDir = path.resolve(flag('--corpus'));
const cacheDir = path.resolve(flag('--cache'));
const passes = Number(flag('--passes', '3'));
const out = process.argv.includes('--out') ? flag('--out') : null;
const mode = flag('--mode', 'default');
const queries = (
  JSON.parse(readFileSync(path.join(REPO_ROOT, 'bench/queries.json'), 'utf8')) as { queries: { q: string }[] }
).queries.map((q) => q.q);

const opened = await openIndex({ corpusDir, cacheDir, readOnly: true });
const index = opened.index;
await Promise.all([warmPostings(index), duplicateGroupsOf(index).warm(index)]);
console.log(`index ${opened.state}: ${index.articleCount} articles, ${index.paragraphCount} paragraphs`);

/** CPU time of this process in ms (user + system). */
const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const urlOf = (q: string) => `/search?q=${encodeURIComponent(q)}${mode === 'or' ? '&matchingStrategy=any' : ''}`;

interface Row {
  q: string;
  match: number;
  hits: number;
  facets: number;
  json: number;
  whole: number;
  wall: number;
  totalHits: number;
  relation: string;
}

function run(q: string): Row {
  const params = readSearchParams(parseQueryString(urlOf(q)));
  let t = cpuNow();
  const matched = matchSearch(
    index,
    params,
    params.page * params.hitsPerPage,
    createFastScorer(index),
    Deadline.none(),
    undefined,
    {
      topK: true,
    },
  );
  const match = cpuNow() - t;
  t = cpuNow();
  facets(index, params, matched.ranked.ids, Deadline.none());
  const facetMs = cpuNow() - t;
  releaseMatches(matched.matches);
  const w = performance.now();
  t = cpuNow();
  const response = searchArchive(index, params);
  const whole = cpuNow() - t;
  const wall = performance.now() - w;
  t = cpuNow();
  JSON.stringify(response);
  const json = cpuNow() - t;
  return {
    q,
    match,
    hits: Math.max(0, whole - match - facetMs),
    facets: facetMs,
    json,
    whole: whole + json,
    wall,
    totalHits: response.totalHits,
    relation: response.totalHitsRelation,
  };
}

let rows: Row[] = [];
for (let pass = 0; pass < passes; pass++) rows = queries.map(run);
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const stages = ['match', 'hits', 'facets', 'json', 'whole', 'wall'] as const;
console.log(`stage\tp50\tp90\tp99\tmean (CPU ms; wall: searchArchive's wall time), last of ${passes} passes`);
for (const s of stages) {
  const xs = rows.map((r) => r[s]);
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  console.log(
    `${s}\t${pct(xs, 50).toFixed(2)}\t${pct(xs, 90).toFixed(2)}\t${pct(xs, 99).toFixed(2)}\t${mean.toFixed(2)}`,
  );
}
console.log('slowest (whole CPU ms, match, hits, totalHits, relation):');
for (const r of [...rows].sort((a, b) => b.whole - a.whole).slice(0, 12))
  console.log(
    `  ${r.whole.toFixed(1)}\t${r.match.toFixed(1)}\t${r.hits.toFixed(1)}\t${r.totalHits}\t${r.relation}\t${r.q}`,
  );
if (out)
  writeFileSync(
    out,
    `${['q', ...stages, 'totalHits', 'relation'].join('\t')}\n${rows
      .map((r) => [r.q, ...stages.map((s) => r[s].toFixed(3)), r.totalHits, r.relation].join('\t'))
      .join('\n')}\n`,
  );
const lat = (globalThis as { __lat?: Record<string, number> }).__lat;
if (lat) {
  // Only the last pass: the table holds all passes (and the separate matchSearch calls), so divide.
  console.log('instrumented stages, CPU ms per query averaged over all calls:');
  for (const [k, v] of Object.entries(lat)) console.log(`  ${k}\t${(v / (queries.length * passes * 2)).toFixed(3)}`);
}
