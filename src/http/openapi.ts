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
import { FACET_NAMES } from '../query/search-params.js';
import { MAX_RECENCY_HALF_LIFE } from '../query/execute/recency.js';

import { exportPath } from './openapi/export-path.js';
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
    '/search': {
      get: {
        operationId: 'search',
        summary: 'Search the archive',
        description:
          'Query syntax (never an error; what cannot be used is listed in `parsedQuery.ignored`): words, ' +
          '`"a quoted phrase"` (adjacent, in order, exact forms), `-word` and `-"phrase"` (exclude), `a OR b`; ' +
          '`a AND b`, `NOT a` (as `-a`) and parentheses (precedence, loosest first: side by side per `matchingStrategy`, ' +
          '`OR`, `AND`, `NOT`, `NEAR`/`ADJ`; a NOT excludes within its group); `a NEAR/5 b` (one paragraph or headline, ' +
          "at most 5 words between, either order; `NEAR` = `NEAR/10`; Nexis's `w/5` = `NEAR/5`), `a ADJ/3 b` (the same, in order), " +
          '`a w/p b` or `a SAME b` (one paragraph or headline), `a w/s b` (one sentence: it ends at `.`, `!`, `?` before a space, ' +
          'never at the period of `Mr.`, `U.S.` or an initial), with phrases and `(x OR y)` groups as operands; ' +
          '`lead:word`, `lead:"a phrase"` (the headline or the first paragraph); `atleast3:word` (any form of the word at least ' +
          '3 times in the paragraphs); `"a b"~5` ' +
          '(sloppy phrase, slop 5); `polit*` (prefix) and `wom?n`, `gov*ment` (patterns: the 30 most frequent matching ' +
          'words; a leading wildcard is ignored); `title:word`, `title:"a phrase"` (headlines only), `author:` (or ' +
          '`byline:`), `source:`, `section:`, `tag:`, `person:`, `org:`, `place:` (words of that metadata or entity, folded: ' +
          '`author:rios` finds "Michael Ríos"). ' +
          'An unknown `foo:bar` is searched as its words, `foo:` listed as ignored. Operators are upper case.',
        parameters: [
          {
            name: 'q',
            in: 'query',
            description: 'The query. Empty: browse mode, newest first, lead paragraph as snippet.',
            schema: { type: 'string', maxLength: 512, default: '' },
          },
          {
            name: 'page',
            in: 'query',
            description: '1-based page. `page × hitsPerPage` may not exceed 1000.',
            schema: { type: 'integer', minimum: 1, maximum: 1000, default: 1 },
          },
          {
            name: 'hitsPerPage',
            in: 'query',
            description: 'Hits per page.',
            schema: { type: 'integer', minimum: 1, maximum: 100, default: 10 },
          },
          {
            name: 'groupBy',
            in: 'query',
            description: '`article`: one hit per article with its best paragraphs; `none`: one hit per paragraph.',
            schema: { type: 'string', enum: ['article', 'none'], default: 'article' },
          },
          {
            name: 'snippetsPerArticle',
            in: 'query',
            description: 'With `groupBy=article`: matching paragraphs shown per article.',
            schema: { type: 'integer', minimum: 1, maximum: 5, default: 3 },
          },
          {
            name: 'cropLength',
            in: 'query',
            description: 'Snippet length in words; a shorter paragraph is returned whole.',
            schema: { type: 'integer', minimum: 10, maximum: 80, default: 30 },
          },
          {
            name: 'matchingStrategy',
            in: 'query',
            description:
              '`all`: every query term must match (in the article, or the paragraph with `groupBy=none`); `any`: at least one.',
            schema: { type: 'string', enum: ['all', 'any'], default: 'all' },
          },
          {
            name: 'prefix',
            in: 'query',
            description: '`last`: the last query word also matches as a word prefix (search as you type).',
            schema: { type: 'string', enum: ['last', 'off'], default: 'last' },
          },
          {
            name: 'typos',
            in: 'query',
            description:
              'Typo tolerance. `fallback`: only when nothing is found without it (`typoTolerance` is then true).',
            schema: { type: 'string', enum: ['auto', 'fallback', 'off'], default: 'fallback' },
          },
          {
            name: 'feedback',
            in: 'query',
            description:
              'Pseudo-relevance feedback (RM3). `auto`: a query of five words or more that weigh in the ranking (a word in half the paragraphs or more, such as "the", does not count), with `matchingStrategy=any`, `sort=relevance` ' +
              'and `groupBy=article`, is scored again with the words its ten best articles share, among the articles it matched ' +
              '(only its own words are marked); `off`: never.',
            schema: { type: 'string', enum: ['auto', 'off'], default: 'auto' },
          },
          {
            name: 'from',
            in: 'query',
            description:
              'Earliest publication time, inclusive: `YYYY-MM-DD` (start of that UTC day) or a date-time with `Z` or an offset ' +
              '(encode `+` as `%2B`). Empty = none.',
            schema: { type: 'string', anyOf: [{ format: 'date' }, { format: 'date-time' }] },
          },
          {
            name: 'to',
            in: 'query',
            description:
              'Latest publication time, inclusive: `YYYY-MM-DD` (end of that UTC day) or a date-time. Not before `from`. Empty = none.',
            schema: { type: 'string', anyOf: [{ format: 'date' }, { format: 'date-time' }] },
          },
          ...['source', 'section', 'author', 'tag', 'person', 'org', 'place'].map((name) => ({
            name,
            in: 'query',
            description: `Filter by ${name}${['person', 'org', 'place'].includes(name) ? ' named in the article (an entity: its whole name as the facet gives it)' : ''}, case-insensitive. Repeat for OR (\`${name}=a&${name}=b\`); different filters AND. Empty values are ignored.`,
            style: 'form',
            explode: true,
            schema: { type: 'array', maxItems: 50, items: { type: 'string', maxLength: 200 } },
          })),
          {
            name: 'sort',
            in: 'query',
            description: 'Order. Ties are broken by score, then article id.',
            schema: { type: 'string', enum: ['relevance', 'date:desc', 'date:asc'], default: 'relevance' },
          },
          {
            name: 'facets',
            in: 'query',
            description:
              'Comma list of facets to count in `facetDistribution` (articles, or paragraphs with `groupBy=none`): `source`, `section`, ' +
              '`author`, `tag`, `person`, `org`, `place` (the people, organisations and places the articles name, extracted when ' +
              'indexed) and `year` give at most 100 values, most frequent first; `month` (`2024-03`) gives every month with hits, ' +
              'in date order (a timeline). Undated articles are in no `year` or `month`.',
            style: 'form',
            explode: false,
            schema: { type: 'array', uniqueItems: true, items: { type: 'string', enum: [...FACET_NAMES] } },
          },
          {
            name: 'recencyHalfLife',
            in: 'query',
            description:
              'Prefer recent articles: each relevance score is multiplied by 0.5^(age in days / recencyHalfLife), so an article ' +
              'one half-life old scores half; an undated article a quarter. In days; 0 (the default): no preference. Not a sort: ' +
              '`sort=date:desc` orders by date alone.',
            schema: { type: 'integer', minimum: 0, maximum: MAX_RECENCY_HALF_LIFE, default: 0 },
          },
          {
            name: 'totals',
            in: 'query',
            description:
              '`atLeast` (the default): a query ranked by relevance, grouped by article, without `facets` and without ' +
              '`duplicates=group`, is evaluated top-k: the page, its scores and its order are exact, but articles that cannot ' +
              'reach the page may be left unscored; `totalHitsRelation` is then `gte`. An any-word query (`matchingStrategy=any`, ' +
              'MaxScore) may stop counting, so `totalHits`, `totalPages` and `totalParagraphs` are lower bounds; an all-words ' +
              'query (the default mode, article at a time) still counts every matching article (`totalHits` and `totalPages` ' +
              'exact) but not their paragraphs (`totalParagraphs` a lower bound). `exact`: everything is counted ' +
              '(`totalHitsRelation` is `eq`).',
            schema: { type: 'string', enum: ['exact', 'atLeast'], default: 'atLeast' },
          },
          {
            name: 'duplicates',
            in: 'query',
            description:
              '`show` (the default, as before): every matching article is a hit. `group`: one hit per group of near-duplicates (see ' +
              '`GET /articles/{articleId}/duplicates`), ranked where its best-ranked member is, its other members under `duplicates`; `totalHits` then counts ' +
              'groups and `totalArticles` articles (facets count articles). With `groupBy=none`, ignored. The search page asks for `group`.',
            schema: { type: 'string', enum: ['show', 'group'], default: 'show' },
          },
          {
            name: 'prefer',
            in: 'query',
            description:
              'With `duplicates=group`, which member stands for a group: `best` (the best-ranked; ties to the earliest), `original` (the earliest matching), `latest`.',
            schema: { type: 'string', enum: ['best', 'original', 'latest'], default: 'best' },
          },
          includeUnpublishedParameter,
        ],
        responses: {
          '200': {
            description: 'Search results.',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/SearchResponse' } } },
          },
          '400': errorResponse(
            badQueryString +
              '`invalid_search_q`, `invalid_search_page` (also for `page × hitsPerPage` > 1000), `invalid_search_hits_per_page`, ' +
              '`invalid_search_group_by`, `invalid_search_snippets_per_article`, `invalid_search_crop_length`, ' +
              '`invalid_search_matching_strategy`, `invalid_search_prefix`, `invalid_search_typos`, `invalid_search_feedback`, `invalid_search_from`, ' +
              '`invalid_search_to` (also for `to` before `from`), `invalid_search_sort`, `invalid_search_facets`, `invalid_search_duplicates`, `invalid_search_prefer`, `invalid_search_filter`, ' +
              '`invalid_search_recency_half_life`, `invalid_search_totals`, `invalid_include_unpublished`.',
          ),
          ...commonErrors,
          '503': busy,
        },
      },
    },
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
