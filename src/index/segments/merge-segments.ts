import { POSTINGS_BLOCK, type DecodedPostings } from './postings-codec.js';
import { readPositionBlockStarts, readPostingPositions, startPositionBlock } from './positions-codec.js';
import { endsRiceBlock, riceCursor } from './rice-code.js';
import { SectionWriter } from './segment-file.js';
import type { PositionsBlock, PostingsBlock, Segment } from './segment-reader.js';
import {
  ArticleTableWriter,
  SEGMENT_FORMAT_VERSION,
  writeLengths,
  writeTerms,
  type CollectionKey,
  type SegmentMeta,
  type TermPostingsInput,
} from './segment-writer.js';
import { CorruptIndexError } from '../../errors.js';
import { copyArticles } from './copy-articles.js';
import { isStemTerm } from '../../analysis/index-terms.js';

/**
 * Merging segments: one new segment holding the live articles of its sources,
 * in source order and then article order, deleted articles dropped. The result
 * is the segment `buildSegment` would write from those articles (byte for
 * byte), made without re-analysing any text: term dictionaries are merged
 * (a k-way merge of sorted lexicons), postings are decoded, filtered and
 * renumbered one term at a time, and articles' stored records are copied as they are
 * (`copy-articles.ts`).
 *
 * Memory: the renumbering maps (4 bytes per source paragraph and article), the
 * merged field lengths (2 bytes per live paragraph and article), one term's
 * postings (decoded) and a block of encoded postings and one of encoded positions per
 * source (1 MB each, or one term's when larger), and what the section writers keep per term and per article
 * (dictionary offsets, stored-text offsets, ids). It does not grow with the
 * number of postings.
 */

/** Where the live documents of one source land in the merged segment. */
interface Renumbering {
  /** New number of each old document, -1 when deleted; null when the source has no deletions (new = old + base). */
  map: Int32Array | null;
  /** First new number of the source's documents. */
  base: number;
}

/** Live paragraphs and articles of the sources, with each source's renumbering. */
interface MergePlan {
  paragraphs: Renumbering[];
  articles: Renumbering[];
  liveParagraphs: number;
  liveArticles: number;
  /** Each source's deletions as the merge started (later deletions are the caller's to carry over). */
  deleted: Uint8Array[];
}

function planMerge(sources: readonly Segment[]): MergePlan {
  const paragraphs: Renumbering[] = [];
  const articles: Renumbering[] = [];
  let nextParagraph = 0;
  let nextArticle = 0;
  const deletions: Uint8Array[] = [];
  for (const segment of sources) {
    const A = segment.articleCount;
    const P = segment.paragraphCount;
    const pBase = nextParagraph;
    const aBase = nextArticle;
    const deleted = segment.deleted.slice();
    if (deleted.length !== A)
      throw new CorruptIndexError(`segment ${segment.name}: deletions disagree with its articles`);
    deletions.push(deleted);
    if (deleted.every((d) => d === 0)) {
      paragraphs.push({ map: null, base: pBase });
      articles.push({ map: null, base: aBase });
      nextParagraph += P;
      nextArticle += A;
      continue;
    }
    const pMap = new Int32Array(P).fill(-1);
    const aMap = new Int32Array(A).fill(-1);
    for (let i = 0; i < A; i++) {
      if (deleted[i]) continue;
      aMap[i] = nextArticle++;
      for (let k = segment.firstPara[i]!; k < segment.firstPara[i + 1]!; k++) pMap[k] = nextParagraph++;
    }
    paragraphs.push({ map: pMap, base: pBase });
    articles.push({ map: aMap, base: aBase });
  }
  return { paragraphs, articles, liveParagraphs: nextParagraph, liveArticles: nextArticle, deleted: deletions };
}

/** A pair of growable postings arrays. */
class PostingsBuffer implements DecodedPostings {
  docs = new Int32Array(1024);
  tfs = new Uint16Array(1024);

  /** Makes room for `size` postings (contents kept up to `keep`). */
  reserve(size: number, keep: number): void {
    if (size <= this.docs.length) return;
    let capacity = this.docs.length * 2;
    while (capacity < size) capacity *= 2;
    const docs = new Int32Array(capacity);
    const tfs = new Uint16Array(capacity);
    docs.set(this.docs.subarray(0, keep));
    tfs.set(this.tfs.subarray(0, keep));
    this.docs = docs;
    this.tfs = tfs;
  }
}

/** Growable token positions of a term's merged postings: posting k's are `positions[starts[k] … starts[k + 1])`. */
class PositionsBuffer {
  positions = new Int32Array(4096);
  starts = new Uint32Array(1025);

