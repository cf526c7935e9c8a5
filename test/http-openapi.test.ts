import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/http/create-app.js';
import { openApiDocument } from '../src/http/openapi.js';
import type { ParamSpec } from '../src/http/param-reader.js';
import { ARTICLE_PARAMETERS } from '../src/http/read-article-params.js';
import { SEARCH_PARAMETERS } from '../src/http/read-search-params.js';
import { SUGGEST_PARAMETERS } from '../src/http/read-suggest-params.js';
import { EXPORT_PARAMETERS } from '../src/http/read-export-params.js';
import { RELATED_PARAMETERS } from '../src/http/read-related-params.js';
import { buildIndex } from '../src/index/index-writer.js';
import { ERROR_CODES, isErrorCode } from '../src/error-codes.js';
import { statusOfCode } from '../src/http/error-status.js';
import { ROUTE_ERRORS } from '../src/http/openapi/route-errors.js';
import { VERSION_PARAMETERS, VERSIONS_PARAMETERS } from '../src/http/versions-handler.js';
import { seedArticle } from './fixtures/http/build-test-index.js';

interface OpenApiParameter {
  name: string;
  in: string;
  schema: {
    type?: string;
    minimum?: number;
    maximum?: number;
    maxLength?: number;
    maxItems?: number;
    default?: unknown;
    enum?: readonly string[];
    items?: { maxLength?: number; enum?: readonly string[] };
  };
}

const paths = openApiDocument.paths as unknown as Record<string, { get: { parameters: OpenApiParameter[] } }>;
const queryParameters = (path: string) => paths[path]!.get.parameters.filter((p) => p.in === 'query');

const ROUTES: [string, readonly ParamSpec[], string][] = [
  ['/search', SEARCH_PARAMETERS, '/search'],
  ['/suggest', SUGGEST_PARAMETERS, '/suggest'],
  ['/articles/{articleId}', ARTICLE_PARAMETERS, '/articles/haiti-soldiers-mexico-training'],
  ['/search/export', EXPORT_PARAMETERS, '/search/export'],
  ['/articles/{articleId}/related', RELATED_PARAMETERS, '/articles/haiti-soldiers-mexico-training/related'],
  ['/articles/{articleId}/versions', VERSIONS_PARAMETERS, '/articles/haiti-soldiers-mexico-training/versions'],
  ['/articles/{articleId}/versions/{n}', VERSION_PARAMETERS, '/articles/haiti-soldiers-mexico-training/versions/1'],
];

/** A value the validator must reject for `spec`. */
function badValue(spec: ParamSpec): string {
  switch (spec.kind) {
    case 'string':
      return 'x'.repeat(spec.maxLength + 1);
    case 'integer':
      return String(spec.max + 1);
    case 'enum':
      return 'not-a-value';
    case 'date':
      return '2025-02-30';
    case 'list':
      return 'x'.repeat(spec.maxLength + 1);
    case 'csv':
      return 'not-a-value';
  }
}

/** The OpenAPI schema a spec must be described by. */
function expectedSchema(spec: ParamSpec): Partial<OpenApiParameter['schema']> {
  switch (spec.kind) {
    case 'string':
      return { type: 'string', maxLength: spec.maxLength };
    case 'integer':
      return { type: 'integer', minimum: spec.min, maximum: spec.max, default: spec.default };
    case 'enum':
      return { type: 'string', enum: spec.values, default: spec.default };
    case 'date':
      return { type: 'string' };
    case 'list':
      return { type: 'array', maxItems: spec.maxValues, items: { maxLength: spec.maxLength } };
    case 'csv':
      return { type: 'array', items: { enum: spec.values } };
  }
}

