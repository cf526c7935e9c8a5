/**
 * The catalogue of error codes: every `code` a `SearchError` can carry, with
 * what it means. A closed list the compiler checks: `SearchError` takes only
 * an {@link ErrorCode}, and the HTTP layer's status table
 * (`src/http/error-status.ts`) must name every code here and no other.
 * HTTP statuses live there, not here: nothing below `http/` knows them.
 *
 * Codes are stable snake_case names that programs branch on; messages are for
 * people and may change. `test/error-codes.test.ts` checks that each code is
 * thrown somewhere in `src/` and that no other code is.
 */
export const ERROR_CODES = {
  // Requests: the query string and the parameters of each route.
  invalid_query_string: 'The query string has broken percent-encoding or a NUL character.',
  invalid_request: 'The request could not be parsed (its percent-encoding or body).',
  invalid_search_q: '`q` of `/search` is too long or given more than once.',
  invalid_search_page:
    '`page` of `/search` is not an integer in range, or `page` × `hitsPerPage` passes the deepest result served.',
  invalid_search_hits_per_page: '`hitsPerPage` of `/search` is not an integer in range.',
  invalid_search_snippets_per_article: '`snippetsPerArticle` of `/search` is not an integer in range.',
  invalid_search_crop_length: '`cropLength` of `/search` is not an integer in range.',
  invalid_search_prefix: '`prefix` of `/search` is not `last` or `off`.',
  invalid_search_typos: '`typos` of `/search` is not `auto`, `fallback` or `off`.',
  invalid_search_matching_strategy: '`matchingStrategy` of `/search` is not `all` or `any`.',
  invalid_search_group_by: '`groupBy` of `/search` is not one of its values.',
  invalid_search_from: '`from` of `/search` is not an ISO 8601 date or time.',
  invalid_search_to: '`to` of `/search` is not an ISO 8601 date or time, or is before `from`.',
  invalid_search_filter:
    'A filter of `/search` (`source`, `section`, `author`, `tag`) has a value too long or too many values.',
  invalid_search_sort: '`sort` of `/search` is not one of its values.',
  invalid_search_facets: '`facets` of `/search` names a field that has no facet.',
  invalid_search_feedback: '`feedback` of `/search` is not `auto` or `off`.',
  invalid_search_recency_half_life: '`recencyHalfLife` of `/search` is not an integer number of days from 0 to 36,500.',
  invalid_search_totals: '`totals` of `/search` is not `exact` or `atLeast`.',
  invalid_search_duplicates: '`duplicates` of `/search` is not `show` or `group`.',
  invalid_search_prefer: '`prefer` of `/search` is not `best`, `original` or `latest`.',
  invalid_export_format: '`format` of `/search/export` is not `csv` or `ndjson`.',
  invalid_include_unpublished: '`includeUnpublished` is not `true` or `false`.',
  invalid_article_q: '`q` of `/articles/{id}` is too long or given more than once.',
  invalid_related_limit: '`limit` of `/articles/{id}/related` is not an integer in range.',
  invalid_related_from: '`from` of `/articles/{id}/related` is not an ISO 8601 date or time.',
  invalid_related_to: '`to` of `/articles/{id}/related` is not an ISO 8601 date or time, or is before `from`.',
  invalid_related_half_life_days: '`halfLifeDays` of `/articles/{id}/related` is not an integer from 0 to 36,500.',
  invalid_suggest_q: '`q` of `/suggest` is too long or given more than once.',
  invalid_suggest_limit: '`limit` of `/suggest` is not an integer in range.',
  invalid_alert_q:
    '`q` of an alert is empty, too long, or a query that could never match (only exclusions, or only what the parser ignores).',
  invalid_alert_name: '`name` of an alert is not a non-empty string of at most its length.',
  invalid_alert_from: '`from` of an alert is not an ISO 8601 date or time.',
  invalid_alert_to: '`to` of an alert is not an ISO 8601 date or time, or is before `from`.',
  invalid_alert_filter:
    'A filter of an alert (`source`, `section`, `author`, `tag`) is not a string or a list of strings in range.',
  invalid_alert_webhook:
    '`webhook` of an alert is not `{url, secret}` with an https (or allowed http) URL whose host is public or allowed, and a secret in range.',
  invalid_alert_paused: '`paused` of an alert is not `true` or `false`.',
  invalid_alert_field: "The alert's body has a field alerts do not take.",
  invalid_version_diff:
    '`diff` of `/articles/{id}/versions/{n}` is not an integer in range, or names no kept version of the article.',
  invalid_version_history: "`history` of an article's versions is not an integer in range.",
  invalid_algolia_params:
    "A parameter of an Algolia-compatible query (`params`, `filters`, `facetFilters`, `numericFilters`, `hitsPerPage`, `page`…) is malformed or out of range; the body is answered in Algolia's error shape.",
  invalid_analytics_event:
    'An event of `POST /analytics/events` is not a click or conversion with a query id, an article id and a position in range.',
  invalid_analytics_kind: '`kind` of `/analytics/queries` is not `top` or `no-hits`.',
  invalid_analytics_from: '`from` of an analytics report is not an ISO 8601 date.',
  invalid_analytics_to: '`to` of an analytics report is not an ISO 8601 date, or is before `from`.',
  invalid_analytics_limit: '`limit` of an analytics report is not an integer in range.',
  // Writes through the API.
  invalid_json: 'The body is not valid JSON, or not the JSON shape the route takes.',
  invalid_synonyms:
    'The synonym set of `PUT /synonyms` (or `SYNONYMS_FILE`) is not `{"groups": [[…]], "oneWay": [{"from", "to": […]}]}` within its bounds; the message names the bad entry.',
  invalid_article: 'The article of a write lacks a field, has an unknown one, or one of the wrong type.',
  invalid_article_id: 'An article id is empty, too long, padded with spaces or holds control characters.',
  invalid_reason: 'The body of a takedown has an unknown field or a bad `reason`.',
  invalid_idempotency_key: 'The `Idempotency-Key` header is not 1 to 255 visible ASCII characters.',
  idempotency_key_reused:
    'This `Idempotency-Key` was used within 24 hours by another request (another method, id or body).',
  payload_too_large: "The request body is over the route's limit.",
  unsupported_media_type: 'The body is not of a media type the route takes.',
  writes_disabled: 'Writes are off: the service was started without an admin key.',
  alerts_disabled: 'Saved searches are off: the service runs without an admin or search key, or with `MAX_ALERTS=0`.',
  disk_full: 'The disk holding the journal is full; the write was not saved.',
  journal_write_failed: 'The journal could not be written; the write was not saved.',
  alerts_write_failed: "The saved searches' log could not be written (nothing was changed).",
  alerts_unreadable: "The saved searches' log could not be read at start.",
  alerts_unavailable:
    'With `WORKERS` > 1: the worker that keeps the saved searches did not answer in time (starting, or replaced after it exited); retry shortly.',
  store_unavailable: 'The PostgreSQL article store cannot be reached; the write was not saved.',
  store_failed: 'The PostgreSQL article store refused the write; it was not saved.',
  // Any route.
  unauthorized: 'The route needs `Authorization: Bearer <key>` with a key it accepts.',
  article_not_found: 'No article has this id (or it is not visible to this caller).',
  alert_not_found: 'No saved search (alert) has this id, or the feed token is wrong.',
  version_not_found:
    'The article has no such version (never, or forgotten past `MAX_VERSIONS`), or no such earlier history.',
  algolia_index_not_found: "The Algolia-compatible route names an index other than the archive's.",
  analytics_disabled: 'Search analytics are off (`ANALYTICS=false`).',
  too_many_alerts: 'The service holds `MAX_ALERTS` saved searches already.',
  article_too_large: 'The article holds more text than one response returns (`ARTICLE_MAX_CHARS`).',
  route_not_found: 'No route matches the path.',
  method_not_allowed: 'The route does not take this method.',
  index_loading: 'The index is still loading.',
  index_changed: 'The index was reorganised (segments merged) while an export ran.',
  overloaded: 'Too many searches already wait, or this one waited too long for its turn.',
  client_closed: 'The client closed the connection before its request ran.',
  request_too_large: 'The request line or headers are over 16 KB (answered by the HTTP server itself).',
  request_timeout: 'The request took too long to arrive (answered by the HTTP server itself).',
  malformed_request: 'The request is not valid HTTP (answered by the HTTP server itself).',
  internal: 'An unexpected failure; details are logged, never sent.',
  // Start-up, the command line and the files on disk.
  invalid_argument: 'A command-line flag or environment variable is unknown or has a bad value.',
  corpus_not_found: 'The corpus folder does not exist or cannot be reached.',
  corpus_not_a_folder: 'The corpus path is a file, not a folder.',
  journal_unreadable: 'The journal file does not start with a journal header.',
  journal_unwritable: 'The journal folder cannot be opened for writing.',
  journal_changed: 'A journal appeared after the start; a restart reads it.',
  folder_locked: 'The index cache or journal folder is in use by another running process.',
  index_corrupt:
    'A file of the index (a segment, its deletions, the lexicon) is missing, truncated or fails its checks: the only error that makes the index be rebuilt.',
  out_of_memory: 'Indexing nearly filled the heap; lower the buffer or raise the heap.',
} as const satisfies Record<string, string>;

/** One code of the catalogue: the closed set of `SearchError` codes. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** True when `value` is a code of the catalogue (for codes that arrive as data, such as a message from another process). */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}
