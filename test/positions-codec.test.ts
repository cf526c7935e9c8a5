import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteSink, POSTINGS_BLOCK } from '../src/index/segments/postings-codec.js';
import {
  CAPPED_FREQUENCY,
  encodePositions,
  readPositionBlockStarts,
  readPostingPositions,
  startPositionBlock,
} from '../src/index/segments/positions-codec.js';
import { endsRiceBlock, riceCursor, skipRice } from '../src/index/segments/rice-code.js';

/** Ascending distinct positions: `count` of them, gaps from `gaps` (cycled). */
function positionsOf(count: number, gaps: number[]): number[] {
  const out: number[] = [];
  let p = -1;
  for (let i = 0; i < count; i++) out.push((p += 1 + gaps[i % gaps.length]!));
  return out;
}

/** A term's postings' positions encoded: the bytes, and each posting's frequency as the postings keep it (capped). */
function encode(lists: number[][]): { bytes: Uint8Array; tfs: Uint16Array } {
  const starts = [0];
  for (const list of lists) starts.push(starts.at(-1)! + list.length);
  const sink = new ByteSink();
  encodePositions(sink, lists.flat(), starts, 0, lists.length);
  const tfs = Uint16Array.from(lists, (l) => Math.min(l.length, CAPPED_FREQUENCY));
  return { bytes: sink.view().slice(), tfs };
}

describe('positions codec (format 10)', () => {
  it('reads the positions of any postings asked in ascending order, those between read past (counted when the block allows), capped frequencies included', () => {
    const gaps = fc.array(fc.oneof({ weight: 9, arbitrary: fc.nat(30) }, { weight: 1, arbitrary: fc.nat(1 << 22) }), {
      minLength: 1,
      maxLength: 6,
    });
    const posting = fc.record({ count: fc.integer({ min: 1, max: 12 }), gaps });
    fc.assert(
      fc.property(
        fc.array(posting, { minLength: 1, maxLength: 3 * POSTINGS_BLOCK + 5 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 50 }),
        fc.option(fc.nat(3 * POSTINGS_BLOCK + 4), { nil: undefined }),
        (postings, wanted, capAt) => {
          const lists = postings.map(({ count, gaps: g }) => positionsOf(count, g));
          // Now and then a posting past the frequency cap (its count in the bytes).
          if (capAt !== undefined && capAt < lists.length) lists[capAt] = positionsOf(CAPPED_FREQUENCY + 3, [0, 2, 1]);
          const { bytes, tfs } = encode(lists);
          const blockStarts = readPositionBlockStarts(bytes, lists.length);
          const cursor = riceCursor();
          for (let b = 0; b + 1 < blockStarts.length; b++) {
            const first = b * POSTINGS_BLOCK;
            const last = Math.min(lists.length, first + POSTINGS_BLOCK);
            startPositionBlock(bytes, blockStarts[b]!, blockStarts[b + 1]!, tfs, first, last, cursor);
            let j = first;
            for (let i = first; i < last; i++) {
              if (!wanted[i % wanted.length]) continue;
              // Past the postings before i: counted at once in a plain block, else one posting at a time.
              if (cursor.plain) {
                let skip = 0;
                for (; j < i; j++) skip += tfs[j]!;
                skipRice(bytes, cursor, skip);
              } else for (; j < i; j++) readPostingPositions(bytes, cursor, tfs[j]!, null);
              const out = new Int32Array(lists[i]!.length);
              expect(readPostingPositions(bytes, cursor, tfs[i]!, out)).toBe(lists[i]!.length);
              expect(Array.from(out)).toEqual(lists[i]);
              j = i + 1;
            }
            for (; j < last; j++) readPostingPositions(bytes, cursor, tfs[j]!, null);
            expect(endsRiceBlock(cursor)).toBe(true);
            // A block with a capped frequency says its split: it is never counted past.
            if (tfs.subarray(first, last).includes(CAPPED_FREQUENCY)) expect(cursor.plain).toBe(false);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
