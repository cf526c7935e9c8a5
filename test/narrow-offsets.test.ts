import { describe, expect, it } from 'vitest';
import { narrowOffsets } from '../src/index/segments/narrow-offsets.js';

describe('offset tables read from a segment', () => {
  it('are kept in 4 bytes an entry when every offset is below 4 GiB, with the same values', () => {
    const stored = Float64Array.from([0, 17, 4096, 2 ** 32 - 1]);
    const narrowed = narrowOffsets(stored);
    expect(narrowed).toBeInstanceOf(Uint32Array);
    expect([...narrowed]).toEqual([...stored]);
  });

  it('are kept as stored (8 bytes an entry) when an offset reaches 4 GiB', () => {
    const stored = Float64Array.from([0, 2 ** 32, 2 ** 40 + 3]);
    expect(narrowOffsets(stored)).toBe(stored);
  });
});
