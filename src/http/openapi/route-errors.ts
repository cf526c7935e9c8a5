/**
 * The error codes each route of the OpenAPI document can answer, from the
 * catalogue (`../../error-codes.ts`): each error response of an operation gets
 * a `code` enum of the codes its status carries (statuses from
 * `../error-status.ts`), and the `ErrorCode` schema lists every code with its
 * meaning. A route's prose may say more; `test/http-openapi.test.ts` checks
 * that the prose names no code the route's list lacks.
 */
import { ERROR_CODES, type ErrorCode } from '../../error-codes.js';
import { statusOfCode } from '../error-status.js';
import { errorResponse } from './responses.js';

/** What any route can answer: an unknown path, a method it does not take, a fault of ours. */
const ANY: readonly ErrorCode[] = ['route_not_found', 'method_not_allowed', 'internal'];
/** What a read route answers when `SEARCH_API_KEY` is set, and while the index loads or the queue is full. */
const READ: readonly ErrorCode[] = ['invalid_query_string', 'unauthorized', 'index_loading', 'overloaded', ...ANY];
/** What every write route can answer. */
const WRITE: readonly ErrorCode[] = [
  'unauthorized',
  'writes_disabled',
  'unsupported_media_type',
  'index_loading',
  'journal_write_failed',
  'store_unavailable',
  'store_failed',
  'disk_full',
  ...ANY,
];

/** What every route of the saved searches can answer. */
const ALERTS: readonly ErrorCode[] = [
  'unauthorized',
  'alerts_disabled',
  'index_loading',
  'alerts_write_failed',
  'alerts_unavailable',
  'store_unavailable',
  ...ANY,
];
/** What an alert's body can be refused for. */
const ALERT_BODY: readonly ErrorCode[] = [
  'unsupported_media_type',
  'payload_too_large',
  'invalid_json',
  'invalid_alert_field',
  'invalid_alert_q',
  'invalid_alert_name',
  'invalid_alert_from',
  'invalid_alert_to',
  'invalid_alert_filter',
  'invalid_alert_webhook',
  'invalid_alert_paused',
  'alerts_write_failed',
];

const SEARCH_PARAMS: readonly ErrorCode[] = [
  'invalid_search_q',
  'invalid_search_group_by',
  'invalid_search_crop_length',
  'invalid_search_matching_strategy',
  'invalid_search_prefix',
  'invalid_search_typos',
  'invalid_search_feedback',
  'invalid_search_recency_half_life',
  'invalid_search_duplicates',
  'invalid_search_prefer',
  'invalid_search_from',
  'invalid_search_to',
  'invalid_search_filter',
  'invalid_search_sort',
];

