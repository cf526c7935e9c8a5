import type { RequestHandler } from 'express';
import { SearchError } from '../errors.js';
import type { SynonymStore } from '../live/synonym-store.js';
import { parseSynonymSet } from '../query/plan/synonyms.js';
import type { AppDeps } from './app-deps.js';
import { readBody } from './read-body.js';

/** Largest body of `PUT /synonyms`: 2 MB (10,000 rules of a few words each). */
export const MAX_SYNONYMS_BODY_BYTES = 2 * 1024 * 1024;

/** The synonym store, or 403 `writes_disabled` when this service keeps none. */
function requireStore(deps: AppDeps): SynonymStore {
  if (!deps.synonyms)
    throw new SearchError(
      'writes_disabled',
      'This service keeps no synonym set (it was started without a journal folder).',
    );
  return deps.synonyms;
}

/** `GET /synonyms` (admin key): the synonym set in force, `{groups, oneWay}`. */
export function getSynonymsHandler(deps: AppDeps): RequestHandler {
  return async (_req, res) => {
    res.json(requireStore(deps).set);
  };
}

/**
 * `PUT /synonyms` (admin key): replaces the whole set with the JSON body; answers 200 with
 * the stored set once it is durable and applied to the next search; 400 `invalid_json` or
 * `invalid_synonyms` naming the bad entry (the set in force is then unchanged).
 */
export function putSynonymsHandler(deps: AppDeps): RequestHandler {
  return async (req, res) => {
    const store = requireStore(deps);
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json')
      throw new SearchError(
        'unsupported_media_type',
        `The body must be \`application/json\`, got ${type ? `\`${type.slice(0, 100)}\`` : 'no Content-Type'}.`,
      );
    const body = await readBody(req, MAX_SYNONYMS_BODY_BYTES);
    let value: unknown;
    try {
      value = JSON.parse(body.toString('utf8'));
    } catch (error) {
      throw new SearchError('invalid_json', `The body is not valid JSON: ${(error as Error).message.slice(0, 200)}.`);
    }
    res.json(store.replace(parseSynonymSet(value)));
  };
}
