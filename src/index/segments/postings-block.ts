import { decodePostings, type DecodedPostings } from './postings-codec.js';
import type { SectionSource } from './segment-file.js';
import type { CollectionKey } from './segment-writer.js';
import type { TermDictionary } from './term-dictionary.js';

/** The encoded postings of dictionary terms `from … to)` of collection `c`, read at once (see `Segment.readPostingsBlock`): merges scan a whole dictionary in term order with one read per block, not per term. */
export interface PostingsBlock {
  c: CollectionKey;
  from: number;
  to: number;
  bytes: Buffer;
}

/**
 * Reads from `source` the encoded postings of the terms `from … to)` of dictionary `d`
 * (collection `c`) at once, `to` being the last term whose postings still fit in
 * `maxBytes` bytes (at least one term, whatever its size).
 */
export function readPostingsBlock(
  source: SectionSource,
  d: TermDictionary,
  c: CollectionKey,
  from: number,
  maxBytes: number,
): PostingsBlock {
  const start = d.postOffsets[from]!;
  let to = from + 1;
  while (to < d.size && d.postOffsets[to + 1]! - start <= maxBytes) to++;
  return { c, from, to, bytes: source.read(d.postingsAt + start, d.postOffsets[to]! - start) };
}

/**
 * Decodes the postings of term `i` of dictionary `d` from `block` (which holds it: the
 * caller checks) into `out.docs / out.tfs` from position `at`, each document plus
 * `base`; every document number is below `limit` (the collection's documents).
 */
export function decodeBlockPostings(
  d: TermDictionary,
  block: PostingsBlock,
  i: number,
  limit: number,
  out: DecodedPostings,
  at: number,
  base: number,
): void {
  const start = d.postOffsets[block.from]!;
  decodePostings(
    block.bytes.subarray(d.postOffsets[i]! - start, d.postOffsets[i + 1]! - start),
    d.df[i]!,
    base,
    limit,
    out,
    at,
  );
}
