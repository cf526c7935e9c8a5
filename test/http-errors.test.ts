import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../src/http/create-app.js';
import { buildIndex } from '../src/index/index-writer.js';
import { seedArticle } from './fixtures/http/build-test-index.js';

const index = buildIndex([seedArticle()]);
const app = createApp({ getIndex: () => index, corsOrigins: ['https://archive.example'] });

// Every error body the tests see, checked at the end for leaks.
const bodies: string[] = [];

async function expectError(path: string, status: number, code: string, message?: string) {
  const res = await request(app).get(path);
  bodies.push(res.text);
  expect(res.status, res.text).toBe(status);
  expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(Object.keys(res.body).sort()).toEqual(['code', 'message', 'requestId', 'type']);
  expect(res.body.requestId).toBe(res.headers['x-request-id']);
  expect(res.body.code).toBe(code);
  expect(res.body.type).toBe(status === 503 ? 'system' : status >= 500 ? 'internal' : 'invalid_request');
  if (message !== undefined) expect(res.body.message).toBe(message);
  return res;
}

let errorLog: ReturnType<typeof vi.spyOn>;
beforeAll(() => {
  errorLog = vi.spyOn(console, 'error').mockImplementation(() => {});
});
afterAll(() => {
  errorLog.mockRestore();
});

