import type { ArchiveIndex } from '../../index/archive-index.js';
import { cursorOf, type Cursor, type WeightedTerm } from './article-cursors.js';

/**
 * A term whose paragraph postings fill at least this many blocks is bounded block
 * by block; a sparser one is read once into per-article shares (one block of a rare
 * completion spans most of the archive: its bound would weigh on every window).
 */
export const DENSE_BLOCKS = 4;

/** A dense term also holds at least this share of the blocks of the word's largest term. */
export const DENSE_SHARE = 0.25;

/** One term of the word: its cursors (null when a collection lacks it) and whether an article scored holds it. */
export interface WordTerm {
  term: string;
  paragraphs: Cursor | null;
  titles: Cursor | null;
  dense: boolean;
  matched: boolean;
}

/**
 * The terms of a one-word query (`terms`, in the plan's order) with their cursors,
 * each marked dense or not: dense when its paragraph postings fill at least
 * {@link DENSE_BLOCKS} blocks and {@link DENSE_SHARE} of the blocks of the word's
 * largest term; none matched yet.
 */
export function oneWordTerms(index: ArchiveIndex, terms: readonly WeightedTerm[]): WordTerm[] {
  const words: WordTerm[] = terms.map((t) => {
    const paragraphs = cursorOf(index, 'paragraphs', t);
    return {
      term: t.term,
      paragraphs,
      titles: cursorOf(index, 'titles', t),
      dense: false,
      matched: false,
    };
  });
  // Dense: the terms of many blocks that hold a good share of the word's postings (its form and stem,
  // mostly); a completion in fewer paragraphs weighs on every window's bound but on few articles.
  let most = 0;
  for (const w of words) if (w.paragraphs) most = Math.max(most, w.paragraphs.postings.blocks.count);
  for (const w of words)
    w.dense =
      w.paragraphs !== null &&
      w.paragraphs.postings.blocks.count >= DENSE_BLOCKS &&
      w.paragraphs.postings.blocks.count >= DENSE_SHARE * most;
  return words;
}
