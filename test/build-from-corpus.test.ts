import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openIndex } from '../src/index/open-index.js';
import { buildIndex } from '../src/index/index-writer.js';
import { progressReporter } from '../src/cli/index-command.js';
import type { BuildProgress } from '../src/index/build-from-corpus.js';
import { searchArchive } from '../src/query/search-archive.js';
import { withDefaults } from '../src/query/search-params.js';
import { syntheticArticles } from './helpers/synthetic-articles.js';

let dir: string;
let corpusDir: string;
let cacheDir: string;
const articles = syntheticArticles(240, 7).map((a, i) => ({ ...a, file: `wires/part-${Math.floor(i / 20)}.ndjson` }));

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nrs-build-'));
  corpusDir = path.join(dir, 'corpus');
  cacheDir = path.join(dir, 'cache');
  await mkdir(path.join(corpusDir, 'wires'), { recursive: true });
  // Twelve NDJSON exports of twenty articles each.
  for (let part = 0; part < 12; part++) {
    const lines = articles.slice(part * 20, part * 20 + 20).map((a) =>
      JSON.stringify({
        id: a.id,
        title: a.title,
        date: a.date,
        authors: a.authors,
        source: a.source,
        section: a.section,
        tags: a.tags,
        paragraphs: a.paragraphs,
      }),
    );
    await writeFile(path.join(corpusDir, 'wires', `part-${part}.ndjson`), lines.join('\n') + '\n');
  }
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** What must not depend on how the archive was built: hits, scores and snippets. */
function answers(index: ReturnType<typeof buildIndex>, q: string) {
  const r = searchArchive(index, withDefaults({ q, hitsPerPage: 50, facets: ['source', 'year'] }));
  return {
    totalHits: r.totalHits,
    facets: r.facetDistribution,
    hits: r.hits.map((h) => [h.articleId, h.score, h.snippets.map((s) => s.html)]),
  };
}

describe('building from the corpus as a stream of segments', () => {
  it('writes a segment per full buffer, merges full tiers in a worker, and answers exactly like an index built in one piece', async () => {
    const progress: BuildProgress[] = [];
    const logs: string[] = [];
    const result = await openIndex({
      corpusDir,
      cacheDir,
      bufferParagraphs: 40,
      onProgress: (p) => progress.push(p),
      log: (l) => logs.push(l),
    });
    expect(result.state).toBe('rebuilt');
    expect(logs.some((l) => /^merged 10 segments into seg-\d+\.nrs/.test(l))).toBe(true);
    const commit = JSON.parse(await readFile(path.join(cacheDir, 'commit.json'), 'utf8')) as { segments: unknown[] };
    expect(commit.segments.length).toBeGreaterThan(1);
    expect(commit.segments.length).toBeLessThan(12);
    // Only what the commit names is left in the folder.
    const files = (await readdir(cacheDir)).filter((n) => n.endsWith('.nrs'));
    expect(files.length).toBe(commit.segments.length);
    expect(progress.at(-1)).toMatchObject({ filesDone: 12, filesTotal: 12, articles: 240 });

    const whole = buildIndex(articles.map((a) => ({ ...a, url: null })));
    for (const q of ['government', 'oil prices', 'gov', '"oil price"', 'tax OR budget', 'the -court']) {
      expect(answers(result.index, q), q).toEqual(answers(whole, q));
    }
    const reopened = await openIndex({ corpusDir, cacheDir });
    expect(reopened.state).toBe('loaded');
    expect(answers(reopened.index, 'government')).toEqual(answers(whole, 'government'));
  });

  it('keeps every article when the last buffer is big enough to be flushed in a worker of its own', async () => {
    const paragraphs = articles.reduce((sum, a) => sum + a.paragraphs.length, 0);
    // One flush after about 60 % of the corpus; the rest (about 40 %) is past a quarter of the buffer, so a worker writes it.
    const result = await openIndex({ corpusDir, cacheDir, bufferParagraphs: Math.ceil(paragraphs * 0.6) });
    const commit = JSON.parse(await readFile(path.join(cacheDir, 'commit.json'), 'utf8')) as {
      segments: { articles: number }[];
    };
    expect(commit.segments.map((s) => s.articles).reduce((a, b) => a + b, 0)).toBe(240);
    expect(result.index.articleCount).toBe(240);
    const whole = buildIndex(articles.map((a) => ({ ...a, url: null })));
    expect(answers(result.index, 'government')).toEqual(answers(whole, 'government'));
  });

  it('keeps the number of segments bounded across many updates, each a new segment, merged as the policy asks, and answers like a fresh build', async () => {
    await openIndex({ corpusDir, cacheDir, bufferParagraphs: 40 });
    let current = articles.map((a) => ({ ...a, url: null }));
    for (let round = 0; round < 12; round++) {
      const part = round % 12;
      const edited = current
        .slice(part * 20, part * 20 + 20)
        .map((a) => ({ ...a, paragraphs: [...a.paragraphs, `Update ${round} about the harbour strike.`] }));
      current = [...current.slice(0, part * 20), ...edited, ...current.slice(part * 20 + 20)];
      const lines = edited.map((a) =>
        JSON.stringify({
          id: a.id,
          title: a.title,
          date: a.date,
          authors: a.authors,
          source: a.source,
          section: a.section,
          tags: a.tags,
          paragraphs: a.paragraphs,
        }),
      );
      await writeFile(path.join(corpusDir, 'wires', `part-${part}.ndjson`), lines.join('\n') + '\n');
      const result = await openIndex({ corpusDir, cacheDir });
      expect(result.state).toBe('updated');
      expect(result.index.segments.length).toBeLessThan(12);
    }
    const reopened = await openIndex({ corpusDir, cacheDir });
    expect(reopened.state).toBe('loaded');
    const fresh = buildIndex(current);
    for (const q of ['harbour strike', 'government', 'update 11'])
      expect(answers(reopened.index, q), q).toEqual(answers(fresh, q));
  });

  it('reports progress off a terminal in plain lines, one every 10 s, and always the last one', () => {
    const lines: string[] = [];
    let now = 0;
    const report = progressReporter({ out: () => {}, err: (t) => lines.push(t), isTTY: false }, () => now);
    const at = (filesDone: number, articles: number) => ({
      filesDone,
      filesTotal: 4,
      articles,
      paragraphs: articles * 3,
      segments: 1,
      merging: false,
    });
    now = 1_000;
    report(at(1, 100));
    now = 5_000;
    report(at(2, 200));
    now = 12_000;
    report(at(3, 300));
    now = 13_000;
    report(at(4, 400));
    expect(lines).toEqual([
      'indexing: 3/4 files, 300 articles, 25 articles/s, 1 segment, about 4 s left\n',
      'indexing: 4/4 files, 400 articles, 31 articles/s, 1 segment\n',
    ]);
  });
});
