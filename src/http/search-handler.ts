import type { RequestHandler } from 'express';
import { searchArchive } from '../query/search-archive.js';
import type { AppDeps } from './app-deps.js';
import { parseQueryString } from './parse-query-string.js';
import { readSearchParams } from './read-search-params.js';
import { requireIndex } from './require-index.js';

/** `GET /search`: validates the query string, then answers with the search function's response as JSON. */
export function searchHandler(deps: AppDeps): RequestHandler {
  const search = deps.search ?? searchArchive;
  return async (req, res) => {
    const params = readSearchParams(parseQueryString(req.originalUrl));
    const index = requireIndex(deps);
    res.json(await search(index, params));
  };
}
