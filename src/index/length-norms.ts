/**
 * A collection's BM25 length norms, `base + slope × length` (k1·(1 − b) and
 * k1·b / average length), worked out from the documents' lengths when read
 * rather than kept as a table: two bytes a document already held instead of
 * eight more. The norm of a deleted document is its length's too: liveness is
 * the article table's (`paraArticle` / `titleArticle` ≥ 0).
 */
export class LengthNorms {
  constructor(
    /** Document → its length in tokens. */
    readonly lengths: Uint16Array,
    readonly base: number,
    readonly slope: number,
  ) {}

  /** The norm of document `doc`. */
  of(doc: number): number {
    return this.base + this.slope * this.lengths[doc]!;
  }

  /** The norm of a document of `length` tokens. */
  ofLength(length: number): number {
    return this.base + this.slope * length;
  }
}
