import type { EncodedTerm, Segment } from './segments/segment-reader.js';
import type { CollectionKey } from './segments/segment-writer.js';
import { decodeBlock, POSTINGS_BLOCK } from './segments/postings-codec.js';
import { termKey } from './segments/utf8-order.js';

/**
 * A term's blocks over the whole index (segment after segment), with the skip
 * data of each and whether it is decoded yet. Block `b` holds the postings
 * `docs[first[b] … first[b + 1])`; `last[b]` is its last document (global number;
 * for a term's only block in a segment, that segment's last document, an upper
 * bound: one block is never skipped); `maxTf[b]` and `minLength[b]` bound the
 * score of any of its documents.
 */
export interface PostingBlocks {
  count: number;
  last: Int32Array;
  first: Int32Array;
  maxTf: Uint16Array;
  minLength: Uint16Array;
  /** 1 when the block's postings are in `docs` / `tfs`. */
  decoded: Uint8Array;
  /** Blocks not decoded yet (0: `docs` and `tfs` are whole). */
  pending: number;
  /** Per block: its segment's encoded term (index into `encoded`), block number there and document base. */
  source: Int32Array;
  local: Int32Array;
  base: Int32Array;
  /** The segments' encoded postings the pending blocks are decoded from (emptied once every block is decoded). */
  encoded: EncodedTerm[];
}

/**
 * A term's postings over the whole index: `docs[start … end)` ascending (global
 * numbers), `tfs` parallel, filled block by block as they are needed (see
 * `decodeAllBlocks`, `decodeBlockAt`): a gallop through a long list decodes the
 * blocks it lands in and no other.
 */
export interface TermPostings {
  docs: Int32Array;
  tfs: Uint16Array;
  start: number;
  end: number;
  /** Live documents among them (deleted ones stay in the postings until a merge; scoring skips them). */
  df: number;
  blocks: PostingBlocks;
}

/** Decodes block `b` of `postings` when it is not yet. */
export function decodeBlockAt(postings: TermPostings, b: number): void {
  const blocks = postings.blocks;
  if (blocks.decoded[b]) return;
  const encoded = blocks.encoded[blocks.source[b]!]!;
  decodeBlock(
    encoded.bytes,
    encoded.skips,
    encoded.count,
    blocks.local[b]!,
    blocks.base[b]!,
    encoded.limit,
    postings,
    blocks.first[b]!,
  );
  blocks.decoded[b] = 1;
  if (--blocks.pending === 0) blocks.encoded = [];
}

/** Decodes every block of `postings` not decoded yet (before a scan of the whole list). */
export function decodeAllBlocks(postings: TermPostings): TermPostings {
  const blocks = postings.blocks;
  if (blocks.pending === 0) return postings;
  for (let b = 0; b < blocks.count; b++) if (!blocks.decoded[b]) decodeBlockAt(postings, b);
  return postings;
}

