import { CorruptIndexError } from '../../errors.js';
import { blockCount, ByteSink, POSTINGS_BLOCK } from './postings-codec.js';
import {
  bestRiceParameter,
  readRice,
  readRiceGaps,
  type RiceCursor,
  startRiceBlock,
  writeRiceBlock,
} from './rice-code.js';

/**
 * The positions codec of a segment (`<c>.positions`, beside `<c>.postings`):
 * for each posting of a term, in the postings' order, the token positions of the
 * term in that document, as Lucene's `.pos` file and Tantivy's positions keep them.
 * A position is the index of the token in the document's token list as
 * `tokenize` gives it (tokens whose form is empty are not counted), the same
 * count the phrase and proximity checks make.
 *
 * Layout of one term of `n` postings, in blocks of {@link POSTINGS_BLOCK} postings
 * (the postings' own blocks):
 *
 *   when the term has more than one block: each block's size in bytes (variable-byte numbers)
 *   blocks: for each posting of the block, its positions: the first as is, then
 *     each gap from the one before less one (≥ 0), every number Rice-coded with
 *     the block's parameter k, as a block of `rice-code.ts` (k first, then the
 *     numbers' low bits and their quotients in two streams); a posting's count is
 *     its term frequency, or, when the frequency is capped at 65,535, 65,535 plus
 *     a number written (Rice-coded) before its positions
 *
 * A block's k is the one that makes it shortest (about log2 of its numbers' mean):
 * a position costs 6 bits on newswire paragraphs where a variable-byte number took 8
 * (format 6; Lucene and Tantivy bit-pack their positions in blocks of 128 for the
 * same reason). A reader goes to the positions of block b by the sizes alone, and to
 * those of one posting by reading past the numbers of the postings before it in the
 * block: their frequencies say how many, and in a block without an escaped number
 * or a capped frequency that is counting their quotients' 0 bits (format 10), not
 * decoding them. The reader knows such a block's count of numbers (the sum of its
 * postings' frequencies), so the block need not say where its streams split.
 *
 * Only word forms have positions of their own (segment format 5). A stem term's
 * positions in a document are those of its forms there, merged (every token is
 * indexed under its form and its stem term, so they are the same tokens): the
 * entry of a stem term holds the dictionary indexes of its forms in the segment
 * instead ({@link encodeStemForms}), and a reader merges their lists.
 */

/** A term frequency at this value is capped: the posting's real count follows in its positions. */
export const CAPPED_FREQUENCY = 0xffff;

/** The numbers of one block as they are coded, reused. */
let numbers = new Int32Array(1024);

/**
 * Encodes the positions of postings `from … to)` onto `sink`: posting i's positions
 * are `positions[starts[i] … starts[i + 1])`, ascending. Blocks as the postings'.
 */
export function encodePositions(
  sink: ByteSink,
  positions: ArrayLike<number>,
  starts: ArrayLike<number>,
  from: number,
  to: number,
): void {
  const blocks = blockCount(to - from);
  const body = bodySink;
  body.clear();
  const sizes = sizeSink;
  sizes.clear();
  for (let b = 0; b < blocks; b++) {
    const start = from + b * POSTINGS_BLOCK;
    const end = Math.min(to, start + POSTINGS_BLOCK);
    const bodyStart = body.length;
    const most = starts[end]! - starts[start]! + (end - start);
    if (numbers.length < most) numbers = new Int32Array(most * 2);
    let n = 0;
    let capped = false;
    for (let i = start; i < end; i++) {
      const first = starts[i]!;
      const last = starts[i + 1]!;
      if (last - first >= CAPPED_FREQUENCY) {
        numbers[n++] = last - first - CAPPED_FREQUENCY;
        capped = true;
      }
      let previous = -1;
      for (let k = first; k < last; k++) {
        const p = positions[k]!;
        numbers[n++] = previous < 0 ? p : p - previous - 1;
        previous = p;
      }
    }
    // A capped frequency's count is not the reader's to know: the block then says its split.
    writeRiceBlock(body, numbers, n, bestRiceParameter(numbers, 0, n).k, !capped);
    if (blocks > 1) sizes.varint(body.length - bodyStart);
  }
  sink.append(sizes.view());
  sink.append(body.view());
}

