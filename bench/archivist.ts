/**
 * The archivist tools' figures (issue 26), on the reference corpus at 1× (BBC +
 * Reuters from `../shared/corpora`): the cost of entity extraction beside a full
 * build, the latency of `w/p`, `w/s`, `lead:` and `atleastN:` beside a plain AND
 * of the same words, and (with `--sample FILE`) 100 articles' entities written
 * out to be read and judged by hand (precision per type).
 *
 * `npx tsx bench/archivist.ts [--sample FILE] [--corpora DIR]` (DIR: where `bbc/` and
 * `reuters-21578.ndjson` are, default `../shared/corpora`). Prints a Markdown report.
 * The extraction cost is measured on one thread over every article; the build
 * runs it in its segment workers, so the share of the build it takes is at most
 * the ratio printed.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { extractEntities } from '../src/analysis/extract-entities.js';
import { readCorpus } from '../src/corpus/read-corpus.js';
import { openIndex } from '../src/index/open-index.js';
import { searchArchive } from '../src/query/search-archive.js';
import { withDefaults } from '../src/query/search-params.js';
import { prepareCorpus, sharedCorpusSource, spread } from './lib/prepare-corpus.js';

/** Each operator beside the plain AND of its words. */
const QUERIES: [string, string][] = [
  ['oil prices', 'oil w/p prices'],
  ['oil prices', 'oil w/s prices'],
  ['bank rates', 'bank w/s rates'],
  ['"central bank" rates', '"central bank" w/s (rate* OR interest)'],
  ['oil', 'lead:oil'],
  ['election', 'lead:election'],
  ['oil', 'atleast3:oil'],
  ['dollar', 'atleast5:dollar'],
];
const RUNS = 30;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const sampleAt = args.indexOf('--sample');
  const sampleFile = sampleAt >= 0 ? args[sampleAt + 1] : undefined;
  const corporaAt = args.indexOf('--corpora');
  const corpora = corporaAt >= 0 ? args[corporaAt + 1] : undefined;
  const source = corpora
    ? { root: path.resolve(corpora), folders: ['bbc'], ndjson: ['reuters-21578.ndjson'] }
    : sharedCorpusSource();
  if (!source) {
    console.log('The reference corpus is not in ../shared/corpora: nothing to measure.');
    return;
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'nrs-archivist-'));
  try {
    const corpusDir = await prepareCorpus(source, 1, path.join(dir, 'corpus'));
    const { articles } = await readCorpus(corpusDir);
    extractEntities({ paragraphs: ['Warm Up Ltd said so.'] }); // loads compromise's lexicon once, outside the timing
    const started = performance.now();
    let entityCount = 0;
    for (const article of articles) {
      const e = extractEntities(article);
      entityCount += e.people.length + e.orgs.length + e.places.length;
    }
    const extractMs = performance.now() - started;
    const built = await openIndex({ corpusDir, cacheDir: path.join(dir, 'cache'), rebuild: true });
    const { index } = built;
    console.log(`## Entity extraction at 1× (${new Date().toISOString().slice(0, 10)}, 2 shared cores)\n`);
    console.log(
      `- ${articles.length} articles, ${entityCount} entities (${(entityCount / articles.length).toFixed(1)} an article)`,
    );
    console.log(
      `- extraction on one thread: ${(extractMs / 1000).toFixed(2)} s; build (openIndex, rebuilt, extraction included): ${(built.timings.totalMs / 1000).toFixed(2)} s`,
    );
    console.log(
      `- extraction ÷ (build − extraction): at most ${((extractMs / Math.max(1, built.timings.totalMs - extractMs)) * 100).toFixed(0)} %\n`,
    );

    console.log(`## Latency at 1×, in-process, median of ${RUNS} runs (ms)\n`);
    console.log('| plain AND | ms | hits | operator | ms | hits |\n| --- | --- | --- | --- | --- | --- |');
    const time = (q: string) => {
      const params = withDefaults({ q, prefix: 'off', typos: 'off', feedback: 'off' });
      for (let i = 0; i < 3; i++) searchArchive(index, params);
      const ms: number[] = [];
      let hits = 0;
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        hits = searchArchive(index, params).totalHits;
        ms.push(performance.now() - t);
      }
      return { ms: median(ms), hits };
    };
    for (const [plain, operator] of QUERIES) {
      const a = time(plain);
      const b = time(operator);
      console.log(
        `| \`${plain}\` | ${a.ms.toFixed(2)} | ${a.hits} | \`${operator}\` | ${b.ms.toFixed(2)} | ${b.hits} |`,
      );
    }
    if (sampleFile) {
      const sample = spread(articles, 100).map((a) => {
        const e = extractEntities(a);
        return `### ${a.id}: ${a.title}\n${a.paragraphs.join(' ').slice(0, 700)}\n- people: ${e.people.join(' | ')}\n- orgs: ${e.orgs.join(' | ')}\n- places: ${e.places.join(' | ')}\n`;
      });
      await writeFile(sampleFile, sample.join('\n'));
    }
    index.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
