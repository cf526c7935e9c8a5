import { CorruptIndexError } from '../../errors.js';
import { ByteSink } from './postings-codec.js';

/**
 * Golomb–Rice codes of small non-negative numbers, in blocks kept as two
 * streams: with parameter `k`, a value v is its `k` low bits in the block's
 * low-bits stream and its quotient `v >> k` in unary (that many 1 bits, then a 0)
 * in its unary stream, each stream most significant bit first. A quotient of
 * {@link RICE_ESCAPE} or more is written as {@link RICE_ESCAPE} 1 bits (no 0) and
 * the value in 32 bits in the low-bits stream, so a stray large value costs 56
 * bits, not thousands. With k near log2 of the values' mean, a value costs about
 * k + 2 bits: token positions within a paragraph (mostly below 64) take 5–7 bits
 * where a variable-byte number takes 8.
 *
 * Two streams, as Elias–Fano keeps its upper bits (in unary) apart from its low
 * bits, so that reading past n values of a block with no escape is counting n 0
 * bits of the unary stream (32 at a time) and moving n × k bits in the other:
 * a reader skips to the values it wants without decoding those before them.
 *
 * Layout of a block: one byte, `k` (bits 0–3) and {@link EXPLICIT_LENGTH} (bit 7);
 * with the flag, the low-bits stream's length in bytes (a variable-byte number),
 * which is otherwise ⌈n × k / 8⌉ for the block's n values (the reader knows n);
 * then the low-bits stream and the unary stream, each padded to a byte. The
 * writer sets the flag when a value is escaped or the caller says the reader
 * cannot know n; only a block without it is read past by counting.
 */

/** A quotient at or past this is escaped: the value follows in 32 bits. */
export const RICE_ESCAPE = 24;
/** Largest parameter: values up to 2^32 - 1 still fit (escaped). */
export const MAX_RICE_K = 15;
/** Flag of a block's first byte: the low-bits stream's length follows (some value is escaped, or the count is not known to the reader). */
const EXPLICIT_LENGTH = 0x80;

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

  /** Appends `n` 1 bits. */
  ones(n: number): void {
    for (let left = n; left > 0; left -= Math.min(left, 16)) this.bits(0xffff, Math.min(left, 16));
  }

  /** Pads to a whole byte. */
  flush(): void {
    if (this.used > 0) this.bits(0, 8 - this.used);
  }
}

// Scratch streams of the writer (it runs in one thread at a time).
const lowSink = new ByteSink();
const unarySink = new ByteSink();

/**
 * Appends a block of `values[0 … n)` Rice-coded with parameter `k` onto `sink`
 * (layout above). `countKnown`: whether the reader will know n (else the block
 * says its streams' split).
 */
export function writeRiceBlock(sink: ByteSink, values: Int32Array, n: number, k: number, countKnown: boolean): void {
  lowSink.clear();
  unarySink.clear();
  const low = new BitWriter(lowSink);
  const unary = new BitWriter(unarySink);
  let escaped = false;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    const q = v >>> k;
    if (q >= RICE_ESCAPE) {
      escaped = true;
      unary.ones(RICE_ESCAPE);
      low.bits(v >>> 16, 16);
      low.bits(v & 0xffff, 16);
      continue;
    }
    unary.ones(q);
    unary.bits(0, 1);
    if (k > 0) low.bits(v & ((1 << k) - 1), k);
  }
  low.flush();
  unary.flush();
  const explicit = escaped || !countKnown;
  sink.byte(k | (explicit ? EXPLICIT_LENGTH : 0));
  if (explicit) sink.varint(lowSink.length);
  sink.append(lowSink.view());
  sink.append(unarySink.view());
}

/** A place in a block of Rice codes: bit offsets (from the start of the bytes) in its two streams, and the block's bounds. */
export interface RiceCursor {
  k: number;
  /** The next value's low bits. */
  low: number;
  /** The next value's quotient. */
  unary: number;
  /** Where the low-bits stream ends (the unary stream's start). */
  lowEnd: number;
  /** Where the block ends. */
  end: number;
  /** No value of the block is escaped and its split was computed: values are read past by counting. */
  plain: boolean;
}

/** A cursor at nothing yet (see {@link startRiceBlock}). */
export function riceCursor(): RiceCursor {
  return { k: 0, low: 0, unary: 0, lowEnd: 0, end: 0, plain: true };
}

/**
 * Sets `cursor` at the first value of the block in `bytes[start … end)`, of `count`
 * values (used only when the block does not say its split). Throws
 * `CorruptIndexError` when the block is malformed.
 */
