import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir, rm, writeFile, mkdir, cp, utimes } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openIndex } from '../src/index/open-index.js';
import { searchArchive } from '../src/query/search-archive.js';
import { withDefaults } from '../src/query/search-params.js';
import type { ArchiveIndex } from '../src/index/archive-index.js';
import { readHeader, SectionSource } from '../src/index/segments/segment-file.js';

const SEED = new URL('../corpus/haiti-soldiers-mexico-training.txt', import.meta.url);

let dir: string;
let corpusDir: string;
let cacheDir: string;
let logs: string[];

async function open() {
  return openIndex({ corpusDir, cacheDir, log: (line) => logs.push(line) });
}

function ids(index: ArchiveIndex, q: string): string[] {
  return searchArchive(index, withDefaults({ q, hitsPerPage: 100 })).hits.map((h) => h.articleId);
}

/** Flips one bit in the middle of section `name` of a segment file. */
async function flipBitIn(file: string, name: string): Promise<void> {
  const source = SectionSource.ofFile(file);
  const [offset, length] = readHeader(source).sections[name]!;
  source.close();
  const bytes = await readFile(file);
  const at = offset + (length >> 1);
  bytes[at] = bytes[at]! ^ 0x04;
  await writeFile(file, bytes);
}

async function segmentFile(): Promise<string> {
  const commit = JSON.parse(await readFile(path.join(cacheDir, 'commit.json'), 'utf8')) as {
    segments: { file: string }[];
  };
  return path.join(cacheDir, commit.segments[0]!.file);
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nrs-cache-'));
  corpusDir = path.join(dir, 'corpus');
  cacheDir = path.join(dir, 'cache');
  logs = [];
  await mkdir(path.join(corpusDir, 'world'), { recursive: true });
  await cp(SEED, path.join(corpusDir, 'haiti-soldiers-mexico-training.txt'));
  await writeFile(
    path.join(corpusDir, 'world', 'floods.txt'),
    'Floods displace thousands\n\nRiver floods displaced thousands of families.\n\nAid agencies responded.\n',
  );
  await writeFile(path.join(corpusDir, 'world', 'markets.txt'), 'Markets rally\n\nStock markets rallied on Tuesday.\n');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('openIndex and index-cache/', () => {
  it('builds on the first start, then opens the committed segments when nothing changed, with the same results', async () => {
    const first = await open();
    expect(first.state).toBe('rebuilt');
    expect(first.reason).toBe('no index yet');
    expect(first.saved).toBe(true);
    const second = await open();
    expect(second.state).toBe('loaded');
    expect(second.index.articleCount).toBe(3);
    for (const q of ['displaced', 'markets', 'haiti mexico', 'floo'])
      expect(ids(second.index, q)).toEqual(ids(first.index, q));
    expect(logs).toEqual([]);
  });

  it('re-indexes only the changed, added and removed files', async () => {
    await open();
    await writeFile(
      path.join(corpusDir, 'world', 'markets.txt'),
      'Markets fall\n\nStock markets fell sharply on Wednesday.\n',
    );
    await writeFile(path.join(corpusDir, 'world', 'storm.txt'), 'Storm nears\n\nA storm displaced coastal towns.\n');
    await rm(path.join(corpusDir, 'world', 'floods.txt'));
    const result = await open();
    expect(result.state).toBe('updated');
    expect(result.changedFiles.sort()).toEqual(['world/floods.txt', 'world/markets.txt', 'world/storm.txt']);
    expect(ids(result.index, 'sharply')).toEqual(['world/markets']);
    expect(ids(result.index, 'rallied')).toEqual([]);
    expect(ids(result.index, 'displaced').sort()).toEqual(['haiti-soldiers-mexico-training', 'world/storm']);
    // The updated commit is what the next start opens.
    const next = await open();
    expect(next.state).toBe('loaded');
    expect(ids(next.index, 'displaced').sort()).toEqual(['haiti-soldiers-mexico-training', 'world/storm']);
  });

  it('trusts the recorded hash of a file whose size and time did not move, and re-hashes one whose time did', async () => {
    const hourAgo = new Date(Date.now() - 3_600_000);
    for (const file of ['haiti-soldiers-mexico-training.txt', 'world/floods.txt', 'world/markets.txt']) {
      await utimes(path.join(corpusDir, file), hourAgo, hourAgo);
    }
    await open();
    expect((await open()).state).toBe('loaded');
    // Touched but identical: re-hashed, found unchanged.
    await utimes(path.join(corpusDir, 'world/markets.txt'), new Date(), new Date());
    expect((await open()).state).toBe('loaded');
    // New content, new time: found.
    await writeFile(
      path.join(corpusDir, 'world', 'floods.txt'),
      'Floods displace thousands\n\nRiver floods displaced thousands of families.\n\nAid agencies answered.\n',
    );
    const result = await open();
    expect(result.state).toBe('updated');
    expect(result.changedFiles).toEqual(['world/floods.txt']);
    expect(ids(result.index, 'answered')).toEqual(['world/floods']);
  });

  it('detects a truncated segment, says so in one log line, sets it aside and rebuilds', async () => {
    await open();
    const file = await segmentFile();
    const bytes = await readFile(file);
    await writeFile(file, bytes.subarray(0, bytes.length >> 1));
    const result = await open();
    expect(result.state).toBe('rebuilt');
    expect(result.reason).toMatch(/truncated/);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/^index-cache: .*truncated.*setting it aside and rebuilding$/);
    expect(await readdir(path.join(cacheDir, 'set-aside'))).toContain('commit.json');
    expect(ids(result.index, 'displaced')).toContain('haiti-soldiers-mexico-training');
    expect((await open()).state).toBe('loaded');
  });

  it('detects at open a flipped bit in a table every query reads (the paragraph lengths) and rebuilds', async () => {
    await open();
    const file = await segmentFile();
    await flipBitIn(file, 'p.length');
    const result = await open();
    expect(result.state).toBe('rebuilt');
    expect(result.reason).toMatch(/p\.length fails its checksum/);
  });

  it('reads a term dictionary when a query first needs it, checked then: a flipped bit there fails that query as corrupt (the background check finds it too and rebuilds) rather than answering from bad bytes', async () => {
    await open();
    const file = await segmentFile();
    await flipBitIn(file, 'p.terms.utf8');
    const result = await open();
    expect(result.state).toBe('loaded');
    expect(() => ids(result.index, 'displaced')).toThrow(/segment section p\.terms\.utf8 fails its checksum/);
    result.index.close();
  });

  it('rebuilds an index made by another analyzer or corpus parser version, and one whose commit is not JSON or has wrong field types', async () => {
    await open();
    const manifestPath = path.join(cacheDir, 'commit.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as Record<string, unknown>;
    await writeFile(manifestPath, JSON.stringify({ ...manifest, analyzerVersion: '0-000000000000' }));
    const stale = await open();
    expect(stale.state).toBe('rebuilt');
    expect(stale.reason).toMatch(/analyzer changed/);
    await writeFile(
      manifestPath,
      JSON.stringify({ ...JSON.parse(await readFile(manifestPath, 'utf8')), parserVersion: '000000000000' }),
    );
    const reparsed = await open();
    expect(reparsed.state).toBe('rebuilt');
    expect(reparsed.reason).toMatch(/corpus parser changed/);
    await writeFile(manifestPath, '{"formatVersion": 1, "corpus": [');
    const garbled = await open();
    expect(garbled.state).toBe('rebuilt');
    expect(garbled.reason).toMatch(/not valid JSON/);
    await writeFile(
      manifestPath,
      JSON.stringify({ ...JSON.parse(await readFile(manifestPath, 'utf8')), corpus: [null] }),
    );
    const mistyped = await open();
    expect(mistyped.state).toBe('rebuilt');
    expect(mistyped.reason).toMatch(/commit is malformed: commit field corpus\[0\]/);
    expect((await open()).state).toBe('loaded');
  });

  it('rebuilds a cache of segment format 4 (stem terms with positions of their own) with one line saying why, then loads the rebuilt one', async () => {
    await open();
    const manifestPath = path.join(cacheDir, 'commit.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as Record<string, unknown>;
    expect(manifest['segmentFormatVersion']).toBe(9);
    await writeFile(manifestPath, JSON.stringify({ ...manifest, segmentFormatVersion: 4 }));
    logs = [];
    const stale = await open();
    expect(stale.state).toBe('rebuilt');
    expect(stale.reason).toMatch(/segment format 4 is not 9/);
    expect(logs.filter((line) => line.includes('segment format 4')).length).toBe(1);
    expect(ids(stale.index, 'displaced')).toContain('haiti-soldiers-mexico-training');
    expect((await open()).state).toBe('loaded');
  });

  it('keeps the last commit usable when a write was interrupted, and removes what the crash left (temporary files, unnamed segments)', async () => {
    await open();
    const leftovers = [
      'seg-000099.nrs.tmp-999',
      'commit.json.tmp-999',
      'seg-000098.nrs',
      'seg-000001.nrs.12-1.merging',
      'lexicon-77.bin',
    ];
    for (const name of leftovers) await writeFile(path.join(cacheDir, name), 'half a file');
    const result = await open();
    expect(result.state).toBe('loaded');
    const names = await readdir(cacheDir);
    for (const name of leftovers) expect(names).not.toContain(name);
  });

  it('keeps working from memory when the cache cannot be written, and says so', async () => {
    await writeFile(path.join(dir, 'not-a-folder'), 'x');
    cacheDir = path.join(dir, 'not-a-folder', 'cache');
    const result = await open();
    expect(result.state).toBe('rebuilt');
    expect(result.saved).toBe(false);
    expect(logs.some((l) => /cannot use .*indexing in memory, the next start will rebuild/.test(l))).toBe(true);
    expect(ids(result.index, 'displaced')).toContain('haiti-soldiers-mexico-training');
  });

  it('reports broken corpus files by name and indexes the rest, also when starting from the cache', async () => {
    await writeFile(path.join(corpusDir, 'world', 'empty.txt'), '');
    await writeFile(
      path.join(corpusDir, 'wires.ndjson'),
      '{"id":"w1","title":"Wire one","body":"Grain prices rose."}\n{not json\n',
    );
    const first = await open();
    expect(first.problems.map((p) => [p.file, p.line ?? null])).toEqual([
      ['wires.ndjson', 2],
      ['world/empty.txt', null],
    ]);
    expect(ids(first.index, 'grain')).toEqual(['w1']);
    const second = await open();
    expect(second.state).toBe('loaded');
    expect(second.problems).toEqual(first.problems);
  });
});
