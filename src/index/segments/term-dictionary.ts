import { CorruptIndexError } from '../../errors.js';
import type { OffsetTable } from './narrow-offsets.js';
import { compareUtf8, termKey } from './utf8-order.js';

/** A segment's term dictionary for one collection, viewed in place. */
export class TermDictionary {
  constructor(
    readonly bytes: Buffer,
    readonly offsets: Uint32Array,
    readonly df: Uint32Array,
    readonly postOffsets: OffsetTable,
    /** Where the collection's postings start in the file. */
    readonly postingsAt: number,
  ) {
    const count = df.length;
    if (offsets.length !== count + 1 || postOffsets.length !== count + 1 || offsets[count] !== bytes.length)
      throw new CorruptIndexError('segment term dictionary disagrees');
  }

  get size(): number {
    return this.df.length;
  }

  term(i: number): string {
    return this.bytes.toString('utf8', this.offsets[i]!, this.offsets[i + 1]!);
  }

  /** Index of the first term ≥ `text` (JavaScript string order); on bytes when `key` (its UTF-8) is given. */
  lowerBound(text: string, key: Buffer | null = termKey(text)): number {
    let lo = 0;
    let hi = this.df.length;
    if (key === null) {
      // A lone surrogate has no exact UTF-8 form: compare decoded strings.
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (this.term(mid) < text) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    }
    const { bytes, offsets } = this;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareUtf8(bytes, offsets[mid]!, offsets[mid + 1]!, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  find(term: string, key: Buffer | null = termKey(term)): number {
    const i = this.lowerBound(term, key);
    if (i >= this.df.length) return -1;
    const equal =
      key === null ? this.term(i) === term : compareUtf8(this.bytes, this.offsets[i]!, this.offsets[i + 1]!, key) === 0;
    return equal ? i : -1;
  }
}