  /** Makes room for posting `k` (its start set) and `extra` more positions after `used`. */
  reserve(k: number, used: number, extra: number): void {
    if (k + 2 > this.starts.length) {
      const starts = new Uint32Array(Math.max(k + 2, this.starts.length * 2));
      starts.set(this.starts);
      this.starts = starts;
    }
    if (used + extra > this.positions.length) {
      const positions = new Int32Array(Math.max(used + extra, this.positions.length * 2));
      positions.set(this.positions.subarray(0, used));
      this.positions = positions;
    }
  }
}

/**
 * Appends the positions of a source term's live postings to `out` (after its
 * `count` postings): `bytes` its encoded positions, `tfs[at … at + df)` its postings'
 * frequencies, `map` (null: all live) the new number of each (-1 deleted), by posting.
 */
function mergePositions(
  bytes: Uint8Array,
  tfs: Uint16Array,
  at: number,
  df: number,
  live: ((j: number) => boolean) | null,
  out: PositionsBuffer,
  count: number,
): number {
  const blockStarts = readPositionBlockStarts(bytes, df);
  const cursor = riceCursor();
  let k = count;
  for (let b = 0; b + 1 < blockStarts.length; b++) {
    const first = b * POSTINGS_BLOCK;
    const last = Math.min(df, first + POSTINGS_BLOCK);
    startPositionBlock(bytes, blockStarts[b]!, blockStarts[b + 1]!, tfs, at + first, at + last, cursor);
    for (let j = first; j < last; j++) {
      const tf = tfs[at + j]!;
      const keep = live === null || live(j);
      const used = out.starts[k]!;
      if (keep) {
        // A capped frequency's real count is in the bytes: make room for the most it can be (a bit each).
        out.reserve(k, used, tf >= 0xffff ? cursor.end - cursor.unary : tf);
        out.starts[k + 1] = used + readPostingPositions(bytes, cursor, tf, out.positions, used);
        k++;
      } else readPostingPositions(bytes, cursor, tf, null);
    }
    if (!endsRiceBlock(cursor)) throw new CorruptIndexError('positions disagree with their postings');
  }
  return k;
}

/**
 * The merged terms of collection `c`, ascending, each with its live postings
 * renumbered. Terms left without a live posting are skipped. The yielded
 * arrays are reused: `writeTerms` encodes each term before asking for the next.
 */
function* mergeTerms(
  sources: readonly Segment[],
  c: CollectionKey,
  renumbering: readonly Renumbering[],
  blockBytes: number,
): Generator<TermPostingsInput> {
  const k = sources.length;
  const position = new Array<number>(k).fill(0);
  // The current term of each source, null once its dictionary is exhausted.
  const current = sources.map((s) => (s.termCount(c) > 0 ? s.term(c, 0) : null));
  // Each source's postings are read a block of terms at a time, in term order: sequential reads, not one per term.
  const blocks: (PostingsBlock | null)[] = new Array<PostingsBlock | null>(k).fill(null);
  const positionBlocks: (PositionsBlock | null)[] = new Array<PositionsBlock | null>(k).fill(null);
  const merged = new PostingsBuffer();
  const scratch = new PostingsBuffer();
  const positions = new PositionsBuffer();
  for (;;) {
    // A linear scan for the smallest term: k is a merge's width (about 10), so a heap would not pay.
    let term: string | null = null;
    for (const t of current) if (t !== null && (term === null || t < term)) term = t;
    if (term === null) return;
    // A stem term's positions are its forms': the writer lists the merged segment's forms in its entry.
    const stem = isStemTerm(term);
    let count = 0;
    for (let s = 0; s < k; s++) {
      if (current[s] !== term) continue;
      const segment = sources[s]!;
      const i = position[s]!;
      let block = blocks[s];
      if (!block || i >= block.to) blocks[s] = block = segment.readPostingsBlock(c, i, blockBytes);
      const df = segment.termDf(c, i);
      const { map, base } = renumbering[s]!;
      merged.reserve(count + df, count);
      let positionBytes: Uint8Array | null = null;
      if (!stem) {
        let positionBlock = positionBlocks[s];
        if (!positionBlock || i >= positionBlock.to)
          positionBlocks[s] = positionBlock = segment.readPositionsBlock(c, i, blockBytes);
        positionBytes = segment.blockTermPositions(positionBlock, i);
      }
      if (map === null) {
        // No deletions: decode straight into place, renumbered by the base.
        segment.decodeBlockPostings(block, i, merged, count, base);
        if (positionBytes) mergePositions(positionBytes, merged.tfs, count, df, null, positions, count);
        count += df;
      } else {
        scratch.reserve(df, 0);
        segment.decodeBlockPostings(block, i, scratch, 0, 0);
        const docs = scratch.docs;
        if (positionBytes)
          mergePositions(positionBytes, scratch.tfs, 0, df, (j) => map[docs[j]!]! >= 0, positions, count);
        for (let j = 0; j < df; j++) {
          const doc = map[scratch.docs[j]!]!;
          if (doc < 0) continue;
          merged.docs[count] = doc;
          merged.tfs[count] = scratch.tfs[j]!;
          count++;
        }
      }
      position[s] = i + 1;
      current[s] = i + 1 < segment.termCount(c) ? segment.term(c, i + 1) : null;
    }
    if (count > 0)
      yield {
        term,
        docs: merged.docs,
        tfs: merged.tfs,
        from: 0,
        to: count,
        posStarts: positions.starts,
        positions: positions.positions,
      };
  }
}