describe('GET /openapi.json', () => {
  const app = createApp({ getIndex: () => buildIndex([seedArticle()]) });

  it('serves an OpenAPI 3.1 document describing every route', async () => {
    const res = await request(app).get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.paths).sort()).toEqual([
      '/1/indexes/*/queries',
      '/1/indexes/{indexName}/query',
      '/alerts',
      '/alerts/{id}',
      '/alerts/{id}/feed',
      '/analytics/clicks',
      '/analytics/events',
      '/analytics/queries',
      '/articles',
      '/articles/{articleId}',
      '/articles/{articleId}/duplicates',
      '/articles/{articleId}/related',
      '/articles/{articleId}/versions',
      '/articles/{articleId}/versions/{n}',
      '/health',
      '/health/live',
      '/metrics',
      '/openapi.json',
      '/search',
      '/search/export',
      '/suggest',
      '/synonyms',
    ]);
  });

  it.each(ROUTES)(
    'lists exactly the query parameters the %s validator accepts, with the same ranges, defaults and enums',
    (path, specs) => {
      const documented = queryParameters(path);
      expect(documented.map((p) => p.name).sort()).toEqual(specs.map((s) => s.name).sort());
      for (const spec of specs) {
        const parameter = documented.find((p) => p.name === spec.name)!;
        expect(parameter.schema, spec.name).toMatchObject(expectedSchema(spec));
      }
    },
  );

  it.each(ROUTES)(
    'documents no %s parameter the validator ignores: a bad value of each is a 400 naming it',
    async (_path, specs, url) => {
      for (const spec of specs) {
        const res = await request(app).get(`${url}?${spec.name}=${encodeURIComponent(badValue(spec))}`);
        expect(res.status, spec.name).toBe(400);
        expect(res.body.code).toBe(spec.code);
        expect(res.body.message).toContain(`\`${spec.name}\``);
      }
    },
  );

  it('documents every error code a search parameter can produce', () => {
    const text = JSON.stringify(openApiDocument.paths['/search']);
    for (const spec of SEARCH_PARAMETERS) expect(text).toContain(`\`${spec.code}\``);
  });
});

interface ErrorResponseDoc {
  description: string;
  content?: { 'application/json'?: { schema?: { allOf?: [unknown, { properties: { code: { enum: string[] } } }] } } };
}

/** Each operation of the document with its operationId and responses. */
function operations(): { id: string; responses: Record<string, ErrorResponseDoc> }[] {
  const all = Object.values(
    openApiDocument.paths as unknown as Record<
      string,
      Record<string, { operationId: string; responses: Record<string, ErrorResponseDoc> }>
    >,
  );
  return all.flatMap((item) => Object.values(item)).map((op) => ({ id: op.operationId, responses: op.responses }));
}

describe('OpenAPI: error codes per route, from the catalogue', () => {
  it('lists every code of the catalogue, with its meaning, in the ErrorCode schema', () => {
    const schema = (
      openApiDocument.components.schemas as unknown as Record<string, { enum: string[]; description: string }>
    )['ErrorCode']!;
    expect(schema.enum).toEqual(Object.keys(ERROR_CODES));
    expect(schema.description).toContain('`index_corrupt`: ');
  });

  it("gives each listed route's error responses the enum of the codes their status carries", () => {
    for (const { id, responses } of operations()) {
      const codes = ROUTE_ERRORS[id];
      if (!codes) continue;
      for (const code of codes) {
        const listed =
          responses[String(statusOfCode(code))]?.content?.['application/json']?.schema?.allOf?.[1].properties.code.enum;
        expect(listed, `${id} ${code}`).toContain(code);
      }
    }
    const search = operations().find((op) => op.id === 'search')!;
    expect(search.responses['503']!.content!['application/json']!.schema!.allOf![1].properties.code.enum).toEqual([
      'index_loading',
      'overloaded',
    ]);
  });

  it("names in a route's prose no code that its list lacks, and none of another status", () => {
    for (const { id, responses } of operations()) {
      const codes = ROUTE_ERRORS[id];
      if (!codes) continue;
      for (const [status, response] of Object.entries(responses)) {
        if (Number(status) < 400) continue;
        for (const [, code] of response.description.matchAll(/`([a-z_]+)`/g)) {
          if (!isErrorCode(code)) continue;
          expect(codes, `${id} ${status} names ${code}`).toContain(code);
          expect(String(statusOfCode(code)), `${id} ${status} names ${code}`).toBe(status);
        }
      }
    }
  });
});
