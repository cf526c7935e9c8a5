import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CorruptIndexError } from '../src/errors.js';
import { ByteSink } from '../src/index/segments/postings-codec.js';
import { bestRiceParameter, BitWriter, readRice, readRiceGaps, RICE_ESCAPE } from '../src/index/segments/rice-code.js';

/** Rice-codes `values` with parameter `k`: the bytes. */
function encode(values: number[], k: number): Uint8Array {
  const sink = new ByteSink();
  const bits = new BitWriter(sink);
  for (const v of values) bits.rice(v, k);
  bits.flush();
  return sink.view().slice();
}

describe('Rice codes', () => {
  it('read back every value written, for any parameter, escaped quotients and 32-bit values included', () => {
    const value = fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: 0, max: 200 }) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xffffffff }) },
    );
    fc.assert(
      fc.property(fc.array(value, { maxLength: 300 }), fc.integer({ min: 0, max: 15 }), (values, k) => {
        const bytes = encode(values, k);
        const cursor = { bit: 0, k };
        const read = values.map(() => readRice(bytes, cursor, bytes.length * 8));
        expect(read).toEqual(values);
        expect(Math.ceil(cursor.bit / 8)).toBe(bytes.length);
      }),
      { numRuns: 300 },
    );
  });

  it('read back as positions, several from a window, the same as one at a time (and read past alike)', () => {
    const value = fc.oneof(
      { weight: 8, arbitrary: fc.integer({ min: 0, max: 40 }) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 1 << 20 }) },
    );
    fc.assert(
      fc.property(
        fc.array(value, { maxLength: 300 }),
        fc.integer({ min: 0, max: 15 }),
        fc.nat(7),
        (values, k, lead) => {
          // Behind `lead` bits of something else, as a posting's positions follow the one before in a block.
          const sink = new ByteSink();
          const bits = new BitWriter(sink);
          bits.bits(0b1010101, lead);
          for (const v of values) bits.rice(v, k);
          bits.flush();
          const bytes = sink.view().slice();
          const expected: number[] = [];
          values.reduce((p, v) => (expected.push(p + v + 1), p + v + 1), -1);
          const out = new Int32Array(values.length);
          const cursor = { bit: lead, k };
          readRiceGaps(bytes, cursor, bytes.length * 8, values.length, out, 0);
          expect(Array.from(out)).toEqual(expected);
          const past = { bit: lead, k };
          readRiceGaps(bytes, past, bytes.length * 8, values.length, null, 0);
          expect(past.bit).toBe(cursor.bit);
          expect(Math.ceil(cursor.bit / 8)).toBe(bytes.length);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('cost k + 1 bits plus the quotient a value, and RICE_ESCAPE + 32 bits past the escape', () => {
    expect(encode([5, 6, 7], 2).length).toBe(Math.ceil((3 * 3 + 1 + 1 + 1) / 8));
    expect(encode([1 << 20], 0).length).toBe((RICE_ESCAPE + 32) / 8);
  });

  it('choose the parameter that writes the fewest bits', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 1, maxLength: 200 }), (values) => {
        const { k, bits } = bestRiceParameter(Int32Array.from(values), 0, values.length);
        for (let other = 0; other <= 15; other++)
          expect(encode(values, other).length).toBeGreaterThanOrEqual(encode(values, k).length);
        expect(encode(values, k).length).toBe(Math.ceil(bits / 8));
      }),
      { numRuns: 200 },
    );
  });

  it('are a corrupt index when a value runs past the end of its bytes', () => {
    const bytes = encode([300], 1);
    expect(() => readRice(bytes, { bit: 0, k: 1 }, bytes.length * 8 - 8)).toThrow(CorruptIndexError);
  });
});
