import { CorruptIndexError } from '../../errors.js';
import type { SectionSource } from './segment-file.js';
import type { CollectionKey } from './segment-writer.js';

/**
 * The encoded token positions of dictionary terms `from … to)` of collection `c`, read at once (see
 * `Segment.readPositionsBlock`): a merge scans a whole dictionary in term order with one read per
 * block, not one per term (a read per term was a system call per term and source: a third of a merge's
 * wall time at 4×).
 */
export interface PositionsBlock {
  c: CollectionKey;
  from: number;
  to: number;
  /** Offset of term `from`'s positions in the `<c>.positions` section. */
  start: number;
  bytes: Buffer;
}

/**
 * Reads from `source` the encoded positions of the terms `from … to)` (`offsets`: the collection's
 * positions offsets, `sectionAt`: the section's offset in the file), `to` being the last term whose
 * positions still fit in `maxBytes` bytes (at least one term, whatever its size).
 */
export function readPositionsBlock(
  source: SectionSource,
  offsets: Uint32Array | Float64Array,
  sectionAt: number,
  c: CollectionKey,
  from: number,
  maxBytes: number,
): PositionsBlock {
  const terms = offsets.length - 1;
  const start = offsets[from]!;
  let to = from + 1;
  while (to < terms && offsets[to + 1]! - start <= maxBytes) to++;
  const end = offsets[to]!;
  if (!(end >= start)) throw new CorruptIndexError('segment positions table disagrees');
  return { c, from, to, start, bytes: source.read(sectionAt + start, end - start) };
}

/** The encoded positions of term `i` of `block` (which holds it), as `Segment.readTermPositions` reads them. */
export function blockTermPositions(block: PositionsBlock, offsets: Uint32Array | Float64Array, i: number): Buffer {
  if (i < block.from || i >= block.to) throw new RangeError('term outside the positions block');
  const from = offsets[i]! - block.start;
  const to = offsets[i + 1]! - block.start;
  if (!(to >= from)) throw new CorruptIndexError('segment positions table disagrees');
  return block.bytes.subarray(from, to);
}
