import { stemTerm } from '../../analysis/index-terms.js';
import type { ArchiveIndex } from '../../index/archive-index.js';
import { decodeAllBlocks } from '../../index/term-postings.js';
import { scratch } from './query-matches.js';

/**
 * Article ordinal → 1 for each live article passing `filter` (null: all) whose
 * paragraphs hold `form` at least `count` times, any form of the word counted
 * (`haiti`, `haiti's`: every token is indexed under its stem term, whose
 * postings carry the term frequency). The headline is not counted: it often
 * repeats the lead (and for text files it is made from it). Cost: one read of the
 * stem term's paragraph postings.
 */
export function atLeastArticles(
  index: ArchiveIndex,
  form: string,
  count: number,
  filter: Uint8Array | null,
): Uint8Array {
  const accepted = new Uint8Array(index.articleSlots);
  const postings = index.termPostings('paragraphs', stemTerm(form));
  if (!postings) return accepted;
  decodeAllBlocks(postings);
  const counts = scratch.floats('atLeastCounts', index.articleSlots);
  const touched: number[] = [];
  for (let i = postings.start; i < postings.end; i++) {
    const doc: number = postings.docs[i]!;
    const ord: number = index.paraArticle[doc]!;
    // A deleted paragraph (article -1) stays in the postings until a merge.
    if (ord < 0) continue;
    if (counts[ord] === 0) touched.push(ord);
    counts[ord] = counts[ord]! + postings.tfs[i]!;
  }
  for (const ord of touched) {
    if (counts[ord]! >= count && (filter === null || filter[ord]) && index.isLive(ord)) accepted[ord] = 1;
    counts[ord] = 0;
  }
  return accepted;
}
