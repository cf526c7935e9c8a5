/**
 * The OpenAPI description of the living archive: the write routes, the keys and
 * editors' previews. Merged into `openapi.ts`'s document.
 */

import { errorResponse } from './responses.js';

const json = (schema: object) => ({ 'application/json': { schema } });

/** `includeUnpublished`, on `/search` and `/articles/{articleId}`. */
export const includeUnpublishedParameter = {
  name: 'includeUnpublished',
  in: 'query',
  description:
    "Editors' preview: `true` also shows drafts and embargoed articles, each marked `unpublished: true` with its `status` and `publishAt`. Needs the admin key (401 `unauthorized` without). Never cached.",
  schema: { type: 'string', enum: ['true', 'false'], default: 'false' },
};

/** Error responses of every write route. */
const writeErrors = {
  '401': errorResponse('No key, or not the admin key (`unauthorized`; the search key is not enough). Type `auth`.'),
  '403': errorResponse(
    'Writes are off: the service was started without `ADMIN_API_KEY` (`writes_disabled`). Type `auth`.',
  ),
  '503': errorResponse(
    'The index is still loading (`index_loading`), the journal could not be written (`journal_write_failed`), or, on a node following a PostgreSQL store, PostgreSQL cannot be reached (`store_unavailable`, with `Retry-After`): nothing was saved. Type `system`.',
  ),
  '507': errorResponse('The disk holding the journal is full (`disk_full`): nothing was saved. Type `system`.'),
};

const articleIdParameter = {
  name: 'articleId',
  in: 'path',
  required: true,
  description:
    'The article id (its `/` may be written as is or as `%2F`); at most 512 characters, no control characters. A new id is a path of names separated by `/`: no name may be empty, `.` or `..` (no URL could reach it back unchanged): 400 `invalid_article_id`.',
  schema: { type: 'string', maxLength: 512 },
};

/** `Idempotency-Key` on `PUT` and `DELETE`. */
const idempotencyKeyParameter = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Makes a retry safe: a request repeated with the same key within 24 hours (after a lost answer, a timeout, a node that died after committing) is not written again and answers as the first attempt did (`201` stays `201`; a takedown answers `204`, not `404`). ' +
    'The same key with another method, id or body is refused: 422 `idempotency_key_reused`. 1–255 visible ASCII characters (a UUID): else 400 `invalid_idempotency_key`. ' +
    "Behind the documented nginx, a write without one gets nginx's request id, so nginx's own retries on another node are safe too.",
  schema: { type: 'string', minLength: 1, maxLength: 255 },
};

/** The answer to a key used by another request. */
const keyReused = errorResponse(
  'This `Idempotency-Key` was used within 24 hours by another request (`idempotency_key_reused`); nothing was written.',
);

/** `PUT` and `DELETE` on `/articles/{articleId}`. */
export const articleWriteOperations = {
  put: {
    operationId: 'putArticle',
    summary: 'Create or replace an article',
    description:
      'Answers once the article is durable (fsynced to the journal: it survives `kill -9`, a crash and deleting `index-cache/`) and searchable in this process (on the other workers within a second). ' +
      "A draft (`status: draft`) or an article whose `publishAt` is in the future is kept out of every reader's view until it is published; an embargo lifts by itself. " +
      "Replacing an article that came from a corpus file: the API's version wins from then on, whatever the file says.",
    security: [{ adminKey: [] }],
    parameters: [articleIdParameter, idempotencyKeyParameter],
    requestBody: { required: true, content: json({ $ref: '#/components/schemas/ArticleInput' }) },
    responses: {
      '200': { description: 'Replaced.', content: json({ $ref: '#/components/schemas/StoredArticle' }) },
      '201': {
        description: 'Created (`Location` names it).',
        content: json({ $ref: '#/components/schemas/StoredArticle' }),
      },
      '400': errorResponse(
        "Bad body, id or key: `invalid_json` (with the parser's position), `invalid_article` (names the field), `invalid_article_id`, `invalid_idempotency_key`.",
      ),
      '413': errorResponse('The body is over 10 MB (`payload_too_large`).'),
      '415': errorResponse('The body is not `application/json` (`unsupported_media_type`).'),
      '422': keyReused,
      ...writeErrors,
    },
  },
  delete: {
    operationId: 'deleteArticle',
    summary: 'Take an article down',
    description:
      'Removes the article from every view at once (hits, counts, facets, suggestions, corrections, `/articles`), whatever its origin (a corpus file, a line of an NDJSON export, the API). ' +
      'It stays down across restarts, rebuilds and new exports of its file, until a `PUT` of the same id. Durable before the answer, as `PUT`.',
    security: [{ adminKey: [] }],
    parameters: [articleIdParameter, idempotencyKeyParameter],
    requestBody: {
      required: false,
      content: json({
        type: 'object',
        additionalProperties: false,
        properties: { reason: { type: 'string', maxLength: 2000, description: 'Kept in the journal.' } },
      }),
    },
    responses: {
      '204': { description: 'Taken down.' },
      '400': errorResponse('`invalid_json`, `invalid_reason`, `invalid_article_id`, `invalid_idempotency_key`.'),
      '404': errorResponse(
        'No article has this id (`article_not_found`), and no earlier request with this `Idempotency-Key` took it down.',
      ),
      '422': keyReused,
      '415': errorResponse('A body that is not `application/json` (`unsupported_media_type`).'),
      ...writeErrors,
    },
  },
};