export function startRiceBlock(bytes: Uint8Array, start: number, end: number, count: number, cursor: RiceCursor): void {
  if (start >= end || end > bytes.length) throw new CorruptIndexError('positions truncated');
  const head = bytes[start]!;
  const k = head & ~EXPLICIT_LENGTH;
  if (k > MAX_RICE_K) throw new CorruptIndexError('positions hold a malformed block');
  let at = start + 1;
  let lowBytes: number;
  if (head & EXPLICIT_LENGTH) {
    lowBytes = 0;
    let shift = 0;
    let byte: number;
    do {
      if (at >= end || shift > 28) throw new CorruptIndexError('positions hold a malformed block');
      byte = bytes[at++]!;
      lowBytes += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
  } else lowBytes = Math.ceil((count * k) / 8);
  if (at + lowBytes > end) throw new CorruptIndexError('positions truncated');
  cursor.k = k;
  cursor.low = at * 8;
  cursor.lowEnd = cursor.unary = (at + lowBytes) * 8;
  cursor.end = end * 8;
  cursor.plain = (head & EXPLICIT_LENGTH) === 0;
}

/** True when `cursor` read the whole of its block: both streams to their ends but their padding. */
export function endsRiceBlock(cursor: RiceCursor): boolean {
  return Math.ceil(cursor.low / 8) * 8 === cursor.lowEnd && Math.ceil(cursor.unary / 8) * 8 === cursor.end;
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

/** Throws `CorruptIndexError` when `cursor` ran past either of its streams. */
function checkBounds(cursor: RiceCursor): void {
  if (cursor.low > cursor.lowEnd || cursor.unary > cursor.end) throw new CorruptIndexError('positions truncated');
}

/** Reads one value at `cursor` (moved past it). Throws `CorruptIndexError` when it would end past its block. */
export function readRice(bytes: Uint8Array, cursor: RiceCursor): number {
  const q = Math.clz32(~window(bytes, cursor.unary));
  let v: number;
  if (q >= RICE_ESCAPE) {
    cursor.unary += RICE_ESCAPE;
    v = window(bytes, cursor.low);
    cursor.low += 32;
  } else {
    cursor.unary += q + 1;
    const k = cursor.k;
    v = k === 0 ? q : q * (1 << k) + (window(bytes, cursor.low) >>> (32 - k));
    cursor.low += k;
  }
  checkBounds(cursor);
  return v;
}

/**
 * Reads `count` values at `cursor` (moved past them) as the gaps of ascending
 * positions: the first value is the first position, each next one the gap from
 * the one before less one. Writes the positions into `out` from `at`, or, when
 * `out` is null, only reads past them (in a plain block, by counting: see
 * {@link skipRice}). Throws `CorruptIndexError` when they would end past the block.
 */
export function readRiceGaps(
  bytes: Uint8Array,
  cursor: RiceCursor,
  count: number,
  out: Int32Array | null,
  at: number,
): void {
  if (out === null && cursor.plain) {
    skipRice(bytes, cursor, count);
    return;
  }
  const k = cursor.k;
  const lowShift = 32 - k;
  let unary = cursor.unary;
  let low = cursor.low;
  // The unary stream's next bits (`uw`, `uAvail` of them valid), and the low-bits stream's (`lw`, `lAvail`).
  let uw = window(bytes, unary);
  let uAvail = 32;
  let lw = window(bytes, low);
  let lAvail = 32;
  let p = -1;
  for (let i = 0; i < count; i++) {
    let q = Math.clz32(~uw);
    if (q >= uAvail && uAvail < 32) {
      uw = window(bytes, unary);
      uAvail = 32;
      q = Math.clz32(~uw);
    }
    let v: number;
    if (q >= RICE_ESCAPE) {
      unary += RICE_ESCAPE;
      uw = window(bytes, unary);
      uAvail = 32;
      v = window(bytes, low);
      low += 32;
      lw = window(bytes, low);
      lAvail = 32;
    } else {
      unary += q + 1;
      uw <<= q + 1;
      uAvail -= q + 1;
      if (k === 0) v = q;
      else {
        if (lAvail < k) {
          lw = window(bytes, low);
          lAvail = 32;
        }
        v = q * (1 << k) + (lw >>> lowShift);
        lw <<= k;
        lAvail -= k;
        low += k;
      }
    }
    p += v + 1;
    if (out !== null) out[at + i] = p;
  }
  cursor.unary = unary;
  cursor.low = low;
  checkBounds(cursor);
}

/** The number of 1 bits of a 32-bit number. */
function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  v = (v + (v >>> 4)) & 0x0f0f0f0f;
  return Math.imul(v, 0x01010101) >>> 24;
}

/**
 * Moves `cursor` past `count` values without decoding them: in a plain block (no
 * escape), the unary stream past its next `count` 0 bits, 32 bits at a time, and
 * the low-bits stream by `count` × k; else one value at a time. Throws
 * `CorruptIndexError` when it would end past the block.
 */
export function skipRice(bytes: Uint8Array, cursor: RiceCursor, count: number): void {
  if (!cursor.plain) {
    for (let i = 0; i < count; i++) readRice(bytes, cursor);
    return;
  }
  let left = count;
  let unary = cursor.unary;
  while (left > 0) {
    const w = window(bytes, unary);
    const zeros = 32 - popcount(w);
    if (zeros < left) {
      left -= zeros;
      unary += 32;
      if (unary > cursor.end) break;
      continue;
    }
    // The left-th 0 of this window: clear the 0s (1s of ~w) before it, from the top.
    let x = ~w >>> 0;
    for (let r = left; r > 1; r--) x = (x ^ (0x80000000 >>> Math.clz32(x))) >>> 0;
    unary += Math.clz32(x) + 1;
    left = 0;
  }
  cursor.unary = unary;
  cursor.low += count * cursor.k;
  checkBounds(cursor);
}
