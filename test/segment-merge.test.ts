import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { Article } from '../src/corpus/article.js';
import { buildSegment, flushInWorker } from '../src/index/segments/build-segment.js';
import { signatureFileOf } from '../src/index/segments/signature-file.js';
import { mergeSegments } from '../src/index/segments/merge-segments.js';
import { selectMerge, type MergeCandidate, type MergePolicyOptions } from '../src/index/segments/merge-policy.js';
import { mergeInWorker, MERGE_TEMP_SUFFIX } from '../src/index/segments/merge-worker.js';
import { Segment } from '../src/index/segments/segment-reader.js';
import { CorruptIndexError } from '../src/errors.js';
import type { CollectionKey } from '../src/index/segments/segment-writer.js';
import { syntheticArticles } from './helpers/synthetic-articles.js';

/** A segment built in memory from `articles`. */
function segmentOf(articles: readonly Article[], name: string): Segment {
  return Segment.fromBytes(buildSegment(articles, null)!, name);
}

/** Splits `articles` into segments of the given sizes and deletes the articles `deleted` picks; returns them and the live articles in order. */
function segmentsWithDeletions(
  articles: readonly Article[],
  sizes: readonly number[],
  deleted: (segment: number, i: number) => boolean,
) {
  const segments: Segment[] = [];
  const live: Article[] = [];
  let at = 0;
  sizes.forEach((size, s) => {
    const part = articles.slice(at, at + size);
    at += size;
    const segment = segmentOf(part, `s${s}`);
    part.forEach((article, i) => {
      if (deleted(s, i)) segment.deleteArticle(i);
      else live.push(article);
    });
    segments.push(segment);
  });
  return { segments, live };
}

/**
 * For random splits of `pool` into segments (at most `maxSegments`, each of at most `maxSize` articles), random
 * deletions and each block size of `blockBytes`: the merge of the segments is, to the byte, the build of their live articles.
 */
function mergesAsBuilds(
  pool: readonly Article[],
  options: { maxSize: number; maxSegments: number; blockBytes: number[]; numRuns: number },
): void {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: options.maxSize }), { minLength: 1, maxLength: options.maxSegments }),
      fc.array(fc.boolean(), { minLength: pool.length, maxLength: pool.length }),
      fc.constantFrom(...options.blockBytes),
      (sizes, deletions, blockBytes) => {
        const total = sizes.reduce((a, b) => a + b, 0);
        if (total > pool.length) return;
        const starts = sizes.map((_, s) => sizes.slice(0, s).reduce((a, b) => a + b, 0));
        const { segments, live } = segmentsWithDeletions(pool, sizes, (s, i) => deletions[starts[s]! + i]!);
        expect(mergeSegments(segments, null, blockBytes)!.equals(buildSegment(live, null)!)).toBe(true);
      },
    ),
    { numRuns: options.numRuns },
  );
}

/** Everything a segment holds, decoded, for a readable comparison. */
function contentsOf(segment: Segment) {
  const collection = (c: CollectionKey) =>
    Array.from({ length: segment.termCount(c) }, (_, i) => {
      const df = segment.termDf(c, i);
      const out = { docs: new Int32Array(df), tfs: new Uint16Array(df) };
      segment.readPostings(c, i, out, 0, 0);
      return [segment.term(c, i), [...out.docs], [...out.tfs]];
    });
  return {
    meta: segment.meta,
    p: collection('p'),
    t: collection('t'),
    paraLength: [...segment.paraLength],
    titleLength: [...segment.titleLength],
    articles: Array.from({ length: segment.articleCount }, (_, i) => segment.article(i)),
    ids: Array.from({ length: segment.articleCount }, (_, i) => segment.articleId(i)),
  };
}

const folders: string[] = [];
function tempFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'segment-merge-'));
  folders.push(folder);
  return folder;
}
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

