import { RELATED_PARAMETERS } from '../read-related-params.js';
import { openApiParameter } from './param-schema.js';
import { badQueryString, busy, commonErrors, errorResponse } from './responses.js';

const DESCRIPTIONS: Record<string, string> = {
  limit: 'Most related articles.',
  from: 'Earliest publication time of a related article, inclusive (`YYYY-MM-DD` or a date-time), as in `/search`.',
  to: 'Latest publication time of a related article, inclusive. Not before `from`.',
  halfLifeDays:
    'Preference for nearby dates: a related article this many days before or after the article scores half as much, twice as far a quarter ' +
    '(score × 0.5^(days apart / halfLifeDays)); an undated one a quarter. 0 or absent: no preference. Ignored when the article is undated.',
};

/** `GET /articles/{articleId}/related` in the OpenAPI document. */
export const relatedPath = {
  get: {
    operationId: 'relatedArticles',
    summary: 'The articles most like this one',
    description:
      "More-like-this, as Elasticsearch's: the article's 25 most distinctive words (by tf·idf: often in the article, rare in the archive; " +
      'at least 3 letters) are searched for, each weighted by its tf·idf relative to the best, with BM25; an article must share a fifth ' +
      'of them (at least 2) and is never the article itself. Routing: when the whole path after `/articles/` is an article id, that ' +
      'article is returned (`GET /articles/{articleId}`); otherwise a last segment `related` (after a `/` written as is) asks for this list.',
    parameters: [
      {
        name: 'articleId',
        in: 'path',
        required: true,
        description: 'The article id (its `/` as is or as `%2F`).',
        schema: { type: 'string' },
      },
      ...RELATED_PARAMETERS.map((spec) => openApiParameter(spec, DESCRIPTIONS[spec.name]!)),
    ],
    responses: {
      '200': {
        description: 'The related articles, most alike first.',
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['articleId', 'terms', 'hits', 'processingTimeMs'],
              properties: {
                articleId: { type: 'string' },
                terms: {
                  type: 'array',
                  items: { type: 'string' },
                  description: 'The words searched for, most distinctive first.',
                },
                hits: {
                  type: 'array',
                  items: {
                    allOf: [
                      { $ref: '#/components/schemas/ArticleMeta' },
                      {
                        type: 'object',
                        required: ['score', 'sharedTerms'],
                        properties: {
                          score: { type: 'number' },
                          sharedTerms: {
                            type: 'array',
                            items: { type: 'string' },
                            description: 'Which of `terms` it holds.',
                          },
                        },
                      },
                    ],
                  },
                },
                processingTimeMs: { type: 'number' },
              },
            },
          },
        },
      },
      '400': errorResponse(
        badQueryString +
          '`invalid_related_limit`, `invalid_related_from`, `invalid_related_to` (also for `to` before `from`), `invalid_related_half_life_days`.',
      ),
      ...commonErrors,
      '404': errorResponse('Unknown article id (`article_not_found`).'),
      '503': busy,
    },
  },
} as const;
