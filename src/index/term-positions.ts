import type { ArchiveIndex, Collection } from './archive-index.js';
import { decodeBlock, POSTINGS_BLOCK, type DecodedPostings } from './segments/postings-codec.js';
import { readPositionBlockStarts, readPostingPositions } from './segments/positions-codec.js';
import type { EncodedTerm } from './segments/segment-reader.js';
import { termKey } from './segments/utf8-order.js';
import { firstAtLeast } from './term-postings.js';

/** No positions: a term absent from a document. */
const NONE = new Int32Array(0);

/** A term's postings and positions in one segment, decoded block by block as documents are asked for. */
interface SegmentTermPositions {
  encoded: EncodedTerm;
  /** Segment-local documents and frequencies, filled block by block (`decoded[b]`). */
  postings: DecodedPostings;
  decoded: Uint8Array;
  positions: Buffer;
  /** Where each block's positions start in `positions`. */
  blockStarts: Int32Array;
}

/**
 * Token positions of terms in documents, read from the segments' positions
 * sections (see `positions-codec.ts`) for one query: each (term, segment) is read
 * once, its postings' blocks decoded as the documents asked for fall in them. A
 * position is the index of a token in `tokenize(text)` of the document (paragraph
 * or headline); a term's positions in a document are those of the tokens
 * indexed under it (its form, or any form of its stem for a stem term).
 */
export class PositionsReader {
  private readonly terms = new Map<string, (SegmentTermPositions | null | undefined)[]>();

  constructor(private readonly index: ArchiveIndex) {}

  /** The positions of `term` in document `doc` of `collection`, ascending; empty when the document does not hold it. */
  positionsOf(collection: Collection, term: string, doc: number): Int32Array {
    const bases = collection === 'paragraphs' ? this.index.paraBase : this.index.articleBase;
    const segments = this.index.segments;
    let lo = 0;
    let hi = segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (bases[mid]! <= doc) lo = mid;
      else hi = mid - 1;
    }
    const key = collection[0] + term;
    let perSegment = this.terms.get(key);
    if (!perSegment) {
      perSegment = new Array(segments.length);
      this.terms.set(key, perSegment);
    }
    let entry = perSegment[lo];
    if (entry === undefined) perSegment[lo] = entry = this.open(collection, term, lo);
    if (entry === null) return NONE;
    return this.read(entry, doc - bases[lo]!);
  }

  private open(collection: Collection, term: string, s: number): SegmentTermPositions | null {
    const segment = this.index.segments[s]!;
    const c = collection === 'paragraphs' ? 'p' : 't';
    const i = segment.findTerm(c, term, termKey(term));
    if (i < 0) return null;
    const encoded = segment.readTermBlocks(c, i);
    const positions = segment.readTermPositions(c, i);
    return {
      encoded,
      postings: { docs: new Int32Array(encoded.count), tfs: new Uint16Array(encoded.count) },
      decoded: new Uint8Array(encoded.skips.count),
      positions,
      blockStarts: readPositionBlockStarts(positions, encoded.count),
    };
  }

  private read(entry: SegmentTermPositions, local: number): Int32Array {
    const { encoded, postings } = entry;
    const b = firstAtLeast(encoded.skips.last, 0, encoded.skips.count, local);
    if (b >= encoded.skips.count) return NONE;
    const first = b * POSTINGS_BLOCK;
    const end = Math.min(encoded.count, first + POSTINGS_BLOCK);
    if (!entry.decoded[b]) {
      decodeBlock(encoded.bytes, encoded.skips, encoded.count, b, 0, encoded.limit, postings, first);
      entry.decoded[b] = 1;
    }
    const j = firstAtLeast(postings.docs, first, end, local);
    if (j >= end || postings.docs[j] !== local) return NONE;
    const cursor = { pos: entry.blockStarts[b]! };
    const stop = entry.blockStarts[b + 1]!;
    for (let k = first; k < j; k++) readPostingPositions(entry.positions, cursor, stop, postings.tfs[k]!, null);
    const tf = postings.tfs[j]!;
    // A capped frequency's count is read from the bytes: room for the most it can be.
    const out = new Int32Array(tf >= 0xffff ? stop - cursor.pos : tf);
    const n = readPostingPositions(entry.positions, cursor, stop, tf, out);
    return n === out.length ? out : out.subarray(0, n);
  }
}