describe('mergeSegments', () => {
  const articles = syntheticArticles(400, 11);

  it('writes the segment buildSegment writes from the live articles, to the byte', () => {
    const { segments, live } = segmentsWithDeletions(articles, [150, 40, 210], (s, i) => (i * 7 + s) % 5 === 0);
    const merged = Segment.fromBytes(mergeSegments(segments, null)!, 'merged');
    const expected = buildSegment(live, null)!;
    const built = Segment.fromBytes(expected, 'built');
    // Decoded first, so a difference reads as terms, postings or articles rather than bytes.
    expect(contentsOf(merged)).toEqual(contentsOf(built));
    expect(merged.articleCount).toBe(live.length);
    expect(mergeSegments(segments, null)!.equals(expected)).toBe(true);
  });

  it('renumbers paragraphs and headlines so a term finds the same articles after a merge', () => {
    const { segments, live } = segmentsWithDeletions(articles, [200, 200], (_, i) => i % 3 === 1);
    const merged = Segment.fromBytes(mergeSegments(segments, null)!, 'merged');
    const i = merged.findTerm('p', 'flood');
    expect(i).toBeGreaterThanOrEqual(0);
    const df = merged.termDf('p', i);
    const out = { docs: new Int32Array(df), tfs: new Uint16Array(df) };
    merged.readPostings('p', i, out, 0, 0);
    const articleOf = (paragraph: number) =>
      merged.articleId(merged.firstPara.findIndex((_, a) => merged.firstPara[a + 1]! > paragraph));
    const found = new Set([...out.docs].map(articleOf));
    const expected = new Set(live.filter((a) => a.paragraphs.some((p) => /\bflood\b/i.test(p))).map((a) => a.id));
    expect(found).toEqual(expected);
  });

  it('equals a fresh build for any split of the articles, any deletions and any size of block read (postings, positions, stored records)', () => {
    const pool = syntheticArticles(60, 5);
    mergesAsBuilds(pool, { maxSize: 20, maxSegments: 5, blockBytes: [1, 64, 4096, 1 << 20], numRuns: 60 });
  });

  it('copies stored records and every column as a build writes them: entities, tags, authors, missing values, any text', () => {
    // Articles whose every column varies: a merge copies records and recodes columns without decoding them.
    const names = ['Prime Minister Alix Didier Fils-Aimé', 'the Bank of England', 'Zürich', 'Port-au-Prince', 'U.S.'];
    const tags = ['usa', 'west-germany', 'grain', 'Économie'];
    const pool = syntheticArticles(48, 9).map((article, i) => ({
      ...article,
      date: i % 5 === 0 ? null : article.date,
      source: i % 4 === 0 ? null : article.source,
      section: i % 3 === 0 ? null : article.section,
      authors: i % 6 === 0 ? ['Ana Ruiz', 'Zoë Kim'] : article.authors,
      tags: tags.slice(0, i % 4),
      paragraphs: article.paragraphs.map(
        (text, k) => `${names[(i + k) % names.length]} said “${text}” ${k % 2 ? '日本語 \ud800' : ''}`,
      ),
    }));
    mergesAsBuilds(pool, { maxSize: 16, maxSegments: 4, blockBytes: [1, 300, 1 << 20], numRuns: 40 });
  });

  it('refuses a source whose stored text fails its checksum, instead of copying the damage into the merged segment', () => {
    const bytes = buildSegment(articles.slice(0, 20), null)!;
    const header = JSON.parse(bytes.toString('utf8', bytes.readDoubleLE(8))) as {
      sections: Record<string, [number, number, number]>;
    };
    const [at, length] = header.sections['stored']!;
    bytes[at + Math.floor(length / 2)]! ^= 0x01;
    const damaged = Segment.fromBytes(bytes, 'damaged');
    expect(() => mergeSegments([damaged, segmentOf(articles.slice(20, 30), 'sound')], null)).toThrow(CorruptIndexError);
  });

  it('writes an empty segment when every article is deleted', () => {
    const { segments } = segmentsWithDeletions(articles.slice(0, 30), [10, 20], () => true);
    const bytes = mergeSegments(segments, null)!;
    expect(bytes.equals(buildSegment([], null)!)).toBe(true);
    expect(Segment.fromBytes(bytes, 'empty').articleCount).toBe(0);
  });

  it('writes the same bytes to a file as to memory', () => {
    const { segments } = segmentsWithDeletions(articles, [100, 100], (_, i) => i % 4 === 0);
    const file = join(tempFolder(), 'merged.seg');
    const fd = openSync(file, 'w');
    expect(mergeSegments(segments, fd)).toBeNull();
    closeSync(fd);
    expect(readFileSync(file).equals(mergeSegments(segments, null)!)).toBe(true);
    Segment.open(file, 'merged').verify();
  });

  it('takes deletions as they stood when the merge started', () => {
    const { segments, live } = segmentsWithDeletions(articles.slice(0, 50), [50], (_, i) => i < 5);
    const bytes = mergeSegments(segments, null)!;
    segments[0]!.deleteArticle(10);
    expect(bytes.equals(buildSegment(live, null)!)).toBe(true);
  });

  it('refuses segments written by different analyzer versions, since their terms do not mean the same', () => {
    const a = segmentOf(articles.slice(0, 10), 'a');
    const b = segmentOf(articles.slice(10, 20), 'b');
    b.meta.analyzerVersion = 'another';
    expect(() => mergeSegments([a, b], null)).toThrow(/analyzer versions/);
    expect(() => mergeSegments([], null)).toThrow(/no segments/);
  });
});

