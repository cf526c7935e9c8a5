import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile, mkdir, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CorruptIndexError } from '../src/errors.js';
import { IndexCache } from '../src/index/index-cache.js';
import { openIndex } from '../src/index/open-index.js';

let dir: string;
let corpusDir: string;
let cacheDir: string;
let logs: string[];

async function open() {
  return openIndex({ corpusDir, cacheDir, log: (line) => logs.push(line) });
}

async function segmentFile(): Promise<string> {
  const commit = JSON.parse(await readFile(path.join(cacheDir, 'commit.json'), 'utf8')) as {
    segments: { file: string }[];
  };
  return path.join(cacheDir, commit.segments[0]!.file);
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nrs-corrupt-'));
  corpusDir = path.join(dir, 'corpus');
  cacheDir = path.join(dir, 'cache');
  logs = [];
  await mkdir(corpusDir, { recursive: true });
  await writeFile(
    path.join(corpusDir, 'floods.txt'),
    'Floods displace thousands\n\nRiver floods displaced thousands of families.\n',
  );
  await open();
  logs = [];
});

afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

describe('opening the index: only corruption rebuilds it', () => {
  it('rebuilds when a segment the commit names is missing, since a missing file is corruption', async () => {
    await unlink(await segmentFile());
    const result = await open();
    expect(result.state).toBe('rebuilt');
    expect(result.reason).toMatch(/^index unusable: a file the commit names is missing/);
  });

  it('throws a CorruptIndexError for a truncated segment, which is what makes the open rebuild', async () => {
    const file = await segmentFile();
    const bytes = await readFile(file);
    await writeFile(file, bytes.subarray(0, 10));
    const commit = JSON.parse(await readFile(path.join(cacheDir, 'commit.json'), 'utf8'));
    expect(() => new IndexCache(cacheDir).openCommitted(commit)).toThrow(CorruptIndexError);
    expect((await open()).state).toBe('rebuilt');
  });

  it('passes on a failure that is not corruption (a bug, a disk error) instead of rebuilding over it', async () => {
    vi.spyOn(IndexCache.prototype, 'openCommitted').mockImplementation(() => {
      throw new TypeError('a bug in the reader');
    });
    await expect(open()).rejects.toThrow('a bug in the reader');
    expect(logs.join('\n')).not.toMatch(/rebuilding/);
    expect(existsSync(path.join(cacheDir, 'set-aside'))).toBe(false);
  });
});
