import type { RequestHandler } from 'express';
import { performance } from 'node:perf_hooks';
import { Deadline } from '../query/execute/deadline.js';
import { searchArchive, type SearchResponse } from '../query/search-archive.js';
import type { VersionHistory } from '../live/version-history.js';
import type { Admission } from './admission.js';
import { searchOf, type AppDeps } from './app-deps.js';
import type { ServiceMetrics } from './metrics.js';
import { parseQueryString } from './parse-query-string.js';
import { readSearchParams } from './read-search-params.js';
import { requireIndex } from './require-index.js';
import { sendJson } from './send-json.js';
import { markUnpublished, wantsUnpublished } from './unpublished.js';

/** The response with `correctedAt` (when its current version replaced an earlier one) on each hit of a corrected article; new objects: a cached response is never changed. */
function markCorrections(response: SearchResponse, versions: VersionHistory | null): SearchResponse {
  if (!versions) return response;
  let marked = false;
  const corrected = versions.correctedAtEach(response.hits.map((hit) => hit.articleId));
  const hits = response.hits.map((hit, i) => {
    const at = corrected[i]!;
    if (at === null) return hit;
    marked = true;
    return { ...hit, correctedAt: at };
  });
  return marked ? { ...response, hits } : response;
}

/**
 * `GET /search`: validates the query string, waits for its turn in `admission`
 * (503 `overloaded` when the queue is full), runs the search within
 * `budgetMs`, then answers with the response as JSON (see `sendJson`; and counts it in
 * `deps.analytics`, when on, if it is a typed query's first page).
 */
export function searchHandler(
  deps: AppDeps,
  admission: Admission,
  metrics: ServiceMetrics,
  budgetMs: number,
): RequestHandler {
  const search = searchOf(deps);
  return async (req, res) => {
    const query = parseQueryString(req.originalUrl);
    const params = readSearchParams(query);
    const preview = wantsUnpublished(query, req, deps.keys);
    let index = requireIndex(deps);
    const live = deps.live?.archive() ?? null;
    if (preview && live) index = live.previewIndex();
    const response = await admission.run(
      () => {
        const started = performance.now();
        // A preview is never cached: it holds what readers must not see.
        const result =
          preview && live
            ? markUnpublished(
                searchArchive(index, params, undefined, Deadline.after(budgetMs), deps.synonyms?.table()),
                live,
              )
            : search(index, params, Deadline.after(budgetMs));
        metrics.observeSearch((performance.now() - started) / 1000);
        return result;
      },
      () => req.socket.destroyed,
    );
    // A typed query's first page is a search for the analytics; a preview is an editor's, not a reader's.
    if (deps.analytics && !preview && params.page === 1 && params.q.trim() !== '')
      deps.analytics.recordSearch(params.q, response.totalHits);
    sendJson(req, res, markCorrections(response, deps.versions?.() ?? null));
  };
}
