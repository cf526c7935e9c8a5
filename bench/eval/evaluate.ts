/**
 * Scores runs of every system on one collection: per system, the mean nDCG@10
 * and MAP over the collection's judged queries.
 */
import { averagePrecision, mean, ndcgAt } from './metrics.js';
import type { EvalCollection } from './collection.js';
import { runFts5, runMiniSearch, runOurs, runOursOverHttp, type Run } from './run-systems.js';

/** The systems an evaluation may compare. `http` is ours through the service. */
export const SYSTEMS = ['ours', 'http', 'fts5', 'minisearch'] as const;
/** One of {@link SYSTEMS}. */
export type SystemName = (typeof SYSTEMS)[number];

/** Mean figures of one system on one collection, in [0, 1]. */
export interface Figures {
  ndcg10: number;
  map: number;
}

/** One collection's figures per system that ran. */
export interface CollectionFigures {
  name: string;
  documents: number;
  queries: number;
  systems: Partial<Record<SystemName, Figures>>;
  /** Each system's run (query id → ranked document ids), for per-query figures. */
  runs: Partial<Record<SystemName, Run>>;
}

/** The mean nDCG@10 and MAP of `run` over the collection's judged queries (a query missing from the run scores 0). */
export function scoreRun(collection: EvalCollection, run: Run): Figures {
  const ndcg = collection.queries.map((q) => ndcgAt(run.get(q.id) ?? [], q.judgments));
  const ap = collection.queries.map((q) => averagePrecision(run.get(q.id) ?? [], q.judgments));
  return { ndcg10: mean(ndcg), map: mean(ap) };
}

/**
 * Runs every system on the collection and scores each: ours, FTS5 and raw
 * MiniSearch always; ours over HTTP (a server started from `repoRoot`) when `http`.
 */
export async function evaluateCollection(
  collection: EvalCollection,
  options: { http: boolean; repoRoot: string },
): Promise<CollectionFigures> {
  const runs: CollectionFigures['runs'] = {
    ours: await runOurs(collection),
    fts5: runFts5(collection),
    minisearch: runMiniSearch(collection),
  };
  if (options.http) runs.http = await runOursOverHttp(collection, options.repoRoot);
  const systems: CollectionFigures['systems'] = {};
  for (const system of SYSTEMS) {
    const run = runs[system];
    if (run) systems[system] = scoreRun(collection, run);
  }
  return {
    name: collection.name,
    documents: collection.docs.length,
    queries: collection.queries.length,
    systems,
    runs,
  };
}
