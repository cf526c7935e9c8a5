import type { ArchiveIndex, Collection } from './archive-index.js';
import { CAPPED_FREQUENCY, decodeStemForms } from './segments/positions-codec.js';
import { termKey } from './segments/utf8-order.js';
import { positionsCache } from './positions-cache.js';
import { NO_POSITIONS, PostingsCursor, segmentOf, type TermPositions } from './term-positions.js';

/**
 * A stem term's token positions in the documents of a collection, over every
 * segment: a segment stores none for it (segment format 5), only the list of its
 * forms in that segment (`positions-codec.ts`), so its positions in a document
 * are its forms' there, merged. They are the same positions a stored list would
 * give: every token is indexed under its form and its form's stem term. A stem
 * of one form in a segment reads that form's; else its forms are tried most
 * frequent first, and the merge stops once the stem's frequency in the document
 * is reached (most documents hold one form of a stem).
 */
export class StemPositions implements TermPositions {
  private readonly cursor: PostingsCursor | null;
  private readonly bases: Int32Array;
  /** Per segment, its forms of the stem (most frequent first), made on first use. */
  private readonly forms: (TermPositions[] | null)[];
  private readonly lists: Int32Array[] = [];

  constructor(
    private readonly index: ArchiveIndex,
    private readonly collection: Collection,
    private readonly term: string,
    /** The positions of a word form (shared with the query's other checks). */
    private readonly formPositions: (form: string) => TermPositions,
  ) {
    const postings = index.termPostings(collection, term);
    this.cursor = postings ? new PostingsCursor(postings) : null;
    this.bases = collection === 'paragraphs' ? index.paraBase : index.articleBase;
    this.forms = new Array(index.segments.length).fill(null);
  }

  positionsOf(doc: number): Int32Array {
    if (!this.cursor) return NO_POSITIONS;
    const s = segmentOf(this.bases, this.index.segments.length, doc);
    let forms = this.forms[s];
    if (!forms) this.forms[s] = forms = this.open(s);
    // One form in the segment (most stems): its postings are the stem term's, its positions too.
    if (forms.length === 1) return forms[0]!.positionsOf(doc);
    const j = this.cursor.find(doc);
    if (j < 0) return NO_POSITIONS;
    const tf = this.cursor.postings.tfs[j]!;
    const lists = this.lists;
    lists.length = 0;
    let found = 0;
    for (const form of forms) {
      const list = form.positionsOf(doc);
      if (list.length === 0) continue;
      lists.push(list);
      found += list.length;
      if (found >= tf && tf < CAPPED_FREQUENCY) break;
    }
    if (lists.length <= 1) return lists[0] ?? NO_POSITIONS;
    // The forms' lists are disjoint (a token has one form): their union is their concatenation, sorted.
    const out = new Int32Array(found);
    let at = 0;
    for (const list of lists) {
      out.set(list, at);
      at += list.length;
    }
    return out.sort();
  }

  /** The stem's forms in segment `s`, most frequent first. */
  private open(s: number): TermPositions[] {
    const segment = this.index.segments[s]!;
    const c = this.collection === 'paragraphs' ? 'p' : 't';
    const i = segment.findTerm(c, this.term, termKey(this.term));
    if (i < 0) return [];
    const indexes = Array.from(decodeStemForms(positionsCache.get(segment, c, i), segment.termCount(c)));
    indexes.sort((a, b) => segment.termDf(c, b) - segment.termDf(c, a));
    return indexes.map((k) => this.formPositions(segment.term(c, k)));
  }
}
