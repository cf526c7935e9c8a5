import { CorruptIndexError } from '../../errors.js';
import { viewOffsets } from './segment-file.js';

/**
 * A collection's table of positions offsets (`<c>.pos.off`): where each of its
 * `termCount` terms' token positions start in `<c>.positions` (`positions-codec.ts`),
 * plus the section's end, in bytes. The table is Uint32 for a section below 4 GiB,
 * Float64 above (see `writeTerms`). `section` is the positions section's
 * `[offset, length]` (undefined when the segment has none). Throws
 * `CorruptIndexError` when the table's last offset is not the section's length.
 */
export function readPositionOffsets(
  table: Buffer,
  termCount: number,
  section: readonly [offset: number, length: number, ...unknown[]] | undefined,
): Uint32Array | Float64Array {
  const offsets = viewOffsets(table, termCount + 1);
  if (!section || offsets[offsets.length - 1] !== section[1])
    throw new CorruptIndexError('segment positions table disagrees');
  return offsets;
}
