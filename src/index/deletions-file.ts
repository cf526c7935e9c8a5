import { crc32 } from 'node:zlib';
import { CorruptIndexError } from '../errors.js';

/** First bytes of a deletions file (`seg-000001.3.del`). */
const DELETES_MAGIC = 'NRDEL001';

/**
 * The deletions of a segment as file bytes: the magic `NRDEL001` (8 bytes),
 * the CRC-32 of the rest (4 bytes, little-endian), then one byte per article
 * of the segment (1 = deleted, 0 = live).
 */
export function encodeDeletes(deleted: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + deleted.length);
  out.write(DELETES_MAGIC, 0, 'latin1');
  out.writeUInt32LE(crc32(deleted), 8);
  out.set(deleted, 12);
  return out;
}

/** The deletions a file written by {@link encodeDeletes} holds for a segment of `articles` articles; throws when malformed. */
export function decodeDeletes(bytes: Buffer, articles: number): Uint8Array {
  if (bytes.length !== 12 + articles || bytes.toString('latin1', 0, 8) !== DELETES_MAGIC)
    throw new CorruptIndexError('deletions file is malformed');
  const deleted = new Uint8Array(bytes.subarray(12));
  if (crc32(deleted) !== bytes.readUInt32LE(8)) throw new CorruptIndexError('deletions file fails its checksum');
  return deleted;
}
