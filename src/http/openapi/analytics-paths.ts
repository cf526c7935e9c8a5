import { MAX_CLICK_POSITION } from '../../analytics/day-counts.js';
import { MAX_EVENTS } from '../analytics-handlers.js';
import { ANALYTICS_CLICKS_PARAMETERS, ANALYTICS_QUERIES_PARAMETERS } from '../read-analytics-params.js';
import type { ParamSpec } from '../param-reader.js';
import { openApiParameter } from './param-schema.js';
import { badQueryString, commonErrors, errorResponse } from './responses.js';

const DESCRIPTIONS: Record<string, string> = {
  kind: '`top`: the most searched queries; `no-hits`: the queries that found nothing, most searched first.',
  from: 'First day counted (UTC, `YYYY-MM-DD`); default and earliest: the first day kept (`ANALYTICS_DAYS` before today).',
  to: 'Last day counted (UTC); default today. Not before `from`.',
  limit: 'Most queries listed.',
};

const off = errorResponse('Analytics are turned off (`ANALYTICS=false`: `analytics_disabled`).');
const auth = {
  '401': errorResponse('The admin key is missing or wrong (`unauthorized`).'),
  '403': errorResponse('No admin key is set on the service (`writes_disabled`): the reports cannot be read.'),
};

const days = {
  type: 'array',
  description: 'Every day of the range, oldest first.',
  items: {
    type: 'object',
    properties: {
      day: { type: 'string', format: 'date' },
      searches: { type: 'integer' },
      noHitSearches: { type: 'integer' },
      clicks: { type: 'integer' },
    },
  },
};

const privacy =
  'Counts only, per UTC day, kept `ANALYTICS_DAYS` (default 90): queries normalised (lower case, whitespace collapsed), their searches, no-hit searches ' +
  "and clicks by position. No IP address, key or user id is stored. A search is a typed query's first page on `/search` or on the Algolia routes " +
  "(InstantSearch's facet-only requests and later pages are not counted).";

/** A report route: `GET`, admin key, its parameters, and a 200 whose body has `from`, `to`, the totals, `days` and `properties`. */
function reportPath(
  operationId: string,
  summary: string,
  parameters: readonly ParamSpec[],
  properties: Record<string, unknown>,
  badCodes: string,
) {
  return {
    get: {
      operationId,
      summary,
      description: privacy,
      security: [{ adminKey: [] }],
      parameters: parameters.map((spec) => openApiParameter(spec, DESCRIPTIONS[spec.name]!)),
      responses: {
        '200': {
          description: 'The report.',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  from: { type: 'string', format: 'date' },
                  to: { type: 'string', format: 'date' },
                  searches: { type: 'integer' },
                  clicks: { type: 'integer' },
                  ...properties,
                  days,
                },
              },
            },
          },
        },
        '400': errorResponse(badQueryString + badCodes),
        ...auth,
        ...commonErrors,
        '404': off,
      },
    },
  };
}

/** The analytics routes in the OpenAPI document. */
export const analyticsPaths = {
  '/analytics/events': {
    post: {
      operationId: 'analyticsEvents',
      summary: 'Report clicks on hits',
      description: `Counts clicks a page reports (the archive page and the InstantSearch example send them). Fields other than \`type\`, \`query\` and \`position\` are ignored and never stored. ${privacy}`,
      security: [{}, { searchKey: [] }, { algoliaKey: [] }],
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['events'],
              properties: {
                events: {
                  type: 'array',
                  minItems: 1,
                  maxItems: MAX_EVENTS,
                  items: {
                    type: 'object',
                    required: ['type', 'position'],
                    properties: {
                      type: { type: 'string', enum: ['click'] },
                      query: { type: 'string', maxLength: 512, description: 'The query whose results were shown.' },
                      position: {
                        type: 'integer',
                        minimum: 1,
                        maximum: MAX_CLICK_POSITION,
                        description: '1-based position of the hit in the whole result list.',
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
      responses: {
        '202': {
          description: 'Counted.',
          content: {
            'application/json': { schema: { type: 'object', properties: { accepted: { type: 'integer' } } } },
          },
        },
        '400': errorResponse('A bad event (`invalid_analytics_event`): none of the body is counted.'),
        '401': errorResponse('A search key is set and the request lacks it.'),
        '404': off,
        '413': errorResponse('A body over 16 KB.'),
      },
    },
  },
  '/analytics/queries': reportPath(
    'analyticsQueries',
    'Top queries, or queries with no hits',
    ANALYTICS_QUERIES_PARAMETERS,
    {
      kind: { type: 'string', enum: ['top', 'no-hits'] },
      noHitSearches: { type: 'integer' },
      queries: {
        type: 'array',
        items: {
          type: 'object',
          properties: { query: { type: 'string' }, count: { type: 'integer' }, clicks: { type: 'integer' } },
        },
      },
    },
    '`invalid_analytics_kind`, `invalid_analytics_from`, `invalid_analytics_to` (also for `to` before `from`), `invalid_analytics_limit`.',
  ),
  '/analytics/clicks': reportPath(
    'analyticsClicks',
    'Clicks by hit position',
    ANALYTICS_CLICKS_PARAMETERS,
    {
      positions: {
        type: 'array',
        items: { type: 'object', properties: { position: { type: 'integer' }, count: { type: 'integer' } } },
      },
    },
    '`invalid_analytics_from`, `invalid_analytics_to`.',
  ),
};