/** `POST /articles`. */
export const bulkPath = {
  post: {
    operationId: 'putArticles',
    summary: 'Create or replace many articles (NDJSON)',
    description:
      'One JSON article per line, each with its `id` (the fields of `ArticleInput`). Read as a stream and written in batches of 250 (each durable and searchable before the next); a bad line is listed and skipped. ' +
      'The answer comes after the last line.',
    security: [{ adminKey: [] }],
    requestBody: { required: true, content: { 'application/x-ndjson': { schema: { type: 'string' } } } },
    responses: {
      '200': {
        description: 'What was written, and the problems per line (at most 1,000 listed; `failed` counts all).',
        content: json({
          type: 'object',
          required: ['written', 'created', 'replaced', 'failed', 'problems'],
          properties: {
            written: { type: 'integer' },
            created: { type: 'integer' },
            replaced: { type: 'integer' },
            failed: { type: 'integer' },
            problems: {
              type: 'array',
              items: {
                type: 'object',
                required: ['line', 'message'],
                properties: { line: { type: 'integer' }, message: { type: 'string' } },
              },
            },
          },
        }),
      },
      '415': errorResponse(
        'The body is not NDJSON (`application/x-ndjson`, `application/ndjson` or `application/jsonl`): `unsupported_media_type`.',
      ),
      ...writeErrors,
    },
  },
};

