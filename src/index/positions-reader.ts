import { isStemTerm } from '../analysis/index-terms.js';
import type { ArchiveIndex, Collection } from './archive-index.js';
import { StemPositions } from './stem-positions.js';
import { FormPositions, type TermPositions } from './term-positions.js';

export type { TermPositions } from './term-positions.js';

/**
 * Token positions of terms in documents, for one query: a {@link TermPositions}
 * per (collection, term), made on first use. A position is the index of a token
 * in `tokenize(text)` of the document (paragraph or headline); a term's
 * positions in a document are those of the tokens indexed under it (its form,
 * or any form of its stem for a stem term: those merged, see {@link StemPositions}).
 */
export class PositionsReader {
  private readonly terms = new Map<string, TermPositions>();

  constructor(private readonly index: ArchiveIndex) {}

  /** The positions of one term in the collection's documents. */
  term(collection: Collection, term: string): TermPositions {
    const key = collection[0] + term;
    let positions = this.terms.get(key);
    if (!positions) {
      positions = isStemTerm(term)
        ? new StemPositions(this.index, collection, term, (form) => this.term(collection, form))
        : new FormPositions(this.index, collection, term);
      this.terms.set(key, positions);
    }
    return positions;
  }

  /** The positions of `term` in document `doc` of `collection`, ascending; empty when the document does not hold it. */
  positionsOf(collection: Collection, term: string, doc: number): Int32Array {
    return this.term(collection, term).positionsOf(doc);
  }
}
