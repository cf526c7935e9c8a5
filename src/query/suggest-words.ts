import { isStemTerm } from '../analysis/index-terms.js';
import { tokenize } from '../analysis/tokenize.js';
import type { ArchiveIndex } from '../index/archive-index.js';

/** Most index terms looked at under one prefix; keeps a one-letter prefix (`a`) as cheap as any other. */
export const SUGGEST_SCAN_LIMIT = 60_000;

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
 * separator (the last word is finished). At most {@link SUGGEST_SCAN_LIMIT} terms
 * are scanned: under a very short prefix the counts compete among the first ones
 * in term order only, a trade of completeness for a bounded cost.
 * Counts include documents removed since the last vacuum, as MiniSearch's do.
 */
export function suggestWords(index: ArchiveIndex, query: string, limit: number): WordSuggestion[] {
  const tokens = tokenize(query);
  const last = tokens[tokens.length - 1];
  if (!last || last.end !== query.length) return [];
  const prefix = last.form;
  const counts = new Map<string, number>();
  let scanned = 0;
  for (const tree of [index.paraInternals._index, index.titleInternals._index]) {
    for (const [term, data] of tree.atPrefix(prefix)) {
      if (++scanned > SUGGEST_SCAN_LIMIT) break;
      if (isStemTerm(term)) continue;
      let count = counts.get(term) ?? 0;
      for (const postings of data.values()) count += postings.size;
      counts.set(term, count);
    }
  }
  return [...counts]
    .filter(([, count]) => count > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, limit)
    .map(([text, count]) => ({ text, count }));
}
