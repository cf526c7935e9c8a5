import { BM25 } from './bm25.js';
import { LengthNorms } from './length-norms.js';
import type { Segment } from './segments/segment-reader.js';

/** The per-document tables a query reads, over all segments (see `ArchiveIndex`). */
export interface DocumentTables {
  /** The segments they describe, in order. */
  segments: readonly Segment[];
  /** Per segment: its deleted articles when the tables were built. */
  deletedCounts: Int32Array;
  /** Per segment (and one past the last): its first global paragraph and article number. */
  paraBase: Int32Array<ArrayBuffer>;
  articleBase: Int32Array<ArrayBuffer>;
  /** Paragraph → article number (-1: deleted). */
  paraArticle: Int32Array<ArrayBuffer>;
  /** Paragraph → its length in tokens. */
  paraLength: Uint16Array<ArrayBuffer>;
  /** Headline (= article number) → article number, -1 when deleted. */
  titleArticle: Int32Array<ArrayBuffer>;
  titleLength: Uint16Array<ArrayBuffer>;
  /** Paragraphs of article `ord` are `articleFirstPara[ord] … articleFirstPara[ord + 1]`. */
  articleFirstPara: Int32Array<ArrayBuffer>;
  /** Article → publication time in ms since the epoch (NaN when unknown). */
  articleTime: Float64Array<ArrayBuffer>;
  liveArticles: number;
  liveParagraphs: number;
  /** Token lengths summed over live paragraphs and live headlines. */
  paraLengthSum: number;
  titleLengthSum: number;
  /** The BM25 length norms of paragraphs and headlines, from the lengths and the live documents' average lengths. */
  paraNorms: LengthNorms;
  titleNorms: LengthNorms;
}

type Table = Int32Array<ArrayBuffer> | Uint16Array<ArrayBuffer> | Float64Array<ArrayBuffer>;

/**
 * A table of `size` rows beginning with `old`'s: a longer view of the same
 * buffer when it has room (tables are allocated with a quarter more than they
 * hold, so a run of small writes copies nothing), else — or when `copy`: rows
 * of `old` are about to change — a copy into a new one. Sharing is safe for
 * the tables whose rows, once written, never change: the earlier tables (an
 * earlier reader's) keep their length, and the rows past it are new.
 */
function grow<T extends Table>(
  old: T,
  size: number,
  make: (buffer: ArrayBuffer, length: number) => T,
  bytesPerRow: number,
  copy = false,
): T {
  const capacity = old.buffer.byteLength / bytesPerRow;
  if (!copy && old.byteOffset === 0 && capacity >= size) return make(old.buffer, size);
  const buffer = new ArrayBuffer(Math.ceil(size * 1.25 + 64) * bytesPerRow);
  const out = make(buffer, size);
  out.set(old.subarray(0, Math.min(old.length, size)) as never);
  return out;
}

const int32 = (buffer: ArrayBuffer, n: number) => new Int32Array(buffer, 0, n);
const uint16 = (buffer: ArrayBuffer, n: number) => new Uint16Array(buffer, 0, n);
const NO_NORMS = new LengthNorms(new Uint16Array(0), 0, 0);

const float64 = (buffer: ArrayBuffer, n: number) => new Float64Array(buffer, 0, n);

/**
 * Numbers the documents of `segments` one segment after another and builds the
 * tables over them, with the BM25 length norms from the live documents' average
 * lengths over every segment (so a score does not depend on how the archive is
 * cut). O(documents), no per-document object.
 *
 * With `previous` tables whose segments begin the new list (segments were added,
 * articles of the old ones maybe deleted — what a write does), their rows are
 * reused and only the new segments' rows and the deletions are worked out; the
 * norms' formula is new (the average moved), the lengths it reads are not. The
 * previous tables are never changed (a reader may still be using them): the live
 * tables are copied when old rows turn deleted.
 */