describe('parameter validation on GET /search', () => {
  it('rejects hitsPerPage=500 with the contract example message', async () => {
    await expectError(
      '/search?hitsPerPage=500',
      400,
      'invalid_search_hits_per_page',
      '`hitsPerPage` must be an integer from 1 to 100, got `500`.',
    );
  });

  it.each(['0', '1e999', '0x10', '+1', '%201', '1.0', '01', '-1', '', '１', '99999999999999999999'])(
    'rejects page=%s: only plain decimal digits in range are integers',
    async (value) => {
      const res = await expectError(`/search?page=${value}`, 400, 'invalid_search_page');
      expect(res.body.message).toMatch(/^`page` must be an integer from 1 to 1000, got `.*`\.$/);
    },
  );

  it('names the bad value in backticks', async () => {
    await expectError(
      '/search?page=0x10',
      400,
      'invalid_search_page',
      '`page` must be an integer from 1 to 1000, got `0x10`.',
    );
    await expectError(
      '/search?page=%2B1',
      400,
      'invalid_search_page',
      '`page` must be an integer from 1 to 1000, got `+1`.',
    );
  });

  it.each([
    [
      'snippetsPerArticle=6',
      'invalid_search_snippets_per_article',
      '`snippetsPerArticle` must be an integer from 1 to 5, got `6`.',
    ],
    ['cropLength=9', 'invalid_search_crop_length', '`cropLength` must be an integer from 10 to 80, got `9`.'],
    ['cropLength=81', 'invalid_search_crop_length', '`cropLength` must be an integer from 10 to 80, got `81`.'],
    ['hitsPerPage=0', 'invalid_search_hits_per_page', '`hitsPerPage` must be an integer from 1 to 100, got `0`.'],
    ['groupBy=paragraph', 'invalid_search_group_by', '`groupBy` must be one of `article`, `none`, got `paragraph`.'],
    ['groupBy=Article', 'invalid_search_group_by', '`groupBy` must be one of `article`, `none`, got `Article`.'],
    [
      'matchingStrategy=last',
      'invalid_search_matching_strategy',
      '`matchingStrategy` must be one of `all`, `any`, got `last`.',
    ],
    ['prefix=all', 'invalid_search_prefix', '`prefix` must be one of `last`, `off`, got `all`.'],
    ['typos=on', 'invalid_search_typos', '`typos` must be one of `auto`, `fallback`, `off`, got `on`.'],
    ['sort=date', 'invalid_search_sort', '`sort` must be one of `relevance`, `date:desc`, `date:asc`, got `date`.'],
    [
      'facets=source,topic',
      'invalid_search_facets',
      '`facets` must be a comma-separated list of `source`, `section`, `author`, `tag`, `person`, `org`, `place`, `year`, `month`, got `topic`.',
    ],
  ])('rejects %s with %s', async (query, code, message) => {
    await expectError(`/search?${query}`, 400, code, message);
  });

  it('rejects a `q` longer than 512 characters', async () => {
    const res = await expectError(`/search?q=${'a'.repeat(513)}`, 400, 'invalid_search_q');
    expect(res.body.message).toBe(`\`q\` must be at most 512 characters, got 513: \`${'a'.repeat(50)}…\`.`);
    const ok = await request(app).get(`/search?q=${'a'.repeat(512)}`);
    expect(ok.status).toBe(200);
  });

  it('rejects a parameter given twice where one value is expected, naming it', async () => {
    await expectError('/search?q=a&q=b', 400, 'invalid_search_q', '`q` must be given once, got 2 values.');
    await expectError('/search?page=1&page=1', 400, 'invalid_search_page', '`page` must be given once, got 2 values.');
    await expectError('/search?facets=year&facets=source', 400, 'invalid_search_facets');
  });

  it('rejects a parameter sent as an array or object (`q[]=x`, `q[a]=x`, `source[]=x`), naming it', async () => {
    for (const query of ['q[]=x', 'q[a]=x', 'q%5B%5D=x', 'q=displaced&q[]=x']) {
      const res = await request(app).get(`/search?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.code).toBe('invalid_search_q');
      expect(res.body.message).toMatch(/^`q` must be given as a single value, not as an array or object \(`q\[/);
    }
    const list = await request(app).get('/search?source[]=CNN');
    expect(list.status).toBe(400);
    expect(list.body.code).toBe('invalid_search_filter');
    // A bracketed key whose base is not a parameter of the route is just unknown, and ignored.
    expect((await request(app).get('/search?q=displaced&other[]=x')).status).toBe(200);
  });

  it('ignores `__proto__`, `constructor` and other unknown keys', async () => {
    const res = await request(app).get('/search?__proto__=1&constructor=x&__proto__[page]=0&q=displaced&limit=5');
    expect(res.status).toBe(200);
    expect(res.body.totalHits).toBe(1);
    expect(res.body.page).toBe(1);
  });

  it('rejects impossible or zone-less dates and `to` before `from`', async () => {
    await expectError(
      '/search?from=2025-02-30',
      400,
      'invalid_search_from',
      '`from` must be an ISO 8601 date (`YYYY-MM-DD`) or date-time with a zone (`YYYY-MM-DDTHH:MM:SSZ`), got `2025-02-30`.',
    );
    expect((await request(app).get('/search?from=2024-02-29')).status).toBe(200);
    await expectError('/search?to=2025-07-25T10:00:00', 400, 'invalid_search_to');
    await expectError('/search?to=2025-13-01', 400, 'invalid_search_to');
    await expectError('/search?to=2025-07-25T24:00:00Z', 400, 'invalid_search_to');
    await expectError('/search?to=25-07-2025', 400, 'invalid_search_to');
    await expectError(
      '/search?from=2025-07-26&to=2025-07-25',
      400,
      'invalid_search_to',
      '`to` must not be before `from`, got `from` = `2025-07-26T00:00:00.000Z` and `to` = `2025-07-25T23:59:59.999Z`.',
    );
  });

  it('hints at `%2B` when an unencoded `+` offset arrived as a space', async () => {
    const res = await expectError('/search?from=2025-07-25T10:00:00+02:00', 400, 'invalid_search_from');
    expect(res.body.message).toContain('got `2025-07-25T10:00:00 02:00`. Write the `+` of an offset as `%2B`.');
  });

  it('rejects filter values over 200 characters and more than 50 values', async () => {
    await expectError(`/search?source=${'x'.repeat(201)}`, 400, 'invalid_search_filter');
    expect((await request(app).get(`/search?source=${'x'.repeat(200)}`)).status).toBe(200);
    const many = Array.from({ length: 51 }, (_, i) => `tag=t${i}`).join('&');
    await expectError(`/search?${many}`, 400, 'invalid_search_filter', '`tag` accepts at most 50 values, got 51.');
  });

  it('never echoes control characters raw and truncates long values', async () => {
    const res = await expectError('/search?groupBy=%1B%5B31m%E2%80%AEevil%0A', 400, 'invalid_search_group_by');
    expect(res.body.message).toBe('`groupBy` must be one of `article`, `none`, got `\\u001b[31m\\u202eevil\\u000a`.');
    const long = await expectError(`/search?sort=${'z'.repeat(300)}`, 400, 'invalid_search_sort');
    expect(long.body.message).toContain(`got \`${'z'.repeat(50)}…\`.`);
  });
});

describe('malformed query strings', () => {
  it('rejects broken percent-encoding with invalid_query_string', async () => {
    await expectError(
      '/search?q=%E0%A4%A',
      400,
      'invalid_query_string',
      'The query string has broken percent-encoding in `%E0%A4%A`.',
    );
    await expectError('/search?q=%ZZ', 400, 'invalid_query_string');
    await expectError('/search?%E0=1', 400, 'invalid_query_string');
    // A lone surrogate is not UTF-8.
    await expectError('/search?q=%ED%A0%80', 400, 'invalid_query_string');
  });

  it('rejects a NUL character in a value or a key, even of an unknown parameter', async () => {
    await expectError(
      '/search?q=a%00b',
      400,
      'invalid_query_string',
      'The query string contains a NUL character (`%00`).',
    );
    await expectError('/search?x%00=1', 400, 'invalid_query_string');
    await expectError('/suggest?q=%00', 400, 'invalid_query_string');
  });

  it('reads `+` as a space and skips empty pairs', async () => {
    const res = await request(app).get('/search?&&q=internally+displaced&&');
    expect(res.body.query).toBe('internally displaced');
  });

  it('rejects a path that does not percent-decode', async () => {
    await expectError('/articles/%E0%A4%A', 400, 'invalid_request');
  });
});

describe('other routes', () => {
  it('answers an unknown article id with 404 article_not_found', async () => {
    await expectError(
      '/articles/no-such-article',
      404,
      'article_not_found',
      'No article has the id `no-such-article`.',
    );
  });

  it('answers an unknown route with 404 JSON', async () => {
    await expectError('/nope', 404, 'route_not_found', 'No route matches `GET /nope`.');
    await expectError('/', 404, 'route_not_found');
    // `/articles` takes bulk imports (POST) only.
    await expectError('/articles/', 405, 'method_not_allowed', '`GET` is not allowed on `/articles`; use `POST`.');
  });

  it('answers POST, PUT and DELETE on a route with 405 JSON and an Allow header', async () => {
    for (const method of ['post', 'put', 'delete', 'patch'] as const) {
      const res = await request(app)[method]('/search').set('Content-Type', 'application/json').send('{"broken": ');
      bodies.push(res.text);
      expect(res.status).toBe(405);
      expect(res.headers['allow']).toBe('GET, HEAD, OPTIONS');
      expect(res.body).toEqual({
        message: `\`${method.toUpperCase()}\` is not allowed on \`/search\`; use \`GET\`.`,
        code: 'method_not_allowed',
        type: 'invalid_request',
        requestId: res.headers['x-request-id'],
      });
    }
    const article = await request(app).post('/articles/x');
    expect(article.status).toBe(405);
    expect(article.headers['allow']).toBe('GET, HEAD, PUT, DELETE, OPTIONS');
    expect(article.body.message).toBe(
      '`POST` is not allowed on `/articles/{articleId}`; use `GET`, `PUT` or `DELETE`.',
    );
  });

  it('answers HEAD like GET without a body', async () => {
    const res = await request(app).head('/search?q=displaced');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('validates /suggest and /articles parameters', async () => {
    await expectError(
      '/suggest?q=a&limit=21',
      400,
      'invalid_suggest_limit',
      '`limit` must be an integer from 1 to 20, got `21`.',
    );
    await expectError('/suggest?q=a&limit=0', 400, 'invalid_suggest_limit');
    await expectError('/suggest?q=a&q=b', 400, 'invalid_suggest_q');
    await expectError(`/suggest?q=${'a'.repeat(513)}`, 400, 'invalid_suggest_q');
    await expectError('/articles/haiti-soldiers-mexico-training?q=a&q=b', 400, 'invalid_article_q');
  });
});

describe('server errors', () => {
  it('answers an exception in the search function with a 500 internal body and logs it', async () => {
    const broken = createApp({
      getIndex: () => index,
      search: () => {
        throw new Error(
          `ENOENT: open '/work/main/node_modules/secret/index.js'\n    at Object.openSync (node:fs:573:3)`,
        );
      },
    });
    errorLog.mockClear();
    const res = await request(broken).get('/search?q=x');
    bodies.push(res.text);
    expect(res.status).toBe(500);
    expect(res.body).toEqual({
      message: 'Internal error. It has been logged.',
      code: 'internal',
      type: 'internal',
      requestId: res.headers['x-request-id'],
    });
    expect(errorLog).toHaveBeenCalledTimes(1);
  });

  it('answers an exception in the status callback of /health with a 500 internal body', async () => {
    const broken = createApp({
      getIndex: () => index,
      status: () => {
        throw new TypeError('cannot read /work/main/snapshot');
      },
    });
    const res = await request(broken).get('/health');
    bodies.push(res.text);
    expect(res.status).toBe(500);
    expect(res.body.code).toBe('internal');
  });
});

describe('while the index loads', () => {
  const loading = createApp({ getIndex: () => null, status: () => ({ snapshot: 'reading' }) });

  it('answers /search, /articles and /suggest with 503 index_loading and Retry-After', async () => {
    for (const path of ['/search?q=x', '/articles/haiti-soldiers-mexico-training', '/suggest?q=x']) {
      const res = await request(loading).get(path);
      bodies.push(res.text);
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.body).toEqual({
        message: 'The index is still loading; retry in a few seconds.',
        code: 'index_loading',
        type: 'system',
        requestId: res.headers['x-request-id'],
      });
    }
  });

  it('still validates parameters first (400 beats 503)', async () => {
    expect((await request(loading).get('/search?page=0')).status).toBe(400);
  });

  it('answers /health with 503 and the status object, never cached', async () => {
    const res = await request(loading).get('/health');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ status: 'loading', snapshot: 'reading' });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('answers /health with 200, counts and extra status fields once ready', async () => {
    const ready = createApp({ getIndex: () => index, status: () => ({ snapshot: 'fresh', status: 'ignored' }) });
    const res = await request(ready).get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: 'ready',
      articles: 1,
      paragraphs: seedArticle().paragraphs.length,
      snapshot: 'fresh',
    });
    expect(res.headers['cache-control']).toBe('no-store');
  });
});

