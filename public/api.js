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

/** Where the archive's search key is kept for the tab's life, when the service asks for one (`SEARCH_API_KEY`). */
const KEY_STORAGE = 'newsroom-search:key';

/** The search key this tab holds, or null. */
export function storedKey() {
  try {
    return sessionStorage.getItem(KEY_STORAGE);
  } catch {
    return null;
  }
}

/** Asks for the search key once (the service answered 401); true when one was given. */
function askForKey() {
  const key = window.prompt('This archive needs a search key. Enter the key your newsroom gave you:');
  if (!key?.trim()) return false;
  try {
    sessionStorage.setItem(KEY_STORAGE, key.trim());
  } catch {
    return false;
  }
  return true;
}

/** Headers of an API call: JSON, and the search key when the tab holds one. */
export function apiHeaders() {
  const key = storedKey();
  return { Accept: 'application/json', ...(key ? { Authorization: `Bearer ${key}` } : {}) };
}

/**
 * Fetches a same-origin JSON resource. A 401 (the archive needs a search key)
 * asks for the key once, keeps it for the tab, and tries again.
 * @param {string} path Path and query string, e.g. `/search?q=x`.
 * @param {AbortSignal} [signal] Aborts the request (the promise then rejects with an `AbortError`).
 * @returns {Promise<any>}
 */
export async function getJson(path, signal, retried = false) {
  let response;
  try {
    response = await fetch(path, { signal, headers: apiHeaders() });
    if (response.status === 401 && !retried && askForKey()) return getJson(path, signal, true);
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(
      0,
      'network_error',
      'network',
      'The search service could not be reached. Check your connection and try again.',
    );
  }
  let body = null;
  try {
    body = await response.json();
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    body = null;
  }
  if (!response.ok) {
    const message =
      body && typeof body.message === 'string' ? body.message : `The service answered ${response.status}.`;
    const code = body && typeof body.code === 'string' ? body.code : 'http_error';
    const type = body && typeof body.type === 'string' ? body.type : 'internal';
    throw new ApiError(response.status, code, type, message);
  }
  if (body === null)
    throw new ApiError(
      response.status,
      'invalid_response',
      'internal',
      'The service sent an answer the page cannot read.',
    );
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

/**
 * Reports a click on the hit at 1-based `position` of the results of `q` to the archive's search
 * analytics (`POST /analytics/events`): only the query and the position are sent. Fire and forget:
 * a failure (analytics off, a network error) changes nothing on the page.
 * @param {string} q
 * @param {number} position
 */
export function reportClick(q, position) {
  const body = JSON.stringify({ events: [{ type: 'click', query: q, position }] });
  fetch('/analytics/events', {
    method: 'POST',
    keepalive: true,
    headers: { ...apiHeaders(), 'Content-Type': 'application/json' },
    body,
  }).catch(() => {});
}

/**
 * Downloads an export when the archive needs a key (a plain link cannot send it):
 * fetched with the key, then saved under the name the service gave.
 * @param {string} url
 */
export async function downloadWithKey(url) {
  const response = await fetch(url, { headers: apiHeaders() });
  if (!response.ok)
    throw new ApiError(response.status, 'export_failed', 'internal', `The export failed (${response.status}).`);
  const name = /filename="([^"]+)"/.exec(response.headers.get('Content-Disposition') ?? '')?.[1] ?? 'export.csv';
  const link = document.createElement('a');
  link.href = URL.createObjectURL(await response.blob());
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
}