/** Schemas of the write routes. */
export const writeSchemas = {
  ArticleInput: {
    type: 'object',
    additionalProperties: false,
    description:
      'An article as the JSON import reads it, strictly: an unknown field or one of the wrong type is a 400 naming it.',
    properties: {
      id: {
        type: ['string', 'number'],
        description: "Optional on `PUT` (must equal the path's); required per line of `POST /articles`.",
      },
      title: { type: 'string' },
      date: { type: 'string', description: 'Publication date or date-time.' },
      authors: { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
      byline: { type: 'string' },
      source: { type: 'string' },
      section: { type: 'string' },
      url: { type: 'string' },
      dateline: { type: 'string' },
      tags: { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
      topics: { type: 'array', items: { type: 'string' } },
      places: { type: 'array', items: { type: 'string' } },
      body: { type: 'string', description: 'Paragraphs separated by blank lines.' },
      paragraphs: { type: 'array', items: { type: 'string' }, description: 'Wins over `body`.' },
      status: { type: 'string', enum: ['published', 'draft'], default: 'published' },
      publishAt: {
        type: 'string',
        description:
          'Embargo: ISO 8601 time (`2026-12-01T09:00:00Z`; without a zone: UTC; a date alone: midnight UTC).',
      },
    },
  },
  StoredArticle: {
    allOf: [
      { $ref: '#/components/schemas/ArticleMeta' },
      {
        type: 'object',
        required: ['status', 'publishAt', 'published', 'paragraphs'],
        properties: {
          status: { type: 'string', enum: ['published', 'draft'] },
          publishAt: { type: ['string', 'null'] },
          published: { type: 'boolean', description: 'Visible to readers now.' },
          paragraphs: { type: 'integer', description: 'Paragraphs stored.' },
        },
      },
    ],
  },
};

/** The keys: `adminKey` for the write routes and previews, `searchKey` for the read routes when `SEARCH_API_KEY` is set. */
export const securitySchemes = {
  adminKey: { type: 'http', scheme: 'bearer', description: '`ADMIN_API_KEY`.' },
  searchKey: {
    type: 'http',
    scheme: 'bearer',
    description:
      '`SEARCH_API_KEY` (or the admin key), needed by `/search`, `/articles/{articleId}` and `/suggest` when set.',
  },
  algoliaKey: {
    type: 'apiKey',
    in: 'header',
    name: 'X-Algolia-API-Key',
    description: '`SEARCH_API_KEY` as Algolia clients send it (the Algolia routes and `POST /analytics/events`).',
  },
};

/** The synonym set's schema, as `PUT` takes it and `GET` returns it. */
const synonymSetSchema = {
  type: 'object',
  additionalProperties: false,
  description:
    "Groups (every entry finds the others) and one-way rules (`from` finds `to`, not back). An entry is 1 to 8 words, at most 200 characters, matched by the analyzer's forms of its words (`KYIV`, `Kyiv's` are `kyiv`); " +
    'several words match the same words side by side in a query, or the same quoted phrase. At most 10,000 groups and rules together, 2 to 32 entries a group, 1 to 32 targets a rule; a query word takes at most 8 synonyms.',
  properties: {
    groups: {
      type: 'array',
      maxItems: 10000,
      items: { type: 'array', minItems: 2, maxItems: 32, items: { type: 'string', maxLength: 200 } },
      default: [],
    },
    oneWay: {
      type: 'array',
      maxItems: 10000,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['from', 'to'],
        properties: {
          from: { type: 'string', maxLength: 200 },
          to: { type: 'array', minItems: 1, maxItems: 32, items: { type: 'string', maxLength: 200 } },
        },
      },
      default: [],
    },
  },
  example: {
    groups: [
      ['kyiv', 'kiev'],
      ['united nations', 'un'],
    ],
    oneWay: [{ from: 'nyc', to: ['new york city'] }],
  },
};

/** `GET` and `PUT` on `/synonyms`. */
export const synonymsPath = {
  get: {
    operationId: 'getSynonyms',
    summary: 'The synonym set in force',
    description:
      'The set put through `PUT /synonyms`, or, when none was, the one loaded from `SYNONYMS_FILE` at start (empty lists when neither).',
    security: [{ adminKey: [] }],
    responses: {
      '200': { description: 'The synonym set.', content: json({ $ref: '#/components/schemas/SynonymSet' }) },
      '401': writeErrors['401'],
      '403': errorResponse(
        'Writes are off: the service was started without `ADMIN_API_KEY`, or it keeps no synonym set (`writes_disabled`). Type `auth`.',
      ),
    },
  },
  put: {
    operationId: 'putSynonyms',
    summary: 'Replace the synonym set',
    description:
      'Replaces the whole set. Answers with the stored set once it is durable (written atomically to `synonyms.json` in the journal folder: it survives `kill -9` and wins over `SYNONYMS_FILE` at the next start) and applied: the next search expands its words with it (query time, no rebuild). ' +
      'A synonym scores half the word as typed, and is marked in snippets with the highlight kind `synonym`; `parsedQuery.synonyms` lists the rules a search used.',
    security: [{ adminKey: [] }],
    requestBody: { required: true, content: json({ $ref: '#/components/schemas/SynonymSet' }) },
    responses: {
      '200': {
        description: 'Stored and in force: the set as kept (entries trimmed).',
        content: json({ $ref: '#/components/schemas/SynonymSet' }),
      },
      '400': errorResponse(
        '`invalid_json`, or `invalid_synonyms` naming the bad entry (`groups[1][0]`, `oneWay[0].to`): nothing was changed.',
      ),
      '413': errorResponse('The body is over 2 MB (`payload_too_large`).'),
      '415': errorResponse('The body is not `application/json` (`unsupported_media_type`).'),
      ...writeErrors,
    },
  },
};

/** The synonym set schema, for the document's components. */
export const synonymSchemas = { SynonymSet: synonymSetSchema };
