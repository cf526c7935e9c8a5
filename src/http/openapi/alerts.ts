/**
 * The OpenAPI description of saved searches and alerts: `/alerts`,
 * `/alerts/{id}` and `/alerts/{id}/feed`, their schemas and the webhook's event.
 * Merged into `openapi.ts`'s document.
 */

import { errorResponse } from './responses.js';

const json = (schema: object) => ({ 'application/json': { schema } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const filterSchema = (what: string) => ({
  oneOf: [
    { type: 'string', maxLength: 200 },
    { type: 'array', maxItems: 50, items: { type: 'string', maxLength: 200 } },
  ],
  description: `Only articles with one of these ${what} (as \`/search\` takes it; case-insensitive).`,
});

const queryProperties = {
  q: {
    type: 'string',
    minLength: 1,
    maxLength: 512,
    description:
      'The query, in the full query language (as `/search` takes it). Alerts run it with every word required, no typo tolerance and no prefix on the last word.',
  },
  from: {
    type: ['string', 'null'],
    description:
      'Only articles dated on or after (ISO 8601 date, or date-time with a zone). Answered as a UTC date-time.',
  },
  to: { type: ['string', 'null'], description: 'Only articles dated on or before (a bare date covers its whole day).' },
  source: filterSchema('sources'),
  section: filterSchema('sections'),
  author: filterSchema('authors'),
  tag: filterSchema('tags'),
};

const webhookInput = {
  type: ['object', 'null'],
  additionalProperties: false,
  required: ['url', 'secret'],
  properties: {
    url: {
      type: 'string',
      maxLength: 2048,
      description:
        'http or https. Refused (400 `invalid_alert_webhook`, naming the rule) when it resolves to a loopback, private, link-local or reserved address, unless allowed by `ALERT_WEBHOOK_ALLOW`.',
    },
    secret: {
      type: 'string',
      minLength: 16,
      maxLength: 256,
      description: 'Key of the `X-Signature: sha256=<hex>` header: the HMAC-SHA256 of the raw body. Never shown again.',
    },
  },
};

/** The schemas of the alert routes, merged into the document's components. */
export const alertSchemas = {
  AlertInput: {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'q'],
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 200 },
      ...queryProperties,
      webhook: webhookInput,
      paused: { type: 'boolean', default: false },
    },
  },
  AlertPatch: {
    type: 'object',
    additionalProperties: false,
    description: 'Only the fields given change.',
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 200 },
      ...queryProperties,
      webhook: webhookInput,
      paused: { type: 'boolean' },
    },
  },
  AlertArticle: {
    type: 'object',
    required: ['articleId', 'title', 'date', 'snippet'],
    properties: {
      articleId: { type: 'string' },
      title: { type: 'string' },
      date: { type: ['string', 'null'] },
      url: { type: 'string', description: "The article's canonical URL, when it has one." },
      snippet: {
        type: 'string',
        description: 'The matching paragraph\'s snippet as escaped HTML with `<mark>` highlights ("" in a retraction).',
      },
    },
  },
  Alert: {
    type: 'object',
    required: ['id', 'name', 'q', 'feedUrl', 'paused', 'webhook', 'delivery', 'latestMatches'],
    properties: {
      id: { type: 'string' },
      name: { type: 'string' },
      ...queryProperties,
      source: { type: 'array', items: { type: 'string' } },
      section: { type: 'array', items: { type: 'string' } },
      author: { type: 'array', items: { type: 'string' } },
      tag: { type: 'array', items: { type: 'string' } },
      webhook: {
        type: ['object', 'null'],
        properties: { url: { type: 'string' } },
        description: 'The secret is never shown.',
      },
      paused: { type: 'boolean' },
      createdAt: { type: 'string' },
      updatedAt: { type: 'string' },
      feedUrl: {
        type: 'string',
        description: 'The Atom feed, relative to the service, with its secret `token`: usable as it is.',
      },
      delivery: {
        type: ['object', 'null'],
        description: 'Webhook delivery state (null without a webhook).',
        properties: {
          pending: { type: 'integer' },
          lastSuccess: { type: ['string', 'null'] },
          failures: { type: 'integer', description: 'Failed attempts of the event at the head of the queue.' },
          lastError: { type: ['string', 'null'] },
          nextTry: { type: ['string', 'null'] },
          abandoned: {
            type: 'integer',
            description:
              'Events given up after 48 h of failures, within the retention period of delivered events (`ALERT_RETENTION_DAYS`).',
          },
        },
      },
      latestMatches: {
        type: 'array',
        maxItems: 5,
        items: {
          allOf: [
            { $ref: '#/components/schemas/AlertArticle' },
            { type: 'object', properties: { matchedAt: { type: 'string' }, updatedAt: { type: 'string' } } },
          ],
        },
      },
    },
  },
  AlertEvent: {
    type: 'object',
    description: 'The body of a webhook `POST` (signed: `X-Signature: sha256=<hex>`; `X-Event-Id` repeats `id`).',
    required: ['id', 'type', 'alertId', 'article', 'at'],
    properties: {
      id: {
        type: 'string',
        description:
          'Unique: a receiver that sees an id twice (a crash between delivery and its record) ignores the second.',
      },
      type: { type: 'string', enum: ['alert.match', 'alert.update', 'alert.retract'] },
      alertId: { type: 'string' },
      article: ref('AlertArticle'),
      at: { type: 'string', description: 'When the event was made.' },
    },
  },
};

