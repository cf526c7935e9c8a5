import type { ArchiveIndex, Collection } from './archive-index.js';
import { POSTINGS_BLOCK } from './segments/postings-codec.js';
import { readPositionBlockStarts, readPostingPositions, startPositionBlock } from './segments/positions-codec.js';
import { riceCursor, skipRice } from './segments/rice-code.js';
import { termKey } from './segments/utf8-order.js';
import { positionsCache } from './positions-cache.js';
import { decodeBlockAt, firstAtLeast, seekBlock, type TermPostings } from './term-postings.js';

/** No positions: a term absent from a document. */
export const NO_POSITIONS = new Int32Array(0);

/** One term's token positions in the documents of a collection, over every segment. */
export interface TermPositions {
  /** The positions of the term in document `doc`, ascending; empty when the document does not hold it. */
  positionsOf(doc: number): Int32Array;
}

/** Index of the segment holding document `doc`: `bases` are the segments' first documents, ascending. */
export function segmentOf(bases: Int32Array, segments: number, doc: number): number {
  let lo = 0;
  let hi = segments - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (bases[mid]! <= doc) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * A place in one term's postings (the index's postings cache, decoded block by
 * block, shared with scoring): the posting of a document, found in a step forward
 * when documents are asked in ascending order (any order works).
 */
export class PostingsCursor {
  // Where the last lookup ended: to go on from there when the next document is further on.
  private lastDoc = -1;
  private lastBlock = 0;
  /** The first posting of `lastBlock` not below the last document asked for. */
  private lastIndex = 0;

  constructor(readonly postings: TermPostings) {}

  /** Index (over every segment) of the posting of document `doc`; -1 when the term is not in it. Moving back resets the place. */
  find(doc: number): number {
    const postings = this.postings;
    const blocks = postings.blocks;
    if (doc < this.lastDoc) {
      this.lastBlock = 0;
      this.lastIndex = 0;
    }
    this.lastDoc = doc;
    const b = blocks.last[this.lastBlock]! >= doc ? this.lastBlock : seekBlock(blocks, this.lastBlock, doc);
    if (b >= blocks.count) {
      this.lastBlock = b - 1;
      this.lastIndex = blocks.first[b]!;
      return -1;
    }
    decodeBlockAt(postings, b);
    const end = blocks.first[b + 1]!;
    const from = b === this.lastBlock ? Math.max(this.lastIndex, blocks.first[b]!) : blocks.first[b]!;
    const j = firstAtLeast(postings.docs, from, end, doc);
    this.lastBlock = b;
    this.lastIndex = j;
    return j < end && postings.docs[j] === doc ? j : -1;
  }
}

/** A word form's encoded positions in one segment, and where the segment's postings start in the term's whole list. */
interface SegmentPositions {
  bytes: Buffer;
  /** Where each block's positions start in `bytes` (the segment's blocks of the term). */
  blockStarts: Int32Array;
  /** Index in the term's postings (over every segment) of the segment's first posting. */
  first: number;
  /** The segment's postings of the term. */
  count: number;
}

/**
 * A word form's token positions in the documents of a collection, over every
 * segment: its postings come from the index's postings cache, its positions from
 * each segment's positions section, through the process's `positionsCache`.
 * Documents asked in ascending order cost a step forward each (the reader keeps
 * its place in the block); any order works.
 */
export class FormPositions implements TermPositions {
  private readonly cursor: PostingsCursor | null;
  private readonly bases: Int32Array;
  private readonly segments: (SegmentPositions | null)[];
  private lastSegment = 0;
  /** The next posting (global index), whose positions `cursor` is at in segment `lastSegment`'s bytes; -1 none. */
  private nextPosting = -1;
  private readonly cursorAt = riceCursor();
  private lastDoc = -1;
  private lastList: Int32Array = NO_POSITIONS;

  constructor(
    private readonly index: ArchiveIndex,
    private readonly collection: Collection,
    private readonly term: string,
  ) {
    const postings = index.termPostings(collection, term);
    this.cursor = postings ? new PostingsCursor(postings) : null;
    this.bases = collection === 'paragraphs' ? index.paraBase : index.articleBase;
    this.segments = new Array(index.segments.length).fill(null);
  }

  positionsOf(doc: number): Int32Array {
    // The same document again (a word's form, then its stem term, which merges its forms'): the list just read.
    if (doc === this.lastDoc) return this.lastList;
    const j = this.cursor ? this.cursor.find(doc) : -1;
    this.lastDoc = doc;
    this.lastList = j < 0 ? NO_POSITIONS : this.read(j, doc);
    return this.lastList;
  }

  private open(s: number): SegmentPositions {
    const segment = this.index.segments[s]!;
    const c = this.collection === 'paragraphs' ? 'p' : 't';
    const i = segment.findTerm(c, this.term, termKey(this.term));
    const postings = this.cursor!.postings;
    // The segment's first posting: the first document at or past its base.
    const base = this.bases[s]!;
    const b = seekBlock(postings.blocks, 0, base);
    decodeBlockAt(postings, b);
    const first = firstAtLeast(postings.docs, postings.blocks.first[b]!, postings.blocks.first[b + 1]!, base);
    const count = segment.termDf(c, i);
    const bytes = positionsCache.get(segment, c, i);
    return { bytes, blockStarts: readPositionBlockStarts(bytes, count), first, count };
  }

  /** The positions of posting `j` (global index), of document `doc`. */
  private read(j: number, doc: number): Int32Array {
    const s = segmentOf(this.bases, this.index.segments.length, doc);
    let entry = this.segments[s];
    if (!entry) this.segments[s] = entry = this.open(s);
    const local = j - entry.first;
    const block = Math.floor(local / POSTINGS_BLOCK);
    const tfs = this.cursor!.postings.tfs;
    // From the block's start, or from where the last lookup ended when it was inside the same block, before j.
    let k = entry.first + block * POSTINGS_BLOCK;
    const cursor = this.cursorAt;
    if (s === this.lastSegment && this.nextPosting > k && this.nextPosting <= j) k = this.nextPosting;
    else {
      const end = Math.min(k + POSTINGS_BLOCK, entry.first + entry.count);
      startPositionBlock(entry.bytes, entry.blockStarts[block]!, entry.blockStarts[block + 1]!, tfs, k, end, cursor);
    }
    if (cursor.plain) {
      // No capped frequency in the block: the postings before j hold the sum of their frequencies, read past at once.
      let skip = 0;
      for (; k < j; k++) skip += tfs[k]!;
      skipRice(entry.bytes, cursor, skip);
    } else for (; k < j; k++) readPostingPositions(entry.bytes, cursor, tfs[k]!, null);
    const tf = tfs[j]!;
    // A capped frequency's count is read from the bytes: room for the most it can be (a bit each).
    const out = new Int32Array(tf >= 0xffff ? cursor.end - cursor.unary : tf);
    const n = readPostingPositions(entry.bytes, cursor, tf, out);
    this.lastSegment = s;
    this.nextPosting = j + 1;
    return n === out.length ? out : out.subarray(0, n);
  }
}
