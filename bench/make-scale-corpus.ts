/**
 * Generates (or finds) the scale-up corpora: `npx tsx bench/make-scale-corpus.ts
 * --sizes 8,16,48 [--seed N] [--work DIR] [--quick]`. Source: BBC + Reuters from
 * `../shared/corpora` (`--quick`: the bench fixture). Output: `bench/.work/scale-<N>x/`
 * (gitignored) and `scale-<N>x.json` beside it; prints each corpus's figures as
 * one JSON line on stdout (the bench reads the last line).
 */
import path from 'node:path';
import { readSourceArticles, tokenizeForms } from './lib/engine-adapter.js';
import { QUICK_FIXTURE, REPO_ROOT, SHARED_CORPORA } from './lib/prepare-corpus.js';
import { ensureScaleCorpus, SCALE_SEED } from './lib/scale-corpus-cache.js';

const argv = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i === -1 ? undefined : argv[i + 1];
};
const quick = argv.includes('--quick');
const sizes = (flag('--sizes') ?? '8,16,48').split(',').map(Number);
const seed = Number(flag('--seed') ?? SCALE_SEED);
const workDir = path.resolve(flag('--work') ?? path.join(REPO_ROOT, 'bench/.work'));
if (sizes.some((s) => !Number.isInteger(s) || s < 1)) throw new Error('--sizes: positive integers, e.g. 8,16,48');

const root = quick ? QUICK_FIXTURE : SHARED_CORPORA;
const log = (line: string) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);
log(`reading the source corpus in ${quick ? 'bench/fixtures/corpus' : '../shared/corpora'}`);
const source = await readSourceArticles(root, quick ? ['bbc/', 'wires.ndjson'] : ['bbc/', 'reuters-21578.ndjson']);
log(`${source.length} source articles`);
for (const times of sizes) {
  const record = await ensureScaleCorpus(workDir, times, source, tokenizeForms, { seed, log });
  const s = record.stats;
  log(
    `${times}×: ${s.articles} articles, ${s.paragraphs} paragraphs, ${s.tokens} tokens, ${s.distinctForms} distinct forms; ` +
      `${(record.bytes / 1e6).toFixed(0)} MB in ${record.files} files (${record.generateSeconds.toFixed(0)} s); source β ${s.source.heaps.beta.toFixed(3)}`,
  );
  process.stdout.write(`${JSON.stringify({ ...record, stats: { ...s, perCopy: undefined } })}\n`);
}
