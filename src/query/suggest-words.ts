import { tokenize } from '../analysis/tokenize.js';
import type { ArchiveIndex } from '../index/archive-index.js';

/** A completion: a word form of the corpus and the number of documents containing it. */
export interface WordSuggestion {
  /** The word's normalized form (lowercase, accents folded), as the index holds it. */
  text: string;
  /** Paragraphs plus headlines containing the word. */
  count: number;
}

/**
 * Completions of the last word of `query`: word forms of the paragraph and
 * headline indexes that begin with it (the word itself included when it occurs),
 * never stem terms, most frequent first (ties alphabetical), at most `limit`.
 *
 * The typed word is normalized with the shared tokenizer, so `Haï` completes like
 * `hai`. Nothing is suggested when the query is empty or ends with a space or a
 * separator (the last word is finished). Chosen from the index's lexicon (sorted
 * forms with frequencies): a binary search and a bounded heap, whatever the prefix.
 */
export function suggestWords(index: ArchiveIndex, query: string, limit: number): WordSuggestion[] {
  const tokens = tokenize(query);
  const last = tokens[tokens.length - 1];
  if (!last || last.end !== query.length) return [];
  return index.lexicon.completions(last.form, limit).map(({ form, df }) => ({ text: form, count: df }));
}
