import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { IndexCache, readCommit } from '../src/index/index-cache.js';
import { IndexWriter } from '../src/index/index-writer.js';
import { searchArchive } from '../src/query/search-archive.js';
import { withDefaults } from '../src/query/search-params.js';
import type { ArchiveIndex } from '../src/index/archive-index.js';
import { syntheticArticles } from './helpers/synthetic-articles.js';
import { memoryWriter } from './helpers/memory-writer.js';

const articles = syntheticArticles(120, 11);
const ids = (index: ArchiveIndex, q: string) =>
  searchArchive(index, withDefaults({ q, hitsPerPage: 100 })).hits.map((h) => h.articleId);

describe('the index writer and its readers', () => {
  it('shows a change to searches only at the refresh, as a new reader; a reader taken before never changes', () => {
    const writer = memoryWriter(articles.slice(0, 60));
    const before = writer.reader;
    const oilBefore = ids(before, 'oil');
    const gone = articles[0]!.id;
    writer.deleteArticles([gone]);
    writer.addArticles([{ ...articles[70]!, id: 'zyzzyva-news', paragraphs: ['A zyzzyva about oil.'] }]);
    // Not refreshed: the reader is the one from before, and it sees neither change.
    expect(writer.reader).toBe(before);
    expect(ids(before, 'zyzzyva')).toEqual([]);
    expect(before.hasArticle(gone)).toBe(true);
    // The writer itself already knows.
    expect(writer.hasArticle(gone)).toBe(false);
    expect(writer.hasArticle('zyzzyva-news')).toBe(true);
    const after = writer.refresh();
    expect(after).not.toBe(before);
    expect(ids(after, 'zyzzyva')).toEqual(['zyzzyva-news']);
    expect(after.hasArticle(gone)).toBe(false);
    expect(after.articleCount).toBe(before.articleCount);
    // The earlier reader still answers as it did: its tables were not touched by the refresh.
    expect(ids(before, 'oil')).toEqual(oilBefore);
    expect(before.hasArticle(gone)).toBe(true);
    expect(before.latest).toBe(after);
  });

  it('refuses an article whose id is live, buffered ones included', () => {
    const writer = memoryWriter(articles.slice(0, 10));
    expect(() => writer.addArticles([articles[3]!])).toThrow(/already indexed/);
    writer.addArticles([articles[20]!]);
    expect(() => writer.addArticles([articles[20]!])).toThrow(/already indexed/);
  });

  it('deletes a buffered article before it is ever flushed', () => {
    const writer = memoryWriter(articles.slice(0, 10));
    writer.addArticles([articles[20]!, articles[21]!]);
    expect(writer.deleteArticles([articles[20]!.id, 'no-such-id'])).toBe(1);
    const index = writer.refresh();
    expect(index.hasArticle(articles[20]!.id)).toBe(false);
    expect(index.hasArticle(articles[21]!.id)).toBe(true);
    expect(index.articleCount).toBe(11);
  });
});

describe('the index writer with a directory', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'nrs-writer-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes segments at refresh and makes them durable at commit: a writer opened from the commit finds the same', async () => {
    const cache = new IndexCache(dir);
    const writer = new IndexWriter({ directory: cache });
    writer.addArticles(articles.slice(0, 50));
    writer.refresh();
    writer.addArticles(articles.slice(50, 80));
    writer.deleteArticles([articles[1]!.id]);
    const index = writer.refresh();
    // Refreshed but not committed: segment files exist, no commit names them yet.
    expect(readCommit(dir).ok).toBe(false);
    const commit = writer.commit({ corpus: { files: [], problems: [] } })!;
    expect(commit.segments.map((s) => s.file)).toEqual(index.segments.map((s) => s.name));
    expect(commit.segments[0]!.deletes).toMatch(/^seg-\d+\.1\.del$/);
    expect(commit.articles).toBe(79);
    expect((await readdir(dir)).sort()).toEqual(
      [
        'commit.json',
        commit.lexicon,
        commit.segments[0]!.deletes!,
        ...commit.segments.map((s) => s.file),
        // Each segment's content signatures beside it (see signature-file.ts).
        ...commit.segments.map((s) => s.file.replace(/\.nrs$/, '.sig')),
      ].sort(),
    );
    const reopened = cache.openCommitted(commit);
    const second = new IndexWriter({
      directory: cache,
      segments: reopened,
      lexicon: cache.readLexicon(commit),
      commit,
    });
    for (const q of ['oil', 'government', 'market prices']) expect(ids(second.reader, q)).toEqual(ids(index, q));
    expect(JSON.parse(await readFile(path.join(dir, 'commit.json'), 'utf8')).generation).toBe(1);
    // The next commit follows the one it was opened from.
    second.deleteArticles([articles[2]!.id]);
    second.refresh();
    expect(second.commit({ corpus: { files: [], problems: [] } })!.generation).toBe(2);
    second.close();
    writer.close();
  });

  it('merges what the policy asks in a worker thread, keeping every live article and no deleted one', async () => {
    const cache = new IndexCache(dir);
    const writer = new IndexWriter({ directory: cache });
    for (let i = 0; i < 120; i += 10) {
      writer.addArticles(articles.slice(i, i + 10));
      writer.refresh();
    }
    writer.deleteArticles([articles[5]!.id]);
    const before = writer.refresh();
    const found = ['oil', 'government'].map((q) => ids(before, q).sort());
    const segmentsBefore = before.segments.length;
    await writer.mergeAsPolicyAsks();
    const after = writer.reader;
    expect(after.segments.length).toBeLessThan(segmentsBefore);
    expect(after.numbering).not.toBe(before.numbering);
    expect(after.articleCount).toBe(119);
    expect(after.hasArticle(articles[5]!.id)).toBe(false);
    expect(['oil', 'government'].map((q) => ids(after, q).sort())).toEqual(found);
    writer.close();
  });
});

/** The `.ts` files under `dir`, as paths relative to the repository. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? sourceFiles(file) : file.endsWith('.ts') ? [file] : [];
  });
}

describe('the source tree', () => {
  it('writes segment, deletion, lexicon and commit files from the index writer only (the segments folder defines the primitives)', () => {
    const writes =
      /\b(writeFileAtomic|flushInWorker|flushWithForms|mergeInWorker|buildSegment|writeSegmentFile|runMerge)\(/;
    // Files of the service that are not the index's, written with the same atomic primitive.
    const notIndexFiles = new Set([path.join('src', 'live', 'synonym-store.ts')]); // synonyms.json, beside the journal
    const callers = sourceFiles('src')
      .filter((file) => !file.startsWith(path.join('src', 'index', 'segments')) && !notIndexFiles.has(file))
      .filter((file) => writes.test(readFileSync(file, 'utf8')));
    expect(callers).toEqual([path.join('src', 'index', 'index-writer.ts')]);
  });
});
