/**
 * Inverse document frequency, as the scorers weight a term.
 *
 * The Robertson–Spärck Jones weight `ln((N − df + 0.5) / (df + 0.5))`, the one
 * SQLite FTS5's `bm25()` uses, floored at {@link MIN_IDF} as FTS5 floors it: a
 * word in half the documents or more ("the", "of", "what") then adds next to
 * nothing, where MiniSearch's `ln(1 + (N − df + 0.5) / (df + 0.5))` (Lucene's)
 * still gives it about 0.4–0.7 and lets verbose queries rank documents by their
 * function words. Measured on the judged collections: `bench/results/RELEVANCE.md`.
 */

/** The floor of {@link termIdf}: positive, so a document that holds only common words still scores and ranks by them. */
export const MIN_IDF = 1e-6;

/** IDF of a term in `df` of `documentCount` documents (df ≥ 1), in [{@link MIN_IDF}, ln(2N)). */
export function termIdf(documentCount: number, df: number): number {
  const idf = Math.log((documentCount - df + 0.5) / (df + 0.5));
  return Math.max(idf, MIN_IDF);
}

/** The IDF MiniSearch's own `search()` uses, `ln(1 + (N − df + 0.5) / (df + 0.5))`: to rescale its scores to {@link termIdf}. */
export function miniSearchIdf(documentCount: number, df: number): number {
  return Math.log(1 + (documentCount - df + 0.5) / (df + 0.5));
}