/** The codes of each operation, by `operationId`. Operations not listed answer the codes of any route. */
export const ROUTE_ERRORS: Readonly<Record<string, readonly ErrorCode[]>> = {
  search: [
    ...SEARCH_PARAMS,
    'invalid_search_totals',
    'invalid_search_page',
    'invalid_search_hits_per_page',
    'invalid_search_snippets_per_article',
    'invalid_search_facets',
    'invalid_include_unpublished',
    ...READ,
  ],
  exportSearch: [...SEARCH_PARAMS, 'invalid_export_format', ...READ],
  getArticle: ['invalid_article_q', 'invalid_include_unpublished', 'article_not_found', 'article_too_large', ...READ],
  relatedArticles: [
    'invalid_related_limit',
    'invalid_related_from',
    'invalid_related_to',
    'invalid_related_half_life_days',
    'article_not_found',
    ...READ,
  ],
  suggest: ['invalid_suggest_q', 'invalid_suggest_limit', ...READ],
  putArticle: [
    'invalid_json',
    'invalid_article',
    'invalid_article_id',
    'invalid_idempotency_key',
    'idempotency_key_reused',
    'payload_too_large',
    ...WRITE,
  ],
  deleteArticle: [
    'invalid_json',
    'invalid_reason',
    'invalid_article_id',
    'invalid_idempotency_key',
    'idempotency_key_reused',
    'article_not_found',
    ...WRITE,
  ],
  putArticles: ['invalid_article', 'payload_too_large', ...WRITE],
  getSynonyms: ['unauthorized', 'writes_disabled', ...ANY],
  putSynonyms: ['invalid_json', 'invalid_synonyms', 'payload_too_large', ...WRITE],
  articleVersions: ['invalid_version_history', 'article_not_found', 'version_not_found', ...READ],
  articleVersion: [
    'invalid_version_diff',
    'invalid_version_history',
    'article_not_found',
    'version_not_found',
    ...READ,
  ],
  articleDuplicates: ['article_not_found', ...READ],
  algoliaMultipleQueries: [
    'invalid_json',
    'invalid_algolia_params',
    'unsupported_media_type',
    'payload_too_large',
    ...READ,
  ],
  algoliaQuery: [
    'invalid_json',
    'invalid_algolia_params',
    'algolia_index_not_found',
    'unsupported_media_type',
    'payload_too_large',
    ...READ,
  ],
  analyticsEvents: [
    'invalid_json',
    'invalid_analytics_event',
    'analytics_disabled',
    'unsupported_media_type',
    'payload_too_large',
    ...READ,
  ],
  analyticsQueries: [
    'invalid_analytics_kind',
    'invalid_analytics_from',
    'invalid_analytics_to',
    'invalid_analytics_limit',
    'analytics_disabled',
    'writes_disabled',
    ...READ,
  ],
  analyticsClicks: ['invalid_analytics_from', 'invalid_analytics_to', 'analytics_disabled', 'writes_disabled', ...READ],
  listAlerts: ALERTS,
  createAlert: [...ALERT_BODY, 'too_many_alerts', ...ALERTS],
  getAlert: ['alert_not_found', ...ALERTS],
  updateAlert: [...ALERT_BODY, 'alert_not_found', ...ALERTS],
  deleteAlert: ['alert_not_found', 'alerts_write_failed', ...ALERTS],
  alertFeed: ['alert_not_found', ...ALERTS],
};

/** The `ErrorCode` schema: every code of the catalogue, with its meaning. */
export const errorCodeSchema = {
  type: 'string',
  description:
    'Stable snake_case name of the error, for programs: ' +
    Object.entries(ERROR_CODES)
      .map(([code, meaning]) => `\`${code}\`: ${meaning}`)
      .join(' '),
  enum: Object.keys(ERROR_CODES),
};

interface Operation {
  operationId?: string;
  responses?: Record<string, { description: string; content?: unknown }>;
}

/**
 * A copy of `document` in which each error response of a listed operation has
 * the `code` enum of its status, and a response for a status the operation
 * can answer but does not describe is added with the catalogue's meanings.
 */
export function withRouteErrors<T extends { paths: object }>(document: T): T {
  const copy = JSON.parse(JSON.stringify(document)) as T;
  for (const item of Object.values(copy.paths as Record<string, Record<string, Operation>>)) {
    for (const operation of Object.values(item)) {
      const codes = operation.operationId === undefined ? undefined : ROUTE_ERRORS[operation.operationId];
      if (!codes || !operation.responses) continue;
      const byStatus = new Map<string, ErrorCode[]>();
      for (const code of codes)
        byStatus.set(String(statusOfCode(code)), [...(byStatus.get(String(statusOfCode(code))) ?? []), code]);
      for (const [status, list] of [...byStatus].sort(([a], [b]) => Number(a) - Number(b))) {
        const described =
          operation.responses[status] ??
          errorResponse(list.map((code) => `\`${code}\`: ${ERROR_CODES[code]}`).join(' '));
        operation.responses[status] = {
          description: described.description,
          content: {
            'application/json': {
              schema: { allOf: [{ $ref: '#/components/schemas/Error' }, { properties: { code: { enum: list } } }] },
            },
          },
        };
      }
    }
  }
  return copy;
}
