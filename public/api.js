/**
 * The public API calls the page makes (`/search`, `/articles/{id}`,
 * `/articles/{id}/related`, `/suggest`), as promises of parsed JSON. Every non-2xx answer becomes an
 * `ApiError` carrying the API's `message`, `code` and `type`.
 */

/** An error answer of the API (or a network failure, with `status` 0). */
export class ApiError extends Error {
  /**
   * @param {number} status HTTP status; 0 when the request never got an answer.
   * @param {string} code The API's stable snake_case code (`index_loading`, …).
   * @param {string} type `invalid_request` | `auth` | `system` | `internal` | `network`.
   * @param {string} message The API's human-readable message.
   */
  constructor(status, code, type, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.type = type;
  }

  /** True while the service is still building its index (503 `index_loading`): retry soon. */
  get isLoading() {
    return this.status === 503 && (this.code === 'index_loading' || this.type === 'system');
  }
}

/**
 * Fetches a same-origin JSON resource.
 * @param {string} path Path and query string, e.g. `/search?q=x`.
 * @param {AbortSignal} [signal] Aborts the request (the promise then rejects with an `AbortError`).
 * @returns {Promise<any>}
 */
async function getJson(path, signal) {
  let response;
  try {
    response = await fetch(path, { signal, headers: { Accept: 'application/json' } });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'network_error', 'network', 'The search service could not be reached. Check your connection and try again.');
  }
  let body = null;
  try {
    body = await response.json();
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    body = null;
  }
  if (!response.ok) {
    const message = body && typeof body.message === 'string' ? body.message : `The service answered ${response.status}.`;
    const code = body && typeof body.code === 'string' ? body.code : 'http_error';
    const type = body && typeof body.type === 'string' ? body.type : 'internal';
    throw new ApiError(response.status, code, type, message);
  }
  if (body === null) throw new ApiError(response.status, 'invalid_response', 'internal', 'The service sent an answer the page cannot read.');
  return body;
}

/**
 * `GET /search` with a prepared query string (see `searchRequestOf`).
 * @param {string} query URL-encoded parameters, without `?`.
 * @param {AbortSignal} [signal]
 */
export function searchArticles(query, signal) {
  return getJson(`/search?${query}`, signal);
}

/**
 * `GET /articles/{id}`, with the query's words highlighted when `q` is not empty.
 * @param {string} articleId
 * @param {string} q
 * @param {AbortSignal} [signal]
 */
export function getArticle(articleId, q, signal) {
  const query = q.trim() ? `?${new URLSearchParams({ q })}` : '';
  return getJson(`/articles/${encodeURIComponent(articleId)}${query}`, signal);
}

/**
 * `GET /articles/{id}/related`: the articles most like this one.
 * @param {string} articleId
 * @param {AbortSignal} [signal]
 */
export function getRelated(articleId, signal) {
  return getJson(`/articles/${encodeURIComponent(articleId)}/related?limit=5`, signal);
}

/**
 * `GET /suggest`: completions of the last word of `q`.
 * @param {string} q
 * @param {AbortSignal} [signal]
 * @returns {Promise<{suggestions: {text: string, count: number}[]}>}
 */
export function suggestWords(q, signal) {
  return getJson(`/suggest?${new URLSearchParams({ q })}`, signal);
}
