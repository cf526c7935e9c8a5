/**
 * Cursors over a term's postings read article by article, for the all-words top-k
 * (`all-words-top-k.ts`): an article's paragraphs are consecutive documents and its
 * headline is the document of its ordinal, so one cursor per term and collection,
 * moving forward only through the skip data (`seekPosting` decodes the blocks it lands
 * in and no other), finds the term's postings in each article in turn: its span.
 */
import type { ArchiveIndex } from '../../index/archive-index.js';
import { decodeBlockAt, type TermPostings } from '../../index/term-postings.js';
import { termIdf } from './term-idf.js';
import { bm25, seekPosting } from './term-scorer.js';

/** An index term of a clause and the weight its BM25 score is multiplied by (a word's expansion). */
export interface WeightedTerm {
  term: string;
  weight: number;
}

/** Above every document number: "no posting left". A small integer (V8 Smi). */
export const NO_DOC = (1 << 30) - 1;

/**
 * A term's postings in one collection, read forward: the position and its block;
 * `from … to` the positions of the postings in the article at hand (decoded).
 */
export interface Cursor {
  postings: TermPostings;
  /** `weight` × the term's IDF in the collection. */
  idf: number;
  at: number;
  block: number;
  from: number;
  to: number;
}

/** One term of a clause: its paragraph and headline cursors (null when the collection lacks it). */
export interface ClauseTerm {
  term: string;
  paragraphs: Cursor | null;
  titles: Cursor | null;
  /** The article its spans and `inTitle` are for (-1: none yet). */
  article: number;
  /** Whether that article's headline holds the term. */
  inTitle: boolean;
  /** Set once the term is found in a live document of an article scored. */
  matched: boolean;
}

/** A term's cursor in one collection at the start of its postings; null when the collection lacks the term. */
export function cursorOf(index: ArchiveIndex, collection: 'paragraphs' | 'titles', term: WeightedTerm): Cursor | null {
  const postings = index.termPostings(collection, term.term);
  if (!postings || postings.end === postings.start) return null;
  const idf = termIdf(index.liveDocumentCount(collection), postings.df) * term.weight;
  const at = postings.start;
  return { postings, idf, at, block: 0, from: at, to: at };
}

/** Moves `cursor` to its first posting ≥ `doc` and returns that posting's document (`NO_DOC` when none is left). */
export function seek(cursor: Cursor, doc: number): number {
  const { postings } = cursor;
  if (cursor.at >= postings.end) return NO_DOC;
  const blocks = postings.blocks;
  if ((blocks.pending === 0 || blocks.decoded[cursor.block] === 1) && postings.docs[cursor.at]! >= doc)
    return postings.docs[cursor.at]!;
  let found = seekPosting(postings, cursor.at, cursor.block, doc);
  // Past a block's documents (its skip entry's last is only an upper bound): the next block's first is the one.
  while (!found.readable && found.at < postings.end) found = seekPosting(postings, found.at, found.block, doc);
  cursor.at = found.at;
  cursor.block = found.block;
  return found.readable ? postings.docs[found.at]! : NO_DOC;
}

/** Sets `cursor.from … cursor.to` to the positions of its documents in `[first, end)`, every block among them decoded. */
export function span(cursor: Cursor, first: number, end: number): void {
  const doc = seek(cursor, first);
  const from = cursor.at;
  cursor.from = from;
  if (doc >= end) {
    cursor.to = from;
    return;
  }
  // An article holds a few postings of a term: read on within the block, and seek only past its end.
  const { postings } = cursor;
  const blocks = postings.blocks;
  const blockEnd = blocks.pending === 0 ? postings.end : blocks.first[cursor.block + 1]!;
  let i = from + 1;
  while (i < blockEnd && postings.docs[i]! < end) i++;
  if (i < blockEnd || i >= postings.end) {
    cursor.at = i;
    cursor.to = i;
    return;
  }
  const fromBlock = cursor.block;
  seek(cursor, end);
  // The seek may have jumped over blocks through the skip data: those in the span are decoded here.
  for (let b = fromBlock; b < blocks.count && blocks.first[b]! < cursor.at; b++) decodeBlockAt(postings, b);
  cursor.to = cursor.at;
}

/**
 * Sets the term's spans and `inTitle` for article `ord` (once per article) and
 * returns whether a live paragraph of `[first, end)` or the live headline holds it.
 */
export function prepare(index: ArchiveIndex, t: ClauseTerm, ord: number, first: number, end: number): boolean {
  if (t.article !== ord) {
    t.article = ord;
    t.inTitle = t.titles !== null && index.titleArticle[ord]! >= 0 && seek(t.titles, ord) === ord;
    if (t.paragraphs) span(t.paragraphs, first, end);
  }
  if (t.inTitle) return true;
  const cursor = t.paragraphs;
  if (!cursor) return false;
  const docs = cursor.postings.docs;
  for (let i = cursor.from; i < cursor.to; i++) if (index.paraArticle[docs[i]!]! >= 0) return true;
  return false;
}

/** Whether a term of the clause is in a live paragraph of `[first, end)` or the live headline of `ord` (its terms prepared up to the first that is). */
export function holds(
  index: ArchiveIndex,
  terms: readonly ClauseTerm[],
  ord: number,
  first: number,
  end: number,
): boolean {
  for (const t of terms) if (prepare(index, t, ord, first, end)) return true;
  return false;
}

/** Prepares every term of every clause for article `ord` (see {@link prepare}). */
export function prepareAll(index: ArchiveIndex, ordered: readonly (readonly ClauseTerm[])[], ord: number): void {
  const first = index.articleFirstPara[ord]!;
  const end = index.articleFirstPara[ord + 1]!;
  for (const clause of ordered) for (const t of clause) prepare(index, t, ord, first, end);
}

/** The headline's score for a clause (spans set): its terms' BM25 in the plan's order, summed as `scanPostings` sums them. */
export function titleScore(index: ArchiveIndex, terms: readonly ClauseTerm[], ord: number): number {
  let sum = 0;
  for (const t of terms) {
    if (!t.inTitle) continue;
    const cursor = t.titles!;
    sum = sum + bm25(cursor.idf, cursor.postings.tfs[cursor.at]!, index.titleNorms.of(ord));
  }
  return sum;
}

/** Puts every cursor back at the start of its postings (to seek an article out of order). */
export function rewind(terms: readonly (readonly ClauseTerm[])[]): void {
  for (const clause of terms)
    for (const t of clause) {
      t.article = -1;
      for (const cursor of [t.paragraphs, t.titles]) {
        if (!cursor) continue;
        cursor.at = cursor.postings.start;
        cursor.block = 0;
      }
    }
}

/** What `spanScores` found (one object, reused). */
const sums = { best: 0, total: 0 };

/**
 * Over the live paragraphs of `cursor`'s span (`from … to`): the best BM25 score and the
 * sum of them all, each posting scored alone (the makings of an article's bound).
 */
export function spanScores(index: ArchiveIndex, cursor: Cursor): typeof sums {
  const { docs, tfs } = cursor.postings;
  const norms = index.paraNorms;
  const articleOf = index.paraArticle;
  let best = 0;
  let total = 0;
  for (let i = cursor.from; i < cursor.to; i++) {
    const doc = docs[i]!;
    if (articleOf[doc]! < 0) continue;
    const norm = norms.of(doc);
    const score = bm25(cursor.idf, tfs[i]!, norm);
    if (score > best) best = score;
    total += score;
  }
  sums.best = best;
  sums.total = total;
  return sums;
}