describe('mergeInWorker', () => {
  function writeSegment(folder: string, name: string, articles: readonly Article[]): string {
    const file = join(folder, name);
    const fd = openSync(file, 'w');
    buildSegment(articles, fd);
    closeSync(fd);
    return file;
  }

  it('merges segment files in a worker thread into a segment that opens, while the event loop keeps running', async () => {
    const folder = tempFolder();
    const articles = syntheticArticles(900, 21);
    const files = [0, 1, 2].map((k) => writeSegment(folder, `s${k}.seg`, articles.slice(k * 300, k * 300 + 300)));
    const deleted = new Uint8Array(300);
    for (let i = 0; i < 300; i += 4) deleted[i] = 1;
    const live = [
      ...articles.slice(0, 300),
      ...articles.slice(300, 600).filter((_, i) => !deleted[i]),
      ...articles.slice(600),
    ];
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const outFile = join(folder, 'merged.seg');
    const result = await mergeInWorker(
      files.map((file, k) => ({ file, name: `s${k}`, deleted: k === 1 ? deleted : null })),
      outFile,
    );
    clearInterval(timer);
    expect(result).toMatchObject({
      file: outFile,
      articles: live.length,
      paragraphs: live.reduce((n, a) => n + a.paragraphs.length, 0),
    });
    expect(result.ms).toBeGreaterThan(0);
    expect(ticks).toBeGreaterThan(0);
    const merged = Segment.open(outFile, 'merged');
    merged.verify();
    expect(merged.articleCount).toBe(live.length);
    merged.close();
    const bytes = readFileSync(outFile);
    expect(bytes.length).toBe(result.bytes);
    expect(bytes.equals(buildSegment(live, null)!)).toBe(true);
    expect(readdirSync(folder).filter((f) => f.endsWith(MERGE_TEMP_SUFFIX))).toEqual([]);
  });

  it('rejects with the worker’s message and leaves no file behind when a source is corrupt', async () => {
    const folder = tempFolder();
    const good = writeSegment(folder, 'good.seg', syntheticArticles(20, 3));
    const bad = join(folder, 'bad.seg');
    writeFileSync(bad, 'not a segment at all');
    const outFile = join(folder, 'merged.seg');
    const sources = [
      { file: good, name: 'good', deleted: null },
      { file: bad, name: 'bad', deleted: null },
    ];
    await expect(mergeInWorker(sources, outFile)).rejects.toThrow('not a segment file');
    await expect(
      mergeInWorker([{ file: join(folder, 'missing.seg'), name: 'm', deleted: null }], outFile),
    ).rejects.toThrow(/ENOENT/);
    expect(readdirSync(folder).sort()).toEqual(['bad.seg', 'good.seg']);
  });
});

