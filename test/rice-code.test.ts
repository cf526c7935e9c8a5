import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CorruptIndexError } from '../src/errors.js';
import { ByteSink } from '../src/index/segments/postings-codec.js';
import {
  bestRiceParameter,
  endsRiceBlock,
  readRice,
  readRiceGaps,
  RICE_ESCAPE,
  riceCursor,
  skipRice,
  startRiceBlock,
  writeRiceBlock,
} from '../src/index/segments/rice-code.js';

/** A block of `values` Rice-coded with parameter `k`, behind `lead` bytes of something else: the bytes. */
function encode(values: number[], k: number, countKnown = true, lead = 0): Uint8Array {
  const sink = new ByteSink();
  for (let i = 0; i < lead; i++) sink.byte(0xa5);
  writeRiceBlock(sink, Int32Array.from(values), values.length, k, countKnown);
  return sink.view().slice();
}

/** A cursor at the first value of the block `encode` wrote. */
function open(bytes: Uint8Array, count: number, lead = 0) {
  const cursor = riceCursor();
  startRiceBlock(bytes, lead, bytes.length, count, cursor);
  return cursor;
}

const smallOrAny = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 200 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xffffffff }) },
);

describe('Rice codes in two streams', () => {
  it('read back every value written, for any parameter, escaped quotients and 32-bit values included, and end at the block end', () => {
    fc.assert(
      fc.property(
        fc.array(smallOrAny, { maxLength: 300 }),
        fc.integer({ min: 0, max: 15 }),
        fc.boolean(),
        (values, k, known) => {
          const bytes = encode(values, k, known);
          const cursor = open(bytes, known ? values.length : -1);
          const read = values.map(() => readRice(bytes, cursor));
          expect(read).toEqual(values);
          expect(endsRiceBlock(cursor)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('read back as positions, several from a window, the same as one at a time; read past (counted or not) to the same place', () => {
    const value = fc.oneof(
      { weight: 8, arbitrary: fc.integer({ min: 0, max: 40 }) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 1 << 20 }) },
    );
    fc.assert(
      fc.property(
        fc.array(value, { maxLength: 300 }),
        fc.integer({ min: 0, max: 15 }),
        fc.nat(7),
        fc.array(fc.nat(40), { maxLength: 8 }),
        (values, k, lead, cuts) => {
          // Behind `lead` bytes of something else, as a block follows the one before in a term's positions.
          const bytes = encode(values, k, true, lead);
          const expected: number[] = [];
          values.reduce((p, v) => (expected.push(p + v + 1), p + v + 1), -1);
          const out = new Int32Array(values.length);
          const cursor = open(bytes, values.length, lead);
          readRiceGaps(bytes, cursor, values.length, out, 0);
          expect(Array.from(out)).toEqual(expected);
          expect(endsRiceBlock(cursor)).toBe(true);
          // Read in runs: each run read past (counting in a block without escapes) or decoded; every decoded run as one at a time reads it.
          const past = open(bytes, values.length, lead);
          const single = open(bytes, values.length, lead);
          let at = 0;
          for (const [c, cut] of [...cuts, values.length].entries()) {
            const n = Math.min(cut, values.length - at);
            const one = Array.from({ length: n }, () => readRice(bytes, single));
            if (c % 2 === 0) {
              skipRice(bytes, past, n);
            } else {
              const run = new Int32Array(n);
              readRiceGaps(bytes, past, n, run, 0);
              const positions: number[] = [];
              one.reduce((p, v) => (positions.push(p + v + 1), p + v + 1), -1);
              expect(Array.from(run)).toEqual(positions);
            }
            expect([past.low, past.unary]).toEqual([single.low, single.unary]);
            at += n;
          }
          expect(endsRiceBlock(past)).toBe(true);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('count past values only in a block without escapes whose count the reader knows', () => {
    expect(open(encode([1, 2, 3], 1), 3).plain).toBe(true);
    expect(open(encode([1, 2, 1 << 20], 1), 3).plain).toBe(false);
    expect(open(encode([1, 2, 3], 1, false), -1).plain).toBe(false);
  });

  it('cost k + 1 bits plus the quotient a value, and RICE_ESCAPE + 32 bits past the escape, besides the parameter byte', () => {
    // Low bits 3 × 2 bits (a byte), quotients 1 + 1 + 2 bits (a byte).
    expect(encode([5, 6, 7], 2).length).toBe(1 + 1 + 1);
    // An escape: the low-bits stream's length, 32 low bits, 24 unary bits.
    expect(encode([1 << 20], 0).length).toBe(1 + 1 + (RICE_ESCAPE + 32) / 8);
  });

  it('choose the parameter that writes the fewest bits', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 1, maxLength: 200 }), (values) => {
        const { k, bits } = bestRiceParameter(Int32Array.from(values), 0, values.length);
        const size = (kk: number) => {
          let low = 0;
          let unary = 0;
          for (const v of values) {
            const q = v >>> kk;
            low += q >= RICE_ESCAPE ? 32 : kk;
            unary += q >= RICE_ESCAPE ? RICE_ESCAPE : q + 1;
          }
          return low + unary;
        };
        for (let other = 0; other <= 15; other++) expect(size(other)).toBeGreaterThanOrEqual(size(k));
        expect(size(k)).toBe(bits);
      }),
      { numRuns: 200 },
    );
  });

  it('are a corrupt index when a value runs past the end of its block, or the block is malformed', () => {
    const bytes = encode([300, 2, 3], 1);
    const cursor = riceCursor();
    startRiceBlock(bytes, 0, bytes.length, 3, cursor);
    expect(() => readRiceGaps(bytes, cursor, 50, null, 0)).toThrow(CorruptIndexError);
    const skipped = open(bytes, 3);
    expect(() => skipRice(bytes, skipped, 400)).toThrow(CorruptIndexError);
    // A count the block cannot hold (its low bits past its end).
    const plain = encode([30, 2, 3], 1);
    expect(() => startRiceBlock(plain, 0, plain.length, 1000, riceCursor())).toThrow(CorruptIndexError);
    expect(() => startRiceBlock(Uint8Array.of(16), 0, 1, 0, riceCursor())).toThrow(CorruptIndexError);
  });
});
