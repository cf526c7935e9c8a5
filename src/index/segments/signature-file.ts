import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import type { Article } from '../../corpus/article.js';
import { contentSignature, SHINGLE_WORDS, SIGNATURE_HASHES, SIGNATURE_SEED } from '../content-signature.js';
import { SignatureSource } from '../signature-source.js';
import { writeFileAtomic } from './atomic-file.js';
import type { Segment } from './segment-reader.js';

/**
 * A segment's content signatures, kept in a side file beside it
 * (`seg-000007.nrs` → `seg-000007.sig`) rather than inside the segment's byte
 * format: a small, self-describing addition that the segment format can change
 * without. Layout (little-endian): the magic `NRSSIG02`, then u32 format
 * version, hashes per article, words per shingle, seed, article count, and the
 * CRC-32 of the body; the body is `count × hashes` u16 values, article after
 * article in the segment's order. A missing or mismatched file is not an error:
 * the signatures are computed again from the segment's stored text (and the file
 * written again when the segment is on disk).
 */

const MAGIC = Buffer.from('NRSSIG02', 'latin1');
const FORMAT = 1;
const HEADER_BYTES = 32;

/** The signature file of a segment file (`….nrs` → `….sig`). */
export function signatureFileOf(segmentFile: string): string {
  return segmentFile.replace(/\.nrs$/, '') + '.sig';
}

function encode(signatures: Uint16Array, count: number): Buffer {
  const body = Buffer.from(signatures.buffer, signatures.byteOffset, count * SIGNATURE_HASHES * 2);
  const header = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(header, 0);
  [FORMAT, SIGNATURE_HASHES, SHINGLE_WORDS, SIGNATURE_SEED, count, crc32(body)].forEach((v, i) =>
    header.writeUInt32LE(v >>> 0, 8 + i * 4),
  );
  return Buffer.concat([header, body]);
}

/** The signatures in the bytes of a file holding `count` articles (a view of them), or null when they are of another kind or fail their checksum. */
function decode(bytes: Uint8Array, count: number): Uint16Array | null {
  const header = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, HEADER_BYTES));
  if (bytes.length !== HEADER_BYTES + count * SIGNATURE_HASHES * 2 || !header.subarray(0, 8).equals(MAGIC)) return null;
  const [format, hashes, words, seed, stored, crc] = [0, 1, 2, 3, 4, 5].map((i) => header.readUInt32LE(8 + i * 4));
  if (
    format !== FORMAT ||
    hashes !== SIGNATURE_HASHES ||
    words !== SHINGLE_WORDS ||
    seed !== SIGNATURE_SEED >>> 0 ||
    stored !== count
  )
    return null;
  const body = bytes.subarray(HEADER_BYTES);
  if (crc32(body) !== crc) return null;
  // The body starts at an even byte: its entries are read in place (a little-endian machine, as the writer).
  return new Uint16Array(bytes.buffer, bytes.byteOffset + HEADER_BYTES, count * SIGNATURE_HASHES);
}

/**
 * The signatures of a file holding `count` articles as a source (see `SignatureSource`): read whole and
 * checked, held, its file kept open; null when it is missing, of another kind, or fails its checksum.
 */
export function openSignatureFile(file: string, count: number): SignatureSource | null {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return null;
  }
  let signatures: Uint16Array | null = null;
  try {
    const bytes = new Uint8Array(fstatSync(fd).size);
    let done = 0;
    while (done < bytes.length) {
      const n = readSync(fd, bytes, done, bytes.length - done, done);
      if (n === 0) break;
      done += n;
    }
    if (done === bytes.length) signatures = decode(bytes, count);
  } catch {
    signatures = null;
  }
  if (signatures === null) {
    closeSync(fd);
    return null;
  }
  return SignatureSource.fromFile(fd, HEADER_BYTES, signatures);
}

/** Writes the signatures of `articles` beside the segment file `segmentFile` (atomically). */
export function writeArticleSignatures(articles: readonly Article[], segmentFile: string): void {
  const out = new Uint16Array(articles.length * SIGNATURE_HASHES);
  articles.forEach((article, i) => out.set(contentSignature(article), i * SIGNATURE_HASHES));
  writeFileAtomic(signatureFileOf(segmentFile), encode(out, articles.length));
}

/**
 * Writes the signatures of a merged segment: its sources' live articles' (in
 * source order, then article order: the merged segment's order), read from the
 * sources' side files, so a merge re-analyses no text.
 */
export function writeMergedSignatures(sources: readonly Segment[], mergedFile: string): void {
  const parts: Uint16Array[] = [];
  let count = 0;
  for (const source of sources) {
    const signatures = segmentSignatures(source);
    for (let i = 0; i < source.articleCount; i++) {
      if (source.deleted[i]) continue;
      parts.push(signatures.subarray(i * SIGNATURE_HASHES, (i + 1) * SIGNATURE_HASHES));
      count++;
    }
  }
  const out = new Uint16Array(count * SIGNATURE_HASHES);
  parts.forEach((part, i) => out.set(part, i * SIGNATURE_HASHES));
  writeFileAtomic(signatureFileOf(mergedFile), encode(out, count));
}

/** The signatures of every article of `segment` computed from its stored text. */
function computeSignatures(segment: Segment): Uint16Array {
  const signatures = new Uint16Array(segment.articleCount * SIGNATURE_HASHES);
  for (let i = 0; i < segment.articleCount; i++)
    signatures.set(contentSignature(segment.article(i)), i * SIGNATURE_HASHES);
  return signatures;
}

/**
 * The signatures of every article of `segment` (deleted ones included; article `i` at
 * `i × SIGNATURE_HASHES`) as a source: from its side file, or computed from its stored text when the
 * file is missing or stale (and then written, when the segment is on disk and the folder writable; a
 * source without a file holds them for as long as it lives).
 */
export function openSegmentSignatures(segment: Segment): SignatureSource {
  const count = segment.articleCount;
  const file = segment.path === null ? null : signatureFileOf(segment.path);
  const opened = file === null ? null : openSignatureFile(file, count);
  if (opened) return opened;
  const signatures = computeSignatures(segment);
  if (file === null) return SignatureSource.held(signatures);
  try {
    writeFileAtomic(file, encode(signatures, count));
    return SignatureSource.fromFile(openSync(file, 'r'), HEADER_BYTES, signatures);
  } catch {
    // A read-only cache: computed again at the next open.
    return SignatureSource.held(signatures);
  }
}

/** The signatures of every article of `segment`, as `openSegmentSignatures` finds them, not kept. */
export function segmentSignatures(segment: Segment): Uint16Array {
  const source = openSegmentSignatures(segment);
  const signatures = source.array!;
  source.close();
  return signatures;
}
