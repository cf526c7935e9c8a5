/**
 * Change detection cannot miss an edit: times that `touch -r` (or `cp -p`,
 * `rsync -t`, `tar x`) sets back are not enough to trust a file, times within
 * the timestamp granularity of the read are never trusted, and `verify`
 * re-hashes everything.
 */
import { mkdir, mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CorpusFile } from '../src/corpus/article.js';
import { isStampTrusted, RACY_WINDOW_MS } from '../src/corpus/is-stamp-trusted.js';
import { openIndex } from '../src/index/open-index.js';
import { searchArchive } from '../src/query/search-archive.js';
import { withDefaults } from '../src/query/search-params.js';
import type { ArchiveIndex } from '../src/index/archive-index.js';

let dir: string;
let corpusDir: string;
let cacheDir: string;
const HOUR_AGO = new Date(Date.now() - 3600_000);

const open = (verify = false) => openIndex({ corpusDir, cacheDir, verify });
const found = (index: ArchiveIndex, q: string): string[] =>
  searchArchive(index, withDefaults({ q })).hits.map((hit) => hit.articleId);
const floods = () => path.join(corpusDir, 'floods.txt');

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nrs-change-'));
  corpusDir = path.join(dir, 'corpus');
  cacheDir = path.join(dir, 'cache');
  await mkdir(corpusDir);
  await writeFile(floods(), 'Floods displace thousands\n\nRiver floods displaced thousands of families.\n');
  await writeFile(path.join(corpusDir, 'markets.txt'), 'Markets rally\n\nStock markets rallied on Tuesday.\n');
  // Old files, as in a real archive: their recorded times are trusted at the next start.
  for (const name of ['floods.txt', 'markets.txt']) await utimes(path.join(corpusDir, name), HOUR_AGO, HOUR_AGO);
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Rewrites floods.txt with other words of the same length, and sets its times back as `touch -r` would. */
async function editKeepingSizeAndTime(): Promise<void> {
  const before = await stat(floods());
  const text = await readFile(floods(), 'utf8');
  const edited = text.replace('families', 'children');
  expect(edited.length).toBe(text.length);
  await writeFile(floods(), edited);
  await utimes(floods(), before.atime, before.mtime);
}

describe('change detection', () => {
  it('trusts an untouched old file: the second start loads without re-reading it', async () => {
    expect((await open()).state).toBe('rebuilt');
    expect((await open()).state).toBe('loaded');
  });

  it('records the new times of a file whose times moved but whose content did not, so later starts need not hash it again', async () => {
    await open();
    const commitFile = path.join(cacheDir, 'commit.json');
    const before = JSON.parse(await readFile(commitFile, 'utf8'));
    const TWO_HOURS_AGO = new Date(Date.now() - 7200_000);
    await utimes(floods(), TWO_HOURS_AGO, TWO_HOURS_AGO);
    const now = await stat(floods());
    expect((await open()).state).toBe('loaded');
    const after = JSON.parse(await readFile(commitFile, 'utf8'));
    const entry = after.corpus.find((f: CorpusFile) => f.path === 'floods.txt');
    expect(entry).toMatchObject({ mtimeMs: now.mtimeMs, ctimeMs: now.ctimeMs });
    // Nothing else of the commit moved: same generation, segments and lexicon.
    expect({ ...after, corpus: null }).toEqual({ ...before, corpus: null });
    expect(found((await open()).index, 'families')).toEqual(['floods']);
  });

  it('sees an edit whose size and modification time were set back (touch -r, cp -p, rsync -t)', async () => {
    await open();
    await editKeepingSizeAndTime();
    const reopened = await open();
    expect(reopened.state).toBe('updated');
    expect(reopened.changedFiles).toEqual(['floods.txt']);
    expect(found(reopened.index, 'children')).toEqual(['floods']);
    expect(found(reopened.index, 'families')).toEqual([]);
  });

  it('with verify, re-hashes every file and repairs an edit that no file time shows', async () => {
    await open();
    await editKeepingSizeAndTime();
    // A file system whose change time and inode do not move either (some network mounts):
    // make the recorded stamp match the edited file exactly, as if checked well after its last change.
    const now = await stat(floods());
    const manifestFile = path.join(cacheDir, 'commit.json');
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as { corpus: CorpusFile[] };
    const entry = manifest.corpus.find((file) => file.path === 'floods.txt')!;
    Object.assign(entry, {
      mtimeMs: now.mtimeMs,
      ctimeMs: now.ctimeMs,
      ino: now.ino,
      size: now.size,
      checkedAtMs: now.ctimeMs + RACY_WINDOW_MS + 1,
    });
    await writeFile(manifestFile, JSON.stringify(manifest));

    const trusting = await open();
    expect(trusting.state).toBe('loaded');
    expect(found(trusting.index, 'children')).toEqual([]);

    const verified = await open(true);
    expect(verified.state).toBe('updated');
    expect(verified.changedFiles).toEqual(['floods.txt']);
    expect(found(verified.index, 'children')).toEqual(['floods']);
    expect((await open()).state).toBe('loaded');
  });

  it('with verify and nothing changed, loads the snapshot', async () => {
    await open();
    expect((await open(true)).state).toBe('loaded');
  });

  it('with rebuild, ignores a good snapshot and says why', async () => {
    await open();
    const rebuilt = await openIndex({ corpusDir, cacheDir, rebuild: true });
    expect(rebuilt.state).toBe('rebuilt');
    expect(rebuilt.reason).toBe('rebuild requested (--rebuild)');
    expect((await open()).state).toBe('loaded');
  });
});

describe('isStampTrusted', () => {
  const base: CorpusFile = {
    path: 'a.txt',
    size: 10,
    hash: 'h',
    mtimeMs: 1_000_000,
    ctimeMs: 1_000_000,
    ino: 7,
    checkedAtMs: 1_000_000 + RACY_WINDOW_MS + 1,
  };
  const same = { size: 10, mtimeMs: 1_000_000, ctimeMs: 1_000_000, ino: 7 };

  it('trusts a stamp that is unchanged and was old enough when it was checked', () => {
    expect(isStampTrusted(base, same)).toBe(true);
  });

  it('never trusts times within the racy window of the check (an edit in the same tick looks the same)', () => {
    // Checked in the same second as the write, on a file system with 1-second times.
    expect(isStampTrusted({ ...base, checkedAtMs: 1_000_500 }, same)).toBe(false);
    expect(
      isStampTrusted({ ...base, ctimeMs: 1_000_900, checkedAtMs: 1_002_000 }, { ...same, ctimeMs: 1_000_900 }),
    ).toBe(false);
  });

  it('does not trust a changed size, time, change time or inode, nor a fingerprint without a stamp', () => {
    expect(isStampTrusted(base, { ...same, size: 11 })).toBe(false);
    expect(isStampTrusted(base, { ...same, mtimeMs: 999_000 })).toBe(false);
    expect(isStampTrusted(base, { ...same, ctimeMs: 1_000_001 })).toBe(false);
    expect(isStampTrusted(base, { ...same, ino: 8 })).toBe(false);
    expect(isStampTrusted({ path: 'a.txt', size: 10, hash: 'h', mtimeMs: 1_000_000 }, same)).toBe(false);
  });
});