const alertErrors = {
  '401': errorResponse("No key, or not one of the service's keys (`unauthorized`). Type `auth`."),
  '403': errorResponse('Alerts are off (`alerts_disabled`): no key is set, or `MAX_ALERTS=0`. Type `auth`.'),
  '503': errorResponse(
    'The index is still loading (`index_loading`), the alert log (or, with an article store, its alert tables) could not be written (`alerts_write_failed`), the article store cannot be reached (`store_unavailable`), or, with `WORKERS` > 1, the worker that keeps the alerts did not answer in time (`alerts_unavailable`: it is starting, or another takes them after it exited). Type `system`.',
  ),
};
const security = [{ adminKey: [] }, { searchKey: [] }];
const idParameter = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
const notFound = errorResponse('No alert has this id (`alert_not_found`).');
const bodyErrors =
  'Bad body: `invalid_json`, `invalid_alert_field` (unknown field), `invalid_alert_name`, `invalid_alert_q` (also a query that can never match, with the reason), `invalid_alert_from`, `invalid_alert_to`, `invalid_alert_filter` (names the filter), `invalid_alert_paused`, `invalid_alert_webhook` (names the rule: scheme, credentials, dns, private_address).';

/** `/alerts`, `/alerts/{id}` and `/alerts/{id}/feed`. */
export const alertPaths = {
  '/alerts': {
    get: {
      operationId: 'listAlerts',
      summary: 'List the saved searches',
      description:
        'Every alert (shared by the holders of the admin and search keys), oldest first, each with its delivery state and latest matches.',
      security,
      responses: {
        '200': {
          description: 'The alerts.',
          content: json({ type: 'object', properties: { alerts: { type: 'array', items: ref('Alert') } } }),
        },
        ...alertErrors,
      },
    },
    post: {
      operationId: 'createAlert',
      summary: 'Save a search as an alert',
      description:
        'From now on, every article that becomes visible (a write, a bulk import, a corpus file, an embargo release, a correction) and would be a hit of this search shows in its feed and is sent to its webhook. A correction that still matches is an `alert.update`; a takedown (or a correction that no longer matches) an `alert.retract`. Drafts and embargoed articles alert only once published. Articles already in the archive do not alert.',
      security,
      requestBody: { required: true, content: json(ref('AlertInput')) },
      responses: {
        '201': { description: 'Created (`Location` names it).', content: json(ref('Alert')) },
        '400': errorResponse(bodyErrors),
        '409': errorResponse('`MAX_ALERTS` alerts exist already (`too_many_alerts`).'),
        '413': errorResponse('The body is over 64 KB (`payload_too_large`).'),
        '415': errorResponse('The body is not `application/json` (`unsupported_media_type`).'),
        ...alertErrors,
      },
    },
  },
  '/alerts/{id}': {
    get: {
      operationId: 'getAlert',
      summary: 'One saved search',
      security,
      parameters: [idParameter],
      responses: {
        '200': {
          description: 'The alert, its delivery state (last success, failures, next try) and latest matches.',
          content: json(ref('Alert')),
        },
        '404': notFound,
        ...alertErrors,
      },
    },
    patch: {
      operationId: 'updateAlert',
      summary: 'Change a saved search',
      description:
        'Name, query and filters, webhook (`null` removes it and gives up its queued events), `paused` (a paused alert matches and sends nothing).',
      security,
      parameters: [idParameter],
      requestBody: { required: true, content: json(ref('AlertPatch')) },
      responses: {
        '200': { description: 'The changed alert.', content: json(ref('Alert')) },
        '400': errorResponse(bodyErrors),
        '404': notFound,
        '415': errorResponse('Not `application/json`.'),
        ...alertErrors,
      },
    },
    delete: {
      operationId: 'deleteAlert',
      summary: 'Delete a saved search',
      description: 'With its feed and its undelivered events.',
      security,
      parameters: [idParameter],
      responses: { '204': { description: 'Deleted.' }, '404': notFound, ...alertErrors },
    },
  },
  '/alerts/{id}/feed': {
    get: {
      operationId: 'alertFeed',
      summary: 'The Atom feed of a saved search',
      description:
        "RFC 4287: one entry per matching article (at most 100), newest first, with its title, a link to the article, `published` (first matched) and `updated`, and the matching paragraph's highlighted snippet as an HTML summary. Readable by any feed reader with the `token` of the alert's `feedUrl`, or with a key. `ETag` / `If-None-Match` (304).",
      parameters: [
        idParameter,
        {
          name: 'token',
          in: 'query',
          required: false,
          description: "The alert's feed token (in its `feedUrl`).",
          schema: { type: 'string' },
        },
      ],
      responses: {
        '200': { description: 'The feed.', content: { 'application/atom+xml': { schema: { type: 'string' } } } },
        '304': { description: 'Not modified (the `If-None-Match` ETag is current).' },
        '401': errorResponse('No valid `token` and no key (`unauthorized`).'),
        '404': notFound,
      },
    },
  },
};
