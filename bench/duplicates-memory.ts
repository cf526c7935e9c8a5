/**
 * The memory the near-duplicate groups hold at a million articles, without an index:
 * articles with random signatures (2 % of them near copies of an earlier one, a few
 * slots changed) are added to `DuplicateGroups` the way `warm` adds them, then the
 * heap is measured after a forced major GC, and that GC timed.
 *
 * The ids and the signatures are made before the first measurement: an index holds them
 * anyway (the signatures are each segment's, cached by `segmentSignatures`). It reaches
 * into the groups' private fields the way `warm` uses them, so the same script measures
 * an older version of them too (their fields then were the same, less `segmentAt`).
 *
 *   node --expose-gc --import tsx bench/duplicates-memory.ts [--articles 1000000]
 */
import { performance } from 'node:perf_hooks';
import { SIGNATURE_HASHES } from '../src/index/content-signature.js';
import { DuplicateGroups } from '../src/index/duplicate-groups.js';
import type { Segment } from '../src/index/segments/segment-reader.js';

const argv = process.argv.slice(2);
const at = argv.indexOf('--articles');
const articles = at === -1 ? 1_000_000 : Number(argv[at + 1]);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

/** A small deterministic generator (mulberry32), so that runs compare. */
let seed = 0x2026;
const random = (): number => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const PER_SEGMENT = 10_000;
const signatures = new Uint16Array(articles * SIGNATURE_HASHES);
for (let i = 0; i < articles; i++) {
  const row = signatures.subarray(i * SIGNATURE_HASHES, (i + 1) * SIGNATURE_HASHES);
  if (i > 100 && random() < 0.02) {
    // A near copy: 8 of 64 slots changed, an estimated similarity of about 0.87.
    const source = Math.floor(random() * i);
    row.set(signatures.subarray(source * SIGNATURE_HASHES, (source + 1) * SIGNATURE_HASHES));
    for (let k = 0; k < 8; k++) row[Math.floor(random() * SIGNATURE_HASHES)] = Math.floor(random() * 65536);
  } else for (let k = 0; k < SIGNATURE_HASHES; k++) row[k] = Math.floor(random() * 65536);
}
const ids = Array.from({ length: articles }, (_, i) => `article-${i.toString(36).padStart(6, '0')}`);
const segments = Array.from({ length: Math.ceil(articles / PER_SEGMENT) }, () => ({}) as Segment);

gc();
const before = process.memoryUsage();
const groups = new DuplicateGroups(0.7);
// What `warm` does first: the segments known (numbered, where the groups number them), room for every article.
const inside = groups as unknown as {
  segmentState: Map<Segment, object>;
  segmentAt?: Segment[];
  links: { reserve(articles: number): void };
};
segments.forEach((segment, number) => {
  inside.segmentState.set(segment, { included: new Uint8Array(0), deletedCount: 0, number });
  if (inside.segmentAt) inside.segmentAt[number] = segment;
});
inside.links.reserve(articles);
type Adder = {
  add(
    id: string,
    member: { segment: Segment; local: number; time: number; signature: Uint16Array; signatures: Uint16Array },
  ): void;
};
// Each segment's signatures, as `segmentSignatures` gives them (the newer groups read them there; the older, a view an article).
const segmentRows = segments.map((_, s) =>
  signatures.subarray(s * PER_SEGMENT * SIGNATURE_HASHES, (s + 1) * PER_SEGMENT * SIGNATURE_HASHES),
);
let t = performance.now();
for (let i = 0; i < articles; i++) {
  (groups as unknown as Adder).add(ids[i]!, {
    segment: segments[Math.floor(i / PER_SEGMENT)]!,
    local: i % PER_SEGMENT,
    time: 1_600_000_000_000 + i * 60_000,
    signature: signatures.subarray(i * SIGNATURE_HASHES, (i + 1) * SIGNATURE_HASHES),
    signatures: segmentRows[Math.floor(i / PER_SEGMENT)]!,
  });
}
const buildMs = performance.now() - t;
gc();
t = performance.now();
gc();
const gcMs = performance.now() - t;
const after = process.memoryUsage();
const mb = (n: number) => (n / 1e6).toFixed(0);
let grouped = 0;
let count = 0;
for (const group of (
  groups as unknown as { links: { groups(): Iterable<{ size?: number; length?: number }> } }
).links.groups()) {
  count++;
  grouped += group.size ?? group.length ?? 0;
}
// The segments' signatures stay alive, as an index keeps them.
if (signatures[0] === undefined) throw new Error('no signatures');
console.log(
  `${articles} articles: ${count} groups (${grouped} articles); build ${(buildMs / 1000).toFixed(1)} s; ` +
    `heap +${mb(after.heapUsed - before.heapUsed)} MB, external +${mb(after.external - before.external)} MB, ` +
    `RSS ${mb(after.rss)} MB; forced major GC ${gcMs.toFixed(0)} ms`,
);
