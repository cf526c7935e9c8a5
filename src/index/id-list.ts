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

  clear(): void {
    this.length = 0;
  }

  /** Iterates the ids (a typed-array iterator over the used part). */
  [Symbol.iterator](): IterableIterator<number> {
    return this.ids.subarray(0, this.length)[Symbol.iterator]();
  }

  /** The ids as a plain array (for tests and small lists). */
  toArray(): number[] {
    return Array.from(this.ids.subarray(0, this.length));
  }
}
