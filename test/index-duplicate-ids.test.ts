/**
 * Two files with one article id: the same article is indexed whether the index
 * is rebuilt, updated or reopened, and when the indexed copy goes away the other
 * comes back at the next update (a fast-check model test of "update ≡ rebuild").
 */
import fc from 'fast-check';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Problem } from '../src/corpus/article.js';
import { createApp } from '../src/http/create-app.js';
import type { ArchiveIndex } from '../src/index/archive-index.js';
import { openIndex } from '../src/index/open-index.js';
import { searchArchive } from '../src/query/search-archive.js';

let dir: string;
let corpusDir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nrs-dup-'));
  corpusDir = path.join(dir, 'corpus');
  await mkdir(path.join(corpusDir, 'politics'), { recursive: true });
  await mkdir(path.join(corpusDir, 'world'), { recursive: true });
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const json = (articles: { id: string; body: string }[]): string =>
  JSON.stringify(articles.map(({ id, body }) => ({ id, title: `Story ${id}`, body })));

function appFor(index: ArchiveIndex) {
  return createApp({
    getIndex: () => index,
    publicDir: dir,
    corsOrigins: [],
    search: (i, p) => searchArchive(i, p),
    status: () => ({}),
  });
}

describe('an article moved between section folders (copied, the old copy deleted later)', () => {
  it('serves the surviving copy at /articles/d after the first is deleted and the service restarts', async () => {
    const cacheDir = path.join(dir, 'cache');
    await writeFile(path.join(corpusDir, 'politics', 'd.json'), json([{ id: 'd', body: 'The old section copy.' }]));
    await writeFile(path.join(corpusDir, 'world', 'd.json'), json([{ id: 'd', body: 'The new section copy.' }]));
    const first = await openIndex({ corpusDir, cacheDir });
    expect(first.index.getArticle('d')?.file).toBe('politics/d.json');
    expect(first.problems).toEqual([
      {
        kind: 'duplicate_id',
        file: 'world/d.json',
        message: 'duplicate article id "d" (first seen in politics/d.json)',
      },
    ]);

    await rm(path.join(corpusDir, 'politics', 'd.json'));
    const restarted = await openIndex({ corpusDir, cacheDir });
    expect(restarted.state).toBe('updated');
    expect(restarted.problems).toEqual([]);
    const response = await request(appFor(restarted.index)).get('/articles/d');
    expect(response.status).toBe(200);
    expect(JSON.stringify(response.body)).toContain('The new section copy.');

    // And again from the committed index.
    const reloaded = await openIndex({ corpusDir, cacheDir });
    expect(reloaded.state).toBe('loaded');
    expect((await request(appFor(reloaded.index)).get('/articles/d')).status).toBe(200);
  });

  it('lets a copy added in an earlier path take over, as a rebuild would', async () => {
    const cacheDir = path.join(dir, 'cache');
    await writeFile(path.join(corpusDir, 'world', 'd.json'), json([{ id: 'd', body: 'World copy.' }]));
    await openIndex({ corpusDir, cacheDir });
    await writeFile(path.join(corpusDir, 'politics', 'd.json'), json([{ id: 'd', body: 'Politics copy.' }]));
    const updated = await openIndex({ corpusDir, cacheDir });
    expect(updated.state).toBe('updated');
    expect(updated.index.getArticle('d')?.file).toBe('politics/d.json');
    expect(updated.problems).toEqual([
      {
        kind: 'duplicate_id',
        file: 'world/d.json',
        message: 'duplicate article id "d" (first seen in politics/d.json)',
      },
    ]);
  });
});

/** What a test can compare between two indexes: each article's id, file and text, and the problems. */
function describeIndex(index: ArchiveIndex, problems: Problem[]) {
  const articles = [...index.liveArticles()]
    .map((article) => ({ id: article.id, file: article.file, title: article.title, paragraphs: article.paragraphs }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  // Distinct lines: an update lists a line repeated within one file once, a rebuild as often as it occurs.
  const lines = [
    ...new Set(problems.map((problem) => `${problem.file}:${problem.line ?? ''}: ${problem.message}`)),
  ].sort();
  return { articles, problems: lines };
}

const FILES = ['a.json', 'politics/d.json', 'world/d.json', 'world/z.json'];
const IDS = ['d', 'e', 'f'];

type Step =
  | { kind: 'write'; file: string; ids: string[]; words: string }
  | { kind: 'delete'; file: string }
  | { kind: 'rename'; from: string; to: string };

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('write' as const),
    file: fc.constantFrom(...FILES),
    ids: fc.array(fc.constantFrom(...IDS), { minLength: 1, maxLength: 3 }),
    words: fc.constantFrom('floods', 'markets', 'budget', 'election'),
  }),
  fc.record({ kind: fc.constant('delete' as const), file: fc.constantFrom(...FILES) }),
  fc.record({ kind: fc.constant('rename' as const), from: fc.constantFrom(...FILES), to: fc.constantFrom(...FILES) }),
);

async function apply(step: Step): Promise<void> {
  const at = (file: string) => path.join(corpusDir, ...file.split('/'));
  if (step.kind === 'write') {
    await writeFile(
      at(step.file),
      json(step.ids.map((id, n) => ({ id, body: `${step.words} ${n} in ${step.file}.` }))),
    );
  } else if (step.kind === 'delete') {
    await rm(at(step.file), { force: true });
  } else if (step.from !== step.to) {
    await rename(at(step.from), at(step.to)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }
}

describe('update ≡ rebuild', () => {
  it('gives the same articles and problems after any sequence of adds, edits, renames, duplicates and deletions', {
    timeout: 120_000,
  }, async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(stepArbitrary, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 5 }),
        async (batches) => {
          run++;
          await rm(corpusDir, { recursive: true, force: true });
          await mkdir(path.join(corpusDir, 'politics'), { recursive: true });
          await mkdir(path.join(corpusDir, 'world'), { recursive: true });
          await writeFile(path.join(corpusDir, 'a.json'), json([{ id: 'd', body: 'A first copy.' }]));
          const cacheDir = path.join(dir, `cache-${run}`);
          await openIndex({ corpusDir, cacheDir });
          for (const batch of batches) {
            for (const step of batch) await apply(step);
            const updated = await openIndex({ corpusDir, cacheDir });
            const rebuilt = await openIndex({ corpusDir, cacheDir: path.join(dir, `rebuild-${run}`) });
            await rm(path.join(dir, `rebuild-${run}`), { recursive: true, force: true });
            expect(rebuilt.state).toBe('rebuilt');
            expect(describeIndex(updated.index, updated.problems)).toEqual(
              describeIndex(rebuilt.index, rebuilt.problems),
            );
          }
          const reopened = await openIndex({ corpusDir, cacheDir });
          expect(reopened.state).toBe('loaded');
          await rm(cacheDir, { recursive: true, force: true });
        },
      ),
      { numRuns: 40 },
    );
  });
});
