/**
 * The protocol's scores of one ranked run against one query's judgments.
 */

/** Rank cut-off of the primary figure. */
export const NDCG_DEPTH = 10;

/**
 * nDCG at `depth`: gain `2^g − 1`, discount `log2(rank + 1)` (rank from 1),
 * divided by the same sum over the ideal order of the judgments. In [0, 1];
 * 0 when nothing is judged relevant.
 */
export function ndcgAt(ranked: readonly string[], judgments: ReadonlyMap<string, number>, depth = NDCG_DEPTH): number {
  const dcg = (gains: number[]) => gains.reduce((sum, g, i) => sum + (2 ** g - 1) / Math.log2(i + 2), 0);
  const actual = ranked.slice(0, depth).map((id) => judgments.get(id) ?? 0);
  const ideal = [...judgments.values()].sort((a, b) => b - a).slice(0, depth);
  const best = dcg(ideal);
  return best === 0 ? 0 : dcg(actual) / best;
}

/**
 * Average precision of a run (any positive gain counts as relevant): the mean,
 * over all relevant documents, of the precision at each one's rank; a relevant
 * document missing from the run adds 0. In [0, 1].
 */
export function averagePrecision(ranked: readonly string[], judgments: ReadonlyMap<string, number>): number {
  let relevant = 0;
  for (const gain of judgments.values()) if (gain > 0) relevant++;
  if (relevant === 0) return 0;
  let found = 0;
  let sum = 0;
  ranked.forEach((id, i) => {
    if ((judgments.get(id) ?? 0) > 0) {
      found++;
      sum += found / (i + 1);
    }
  });
  return sum / relevant;
}

/** The arithmetic mean (0 for none). */
export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

/** The geometric mean of positive values (0 if any is 0; 0 for none). */
export function geometricMean(values: readonly number[]): number {
  if (values.length === 0 || values.some((v) => v <= 0)) return 0;
  return Math.exp(values.reduce((sum, v) => sum + Math.log(v), 0) / values.length);
}
