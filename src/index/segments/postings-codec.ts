import { CorruptIndexError } from '../../errors.js';

/**
 * The postings codec of a segment: a term's documents as variable-byte gaps
 * (the first document as is), then its term frequencies as variable-byte
 * integers. Seven bits a byte, the high bit set on every byte but the last of a
 * number: most gaps and frequencies take one byte, so a posting takes about two
 * bytes on disk instead of the six its decoded arrays hold.
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

/** Encodes `count` postings (`docs` ascending, `tfs` parallel) onto `sink`. */
export function encodePostings(
  sink: ByteSink,
  docs: ArrayLike<number>,
  tfs: ArrayLike<number>,
  from: number,
  to: number,
): void {
  let previous = 0;
  for (let i = from; i < to; i++) {
    const doc = docs[i]!;
    sink.varint(i === from ? doc : doc - previous);
    previous = doc;
  }
  for (let i = from; i < to; i++) sink.varint(tfs[i]!);
}

/** Decoded postings: `docs[0 … count)` ascending with `tfs` parallel. */
export interface DecodedPostings {
  docs: Int32Array;
  tfs: Uint16Array;
}

/**
 * Decodes `count` postings from `bytes`, adding `base` to every document.
 * Throws when the bytes run out, a document is not above the previous one, or a
 * document reaches `limit` (corruption: never a wrong result).
 */
export function decodePostings(
  bytes: Uint8Array,
  count: number,
  base: number,
  limit: number,
  out?: DecodedPostings,
  at = 0,
): DecodedPostings {
  const docs = out?.docs ?? new Int32Array(count);
  const tfs = out?.tfs ?? new Uint16Array(count);
  let pos = 0;
  const end = bytes.length;
  let doc = -1;
  // One loop over the 2 × count numbers: the gaps, then the frequencies.
  for (let n = 0; n < 2 * count; n++) {
    let value = 0;
    let shift = 0;
    let byte: number;
    do {
      if (pos >= end) throw new CorruptIndexError('postings truncated');
      byte = bytes[pos++]!;
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    if (n < count) {
      const next = n === 0 ? value : doc + value;
      if ((n > 0 && value === 0) || next >= limit) throw new CorruptIndexError('postings out of order');
      doc = next;
      docs[at + n] = doc + base;
    } else tfs[at + n - count] = Math.min(value, 0xffff);
  }
  if (pos !== end) throw new CorruptIndexError('postings length mismatch');
  return { docs, tfs };
}
