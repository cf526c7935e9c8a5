/**
 * Per-query figures of an evaluation (`npm run eval -- --per-query FILE`): for each
 * judged query, ours and FTS5's nDCG@10 and the ranks at which each put the judged
 * documents, as tab-separated lines, to find the queries where we lose and why.
 */
import type { EvalCollection } from './collection.js';
import type { CollectionFigures } from './evaluate.js';
import { ndcgAt } from './metrics.js';

/** The header line of {@link perQueryLines}' table. */
export const PER_QUERY_HEADER = [
  'collection',
  'query',
  'words',
  'judged',
  'ndcg10_ours',
  'ndcg10_fts5',
  'ours_minus_fts5',
  'ranks_ours',
  'ranks_fts5',
].join('\t');

/** The 1-based ranks (in a run of at most 100) of the judged documents, ascending, `-` for each one missing. */
function judgedRanks(ranked: readonly string[], judgments: ReadonlyMap<string, number>): string {
  const ranks: number[] = [];
  ranked.forEach((id, i) => {
    if (judgments.has(id)) ranks.push(i + 1);
  });
  const missing = judgments.size - ranks.length;
  return [...ranks.map(String), ...Array<string>(missing).fill('-')].join(',');
}

/**
 * One tab-separated line per judged query of `collection` (in its order): its words
 * (count), judged documents, nDCG@10 of ours and FTS5 (4 decimals) and their
 * difference, and each system's ranks of the judged documents. Empty when either run is missing.
 */
export function perQueryLines(collection: EvalCollection, figures: CollectionFigures): string[] {
  const ours = figures.runs.ours;
  const fts5 = figures.runs.fts5;
  if (!ours || !fts5) return [];
  return collection.queries.map((q) => {
    const a = ours.get(q.id) ?? [];
    const b = fts5.get(q.id) ?? [];
    const na = ndcgAt(a, q.judgments);
    const nb = ndcgAt(b, q.judgments);
    const words = q.words.split(' ').filter(Boolean).length;
    return [
      collection.name,
      q.id,
      String(words),
      String(q.judgments.size),
      na.toFixed(4),
      nb.toFixed(4),
      (na - nb).toFixed(4),
      judgedRanks(a, q.judgments),
      judgedRanks(b, q.judgments),
    ].join('\t');
  });
}
