/**
 * Near-duplicate groups on the shared corpus (`../shared/corpora`): how many
 * groups the detector finds at a threshold, their sizes, a sample of groups and
 * of near-misses (pairs just under the threshold) to read, the cost of the
 * signatures, and the latency of `duplicates=group` beside `duplicates=show`.
 *
 *   npx tsx bench/duplicates.ts [--similarity 0.8] [--sample 50] [--out FILE]
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { readCorpus } from '../src/corpus/read-corpus.js';
import { buildIndex } from '../src/index/index-writer.js';
import { contentSignature, estimateSimilarity } from '../src/index/content-signature.js';
import { configureDuplicateSimilarity, duplicateView } from '../src/index/duplicate-groups.js';
import { searchArchive } from '../src/query/search-archive.js';
import { withDefaults } from '../src/query/search-params.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1]! : fallback;
};
const thresholds = flag('similarity', '0.8').split(',').map(Number);
const sample = Number(flag('sample', '50'));
const corpus = path.resolve(flag('corpus', '../shared/corpora'));
if (!existsSync(corpus)) {
  console.log(`skipped: ${corpus} is absent (the shared corpora)`);
  process.exit(0);
}

const read = await readCorpus(corpus);
const articles = read.articles;
console.log(`${articles.length} articles from ${corpus}`);

let started = performance.now();
const signatures = articles.map((a) => contentSignature(a));
const signatureMs = performance.now() - started;
started = performance.now();
const index = buildIndex(articles, { segmentArticles: 5000 });
const buildMs = performance.now() - started;
const segmentBytes = index.segments.reduce((n, s) => n + s.byteSize, 0);
const signatureBytes = articles.length * 64 * 2 + 32 * index.segments.length;
console.log(
  `signatures: ${signatureMs.toFixed(0)} ms for all articles; segments built in memory: ${buildMs.toFixed(0)} ms`,
);
console.log(
  `index ${(segmentBytes / 1e6).toFixed(1)} MB, signatures ${(signatureBytes / 1e6).toFixed(2)} MB (+${((100 * signatureBytes) / segmentBytes).toFixed(1)} %)`,
);

const out = flag('out', '');
for (const similarity of thresholds) {
  configureDuplicateSimilarity(similarity);
  started = performance.now();
  const view = duplicateView(index);
  const groupMs = performance.now() - started;
  const sizes = view.members.map((m) => m.length);
  const grouped = sizes.reduce((a, b) => a + b, 0);
  const histogram = new Map<number, number>();
  for (const s of sizes) histogram.set(Math.min(s, 10), (histogram.get(Math.min(s, 10)) ?? 0) + 1);
  console.log(
    `threshold ${similarity}: ${view.members.length} groups holding ${grouped} articles (${((100 * grouped) / articles.length).toFixed(1)} %), grouped in ${groupMs.toFixed(0)} ms`,
  );
  console.log(
    `sizes: ${[...histogram]
      .sort((a, b) => a[0] - b[0])
      .map(([s, n]) => `${s === 10 ? '10+' : s}: ${n}`)
      .join(', ')}`,
  );

  // A deterministic sample: every k-th group, and near-misses (pairs sharing a lot but under the threshold).
  const byId = new Map(articles.map((a, i) => [a.id, i]));
  const lines: string[] = [];
  const step = Math.max(1, Math.floor(view.members.length / sample));
  for (let g = 0; g < view.members.length && lines.length < sample * 50; g += step) {
    const ords = view.members[g]!;
    const members = ords.map((ord) => index.article(ord));
    lines.push(`## group ${g} (${members.length})`);
    for (const m of members.slice(0, 4)) {
      const sim = estimateSimilarity(signatures[byId.get(members[0]!.id)!]!, signatures[byId.get(m.id)!]!);
      lines.push(
        `- ${m.id} ${m.date ?? ''} sim=${sim.toFixed(2)} | ${m.title.slice(0, 90)} | ${m.paragraphs[0]?.slice(0, 140)}`,
      );
    }
  }
  // Near-misses: pairs with similarity in [threshold − 0.2, threshold), found among articles with equal band values.
  const misses: [number, number, number][] = [];
  const bucket = new Map<string, number[]>();
  signatures.forEach((s, i) => {
    for (let b = 0; b < 32; b++) {
      const key = `${b}:${s[2 * b]},${s[2 * b + 1]}`;
      const list = bucket.get(key) ?? [];
      list.push(i);
      bucket.set(key, list);
    }
  });
  const seenPairs = new Set<string>();
  for (const list of bucket.values()) {
    if (list.length > 50) continue;
    for (let x = 0; x < list.length; x++) {
      for (let y = x + 1; y < list.length; y++) {
        const key = `${list[x]}-${list[y]}`;
        if (seenPairs.has(key)) continue;
        seenPairs.add(key);
        const sim = estimateSimilarity(signatures[list[x]!]!, signatures[list[y]!]!);
        if (sim < similarity && sim >= similarity - 0.2) misses.push([list[x]!, list[y]!, sim]);
      }
    }
  }
  misses.sort((a, b) => b[2] - a[2]);
  console.log(`near-misses (similarity ${(similarity - 0.2).toFixed(2)}–${similarity}): ${misses.length}`);
  const missStep = Math.max(1, Math.floor(misses.length / sample));
  lines.push('# near-misses');
  for (let i = 0; i < misses.length && i / missStep < sample; i += missStep) {
    const [a, b, sim] = misses[i]!;
    lines.push(`## sim=${sim.toFixed(2)}`);
    for (const m of [articles[a]!, articles[b]!])
      lines.push(`- ${m.id} ${m.date ?? ''} | ${m.title.slice(0, 90)} | ${m.paragraphs[0]?.slice(0, 140)}`);
  }

  if (out) writeFileSync(out.replace(/\.md$/, `-${similarity}.md`), lines.join('\n') + '\n');
}

// Latency at 1×: the same queries with duplicates=show and =group.
const queries = [
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
for (const mode of ['show', 'group', 'show', 'group'] as const) {
  const times: number[] = [];
  for (let r = 0; r < 5; r++) {
    for (const q of queries) {
      const t = performance.now();
      searchArchive(index, withDefaults({ q, duplicates: mode }));
      times.push(performance.now() - t);
    }
  }
  times.sort((a, b) => a - b);
  console.log(
    `duplicates=${mode}: median ${times[Math.floor(times.length / 2)]!.toFixed(2)} ms, p95 ${times[Math.floor(times.length * 0.95)]!.toFixed(2)} ms over ${times.length} searches`,
  );
}
