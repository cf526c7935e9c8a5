import { VERSION_PARAMETERS, VERSIONS_PARAMETERS } from '../versions-handler.js';
import { openApiParameter } from './param-schema.js';
import { badQueryString, commonErrors, errorResponse } from './responses.js';

const articleIdParameter = {
  name: 'articleId',
  in: 'path',
  required: true,
  description: 'The article id (its `/` as is or as `%2F`).',
  schema: { type: 'string' },
} as const;

const DESCRIPTIONS: Record<string, string> = {
  diff: 'Compare with version `m` (usually `n - 1`): `diff.paragraphs` lists every paragraph as `same`, `added`, `removed` or `edited` (with `previous`). 0 or absent: no diff.',
  history:
    'An earlier history of the id, ended by a takedown (1 = the first; see `earlierHistories`). Needs the admin key (401 otherwise). 0 or absent: the current history.',
};

const changes = {
  type: ['object', 'null'],
  description:
    'What changed from the version before (null for the first kept): paragraphs added, removed and edited, and whether the headline changed.',
  properties: {
    added: { type: 'integer' },
    removed: { type: 'integer' },
    edited: { type: 'integer' },
    titleChanged: { type: 'boolean' },
  },
} as const;

const notFound = errorResponse(
  'Unknown article id, or an article taken down (`article_not_found`: no version of it is shown); a version never written or forgotten past `MAX_VERSIONS` (`version_not_found`).',
);

/** `GET /articles/{articleId}/versions` in the OpenAPI document. */
export const versionsPath = {
  get: {
    operationId: 'articleVersions',
    summary: 'The versions of an article',
    description:
      'Every kept version, oldest first: each `PUT` or bulk line that changed the article, and each change of its corpus file, kept the version it replaced. ' +
      'Numbers start at 1 for a history and are never reused; at most `MAX_VERSIONS` (default 50) are kept, the oldest forgotten first (`forgotten` counts them). ' +
      'A takedown ends the history: every version is then a 404, and a `PUT` restoring the id starts a new history at 1; with the admin key, ' +
      '`earlierHistories` lists the histories ended by takedowns (read them with `history`). Search covers the current version only.',
    parameters: [
      articleIdParameter,
      ...VERSIONS_PARAMETERS.map((spec) => openApiParameter(spec, DESCRIPTIONS[spec.name]!)),
    ],
    responses: {
      '200': {
        description: 'The versions.',
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['articleId', 'history', 'versions', 'forgotten'],
              properties: {
                articleId: { type: 'string' },
                history: { type: 'integer' },
                versions: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: ['version', 'at', 'until', 'current', 'title', 'changes'],
                    properties: {
                      version: { type: 'integer', minimum: 1 },
                      at: {
                        type: ['string', 'null'],
                        format: 'date-time',
                        description:
                          'When it became current; null when unknown (the first version of a corpus article).',
                      },
                      until: {
                        type: ['string', 'null'],
                        format: 'date-time',
                        description: 'When a change replaced it; null for the current version.',
                      },
                      current: { type: 'boolean' },
                      title: { type: 'string' },
                      changes,
                    },
                  },
                },
                forgotten: {
                  type: 'integer',
                  description: 'Versions forgotten past `MAX_VERSIONS` at the start of this history.',
                },
                earlierHistories: {
                  type: 'array',
                  description: 'Admin key only: the histories ended by takedowns.',
                  items: {
                    type: 'object',
                    properties: {
                      history: { type: 'integer' },
                      takenDownAt: { type: 'string', format: 'date-time' },
                      versions: { type: 'integer' },
                    },
                  },
                },
              },
            },
          },
        },
      },
      '400': errorResponse(badQueryString + '`invalid_version_history`.'),
      ...commonErrors,
      '404': notFound,
    },
  },
} as const;

/** `GET /articles/{articleId}/versions/{n}` in the OpenAPI document. */
export const versionPath = {
  get: {
    operationId: 'articleVersion',
    summary: 'One version of an article, with a paragraph-level diff',
    description:
      'Version `n` whole (metadata and paragraphs). With `diff=m`, the paragraph-level diff from version `m`: the longest run of equal paragraphs is kept; ' +
      'between them, a removed and an added paragraph that share at least 40 % of their words are one `edited` paragraph.',
    parameters: [
      articleIdParameter,
      {
        name: 'n',
        in: 'path',
        required: true,
        description: 'The version number (1–9,999,999).',
        schema: { type: 'integer', minimum: 1 },
      },
      ...VERSION_PARAMETERS.map((spec) => openApiParameter(spec, DESCRIPTIONS[spec.name]!)),
    ],
    responses: {
      '200': {
        description: 'The version.',
        content: {
          'application/json': {
            schema: {
              allOf: [
                { $ref: '#/components/schemas/ArticleMeta' },
                {
                  type: 'object',
                  required: ['version', 'at', 'until', 'current', 'paragraphs', 'diff'],
                  properties: {
                    version: { type: 'integer' },
                    at: { type: ['string', 'null'], format: 'date-time' },
                    until: { type: ['string', 'null'], format: 'date-time' },
                    current: { type: 'boolean' },
                    paragraphs: { type: 'array', items: { type: 'string' } },
                    diff: {
                      type: ['object', 'null'],
                      properties: {
                        from: { type: 'integer' },
                        titleBefore: { type: 'string' },
                        summary: changes,
                        paragraphs: {
                          type: 'array',
                          items: {
                            type: 'object',
                            required: ['op', 'text'],
                            properties: {
                              op: { type: 'string', enum: ['same', 'added', 'removed', 'edited'] },
                              text: { type: 'string' },
                              previous: { type: 'string' },
                            },
                          },
                        },
                      },
                    },
                  },
                },
              ],
            },
          },
        },
      },
      '400': errorResponse(
        badQueryString +
          '`invalid_version_diff` (also for a version to compare with that does not exist), `invalid_version_history`.',
      ),
      ...commonErrors,
      '404': notFound,
    },
  },
} as const;

/** `GET /articles/{articleId}/duplicates` in the OpenAPI document. */
export const duplicatesPath = {
  get: {
    operationId: 'articleDuplicates',
    summary: "The article's group of near-duplicates",
    description:
      'Articles are near-duplicates when the estimated Jaccard similarity of their sets of 5-word shingles (headline and paragraphs; MinHash, 64 values) ' +
      'is at least `DUPLICATE_SIMILARITY` (default 0.7); a group is every article linked to another this way, directly or through others. ' +
      'Members are listed earliest published first; the first is the group id (`groupId`). `similarity` is each member’s to this article ' +
      '(a member joined through another can be under the threshold). An article without duplicates has `groupId` null and no members.',
    parameters: [articleIdParameter],
    responses: {
      '200': {
        description: 'The group.',
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['articleId', 'groupId', 'threshold', 'count', 'members'],
              properties: {
                articleId: { type: 'string' },
                groupId: { type: ['string', 'null'] },
                threshold: { type: 'number' },
                count: { type: 'integer', description: 'Other members.' },
                members: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: {
                      articleId: { type: 'string' },
                      title: { type: 'string' },
                      date: { type: ['string', 'null'] },
                      source: { type: ['string', 'null'] },
                      similarity: { type: 'number', minimum: 0, maximum: 1 },
                      self: { type: 'boolean', description: 'True for the article asked about.' },
                    },
                  },
                },
              },
            },
          },
        },
      },
      ...commonErrors,
      '404': errorResponse('Unknown article id (`article_not_found`).'),
    },
  },
} as const;
