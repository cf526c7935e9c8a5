import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { performance } from 'node:perf_hooks';
import { SearchError } from '../../errors.js';
import { Deadline } from '../../query/execute/deadline.js';
import type { SearchResponse } from '../../query/search-archive.js';
import type { Admission } from '../admission.js';
import { searchOf, type AppDeps } from '../app-deps.js';
import { statusOfCode } from '../error-handler.js';
import type { ServiceMetrics } from '../metrics.js';
import { quoteValue } from '../quote-value.js';
import { readBody } from '../read-body.js';
import { requireIndex } from '../require-index.js';
import { sendJson } from '../send-json.js';
import { algoliaResult, attributesOf, type AlgoliaResult } from './algolia-result.js';
import { ALGOLIA_PARAM_CODE, readAlgoliaParams } from './read-algolia-params.js';
import { ALGOLIA_INDEXES, toSearchParams, type AlgoliaIndexName } from './to-search-params.js';

/** Largest request body of the Algolia routes, in bytes. */
export const MAX_ALGOLIA_BODY_BYTES = 256 * 1024;
/** Most requests in one `POST /1/indexes/*\/queries` (InstantSearch sends one, plus one per refined disjunctive facet). */
export const MAX_ALGOLIA_REQUESTS = 50;
/** The response header naming the parameters a request sent that were ignored (comma-separated, sorted). */
export const IGNORED_PARAMS_HEADER = 'X-Algolia-Ignored-Params';

/** A search answered by the Algolia routes: for analytics, the query and its hit count (main requests only, see `isMainRequest`). */
export type OnAlgoliaSearch = (query: string, nbHits: number) => void;

function bad(message: string): SearchError {
  return new SearchError(ALGOLIA_PARAM_CODE, message);
}

/**
 * The body of a request whose `Content-Length` is within the limit (what browsers and Algolia's
 * clients send): read from its events, which costs fewer turns of the event loop than `readBody`'s
 * async iteration (measurable on a busy machine). Other bodies go through `readBody` and its limit.
 */
function readDeclaredBody(req: Request): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (
    !(Number.isInteger(declared) && declared >= 0 && declared <= MAX_ALGOLIA_BODY_BYTES) ||
    req.headers['transfer-encoding'] !== undefined
  ) {
    return readBody(req, MAX_ALGOLIA_BODY_BYTES);
  }
  if (declared === 0 || req.readableEnded) return Promise.resolve(Buffer.alloc(0));
  // Node's parser delivers no more than `Content-Length` bytes: the limit holds.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
    // A client gone before its body ended: nobody reads the answer.
    req.once('close', () => {
      if (!req.readableEnded)
        reject(new SearchError('client_closed', 'The client closed the request before its body arrived.'));
    });
  });
}