/** The live documents' field lengths of the sources, renumbered. */
function mergeLengths(
  sources: readonly Segment[],
  lengthsOf: (s: Segment) => Uint16Array,
  renumbering: readonly Renumbering[],
  live: number,
): Uint16Array {
  const out = new Uint16Array(live);
  sources.forEach((segment, s) => {
    const lengths = lengthsOf(segment);
    const { map, base } = renumbering[s]!;
    if (map === null) out.set(lengths, base);
    else for (let d = 0; d < lengths.length; d++) if (map[d]! >= 0) out[map[d]!] = lengths[d]!;
  });
  return out;
}

/** The analyzer and parser versions the sources share; throws when they differ. */
function sharedVersions(sources: readonly Segment[]): Pick<SegmentMeta, 'analyzerVersion' | 'parserVersion'> {
  const first = sources[0];
  if (!first) throw new Error('no segments to merge');
  const { analyzerVersion, parserVersion } = first.meta;
  for (const s of sources) {
    if (s.meta.analyzerVersion !== analyzerVersion)
      throw new Error(
        `cannot merge segments of analyzer versions ${analyzerVersion} (${first.name}) and ${s.meta.analyzerVersion} (${s.name})`,
      );
    if (s.meta.parserVersion !== parserVersion)
      throw new Error(
        `cannot merge segments of parser versions ${parserVersion} (${first.name}) and ${s.meta.parserVersion} (${s.name})`,
      );
  }
  return { analyzerVersion, parserVersion };
}

/** Live articles and live paragraphs of segments (what merging them would hold). */
export function liveTotals(sources: readonly Segment[]): { articles: number; paragraphs: number } {
  let articles = 0;
  let paragraphs = 0;
  for (const s of sources) {
    for (let i = 0; i < s.articleCount; i++) {
      if (s.deleted[i]) continue;
      articles++;
      paragraphs += s.firstPara[i + 1]! - s.firstPara[i]!;
    }
  }
  return { articles, paragraphs };
}

/**
 * Writes one segment holding the live articles of `sources` (source order, then
 * article order; deleted articles dropped), equal byte for byte to the segment
 * `buildSegment` writes from those articles. To the open file `fd` (written as
 * it goes, then fsynced; returns null), or to memory when `fd` is null (returns
 * the segment's bytes). The sources are read, never changed; their deletions
 * (`segment.deleted`) are taken as they are when the merge starts: articles
 * deleted while it runs are the caller's to mark in the merged segment.
 *
 * `blockBytes`: encoded postings, and encoded positions, read at once from each source, in bytes
 * (one term's when they are more); ≥ 1, default 1 MiB.
 *
 * Throws when `sources` is empty or the sources' analyzer or parser versions
 * differ (their terms would not mean the same). With no live article at all,
 * writes an empty segment.
 */
export function mergeSegments(sources: Segment[], fd: number | null, blockBytes = 1 << 20): Buffer | null {
  const versions = sharedVersions(sources);
  const plan = planMerge(sources);
  const writer = new SectionWriter(fd);
  // Sections in the order buildSegment writes them, so the two files are the same bytes.
  const paraLengths = mergeLengths(sources, (s) => s.paraLength, plan.paragraphs, plan.liveParagraphs);
  writeTerms(writer, 'p', mergeTerms(sources, 'p', plan.paragraphs, blockBytes), paraLengths);
  const paraLengthSum = writeLengths(writer, 'p', paraLengths);
  const titleLengths = mergeLengths(sources, (s) => s.titleLength, plan.articles, plan.liveArticles);
  writeTerms(writer, 't', mergeTerms(sources, 't', plan.articles, blockBytes), titleLengths);
  const titleLengthSum = writeLengths(writer, 't', titleLengths);
  const table = new ArticleTableWriter(writer);
  sources.forEach((segment, s) => copyArticles(table, segment, plan.deleted[s]!, blockBytes));
  table.finish();
  const meta: SegmentMeta = {
    articles: plan.liveArticles,
    paragraphs: plan.liveParagraphs,
    paraLengthSum,
    titleLengthSum,
    ...versions,
  };
  return writer.finish(SEGMENT_FORMAT_VERSION, meta);
}