describe('response headers', () => {
  it('never sends X-Powered-By, on success or error', async () => {
    for (const path of ['/search?q=x', '/nope', '/search?page=0']) {
      expect((await request(app).get(path)).headers['x-powered-by']).toBeUndefined();
    }
  });

  it('sends the security headers on every response, errors included', async () => {
    for (const path of ['/search?q=x', '/health', '/openapi.json', '/nope', '/search?page=0']) {
      const res = await request(app).get(path);
      expect(res.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'x-frame-options': 'DENY',
        'cross-origin-resource-policy': 'same-origin',
        'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
      });
    }
    const res = await request(app).post('/search');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('CORS', () => {
  it('allows a configured origin: echoes it with Vary: Origin and a cross-origin resource policy', async () => {
    const res = await request(app).get('/search?q=x').set('Origin', 'https://archive.example');
    expect(res.headers['access-control-allow-origin']).toBe('https://archive.example');
    expect(res.headers['vary']).toBe('Origin');
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('sends no CORS header to another origin', async () => {
    const res = await request(app).get('/search?q=x').set('Origin', 'https://evil.example');
    expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    expect(res.headers['cross-origin-resource-policy']).toBe('same-origin');
  });

  it('answers a preflight from an allowed origin with 204, methods and headers', async () => {
    const res = await request(app)
      .options('/search')
      .set('Origin', 'https://archive.example')
      .set('Access-Control-Request-Method', 'GET');
    expect(res.status).toBe(204);
    expect(res.headers).toMatchObject({
      'access-control-allow-origin': 'https://archive.example',
      'access-control-allow-methods': 'GET, HEAD, OPTIONS',
      'access-control-allow-headers':
        'Accept, Accept-Language, Authorization, Content-Language, Content-Type, X-Algolia-API-Key, X-Algolia-Application-Id',
      'access-control-max-age': '600',
    });
  });

  it('answers a preflight from another origin without CORS headers', async () => {
    const res = await request(app)
      .options('/search')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'GET');
    expect(res.status).toBe(204);
    expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });

  it("allows any origin with '*' and none without configuration", async () => {
    const any = createApp({ getIndex: () => index, corsOrigins: ['*'] });
    expect(
      (await request(any).get('/health').set('Origin', 'https://x.example')).headers['access-control-allow-origin'],
    ).toBe('https://x.example');
    const none = createApp({ getIndex: () => index });
    const res = await request(none).get('/health').set('Origin', 'https://x.example');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['vary']).toBeUndefined();
  });
});

describe('error bodies', () => {
  it('never contain a stack trace or a server path', () => {
    expect(bodies.length).toBeGreaterThan(40);
    for (const body of bodies) {
      expect(body).not.toContain('/work');
      expect(body).not.toContain('node_modules');
      // A stack frame: "    at fn (file:line:col)"; messages may say "at most".
      expect(body).not.toMatch(/\sat \S+ \(|\n\s*at /);
      expect(body).not.toMatch(/\.(ts|js):\d+/);
      expect(body).not.toContain('Error:');
    }
  });
});