/** The JSON body of a request (sent as `application/json`, or as `text/plain` by browser clients avoiding a preflight). */
async function readJsonBody(req: Request): Promise<Record<string, unknown>> {
  const body = await readDeclaredBody(req);
  let parsed: unknown;
  try {
    parsed = body.length === 0 ? {} : (JSON.parse(body.toString('utf8')) as unknown);
  } catch {
    throw bad('The request body must be a JSON object.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw bad('The request body must be a JSON object.');
  return parsed as Record<string, unknown>;
}

function indexNameOf(name: unknown): AlgoliaIndexName {
  const known = ALGOLIA_INDEXES.find((i) => i === name);
  if (known === undefined)
    throw new SearchError(
      'algolia_index_not_found',
      `Index \`${quoteValue(String(name))}\` does not exist; use \`articles\` or \`paragraphs\`.`,
    );
  return known;
}

/**
 * Runs one Algolia request on `indexName`: translates it, searches (through admission, within the
 * time budget), converts the response. Adds the ignored parameters' names to `ignored`.
 */
async function runOne(
  deps: AppDeps,
  admission: Admission,
  metrics: ServiceMetrics,
  budgetMs: number,
  req: Request,
  indexName: AlgoliaIndexName,
  request: Record<string, unknown>,
  ignored: Set<string>,
  onSearch: OnAlgoliaSearch | undefined,
): Promise<AlgoliaResult> {
  if (request['type'] !== undefined && request['type'] !== 'default')
    throw bad(
      `Request \`type\` \`${quoteValue(String(request['type']))}\` is not supported (only \`default\`: no facet-value search).`,
    );
  const { params, ignored: skipped } = readAlgoliaParams(request);
  for (const name of skipped) ignored.add(name);
  const translated = toSearchParams(indexName, params, attributesOf(params).cropLength);
  const index = requireIndex(deps);
  const search = searchOf(deps);
  const response: SearchResponse | null = translated.matchesNothing
    ? null
    : await admission.run(
        () => {
          const started = performance.now();
          const result = search(index, translated.params, Deadline.after(budgetMs));
          metrics.observeSearch((performance.now() - started) / 1000);
          return result;
        },
        () => req.socket.destroyed,
      );
  const result = algoliaResult(indexName, request, params, translated, response, {
    pre: params.highlightPreTag,
    post: params.highlightPostTag,
  });
  // A page of hits for a typed query is a search; InstantSearch's facet-only requests and later pages are not.
  if (onSearch && params.hitsPerPage > 0 && params.page === 0 && params.query.trim() !== '')
    onSearch(params.query, result.nbHits);
  return result;
}

/** Most names the ignored-parameters header lists (then `...`), and the longest name listed: a header stays small. */
const MAX_IGNORED_LISTED = 30;

function setIgnored(res: Response, ignored: Set<string>): void {
  if (ignored.size === 0) return;
  const names = [...ignored].filter((n) => /^[A-Za-z0-9_.-]{1,64}$/.test(n)).sort();
  const listed = names.slice(0, MAX_IGNORED_LISTED);
  if (names.length > listed.length || names.length < ignored.size) listed.push('...');
  res.set(IGNORED_PARAMS_HEADER, listed.join(', '));
}

/**
 * `POST /1/indexes/*\/queries`: `{"requests": [{"indexName", "params"}, …]}` answered with
 * `{"results": [...]}` in order, as Algolia's multi-query (the strategy is always `none`).
 */
export function algoliaQueriesHandler(
  deps: AppDeps,
  admission: Admission,
  metrics: ServiceMetrics,
  budgetMs: number,
  onSearch?: OnAlgoliaSearch,
): RequestHandler {
  return async (req, res) => {
    const body = await readJsonBody(req);
    const requests = body['requests'];
    if (!Array.isArray(requests) || requests.length === 0 || requests.length > MAX_ALGOLIA_REQUESTS) {
      throw bad(`\`requests\` must be a list of 1 to ${MAX_ALGOLIA_REQUESTS} requests.`);
    }
    const ignored = new Set<string>();
    const results: AlgoliaResult[] = [];
    for (const request of requests) {
      if (request === null || typeof request !== 'object' || Array.isArray(request))
        throw bad('Each of `requests` must be an object with `indexName` and `params`.');
      const r = request as Record<string, unknown>;
      results.push(
        await runOne(deps, admission, metrics, budgetMs, req, indexNameOf(r['indexName']), r, ignored, onSearch),
      );
    }
    setIgnored(res, ignored);
    sendJson(req, res, { results });
  };
}

/** `POST /1/indexes/{indexName}/query`: one search, `{"params": "…"}` (or the parameters as the body's keys), answered with its result. */
export function algoliaQueryHandler(
  deps: AppDeps,
  admission: Admission,
  metrics: ServiceMetrics,
  budgetMs: number,
  onSearch?: OnAlgoliaSearch,
): RequestHandler {
  return async (req, res) => {
    const indexName = indexNameOf(req.params['indexName']);
    const body = await readJsonBody(req);
    const ignored = new Set<string>();
    const result = await runOne(deps, admission, metrics, budgetMs, req, indexName, body, ignored, onSearch);
    setIgnored(res, ignored);
    sendJson(req, res, result);
  };
}

/** Algolia's error body: `{"message", "status"}`. */
export interface AlgoliaErrorBody {
  message: string;
  status: number;
}

/**
 * Errors of the Algolia routes in Algolia's shape, `{"message", "status"}`, with the status of the
 * error's code (`invalid_algolia_params` 400, an unknown index 404, a missing key 401, 503 while the
 * index loads). Anything else (not a `SearchError`, or a 5xx other than 503) goes on to the service's error handler (logged, 500).
 */
export const algoliaErrorHandler: ErrorRequestHandler = (err, _req, res, next) => {
  if (res.headersSent || !(err instanceof SearchError)) return next(err);
  const status = statusOfCode(err.code);
  // An unexpected failure is logged by the service's handler.
  if (status >= 500 && status !== 503) return next(err);
  if (status === 503) res.set('Retry-After', '5');
  const body: AlgoliaErrorBody = { message: err.message, status };
  res.status(status).json(body);
};
