import { CorruptIndexError } from '../../errors.js';
import type { ByteSink } from './postings-codec.js';

/**
 * Golomb–Rice codes of small non-negative numbers, most significant bit first:
 * with parameter `k`, a value v is its quotient `v >> k` in unary (that many 1
 * bits, then a 0) followed by its `k` low bits. A quotient of {@link RICE_ESCAPE}
 * or more is written as {@link RICE_ESCAPE} 1 bits (no 0) and the value in 32
 * bits, so a stray large value costs 56 bits, not thousands. With k near
 * log2 of the values' mean, a value costs about k + 2 bits: token positions
 * within a paragraph (mostly below 64) take 5–7 bits where a variable-byte
 * number takes 8.
 */

/** A quotient at or past this is escaped: the value follows in 32 bits. */
export const RICE_ESCAPE = 24;
/** Largest parameter: values up to 2^32 - 1 still fit (escaped). */
export const MAX_RICE_K = 15;

/** The bits of `values[from … to)` for each parameter k: the k of the fewest, and their count. */
export function bestRiceParameter(values: Int32Array, from: number, to: number): { k: number; bits: number } {
  let best = { k: 0, bits: Number.POSITIVE_INFINITY };
  for (let k = 0; k <= MAX_RICE_K; k++) {
    let bits = 0;
    let quotients = 0;
    for (let i = from; i < to; i++) {
      const q = values[i]! >>> k;
      quotients += q;
      bits += q >= RICE_ESCAPE ? RICE_ESCAPE + 32 : q + 1 + k;
    }
    if (bits < best.bits) best = { k, bits };
    // Once every quotient is 0, each larger k only adds a bit a value.
    if (quotients === 0) break;
  }
  return best;
}

/** Writes bits onto a byte sink, most significant first; `flush` pads the last byte with 0s. */
export class BitWriter {
  private acc = 0;
  private used = 0;

  constructor(private readonly sink: ByteSink) {}

  /** Appends the low `n` bits of `value` (0 ≤ n ≤ 32). */
  bits(value: number, n: number): void {
    for (let left = n; left > 0; ) {
      const take = Math.min(left, 8 - this.used);
      left -= take;
      const chunk = (value >>> left) & ((1 << take) - 1);
      this.acc = (this.acc << take) | chunk;
      this.used += take;
      if (this.used === 8) {
        this.sink.byte(this.acc);
        this.acc = 0;
        this.used = 0;
      }
    }
  }

  /** Appends `v` (0 ≤ v < 2^32) Rice-coded with parameter `k`. */
  rice(v: number, k: number): void {
    const q = v >>> k;
    if (q >= RICE_ESCAPE) {
      this.ones(RICE_ESCAPE);
      this.bits(v >>> 16, 16);
      this.bits(v & 0xffff, 16);
      return;
    }
    this.ones(q);
    this.bits(0, 1);
    if (k > 0) this.bits(v & ((1 << k) - 1), k);
  }

  private ones(n: number): void {
    for (let left = n; left > 0; left -= Math.min(left, 16)) this.bits(0xffff, Math.min(left, 16));
  }

  /** Pads to a whole byte. */
  flush(): void {
    if (this.used > 0) this.bits(0, 8 - this.used);
  }
}

/** A place in a Rice-coded bit stream: the bit `bit` (from the start of the bytes), the stream's parameter `k`. */
export interface BitCursor {
  bit: number;
  k: number;
}

/** The 32 bits of `bytes` from bit `bit` on (0s past the end). */
function window(bytes: Uint8Array, bit: number): number {
  const at = bit >>> 3;
  const shift = bit & 7;
  if (at + 4 >= bytes.length) return windowNearEnd(bytes, at, shift);
  const w = (bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!;
  return shift === 0 ? w >>> 0 : ((w << shift) | (bytes[at + 4]! >>> (8 - shift))) >>> 0;
}

/** {@link window} within 4 bytes of the end. */
function windowNearEnd(bytes: Uint8Array, at: number, shift: number): number {
  const w =
    ((bytes[at] ?? 0) << 24) | ((bytes[at + 1] ?? 0) << 16) | ((bytes[at + 2] ?? 0) << 8) | (bytes[at + 3] ?? 0);
  return shift === 0 ? w >>> 0 : ((w << shift) | ((bytes[at + 4] ?? 0) >>> (8 - shift))) >>> 0;
}

/**
 * Reads one Rice-coded value at `cursor` (moved past it). Throws `CorruptIndexError`
 * when it would end past bit `endBit`.
 */
export function readRice(bytes: Uint8Array, cursor: BitCursor, endBit: number): number {
  let bit = cursor.bit;
  const w = window(bytes, bit);
  const q = Math.clz32(~w);
  let v: number;
  if (q >= RICE_ESCAPE) {
    bit += RICE_ESCAPE;
    v = window(bytes, bit);
    bit += 32;
  } else {
    bit += q + 1;
    const k = cursor.k;
    v = k === 0 ? q : q * (1 << k) + (window(bytes, bit) >>> (32 - k));
    bit += k;
  }
  if (bit > endBit) throw new CorruptIndexError('positions truncated');
  cursor.bit = bit;
  return v;
}

/**
 * Reads `count` Rice-coded values at `cursor` (moved past them) as the gaps of
 * ascending positions: the first value is the first position, each next one the gap
 * from the one before less one. Writes the positions into `out` from `at`, or, when
 * `out` is null, only reads past them. Several values are read from each 32-bit
 * window of the bytes. Throws `CorruptIndexError` when they would end past bit `endBit`.
 */
export function readRiceGaps(
  bytes: Uint8Array,
  cursor: BitCursor,
  endBit: number,
  count: number,
  out: Int32Array | null,
  at: number,
): void {
  const k = cursor.k;
  const lowShift = 32 - k;
  let bit = cursor.bit;
  let p = -1;
  let i = 0;
  while (i < count) {
    let w = window(bytes, bit);
    let avail = 32;
    while (i < count) {
      const q = Math.clz32(~w);
      if (q >= RICE_ESCAPE) {
        // An escaped value: read from a fresh window.
        if (avail < 32) break;
        const v = window(bytes, bit + RICE_ESCAPE);
        bit += RICE_ESCAPE + 32;
        p += v + 1;
        if (out !== null) out[at + i] = p;
        i++;
        break;
      }
      const length = q + 1 + k;
      let v: number;
      if (length <= avail) v = k === 0 ? q : q * (1 << k) + ((w << (q + 1)) >>> lowShift);
      // The value runs past this window: read it from the next (its low bits from their own, when it is fresh).
      else if (avail < 32) break;
      else v = q * (1 << k) + (window(bytes, bit + q + 1) >>> lowShift);
      p += v + 1;
      if (out !== null) out[at + i] = p;
      i++;
      bit += length;
      avail -= length;
      if (avail <= 0) break;
      w <<= length;
    }
  }
  if (bit > endBit) throw new CorruptIndexError('positions truncated');
  cursor.bit = bit;
}