/** First position in `values[from … end)` holding a value ≥ `target` (`end` if none; `values` ascending): galloping, then binary search. */
export function firstAtLeast(values: Int32Array, from: number, end: number, target: number): number {
  if (from >= end || values[from]! >= target) return from;
  let lo = from; // values[lo] < target
  let step = 1;
  let hi = from + 1;
  while (hi < end && values[hi]! < target) {
    lo = hi;
    step *= 2;
    hi = lo + step;
  }
  if (hi > end) hi = end;
  lo += 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first block at or after `from` whose last document is ≥ `doc` (`count` when none). */
export function seekBlock(blocks: PostingBlocks, from: number, doc: number): number {
  return firstAtLeast(blocks.last, from, blocks.count, doc);
}

/** No blocks (a term absent from a collection). */
export function emptyBlocks(): PostingBlocks {
  return {
    count: 0,
    last: new Int32Array(0),
    first: new Int32Array(1),
    maxTf: new Uint16Array(0),
    minLength: new Uint16Array(0),
    decoded: new Uint8Array(0),
    pending: 0,
    source: new Int32Array(0),
    local: new Int32Array(0),
    base: new Int32Array(0),
    encoded: [],
  };
}

/**
 * A term's postings over every segment, as one sorted list: segment after
 * segment, each document number plus its segment's `bases[s]` (so the
 * concatenation stays ascending). Only the skip tables are read here; blocks are
 * decoded when a query needs them, but those of segments with deletions at once
 * (`df` counts the live documents, read from `live`: document → article number,
 * -1 when deleted). Deleted documents stay in (scoring skips them by their norm).
 * Null when no segment holds the term.
 */
export function decodeTermPostings(
  segments: readonly Segment[],
  c: CollectionKey,
  term: string,
  bases: Int32Array,
  live: Int32Array,
  from = 0,
): TermPostings | null {
  let total = 0;
  let blockTotal = 0;
  const found: EncodedTerm[] = [];
  const foundSegment: number[] = [];
  // The term's bytes, encoded once for every segment's dictionary.
  const key = termKey(term);
  for (let s = from; s < segments.length; s++) {
    const i = segments[s]!.findTerm(c, term, key);
    if (i < 0) continue;
    const encoded = segments[s]!.readTermBlocks(c, i);
    found.push(encoded);
    foundSegment.push(s);
    total += encoded.count;
    blockTotal += encoded.skips.count;
  }
  if (total === 0) return null;
  const blocks: PostingBlocks = {
    count: blockTotal,
    last: new Int32Array(blockTotal),
    first: new Int32Array(blockTotal + 1),
    maxTf: new Uint16Array(blockTotal),
    minLength: new Uint16Array(blockTotal),
    decoded: new Uint8Array(blockTotal),
    pending: blockTotal,
    source: new Int32Array(blockTotal),
    local: new Int32Array(blockTotal),
    base: new Int32Array(blockTotal),
    encoded: found,
  };
  const postings: TermPostings = {
    docs: new Int32Array(total),
    tfs: new Uint16Array(total),
    start: 0,
    end: total,
    df: 0,
    blocks,
  };
  let b = 0;
  let at = 0;
  found.forEach((encoded, f) => {
    const base = bases[foundSegment[f]!]!;
    const { skips } = encoded;
    for (let k = 0; k < skips.count; k++, b++) {
      blocks.last[b] = skips.last[k]! + base;
      blocks.first[b] = at + k * POSTINGS_BLOCK;
      blocks.maxTf[b] = skips.maxTf[k]!;
      blocks.minLength[b] = skips.minLength[k]!;
      blocks.source[b] = f;
      blocks.local[b] = k;
      blocks.base[b] = base;
    }
    at += encoded.count;
  });
  blocks.first[blockTotal] = total;
  let df = 0;
  for (let k = 0; k < blockTotal; k++) {
    const segment = segments[foundSegment[blocks.source[k]!]!]!;
    const from = blocks.first[k]!;
    const to = blocks.first[k + 1]!;
    if (segment.deletedCount === 0) df += to - from;
    else {
      decodeBlockAt(postings, k);
      for (let i = from; i < to; i++) if (live[postings.docs[i]!]! >= 0) df++;
    }
  }
  postings.df = df;
  return postings;
}

/** The concatenation of two block tables, every block decoded (the lists they describe are concatenated too). */
function concatBlocks(a: PostingBlocks, b: PostingBlocks, offset: number): PostingBlocks {
  const count = a.count + b.count;
  const join = <T extends Int32Array | Uint16Array>(x: T, y: T, make: (n: number) => T, shift = 0): T => {
    const out = make(count);
    out.set(x.subarray(0, a.count) as never);
    for (let i = 0; i < b.count; i++) out[a.count + i] = y[i]! + shift;
    return out;
  };
  const first = new Int32Array(count + 1);
  first.set(a.first.subarray(0, a.count));
  for (let i = 0; i <= b.count; i++) first[a.count + i] = b.first[i]! + offset;
  return {
    count,
    last: join(a.last, b.last, (n) => new Int32Array(n)),
    first,
    maxTf: join(a.maxTf, b.maxTf, (n) => new Uint16Array(n)),
    minLength: join(a.minLength, b.minLength, (n) => new Uint16Array(n)),
    decoded: new Uint8Array(count).fill(1),
    pending: 0,
    source: new Int32Array(count),
    local: new Int32Array(count),
    base: new Int32Array(count),
    encoded: [],
  };
}

/**
 * Postings decoded over the first segments brought up to date after a write:
 * the new segments' postings appended (their documents come after), and the
 * live count taken again when articles were deleted since.
 */
export function extendTermPostings(
  known: TermPostings | null,
  segments: readonly Segment[],
  knownSegments: number,
  deletedSince: boolean,
  c: CollectionKey,
  term: string,
  bases: Int32Array,
  live: Int32Array,
): TermPostings | null {
  const added = decodeTermPostings(segments, c, term, bases, live, knownSegments);
  if (!known) return added;
  let df = known.df;
  if (deletedSince) {
    decodeAllBlocks(known);
    df = 0;
    for (let k = known.start; k < known.end; k++) if (live[known.docs[k]!]! >= 0) df++;
  }
  if (!added) return df === known.df ? known : { ...known, df };
  decodeAllBlocks(known);
  decodeAllBlocks(added);
  const n = known.end - known.start;
  const docs = new Int32Array(n + added.end);
  const tfs = new Uint16Array(n + added.end);
  docs.set(known.docs.subarray(known.start, known.end));
  tfs.set(known.tfs.subarray(known.start, known.end));
  docs.set(added.docs, n);
  tfs.set(added.tfs, n);
  return {
    docs,
    tfs,
    start: 0,
    end: n + added.end,
    df: df + added.df,
    blocks: concatBlocks(known.blocks, added.blocks, n),
  };
}
