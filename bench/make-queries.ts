/**
 * Generates `bench/queries.json`, the committed query set, from the reference
 * corpus (BBC + Reuters in `../shared/corpora`). Run once: `npx tsx bench/make-queries.ts`.
 * The set is seeded: running it again on the same corpus gives the same file.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readCorpus } from '../src/corpus/read-corpus.js';
import { makeQuerySet } from './lib/make-query-set.js';
import { prepareCorpus, REPO_ROOT, sharedCorpusSource } from './lib/prepare-corpus.js';

const source = sharedCorpusSource();
if (!source) {
  console.log('skipped: ../shared/corpora not found');
  process.exit(0);
}
const tmp = await mkdtemp(path.join(os.tmpdir(), 'newsroom-queries-'));
try {
  const dir = await prepareCorpus(source, 1, path.join(tmp, 'corpus'));
  const { articles } = await readCorpus(dir);
  const set = makeQuerySet(articles);
  // Warm-up queries: the same recipe with another seed, 1-2-3 words interleaved, none timed.
  const other = makeQuerySet(articles, { seed: set.seed + 1, perLength: 20, typingWords: 0 });
  const timed = new Set(set.queries.map((q) => q.q));
  const byLength = [1, 2, 3].map((n) => other.queries.filter((q) => q.words === n && !timed.has(q.q)).map((q) => q.q));
  set.warmup = byLength[0]!.flatMap((q, i) =>
    [q, byLength[1]![i], byLength[2]![i]].filter((x): x is string => x !== undefined),
  );
  const out = path.join(REPO_ROOT, 'bench/queries.json');
  await writeFile(out, `${JSON.stringify(set, null, 1)}\n`);
  const bands = { common: 0, middle: 0, rare: 0 };
  for (const q of set.queries) bands[q.band]++;
  console.log(
    `wrote ${out}: ${set.queries.length} queries over ${set.paragraphs} paragraphs, bands ${JSON.stringify(bands)}, ${set.typing.length} typed words, ${set.warmup.length} warm-up queries`,
  );
} finally {
  await rm(tmp, { recursive: true, force: true });
}
