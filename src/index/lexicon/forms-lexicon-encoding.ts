import { crc32 } from 'node:zlib';
import { isStemTerm } from '../../analysis/index-terms.js';

/** A word form with the number of documents (paragraphs + headlines) containing it (≥ 1). */
export interface LexiconEntry {
  form: string;
  df: number;
}

/*
 * How a forms lexicon (`forms-lexicon.ts`) is encoded: little-endian, every array 8-byte aligned so typed arrays view it in place:
 *
 *   bytes 0..7    magic `NRFLEX01`
 *   8..11         n, the number of forms (uint32)
 *   12..15        B, the byte length of the forms' UTF-8 (uint32)
 *   16..19        CRC-32 of everything from byte 24 to the end
 *   20..23        CRC-32 of bytes 0..19
 *   24 …          n + 1 byte offsets into the UTF-8 (uint32), then n dfs (int32), then B bytes of UTF-8
 */
/** The first 8 bytes of an encoded lexicon. */
export const LEXICON_MAGIC = 'NRFLEX01';
/** Bytes before the offsets. */
export const LEXICON_HEADER = 24;
const LONE_SURROGATE = /\p{Cs}/u;

const align8 = (n: number) => (n + 7) & ~7;

/** Where the dfs and the UTF-8 start, and the total size, for `n` forms of `byteLength` bytes of UTF-8. */
export function lexiconLayout(n: number, byteLength: number): { dfsAt: number; utf8At: number; total: number } {
  const dfsAt = align8(LEXICON_HEADER + 4 * (n + 1));
  const utf8At = align8(dfsAt + 4 * n);
  return { dfsAt, utf8At, total: utf8At + byteLength };
}

/** The encoded lexicon of entries sorted by `<` and distinct (throws otherwise); stem terms and dfs ≤ 0 skipped. */
export function encodeSorted(entries: Iterable<LexiconEntry>): Buffer {
  const builder = new LexiconEncoder();
  for (const { form, df } of entries) builder.push(form, df);
  return builder.finish();
}

/** The encoded lexicon of sorted lists merged, equal forms' dfs summed (one entry per list held, in a small heap). */
export function encodeMerged(lists: Iterable<LexiconEntry>[]): Buffer {
  const heap: Cursor[] = [];
  const siftDown = (j: number) => {
    for (;;) {
      const l = 2 * j + 1;
      let least = j;
      if (l < heap.length && heap[l]!.form < heap[least]!.form) least = l;
      if (l + 1 < heap.length && heap[l + 1]!.form < heap[least]!.form) least = l + 1;
      if (least === j) return;
      [heap[j], heap[least]] = [heap[least]!, heap[j]!];
      j = least;
    }
  };
  for (const list of lists) {
    const cursor = new Cursor(list[Symbol.iterator]());
    if (cursor.next()) heap.push(cursor);
  }
  for (let j = (heap.length >> 1) - 1; j >= 0; j--) siftDown(j);
  const builder = new LexiconEncoder();
  while (heap.length > 0) {
    const form = heap[0]!.form;
    let df = 0;
    // Every list positioned at this form is at the top of the heap in turn.
    while (heap.length > 0 && heap[0]!.form === form) {
      const top = heap[0]!;
      df += top.df;
      if (!top.next()) {
        heap[0] = heap[heap.length - 1]!;
        heap.pop();
      }
      siftDown(0);
    }
    builder.push(form, df);
  }
  return builder.finish();
}

/** One list being merged: its iterator and its current entry. */
class Cursor {
  form = '';
  df = 0;
  constructor(private readonly iterator: Iterator<LexiconEntry>) {}

  /** Moves to the next word form with a positive df; false at the end. */
  next(): boolean {
    for (;;) {
      const step = this.iterator.next();
      if (step.done) return false;
      const { form, df } = step.value;
      if (df > 0 && !isStemTerm(form)) {
        this.form = form;
        this.df = df;
        return true;
      }
    }
  }
}

/** Collects sorted entries into growing typed arrays, then lays them out as the encoded Buffer. */
export class LexiconEncoder {
  private utf8 = Buffer.allocUnsafe(1 << 16);
  private offsets = new Uint32Array(1 << 12);
  private dfs = new Int32Array(1 << 12);
  private n = 0;
  private bytes = 0;
  private last: string | null = null;

  push(form: string, df: number): void {
    if (df <= 0 || isStemTerm(form)) return;
    if (this.last !== null && !(this.last < form))
      throw new Error(`forms lexicon: "${form}" comes after "${this.last}" (input must be sorted and distinct)`);
    if (!Number.isInteger(df) || df > 0x7fffffff)
      throw new Error(`forms lexicon: df ${df} of "${form}" is not an integer below 2^31`);
    this.last = form;
    if (this.n + 1 >= this.offsets.length) {
      const offsets = new Uint32Array(this.offsets.length * 2);
      const dfs = new Int32Array(this.dfs.length * 2);
      offsets.set(this.offsets);
      dfs.set(this.dfs);
      [this.offsets, this.dfs] = [offsets, dfs];
    }
    if (this.bytes + 3 * form.length > this.utf8.length) {
      const bigger = Buffer.allocUnsafe(Math.max(2 * this.utf8.length, this.bytes + 3 * form.length));
      this.utf8.copy(bigger, 0, 0, this.bytes);
      this.utf8 = bigger;
    }
    const written = this.utf8.write(form, this.bytes, 'utf8');
    // A lone surrogate would be written as U+FFFD and read back as another form (ASCII needs no check).
    if (written !== form.length && LONE_SURROGATE.test(form))
      throw new Error('forms lexicon: a form holds a lone surrogate');
    this.bytes += written;
    if (this.bytes > 0xffffffff) throw new Error('forms lexicon: more than 4 GiB of forms');
    this.dfs[this.n++] = df;
    this.offsets[this.n] = this.bytes;
  }

  finish(): Buffer {
    const { n, bytes } = this;
    const { dfsAt, utf8At, total } = lexiconLayout(n, bytes);
    const out = Buffer.alloc(total);
    out.write(LEXICON_MAGIC, 0, 'latin1');
    out.writeUInt32LE(n, 8);
    out.writeUInt32LE(bytes, 12);
    Buffer.from(this.offsets.buffer, 0, 4 * (n + 1)).copy(out, LEXICON_HEADER);
    Buffer.from(this.dfs.buffer, 0, 4 * n).copy(out, dfsAt);
    this.utf8.copy(out, utf8At, 0, bytes);
    out.writeUInt32LE(crc32(out.subarray(LEXICON_HEADER)), 16);
    out.writeUInt32LE(crc32(out.subarray(0, 20)), 20);
    return out;
  }
}
