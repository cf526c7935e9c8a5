/**
 * A growable list of non-negative integer ids in an Int32Array: what the search
 * path collects per query (documents touched, articles touched) without the
 * reallocation and garbage of a JavaScript array of 100,000 numbers.
 * Read it as `ids[0 … length-1]`.
 */
export class IdList {
  ids: Int32Array;
  length = 0;

  constructor(capacity = 1024) {
    this.ids = new Int32Array(capacity);
  }

  push(id: number): void {
    if (this.length === this.ids.length) {
      const grown = new Int32Array(this.ids.length * 2);
      grown.set(this.ids);
      this.ids = grown;
    }
    this.ids[this.length++] = id;
  }

  /** Appends every id of `other`. */
  append(other: IdList): void {
    const length = this.length + other.length;
    if (length > this.ids.length) {
      const grown = new Int32Array(Math.max(length, this.ids.length * 2));
      grown.set(this.ids.subarray(0, this.length));
      this.ids = grown;
    }
    this.ids.set(other.ids.subarray(0, other.length), this.length);
    this.length = length;
  }

  clear(): void {
    this.length = 0;
  }

  /** Iterates the ids (a typed-array iterator over the used part). */
  [Symbol.iterator](): IterableIterator<number> {
    return this.ids.subarray(0, this.length)[Symbol.iterator]();
  }

  /**
   * Sorts the ids ascending, in place (they must be distinct and below
   * `universe`). A long list is sorted through a bitmap of the universe, a short
   * one by the built-in sort. Reading arrays indexed by id in ascending order
   * is what keeps a pass over 100,000 ids from missing the cache on every read.
   */
  sortDistinct(universe: number): void {
    const n = this.length;
    const ids = this.ids;
    if (n * 64 < universe) {
      ids.subarray(0, n).sort();
      return;
    }
    const words = (universe + 31) >>> 5;
    if (bitmap.length < words) bitmap = new Uint32Array(words);
    for (let i = 0; i < n; i++) {
      const id = ids[i]!;
      bitmap[id >>> 5] = bitmap[id >>> 5]! | (1 << (id & 31));
    }
    let k = 0;
    for (let w = 0; w < words; w++) {
      let bits = bitmap[w]!;
      if (bits === 0) continue;
      bitmap[w] = 0;
      while (bits !== 0) {
        const low = bits & -bits;
        ids[k++] = (w << 5) | (31 - Math.clz32(low));
        bits ^= low;
      }
    }
  }

  /** The ids as a plain array (for tests and small lists). */
  toArray(): number[] {
    return Array.from(this.ids.subarray(0, this.length));
  }
}

/** Scratch bitmap for {@link IdList.sortDistinct}, kept zeroed between uses. */
let bitmap = new Uint32Array(0);