export function documentTables(segments: readonly Segment[], previous: DocumentTables | null = null): DocumentTables {
  const prefix =
    previous && previous.segments.length <= segments.length && previous.segments.every((s, i) => segments[i] === s)
      ? previous
      : null;
  const kept = prefix ? prefix.segments.length : 0;
  const paraBase = new Int32Array(segments.length + 1);
  const articleBase = new Int32Array(segments.length + 1);
  if (prefix) {
    paraBase.set(prefix.paraBase.subarray(0, kept + 1));
    articleBase.set(prefix.articleBase.subarray(0, kept + 1));
  }
  for (let s = kept; s < segments.length; s++) {
    paraBase[s + 1] = paraBase[s]! + segments[s]!.paragraphCount;
    articleBase[s + 1] = articleBase[s]! + segments[s]!.articleCount;
  }
  const paragraphs = paraBase[segments.length]!;
  const articles = articleBase[segments.length]!;
  // Articles of the old segments deleted since the previous tables: their rows change, so those tables are copied.
  let deletedSince = false;
  for (let s = 0; s < kept && !deletedSince; s++) deletedSince = segments[s]!.deletedCount > prefix!.deletedCounts[s]!;
  const t: DocumentTables = {
    segments: [...segments],
    deletedCounts: Int32Array.from(segments, (segment) => segment.deletedCount),
    paraBase,
    articleBase,
    paraArticle: grow(prefix?.paraArticle ?? new Int32Array(0), paragraphs, int32, 4, deletedSince),
    paraLength: grow(prefix?.paraLength ?? new Uint16Array(0), paragraphs, uint16, 2),
    titleArticle: grow(prefix?.titleArticle ?? new Int32Array(0), articles, int32, 4, deletedSince),
    titleLength: grow(prefix?.titleLength ?? new Uint16Array(0), articles, uint16, 2),
    articleFirstPara: grow(prefix?.articleFirstPara ?? new Int32Array(1), articles + 1, int32, 4),
    articleTime: grow(prefix?.articleTime ?? new Float64Array(0), articles, float64, 8),
    liveArticles: prefix?.liveArticles ?? 0,
    liveParagraphs: prefix?.liveParagraphs ?? 0,
    paraLengthSum: prefix?.paraLengthSum ?? 0,
    titleLengthSum: prefix?.titleLengthSum ?? 0,
    // Set below, once the sums are known (the average lengths moved).
    paraNorms: NO_NORMS,
    titleNorms: NO_NORMS,
  };
  // Articles of the old segments deleted since: their rows turn to -1, their lengths leave the sums.
  for (let s = 0; s < kept; s++) {
    const segment = segments[s]!;
    if (segment.deletedCount === 0) continue;
    const ab = articleBase[s]!;
    for (let i = 0; i < segment.articleCount; i++) {
      const ord = ab + i;
      if (!segment.deleted[i] || t.titleArticle[ord]! < 0) continue;
      t.titleArticle[ord] = -1;
      t.liveArticles--;
      t.titleLengthSum -= t.titleLength[ord]!;
      for (let p = t.articleFirstPara[ord]!; p < t.articleFirstPara[ord + 1]!; p++) {
        t.paraArticle[p] = -1;
        t.liveParagraphs--;
        t.paraLengthSum -= t.paraLength[p]!;
      }
    }
  }
  // Typed arrays and sums in locals: the loops below run once per paragraph.
  const { paraLength, titleLength, articleFirstPara, articleTime, titleArticle, paraArticle } = t;
  let { liveArticles, liveParagraphs, paraLengthSum, titleLengthSum } = t;
  for (let s = kept; s < segments.length; s++) {
    const segment = segments[s]!;
    const pb = paraBase[s]!;
    const ab = articleBase[s]!;
    const { firstPara, deleted, time } = segment;
    const lengths = segment.paraLength;
    paraLength.set(lengths, pb);
    titleLength.set(segment.titleLength, ab);
    for (let i = 0; i < segment.articleCount; i++) {
      const ord = ab + i;
      const from = firstPara[i]!;
      const to = firstPara[i + 1]!;
      const live = deleted[i] === 0;
      articleFirstPara[ord] = pb + from;
      articleTime[ord] = time[i]!;
      titleArticle[ord] = live ? ord : -1;
      paraArticle.fill(live ? ord : -1, pb + from, pb + to);
      if (live) {
        liveArticles++;
        titleLengthSum += segment.titleLength[i]!;
        liveParagraphs += to - from;
        for (let k = from; k < to; k++) paraLengthSum += lengths[k]!;
      }
    }
  }
  t.liveArticles = liveArticles;
  t.liveParagraphs = liveParagraphs;
  t.paraLengthSum = paraLengthSum;
  t.titleLengthSum = titleLengthSum;
  articleFirstPara[articles] = paragraphs;
  // Norms after the sums: the average length is over live documents of every segment.
  const base = BM25.k * (1 - BM25.b);
  const paraSlope = (BM25.k * BM25.b) / (liveParagraphs > 0 ? paraLengthSum / liveParagraphs : 1);
  const titleSlope = (BM25.k * BM25.b) / (liveArticles > 0 ? titleLengthSum / liveArticles : 1);
  t.paraNorms = new LengthNorms(paraLength, base, paraSlope);
  t.titleNorms = new LengthNorms(titleLength, base, titleSlope);
  return t;
}
