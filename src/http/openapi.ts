/**
 * The OpenAPI 3.1 description of the HTTP API, served at `GET /openapi.json`.
 * Written by hand for its prose; `test/http-openapi.test.ts` checks that its
 * parameters (names, ranges, defaults, enums) match what the validators accept.
 */

import {
  articleWriteOperations,
  bulkPath,
  includeUnpublishedParameter,
  securitySchemes,
  synonymsPath,
} from './openapi/writes.js';

import { exportPath } from './openapi/export-path.js';
import { searchPath } from './openapi/search-path.js';
import { relatedPath } from './openapi/related-path.js';
import { duplicatesPath, versionPath, versionsPath } from './openapi/versions-paths.js';
import { badQueryString, busy, commonErrors, errorResponse, loading } from './openapi/responses.js';
import { schemas } from './openapi/schemas.js';
import { errorCodeSchema, withRouteErrors } from './openapi/route-errors.js';
import { alertPaths, alertSchemas } from './openapi/alerts.js';
import { algoliaPaths, algoliaSchemas } from './openapi/algolia-paths.js';
import { analyticsPaths } from './openapi/analytics-paths.js';

/** The OpenAPI document (a plain JSON value); each route's error responses list their codes from the catalogue. */
export const openApiDocument = withRouteErrors({
  openapi: '3.1.0',
  info: {
    title: 'newsroom-search',
    version: '1.0.0',
    description:
      'Full-text search over a newsroom archive, by paragraph, with highlighted snippets. ' +
      'All offsets are UTF-16 code units. Query strings are form-encoded (`+` is a space); ' +
      'a parameter given twice where one value is expected is a 400; keys with brackets (`q[]`) ' +
      'are just other, unknown keys; unknown keys are ignored. Every 4xx/5xx body is an `Error`.',
  },
  paths: {
    '/search': searchPath,
    '/search/export': exportPath,
    '/articles/{articleId}': {
      get: {
        operationId: 'getArticle',
        summary: 'One whole article',
        parameters: [
          {
            name: 'articleId',
            in: 'path',
            required: true,
            description: 'The article id (a corpus path; its `/` may be written as is or as `%2F`).',
            schema: { type: 'string' },
          },
          {
            name: 'q',
            in: 'query',
            description: 'A query to highlight: each paragraph then has `html` and `highlights`.',
            schema: { type: 'string', maxLength: 512 },
          },
          includeUnpublishedParameter,
        ],
        responses: {
          '200': {
            description: 'The article.',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Article' } } },
          },
          '400': errorResponse(badQueryString + '`invalid_article_q`, `invalid_include_unpublished`.'),
          ...commonErrors,
          '404': errorResponse('Unknown article id (`article_not_found`) or path (`route_not_found`).'),
          '413': errorResponse(
            'The article holds more text than the service returns in one response (`article_too_large`; `ARTICLE_MAX_CHARS`).',
          ),
          '503': busy,
        },
      },
      ...articleWriteOperations,
    },
    '/articles': bulkPath,
    '/synonyms': synonymsPath,
    '/articles/{articleId}/related': relatedPath,
    ...alertPaths,
    '/articles/{articleId}/duplicates': duplicatesPath,
    '/articles/{articleId}/versions': versionsPath,
    '/articles/{articleId}/versions/{n}': versionPath,
    '/suggest': {
      get: {
        operationId: 'suggest',
        summary: 'Complete the last word',
        description: 'Word forms of the corpus (never stems) beginning with the last word of `q`, most frequent first.',
        parameters: [
          {
            name: 'q',
            in: 'query',
            description: 'What has been typed so far.',
            schema: { type: 'string', maxLength: 512, default: '' },
          },
          {
            name: 'limit',
            in: 'query',
            description: 'Most suggestions.',
            schema: { type: 'integer', minimum: 1, maximum: 20, default: 10 },
          },
        ],
        responses: {
          '200': {
            description: 'Suggestions.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['query', 'suggestions'],
                  properties: {
                    query: { type: 'string' },
                    suggestions: {
                      type: 'array',
                      items: {
                        type: 'object',
                        required: ['text', 'count'],
                        properties: {
                          text: { type: 'string', description: 'Normalized word form (lowercase, accents folded).' },
                          count: { type: 'integer', description: 'Paragraphs plus headlines containing it.' },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
          '400': errorResponse(badQueryString + '`invalid_suggest_q`, `invalid_suggest_limit`.'),
          ...commonErrors,
          '503': loading,
        },
      },
    },
    '/health': {
      get: {
        operationId: 'health',
        summary: 'Readiness',
        description: 'Never cached (`Cache-Control: no-store`). May carry more fields (snapshot state).',
        parameters: [],
        responses: {
          '200': {
            description: 'The index serves.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['status', 'articles', 'paragraphs'],
                  properties: {
                    status: { const: 'ready' },
                    articles: { type: 'integer' },
                    paragraphs: { type: 'integer' },
                  },
                },
              },
            },
          },
          '503': {
            description:
              'The index is loading; or was found corrupt by the background check of its bytes after the start and is being rebuilt from the corpus (`corrupt`, with the `reason`; searches still answer from it meanwhile); or lags behind the article store (`lagging`); or the service is stopping (`Retry-After: 5`). The body is the status object, not an `Error`.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['status'],
                  properties: {
                    status: { enum: ['loading', 'corrupt', 'lagging', 'stopping'] },
                    reason: { type: 'string' },
                  },
                },
              },
            },
          },
          ...commonErrors,
        },
      },
    },
    '/health/live': {
      get: {
        operationId: 'liveness',
        summary: 'Liveness',
        description:
          'Answers while the process runs, loading or stopping: restart the service only when this fails. Never cached.',
        parameters: [],
        responses: {
          '200': {
            description: 'The process is alive.',
            content: {
              'application/json': {
                schema: { type: 'object', required: ['status'], properties: { status: { const: 'alive' } } },
              },
            },
          },
          ...commonErrors,
        },
      },
    },
    '/metrics': {
      get: {
        operationId: 'metrics',
        summary: 'Metrics in Prometheus text format (version 0.0.4)',
        description:
          'Request counts and durations by route and status, search durations, searches running and queued, rejected requests, query cache hits, misses and bytes, index size and age, process memory, event-loop lag; every name starts with `newsroom_search_`. Answered at once, however busy the searches are.',
        parameters: [],
        responses: {
          '200': { description: 'The metrics.', content: { 'text/plain': { schema: { type: 'string' } } } },
          ...commonErrors,
        },
      },
    },
    ...algoliaPaths,
    ...analyticsPaths,
    '/openapi.json': {
      get: {
        operationId: 'openApi',
        summary: 'This document',
        parameters: [],
        responses: {
          '200': {
            description: 'OpenAPI 3.1 document.',
            content: { 'application/json': { schema: { type: 'object' } } },
          },
          ...commonErrors,
        },
      },
    },
  },
  components: {
    securitySchemes,
    schemas: { ...schemas, ...alertSchemas, ...algoliaSchemas, ErrorCode: errorCodeSchema },
  },
} as const);