// Scratch sinks of the encoder (it runs in one thread at a time).
const bodySink = new ByteSink();
const sizeSink = new ByteSink();

/** Reads one variable-byte number of `bytes` at `cursor.pos` (moved past it), before `end`. Throws when it runs past `end`. */
function readNumber(bytes: Uint8Array, cursor: { pos: number }, end: number): number {
  let value = 0;
  let shift = 0;
  let byte: number;
  let pos = cursor.pos;
  do {
    if (pos >= end) throw new CorruptIndexError('positions truncated');
    byte = bytes[pos++]!;
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80 && shift < 35);
  if (byte & 0x80) throw new CorruptIndexError('positions hold a malformed number');
  cursor.pos = pos;
  return value;
}

/** Where each block's positions start in a term's positions bytes (`blocks + 1` entries). */
export function readPositionBlockStarts(bytes: Uint8Array, count: number): Int32Array {
  const blocks = blockCount(count);
  const starts = new Int32Array(blocks + 1);
  const cursor = { pos: 0 };
  const sizes = new Float64Array(blocks);
  if (blocks > 1) for (let b = 0; b < blocks; b++) sizes[b] = readNumber(bytes, cursor, bytes.length);
  let at = cursor.pos;
  for (let b = 0; b < blocks; b++) {
    starts[b] = at;
    at += blocks > 1 ? sizes[b]! : bytes.length - at;
  }
  starts[blocks] = at;
  if (at !== bytes.length) throw new CorruptIndexError('positions length mismatch');
  return starts;
}

/**
 * Sets `cursor` at the first posting of the block whose bytes are `bytes[start … end)`,
 * whose postings' frequencies are `tfs[from … to)`. Throws when the block is malformed.
 */
export function startPositionBlock(
  bytes: Uint8Array,
  start: number,
  end: number,
  tfs: ArrayLike<number>,
  from: number,
  to: number,
  cursor: RiceCursor,
): RiceCursor {
  let count = 0;
  for (let i = from; i < to; i++) count += tfs[i]!;
  startRiceBlock(bytes, start, end, count, cursor);
  return cursor;
}

/**
 * Reads the positions of one posting of frequency `tf` (see {@link CAPPED_FREQUENCY})
 * at `cursor` (see {@link startPositionBlock}; moved past them), into `out` from `at`
 * when `out` is given (else read past). Returns how many. Throws when the bytes run
 * out before the block's end.
 */
export function readPostingPositions(
  bytes: Uint8Array,
  cursor: RiceCursor,
  tf: number,
  out: Int32Array | null,
  at = 0,
): number {
  const count = tf >= CAPPED_FREQUENCY ? CAPPED_FREQUENCY + readRice(bytes, cursor) : tf;
  readRiceGaps(bytes, cursor, count, out, at);
  return count;
}

/**
 * Encodes the dictionary indexes of a stem term's forms (ascending, distinct) onto
 * `sink`: the first as is, then the gaps, each a variable-byte number. The entry's
 * length bounds the list (no count).
 */
export function encodeStemForms(sink: ByteSink, forms: ArrayLike<number>, from: number, to: number): void {
  let previous = -1;
  for (let k = from; k < to; k++) {
    const form = forms[k]!;
    sink.varint(previous < 0 ? form : form - previous);
    previous = form;
  }
}

/**
 * The dictionary indexes of a stem term's forms, from its entry (see
 * {@link encodeStemForms}). Throws `CorruptIndexError` when the bytes are
 * malformed, not ascending, or reach `termCount`.
 */
export function decodeStemForms(bytes: Uint8Array, termCount: number): Int32Array {
  let count = 0;
  for (let i = 0; i < bytes.length; i++) if ((bytes[i]! & 0x80) === 0) count++;
  const out = new Int32Array(count);
  const cursor = { pos: 0 };
  let form = -1;
  for (let k = 0; k < count; k++) {
    const gap = readNumber(bytes, cursor, bytes.length);
    if (k > 0 && gap === 0) throw new CorruptIndexError('stem forms out of order');
    form = k === 0 ? gap : form + gap;
    if (form >= termCount) throw new CorruptIndexError('stem form past the dictionary');
    out[k] = form;
  }
  if (cursor.pos !== bytes.length) throw new CorruptIndexError('stem forms truncated');
  return out;
}