describe('flushInWorker', () => {
  it('writes the same segment and signatures when a second thread extracts the entities as when one thread does everything', async () => {
    const folder = tempFolder();
    const articles = syntheticArticles(120, 3).map((a) => ({
      ...a,
      paragraphs: [...a.paragraphs, 'Prime Minister Alix Didier Fils-Aimé met the Bank of England in Port-au-Prince.'],
    }));
    const one = join(folder, 'seg-000001.nrs');
    const two = join(folder, 'seg-000002.nrs');
    const oneBytes = await flushInWorker(articles, one, false);
    const twoBytes = await flushInWorker(articles, two, true);
    expect(twoBytes).toBe(oneBytes);
    expect(readFileSync(two).equals(readFileSync(one))).toBe(true);
    expect(readFileSync(signatureFileOf(two)).equals(readFileSync(signatureFileOf(one)))).toBe(true);
  });
});

describe('selectMerge', () => {
  /** A flushed segment of `paragraphs` paragraphs, about 5 articles and 1 KB of file per 25 paragraphs. */
  const flushed = (name: string, paragraphs = 20_000, deleted = 0): MergeCandidate => ({
    name,
    articles: Math.ceil(paragraphs / 5),
    paragraphs,
    deleted,
    bytes: paragraphs * 40,
  });
  let mergeCount = 0;

  /** What a merge of `chosen` gives: their live articles, paragraphs and bytes, no deletions. */
  function merged(chosen: readonly MergeCandidate[], name: string): MergeCandidate {
    let articles = 0;
    let paragraphs = 0;
    let bytes = 0;
    for (const s of chosen) {
      const live = s.articles > 0 ? (s.articles - s.deleted) / s.articles : 0;
      articles += s.articles - s.deleted;
      paragraphs += s.paragraphs * live;
      bytes += s.bytes * live;
    }
    return { name, articles, paragraphs, deleted: 0, bytes };
  }

  /** Applies the policy's merges until it asks for none (each merged segment goes last); returns the segments. */
  function settle(
    segments: MergeCandidate[],
    options?: MergePolicyOptions,
    onMerge?: (chosen: MergeCandidate[]) => void,
  ): MergeCandidate[] {
    for (let n = 0; ; n++) {
      const names = selectMerge(segments, options);
      if (!names) return segments;
      const chosen = names.map((name) => segments.find((s) => s.name === name)!);
      expect(chosen.every(Boolean)).toBe(true);
      onMerge?.(chosen);
      segments = [...segments.filter((s) => !names.includes(s.name)), merged(chosen, `m${++mergeCount}`)];
      if (n > 100_000) throw new Error('the policy never settles');
    }
  }

  it('keeps the number of segments logarithmic while 1,000 equal flushed segments arrive one by one', () => {
    let segments: MergeCandidate[] = [];
    let most = 0;
    for (let n = 1; n <= 1000; n++) {
      segments = settle([...segments, flushed(`f${n}`)]);
      // Equal segments settle as the digits of n in base 10: at most 9 per tier, tiers = digits of n.
      const digits = String(n)
        .split('')
        .reduce((sum, d) => sum + Number(d), 0);
      expect(segments.length).toBe(digits);
      most = Math.max(most, segments.length);
    }
    expect(most).toBeLessThanOrEqual(10 * Math.log10(1000));
    expect(segments.length).toBe(1);
  });

  it('rewrites each paragraph a logarithmic number of times', () => {
    let segments: MergeCandidate[] = [];
    let rewritten = 0;
    for (let n = 1; n <= 1000; n++) {
      segments = settle([...segments, flushed(`f${n}`)], {}, (chosen) => {
        rewritten += chosen.reduce((sum, s) => sum + s.paragraphs, 0);
      });
    }
    // Each paragraph is rewritten once per tier it climbs: 3 tiers for 1,000 flushes of mergeFactor 10.
    expect(rewritten).toBe(3 * 1000 * 20_000);
  });

  it('settles any archive into fewer than mergeFactor segments per tier, never merging more than maxMergeAtOnce or past the size cap', () => {
    const segment = fc.record({
      paragraphs: fc.integer({ min: 0, max: 2_000_000 }),
      deletedShare: fc.double({ min: 0, max: 1, noNaN: true }),
    });
    fc.assert(
      fc.property(
        fc.array(segment, { maxLength: 120 }),
        fc.integer({ min: 2, max: 12 }),
        fc.integer({ min: 2, max: 12 }),
        (specs, mergeFactor, maxMergeAtOnce) => {
          const options = { mergeFactor, maxMergeAtOnce, floorParagraphs: 1000, maxMergedBytes: 40 * 3_000_000 };
          const start = specs.map(({ paragraphs, deletedShare }, i) => {
            const s = flushed(`s${i}`, paragraphs);
            return { ...s, deleted: Math.floor(s.articles * deletedShare) };
          });
          const end = settle(start, options, (chosen) => {
            expect(chosen.length).toBeLessThanOrEqual(maxMergeAtOnce);
            if (chosen.length > 1) expect(merged(chosen, 'x').bytes).toBeLessThanOrEqual(options.maxMergedBytes);
            else expect(chosen[0]!.deleted).toBeGreaterThan(0);
          });
          // Settled: each tier of mergeable segments holds fewer than mergeFactor of them.
          const tiers = new Map<number, number>();
          for (const s of end) {
            if (s.bytes * (s.articles > 0 ? (s.articles - s.deleted) / s.articles : 0) > options.maxMergedBytes / 2)
              continue;
            const live = s.articles > 0 ? s.paragraphs * ((s.articles - s.deleted) / s.articles) : 0;
            let tier = 0;
            for (let bound = 1000 * mergeFactor; Math.max(1000, live) >= bound; bound *= mergeFactor) tier++;
            tiers.set(tier, (tiers.get(tier) ?? 0) + 1);
          }
          for (const count of tiers.values()) expect(count).toBeLessThan(mergeFactor);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('merges the segments with the most deletions first when a tier holds more than a merge takes', () => {
    const segments = Array.from({ length: 12 }, (_, i) => flushed(`f${i}`, 20_000, i === 3 || i === 8 ? 2000 : 0));
    const names = selectMerge(segments)!;
    expect(names).toHaveLength(10);
    expect(names).toContain('f3');
    expect(names).toContain('f8');
  });

  it('returns the chosen segments in the order they were given, so the merged segment keeps the archive’s order', () => {
    const segments = Array.from({ length: 10 }, (_, i) => flushed(`f${i}`, 20_000, (9 - i) * 100));
    expect(selectMerge(segments)).toEqual(segments.map((s) => s.name));
  });

  it('leaves a tier below mergeFactor alone, and rewrites a segment alone once too much of it is deleted', () => {
    const few = Array.from({ length: 9 }, (_, i) => flushed(`f${i}`));
    expect(selectMerge(few)).toBeNull();
    expect(selectMerge([...few, flushed('worn', 20_000, 1000)])).toEqual([...few.map((s) => s.name), 'worn']);
    const big = flushed('big', 5_000_000, 400_000);
    expect(selectMerge([big, ...few])).toEqual(['big']);
    expect(selectMerge([big, ...few], { maxDeletedFraction: 0.5 })).toBeNull();
  });

  it('never merges a segment past half the size cap with others', () => {
    const huge = Array.from({ length: 10 }, (_, i) => flushed(`h${i}`, 30_000_000));
    expect(selectMerge(huge, { maxMergedBytes: 2 * 30_000_000 * 40 - 1 })).toBeNull();
    expect(selectMerge(huge, { maxMergedBytes: 10 * 30_000_000 * 40 })).toHaveLength(10);
  });

  it('rejects options out of range', () => {
    expect(() => selectMerge([], { mergeFactor: 1 })).toThrow(RangeError);
    expect(() => selectMerge([], { maxMergeAtOnce: 2.5 })).toThrow(RangeError);
    expect(() => selectMerge([], { maxMergedBytes: 0 })).toThrow(RangeError);
    expect(() => selectMerge([], { maxDeletedFraction: 0 })).toThrow(RangeError);
    expect(() => selectMerge([{ name: 'x', articles: 1, paragraphs: 1, deleted: 2, bytes: 1 }])).toThrow(RangeError);
  });
});
