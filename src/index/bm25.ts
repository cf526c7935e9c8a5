/**
 * BM25 parameters: the scorer and the norms agree on them (and the plain scorer of the tests hands them to
 * MiniSearch). k1 1.2 and b 0.75, the standard values (FTS5's and Lucene's), and d 0: plain BM25, not
 * MiniSearch's BM25+ (d 0.5), whose bonus per matching term let long queries rank documents by how many
 * words they share; measured in `bench/RELEVANCE.md`.
 */
export const BM25 = { k: 1.2, b: 0.75, d: 0 } as const;
