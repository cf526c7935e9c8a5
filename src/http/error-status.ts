import type { ErrorCode } from '../error-codes.js';

/**
 * Error code → HTTP status: the only such table in the project, typed against
 * the catalogue (`../error-codes.ts`) so that a code missing here, or a code
 * listed here that the catalogue no longer has, does not compile.
 */
export const STATUS_BY_CODE: Readonly<Record<ErrorCode, number>> = {
  invalid_query_string: 400,
  invalid_request: 400,
  invalid_search_q: 400,
  invalid_search_page: 400,
  invalid_search_hits_per_page: 400,
  invalid_search_snippets_per_article: 400,
  invalid_search_crop_length: 400,
  invalid_search_prefix: 400,
  invalid_search_typos: 400,
  invalid_search_matching_strategy: 400,
  invalid_search_group_by: 400,
  invalid_search_from: 400,
  invalid_search_to: 400,
  invalid_search_filter: 400,
  invalid_search_sort: 400,
  invalid_search_facets: 400,
  invalid_search_feedback: 400,
  invalid_search_recency_half_life: 400,
  invalid_export_format: 400,
  invalid_include_unpublished: 400,
  invalid_article_q: 400,
  invalid_related_limit: 400,
  invalid_related_from: 400,
  invalid_related_to: 400,
  invalid_related_half_life_days: 400,
  invalid_suggest_q: 400,
  invalid_suggest_limit: 400,
  invalid_json: 400,
  invalid_synonyms: 400,
  invalid_article: 400,
  invalid_article_id: 400,
  invalid_reason: 400,
  invalid_idempotency_key: 400,
  idempotency_key_reused: 422,
  payload_too_large: 413,
  unsupported_media_type: 415,
  writes_disabled: 403,
  disk_full: 507,
  journal_write_failed: 503,
  store_unavailable: 503,
  store_failed: 500,
  unauthorized: 401,
  article_not_found: 404,
  article_too_large: 413,
  route_not_found: 404,
  method_not_allowed: 405,
  index_loading: 503,
  // Never answered: the export is mid-stream by then, so its connection is cut (see export-handler.ts).
  index_changed: 409,
  overloaded: 503,
  // nginx's "client closed request": nobody reads it, but it is not a fault of ours.
  client_closed: 499,
  request_too_large: 431,
  request_timeout: 408,
  malformed_request: 400,
  internal: 500,
  // Not answered by a route today (they stop the program or a build), but a status keeps the table total.
  invalid_argument: 500,
  corpus_not_found: 500,
  corpus_not_a_folder: 500,
  journal_unreadable: 500,
  journal_unwritable: 500,
  journal_changed: 500,
  folder_locked: 500,
  index_corrupt: 500,
  out_of_memory: 500,
};

/** The HTTP status of an error code (see the table above). */
export function statusOfCode(code: ErrorCode): number {
  return STATUS_BY_CODE[code];
}
