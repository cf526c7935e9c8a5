import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createApp } from '../src/http/create-app.js';
import { buildIndex } from '../src/index/index-writer.js';
import { openIndex } from '../src/index/open-index.js';
import { verifyInBackground } from '../src/index/verify-in-background.js';
import { readHeader, SectionSource } from '../src/index/segments/segment-file.js';
import { seedArticle } from './fixtures/http/build-test-index.js';
import { finish, readyUrl, run, SEED } from './helpers/service-process.js';

let dir: string;
let corpusDir: string;
let cacheDir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nrs-bgcheck-'));
  corpusDir = path.join(dir, 'corpus');
  cacheDir = path.join(dir, 'cache');
  await mkdir(corpusDir);
  await cp(SEED, path.join(corpusDir, 'haiti-soldiers-mexico-training.txt'));
  await writeFile(
    path.join(corpusDir, 'floods.txt'),
    'Floods displace thousands\n\nRiver floods displaced thousands of families.\n',
  );
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Flips one bit in the stored text of the cache's first segment (read by no query until a hit is shown); returns the file. */
async function corruptStoredText(): Promise<string> {
  const commit = JSON.parse(await readFile(path.join(cacheDir, 'commit.json'), 'utf8')) as {
    segments: { file: string }[];
  };
  const file = path.join(cacheDir, commit.segments[0]!.file);
  const bytes = await readFile(file);
  const at = bytes.indexOf('Floods displace thousands');
  expect(at).toBeGreaterThan(0);
  bytes[at + 2] = bytes[at + 2]! ^ 0x04;
  await writeFile(file, bytes);
  return file;
}

describe('the index at start: what a query needs first, every other byte in the background', () => {
  it('opens an index whose stored text is corrupt without reading it, and the background check names the file and the section', async () => {
    (await openIndex({ corpusDir, cacheDir })).index.close();
    const file = await corruptStoredText();
    const opened = await openIndex({ corpusDir, cacheDir });
    expect(opened.state).toBe('loaded');
    const faults = await verifyInBackground(cacheDir, opened.commit!);
    expect(faults).toEqual([{ file, message: 'segment section stored fails its checksum' }]);
    opened.index.close();
  });

  it('finds nothing wrong with a sound index, and still checks every byte at open with --verify', async () => {
    const built = await openIndex({ corpusDir, cacheDir });
    expect(await verifyInBackground(cacheDir, built.commit!)).toEqual([]);
    built.index.close();
    await corruptStoredText();
    const verified = await openIndex({ corpusDir, cacheDir, verify: true });
    expect(verified.state).toBe('rebuilt');
    expect(verified.reason).toMatch(/stored fails its checksum/);
    verified.index.close();
  });

  it('GET /health answers 503 `corrupt` with the reason while an index found corrupt is rebuilt', async () => {
    const index = buildIndex([seedArticle()]);
    const app = createApp({
      getIndex: () => index,
      corrupt: () => 'seg-000001.nrs: segment section stored fails its checksum',
    });
    const res = await request(app).get('/health').expect(503);
    expect(res.body).toMatchObject({
      status: 'corrupt',
      reason: 'seg-000001.nrs: segment section stored fails its checksum',
      articles: 1,
    });
  });

  it('a search that meets a corrupt term dictionary (checked when first read) answers 500 `index_corrupt` and tells the service, which turns `corrupt` and rebuilds', async () => {
    (await openIndex({ corpusDir, cacheDir })).index.close();
    const commit = JSON.parse(await readFile(path.join(cacheDir, 'commit.json'), 'utf8')) as {
      segments: { file: string }[];
    };
    const file = path.join(cacheDir, commit.segments[0]!.file);
    const source = SectionSource.ofFile(file);
    const [offset, length] = readHeader(source).sections['p.terms.utf8']!;
    source.close();
    const bytes = await readFile(file);
    bytes[offset + (length >> 1)] = bytes[offset + (length >> 1)]! ^ 0x04;
    await writeFile(file, bytes);
    const opened = await openIndex({ corpusDir, cacheDir });
    expect(opened.state).toBe('loaded');
    const reports: string[] = [];
    const app = createApp({ getIndex: () => opened.index, onCorrupt: (reason) => reports.push(reason) });
    const res = await request(app).get('/search?q=floods').expect(500);
    expect(res.body.code).toBe('index_corrupt');
    expect(reports).toEqual([`${commit.segments[0]!.file}: segment section p.terms.utf8 fails its checksum`]);
    opened.index.close();
  });

  it('`serve` answers from a corrupt cache at once, then logs the fault, rebuilds from the corpus and serves the rebuilt index', async () => {
    (await openIndex({ corpusDir, cacheDir })).index.close();
    await corruptStoredText();
    const child = run(['serve', '--corpus', corpusDir, '--cache', cacheDir, '--port', '0', '--watch', 'false']);
    const result = finish(child);
    // Two `ready:` lines: the start from the cache, then the rebuild.
    const { url, err } = await readyUrl(child, 2);
    expect(err()).toMatch(
      /index corrupt \(seg-\d+\.nrs: segment section stored fails its checksum\); rebuilding from the corpus/,
    );
    expect(err()).toMatch(/index loaded/);
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    const search = (await (await fetch(`${url}/search?q=floods`)).json()) as { hits: { title: string }[] };
    expect(search.hits.map((h) => h.title)).toEqual(['Floods displace thousands']);
    child.kill('SIGTERM');
    expect((await result).code).toBe(0);
    // The rebuilt cache is sound: the next start loads it.
    const next = await openIndex({ corpusDir, cacheDir });
    expect(next.state).toBe('loaded');
    expect(await verifyInBackground(cacheDir, next.commit!)).toEqual([]);
    next.index.close();
  });
});
