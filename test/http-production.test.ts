import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/http/create-app.js';
import { buildIndex } from '../src/index/index-writer.js';
import { createLogger } from '../src/log/create-logger.js';
import { seedArticle } from './fixtures/http/build-test-index.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const index = buildIndex([seedArticle()]);

/** A logger whose JSON lines land in `lines`. */
function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n'))
        if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger({ destination }), lines };
}

describe('request ids', () => {
  const app = createApp({ getIndex: () => index });

  it('echoes a client X-Request-Id that is a plain token', async () => {
    const res = await request(app).get('/health').set('X-Request-Id', 'edge-42.a:b');
    expect(res.headers['x-request-id']).toBe('edge-42.a:b');
  });

  it('makes a new id when the client sends none, or one that could forge log lines', async () => {
    const none = await request(app).get('/health');
    expect(none.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const forged = await request(app).get('/health').set('X-Request-Id', 'a b"}{"level":60');
    expect(forged.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('the access log', () => {
  it('writes one JSON line per request with its id, route, path, status and duration, and no query string', async () => {
    const { logger, lines } = capturingLogger();
    const app = createApp({ getIndex: () => index, logger });
    const res = await request(app).get('/search?q=secret+investigation').set('X-Request-Id', 'r-1');
    expect(res.status).toBe(200);
    const access = lines.filter((l) => l['msg'] === 'request');
    expect(access).toHaveLength(1);
    expect(access[0]).toMatchObject({ reqId: 'r-1', method: 'GET', route: '/search', path: '/search', status: 200 });
    expect(typeof access[0]!['ms']).toBe('number');
    expect(JSON.stringify(lines)).not.toContain('secret');
  });

  it('records the query string only when logQueries is on', async () => {
    const { logger, lines } = capturingLogger();
    const app = createApp({ getIndex: () => index, logger, logQueries: true });
    await request(app).get('/search?q=displaced');
    expect(lines.find((l) => l['msg'] === 'request')).toMatchObject({ query: 'q=displaced' });
  });

  it('labels an article by its route pattern, and logs an unexpected error with the request id', async () => {
    const { logger, lines } = capturingLogger();
    const app = createApp({
      getIndex: () => index,
      logger,
      search: () => {
        throw new Error('boom');
      },
    });
    await request(app).get('/articles/haiti-soldiers-mexico-training');
    expect(lines.find((l) => l['msg'] === 'request')).toMatchObject({ route: '/articles/{articleId}', status: 200 });
    const res = await request(app).get('/search?q=x').set('X-Request-Id', 'r-500');
    expect(res.body.requestId).toBe('r-500');
    const error = lines.find((l) => l['msg'] === 'request failed');
    expect(error).toMatchObject({ reqId: 'r-500', level: 50, err: { message: 'boom' } });
  });
});

describe('GET /metrics', () => {
  it('answers Prometheus text: HELP and TYPE lines, then samples with labels, counting requests by route and status', async () => {
    const app = createApp({ getIndex: () => index });
    await request(app).get('/search?q=displaced');
    await request(app).get('/nowhere');
    const res = await request(app).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const series =
      /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*"(,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*")*\})?$/;
    for (const line of res.text.split('\n')) {
      if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
      const at = line.lastIndexOf(' ');
      expect(line.slice(0, at)).toMatch(series);
      const value = line.slice(at + 1);
      // Go's float parser, which Prometheus uses, takes NaN in any case (prom-client writes `Nan`).
      expect(['nan', '+inf', '-inf'].includes(value.toLowerCase()) || Number.isFinite(Number(value)), line).toBe(true);
    }
    const text = res.text;
    expect(text).toContain('# TYPE newsroom_search_http_requests_total counter');
    expect(text).toMatch(/^newsroom_search_http_requests_total\{route="\/search",method="GET",status="200"\} 1$/m);
    expect(text).toMatch(/^newsroom_search_http_requests_total\{route="unmatched",method="GET",status="404"\} 1$/m);
    expect(text).toMatch(
      /^newsroom_search_http_request_duration_seconds_bucket\{le="\+Inf",route="\/search",status="200"\} 1$/m,
    );
    expect(text).toMatch(/^newsroom_search_index_articles 1$/m);
    for (const name of [
      'process_resident_memory_bytes',
      'nodejs_heap_size_used_bytes',
      'nodejs_eventloop_lag_seconds',
      'search_duration_seconds_count',
      'searches_queued',
      'query_cache_bytes',
    ]) {
      expect(text).toContain(`newsroom_search_${name}`);
    }
  });
});

describe('overload', () => {
  it('answers a flood of slow searches past the queue with fast 503s and Retry-After, while /health keeps answering', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/http/slow-search-server.ts'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const port = await new Promise<number>((resolve, reject) => {
        child.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
        child.once('exit', () => reject(new Error('the test server exited')));
      });
      const order: string[] = [];
      // Every connection is opened (and accepted) before any request is sent, so the
      // requests reach the server together rather than one accepted connection a turn.
      const open = async () => {
        const socket = connect(port, '127.0.0.1');
        await new Promise((resolve) => socket.once('connect', resolve));
        return socket;
      };
      const sockets = await Promise.all(Array.from({ length: 13 }, open));
      await new Promise((resolve) => setTimeout(resolve, 200));
      const get = (socket: Socket, path: string, label: string) =>
        new Promise<{ status: number; body: string; retryAfter?: string }>((resolve) => {
          let raw = '';
          socket.on('data', (c: Buffer) => (raw += c.toString()));
          socket.once('close', () => {
            order.push(label);
            const [head = '', body = ''] = raw.split('\r\n\r\n');
            resolve({ status: Number(head.split(' ')[1]), body, retryAfter: /^retry-after: (.*)$/im.exec(head)?.[1] });
          });
          socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
        });
      const searches = sockets
        .slice(1)
        .map((socket, i) => get(socket, `/search?q=displaced&page=${i + 1}`, `search ${i}`));
      await new Promise((resolve) => setTimeout(resolve, 20));
      const health = await get(sockets[0]!, '/health', 'health');
      const results = await Promise.all(searches);
      expect(health.status).toBe(200);
      const rejected = results.filter((r) => r.status === 503);
      expect(rejected.length).toBeGreaterThan(0);
      expect(results.filter((r) => r.status === 200).length).toBeGreaterThan(0);
      for (const r of rejected) {
        expect(r.retryAfter).toBe('1');
        expect(JSON.parse(r.body)).toMatchObject({ code: 'overloaded', type: 'system' });
      }
      // /health was answered while admitted searches were still waiting their turn.
      expect(order.indexOf('health')).toBeLessThan(order.length - 1);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('cuts a search short when its time budget is spent, and says so with exhaustive: false', async () => {
    const app = createApp({ getIndex: () => index, searchBudgetMs: 0 });
    const res = await request(app).get('/search?q=displaced+haiti&matchingStrategy=any');
    expect(res.status).toBe(200);
    expect(res.body.exhaustive).toBe(false);
  });
});

describe('liveness, readiness and bounded articles', () => {
  it('answers /health/live 200 while the index loads, and /health 503 "stopping" once shutdown began', async () => {
    const loading = createApp({ getIndex: () => null });
    expect((await request(loading).get('/health/live')).body).toEqual({ status: 'alive' });
    expect((await request(loading).get('/health')).status).toBe(503);
    const stopping = createApp({ getIndex: () => index, stopping: () => true });
    const res = await request(stopping).get('/health');
    expect(res.status).toBe(503);
    expect(res.body.status).toBe('stopping');
    expect(res.headers['connection']).toBe('close');
  });

  it('answers an article over the size limit with 413 article_too_large', async () => {
    const app = createApp({ getIndex: () => index, maxArticleChars: 1000 });
    const res = await request(app).get('/articles/haiti-soldiers-mexico-training');
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ code: 'article_too_large', type: 'invalid_request' });
  });
});
