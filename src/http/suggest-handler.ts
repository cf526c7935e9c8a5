import type { RequestHandler } from 'express';
import { suggestWords } from '../query/suggest-words.js';
import type { AppDeps } from './app-deps.js';
import { parseQueryString } from './parse-query-string.js';
import { readSuggestParams } from './read-suggest-params.js';
import { requireIndex } from './require-index.js';

/** `GET /suggest`: `{suggestions: [{text, count}]}`, completions of the last word of `q`, most frequent first. */
export function suggestHandler(deps: AppDeps): RequestHandler {
  return async (req, res) => {
    const { q, limit } = readSuggestParams(parseQueryString(req.originalUrl));
    const index = requireIndex(deps);
    res.json({ query: q, suggestions: suggestWords(index, q, limit) });
  };
}
