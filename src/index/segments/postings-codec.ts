import { CorruptIndexError } from '../../errors.js';

/**
 * The postings codec of a segment: a term's documents in blocks of
 * {@link POSTINGS_BLOCK}, each block's documents as variable-byte gaps then its
 * term frequencies, behind a skip table (each block's last document, size, largest
 * frequency and shortest field length) so a reader can go to a block without
 * decoding the ones before it, and bound a block's scores without decoding it.
 * Seven bits a byte, the high bit set on every byte but the last of a number:
 * most gaps and frequencies take one byte.
 */

/** A growable byte buffer for encoding. */
export class ByteSink {
  bytes = new Uint8Array(1024);
  length = 0;

  private reserve(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.length + extra) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  /** Appends a non-negative integer below 2^32 as a variable-byte number (1–5 bytes). */
  varint(value: number): void {
    this.reserve(5);
    let v = value >>> 0;
    while (v >= 0x80) {
      this.bytes[this.length++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.bytes[this.length++] = v;
  }

  /** Appends one byte (0–255). */
  byte(value: number): void {
    this.reserve(1);
    this.bytes[this.length++] = value;
  }

  /** Appends raw bytes. */
  append(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.bytes.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** Appends a string's UTF-8 bytes. */
  utf8(text: string): void {
    this.append(Buffer.from(text, 'utf8'));
  }

  /** The bytes written so far (a view; copy before the next write if kept). */
  view(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }

  clear(): void {
    this.length = 0;
  }
}

/** Postings per block: skip data and a score bound are kept per block of this many documents (the last block holds the rest). */
export const POSTINGS_BLOCK = 128;

/** Number of blocks of a term in `count` documents. */
export function blockCount(count: number): number {
  return Math.ceil(count / POSTINGS_BLOCK);
}

/**
 * Encodes postings `docs[from … to)` (ascending, `tfs` parallel) onto `sink` in
 * blocks of {@link POSTINGS_BLOCK} documents. `lengths[doc]` is each document's
 * field length (as stored in `<c>.length`, capped at 65,535). Layout:
 *
 *   skip table, one entry per block:
 *     when the term has more than one block: last document (the first block's as is,
 *     then the gap from the previous block's last) and the block's size in bytes;
 *     always: the block's largest term frequency and its shortest field length
 *   blocks: the documents as gaps (the first from the previous block's last
 *     document, or from -1), then the term frequencies
 *
 * every number a variable-byte integer. The last two numbers of an entry bound
 * the score of any document of the block (BM25 grows with the frequency and
 * falls with the length) without decoding it, whatever the scoring constants.
 */
export function encodePostings(
  sink: ByteSink,
  docs: ArrayLike<number>,
  tfs: ArrayLike<number>,
  from: number,
  to: number,
  lengths: ArrayLike<number>,
): void {
  const blocks = blockCount(to - from);
  const body = blockSink;
  body.clear();
  const header = headerSink;
  header.clear();
  let previousLast = -1;
  for (let b = 0; b < blocks; b++) {
    const start = from + b * POSTINGS_BLOCK;
    const end = Math.min(to, start + POSTINGS_BLOCK);
    const bodyStart = body.length;
    let previous = previousLast;
    let maxTf = 0;
    let minLength = 0xffff;
    for (let i = start; i < end; i++) {
      const doc = docs[i]!;
      body.varint(doc - previous);
      previous = doc;
      const length = Math.min(lengths[doc] ?? 0, 0xffff);
      if (length < minLength) minLength = length;
    }
    for (let i = start; i < end; i++) {
      const tf = tfs[i]!;
      body.varint(tf);
      if (tf > maxTf) maxTf = tf;
    }
    if (blocks > 1) {
      header.varint(previousLast < 0 ? previous : previous - previousLast);
      header.varint(body.length - bodyStart);
    }
    header.varint(Math.min(maxTf, 0xffff));
    header.varint(minLength);
    previousLast = previous;
  }
  sink.append(header.view());
  sink.append(body.view());
}

const blockSink = new ByteSink();
const headerSink = new ByteSink();

/** Decoded postings: `docs[0 … count)` ascending with `tfs` parallel. */
export interface DecodedPostings {
  docs: Int32Array;
  tfs: Uint16Array;
}

/**
 * A term's skip table, read from its encoded postings without decoding a block:
 * per block its last document (segment-local; for a term of one block, `limit` − 1,
 * since one block is never skipped), where its bytes start (`byteStart`, count + 1
 * entries, offsets into the term's bytes), its largest term frequency and its
 * shortest field length.
 */
export interface SkipTable {
  count: number;
  last: Int32Array;
  byteStart: Int32Array;
  maxTf: Uint16Array;
  minLength: Uint16Array;
}

/** Reads one variable-byte number of `bytes` at `cursor.pos` (moved past it). */
function readVarint(bytes: Uint8Array, cursor: { pos: number }): number {
  let value = 0;
  let shift = 0;
  let byte: number;
  let pos = cursor.pos;
  do {
    if (pos >= bytes.length) throw new CorruptIndexError('postings truncated');
    byte = bytes[pos++]!;
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80 && shift < 35);
  if (byte & 0x80) throw new CorruptIndexError('postings hold a malformed number');
  cursor.pos = pos;
  return value;
}

/** Reads the skip table of a term's encoded postings (`count` documents below `limit`). Throws on bytes that disagree. */
export function readSkipTable(bytes: Uint8Array, count: number, limit: number): SkipTable {
  const blocks = blockCount(count);
  const table: SkipTable = {
    count: blocks,
    last: new Int32Array(blocks),
    byteStart: new Int32Array(blocks + 1),
    maxTf: new Uint16Array(blocks),
    minLength: new Uint16Array(blocks),
  };
  const cursor = { pos: 0 };
  const sizes = new Int32Array(blocks);
  let last = -1;
  for (let b = 0; b < blocks; b++) {
    if (blocks > 1) {
      const gap = readVarint(bytes, cursor);
      last = b === 0 ? gap : last + gap;
      if ((b > 0 && gap === 0) || last >= limit) throw new CorruptIndexError('postings skip table out of order');
      table.last[b] = last;
      sizes[b] = readVarint(bytes, cursor);
    } else table.last[b] = limit - 1;
    table.maxTf[b] = Math.min(readVarint(bytes, cursor), 0xffff);
    table.minLength[b] = Math.min(readVarint(bytes, cursor), 0xffff);
  }
  let at = cursor.pos;
  for (let b = 0; b < blocks; b++) {
    table.byteStart[b] = at;
    at += blocks > 1 ? sizes[b]! : bytes.length - at;
  }
  table.byteStart[blocks] = at;
  if (at !== bytes.length) throw new CorruptIndexError('postings length mismatch');
  return table;
}

/**
 * Decodes block `b` of a term's encoded postings (skip table `skips`, `count`
 * documents in all) into `out` from position `at`, each document plus `base`.
 * Throws when the bytes disagree with the skip table or a document reaches `limit`.
 */
export function decodeBlock(
  bytes: Uint8Array,
  skips: SkipTable,
  count: number,
  b: number,
  base: number,
  limit: number,
  out: DecodedPostings,
  at: number,
): void {
  const n = Math.min(POSTINGS_BLOCK, count - b * POSTINGS_BLOCK);
  const end = skips.byteStart[b + 1]!;
  const { docs, tfs } = out;
  let pos = skips.byteStart[b]!;
  let doc = b > 0 ? skips.last[b - 1]! : -1;
  for (let k = 0; k < 2 * n; k++) {
    let value = 0;
    let shift = 0;
    let byte: number;
    do {
      if (pos >= end) throw new CorruptIndexError('postings truncated');
      byte = bytes[pos++]!;
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    if (k < n) {
      doc += value;
      if (value === 0 || doc >= limit) throw new CorruptIndexError('postings out of order');
      docs[at + k] = doc + base;
    } else tfs[at + k - n] = Math.min(value, 0xffff);
  }
  if (pos !== end || (skips.count > 1 && doc !== skips.last[b]))
    throw new CorruptIndexError('postings disagree with their skip table');
}

/**
 * Decodes all `count` postings of `bytes` (every block), adding `base` to every
 * document. Throws when the bytes run out, a document is not above the previous
 * one, or a document reaches `limit` (corruption: never a wrong result).
 */
export function decodePostings(
  bytes: Uint8Array,
  count: number,
  base: number,
  limit: number,
  out?: DecodedPostings,
  at = 0,
): DecodedPostings {
  const result = { docs: out?.docs ?? new Int32Array(count), tfs: out?.tfs ?? new Uint16Array(count) };
  if (count === 0) {
    if (bytes.length !== 0) throw new CorruptIndexError('postings length mismatch');
    return result;
  }
  const skips = readSkipTable(bytes, count, limit);
  for (let b = 0; b < skips.count; b++)
    decodeBlock(bytes, skips, count, b, base, limit, result, at + b * POSTINGS_BLOCK);
  return result;
}
