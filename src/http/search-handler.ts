import type { RequestHandler } from 'express';
import { performance } from 'node:perf_hooks';
import { Deadline } from '../query/deadline.js';
import { searchArchive } from '../query/search-archive.js';
import type { Admission } from './admission.js';
import type { AppDeps } from './app-deps.js';
import type { ServiceMetrics } from './metrics.js';
import { parseQueryString } from './parse-query-string.js';
import { readSearchParams } from './read-search-params.js';
import { requireIndex } from './require-index.js';

/**
 * `GET /search`: validates the query string, waits for its turn in `admission`
 * (503 `overloaded` when the queue is full), runs the search within
 * `budgetMs`, then answers with the response as JSON.
 */
export function searchHandler(deps: AppDeps, admission: Admission, metrics: ServiceMetrics, budgetMs: number): RequestHandler {
  const search = deps.search ?? ((index, params, deadline) => searchArchive(index, params, undefined, deadline));
  return async (req, res) => {
    const params = readSearchParams(parseQueryString(req.originalUrl));
    const index = requireIndex(deps);
    const response = await admission.run(
      () => {
        const started = performance.now();
        const result = search(index, params, Deadline.after(budgetMs));
        metrics.observeSearch((performance.now() - started) / 1000);
        return result;
      },
      () => req.socket.destroyed,
    );
    res.json(response);
  };
}
