import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileAnalytics } from '../src/analytics/file-analytics.js';
import { normalizeQuery } from '../src/analytics/day-counts.js';
import { SearchAnalytics } from '../src/analytics/search-analytics.js';
import { createApp } from '../src/http/create-app.js';
import { buildIndex } from '../src/index/index-writer.js';
import { otherArticles, seedArticle } from './fixtures/http/build-test-index.js';

/** Search analytics: counting through `/search`, the Algolia routes and `POST /analytics/events`, and the admin's reports. */
const index = buildIndex([seedArticle(), ...otherArticles()]);
const keys = { admin: 'admin-key', search: null };
const ADMIN = { Authorization: 'Bearer admin-key' };

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nrs-analytics-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function appWith(analytics: SearchAnalytics | undefined) {
  return createApp({ getIndex: () => index, keys, searchBudgetMs: 10_000, ...(analytics ? { analytics } : {}) });
}

const click = (query: string, position: number) => ({ type: 'click', query, position });

describe('search analytics', () => {
  it('counts 1,000 searches and 100 clicks exactly, and keeps them across a restart', async () => {
    const analytics = new SearchAnalytics(new FileAnalytics(dir, 'main'));
    // One listening server for the thousand requests (supertest would start one per request).
    const server = appWith(analytics).listen(0, '127.0.0.1');
    const app = request.agent(server);
    const queries = ['troops', 'Troops', '  troops  ', 'families', 'zebra crossing'];
    for (let i = 0; i < 1000; i++) {
      const q = queries[i % queries.length]!;
      // Half through /search, half through the Algolia route, as the two pages send them.
      const res =
        i % 2 === 0
          ? await app.get(`/search?q=${encodeURIComponent(q)}`)
          : await app
              .post('/1/indexes/*/queries')
              .send({ requests: [{ indexName: 'articles', params: { query: q } }] });
      expect(res.status).toBe(200);
    }
    for (let i = 0; i < 100; i += 20) {
      const events = Array.from({ length: 20 }, (_, k) => click('Troops', ((i + k) % 3) + 1));
      expect((await app.post('/analytics/events').send({ events })).status).toBe(202);
    }
    const expected = {
      searches: 1000,
      noHitSearches: 200,
      clicks: 100,
      queries: [
        { query: 'troops', count: 600, clicks: 100 },
        { query: 'families', count: 200, clicks: 0 },
        { query: 'zebra crossing', count: 200, clicks: 0 },
      ],
    };
    const top = await app.get('/analytics/queries?kind=top&limit=10').set(ADMIN);
    expect(top.status).toBe(200);
    expect(top.body).toMatchObject(expected);
    const noHits = await app.get('/analytics/queries?kind=no-hits').set(ADMIN);
    expect(noHits.body.queries).toEqual([{ query: 'zebra crossing', count: 200, clicks: 0 }]);
    const clicks = await app.get('/analytics/clicks').set(ADMIN);
    expect(clicks.body.positions).toEqual([
      { position: 1, count: 34 },
      { position: 2, count: 33 },
      { position: 3, count: 33 },
    ]);
    expect(clicks.body.days.at(-1)).toMatchObject({ searches: 1000, noHitSearches: 200, clicks: 100 });
    expect(clicks.body.days).toHaveLength(90);
    await new Promise((resolve) => server.close(resolve));
    await analytics.close();

    // A restart: a new recorder over the same folder reports the same.
    const again = new SearchAnalytics(new FileAnalytics(dir, 'main'));
    expect((await request(appWith(again)).get('/analytics/queries?kind=top').set(ADMIN)).body).toMatchObject(expected);
    await again.close();
  }, 120_000);

  it('sums the counts of several processes (one file each) in every report', async () => {
    const nodes = ['a', 'b', 'c'].map((name) => new SearchAnalytics(new FileAnalytics(dir, name)));
    nodes.forEach((node, i) => {
      for (let k = 0; k <= i; k++) node.recordSearch('Flood', 3);
      node.recordClick('flood', i + 1);
    });
    for (const node of nodes) await node.flush();
    expect(readdirSync(dir).sort()).toEqual(['analytics-a.json', 'analytics-b.json', 'analytics-c.json']);
    const report = await nodes[0]!.queries('top', null, null, 10);
    expect(report.queries).toEqual([{ query: 'flood', count: 6, clicks: 3 }]);
    expect((await nodes[2]!.clicks(null, null)).positions.map((p) => p.count)).toEqual([1, 1, 1]);
    for (const node of nodes) await node.close();
  });

  it('stores only counts by day: no IP address, key or user id', async () => {
    const analytics = new SearchAnalytics(new FileAnalytics(dir, 'main'));
    const app = appWith(analytics);
    await request(app)
      .get('/search?q=troops')
      .set('Authorization', 'Bearer admin-key')
      .set('X-Forwarded-For', '203.0.113.9');
    await request(app)
      .post('/analytics/events')
      .send({ events: [{ ...click('troops', 1), userToken: 'user-42', ip: '203.0.113.9' }] });
    await analytics.close();
    const stored = readFileSync(join(dir, 'analytics-main.json'), 'utf8');
    expect(stored).not.toMatch(/203\.0\.113|user-42|admin-key/);
    expect(Object.keys(JSON.parse(stored).days[new Date().toISOString().slice(0, 10)])).toEqual([
      'searches',
      'noHitSearches',
      'clicks',
      'queries',
      'noHits',
      'clickedQueries',
      'positions',
    ]);
  });

  it('does not count later pages, blank queries or facet-only requests', async () => {
    const analytics = new SearchAnalytics(new FileAnalytics(dir, 'main'));
    const app = appWith(analytics);
    await request(app).get('/search?q=troops&page=2');
    await request(app).get('/search?q=+');
    await request(app)
      .post('/1/indexes/*/queries')
      .send({ requests: [{ indexName: 'articles', params: { query: 'troops', hitsPerPage: 0, facets: ['source'] } }] });
    await request(app)
      .post('/1/indexes/*/queries')
      .send({ requests: [{ indexName: 'articles', params: { query: 'troops', page: 1 } }] });
    expect((await analytics.queries('top', null, null, 10)).searches).toBe(0);
    await analytics.close();
  });

  it('forgets the days older than ANALYTICS_DAYS', async () => {
    let now = Date.UTC(2026, 0, 1, 12);
    const analytics = new SearchAnalytics(new FileAnalytics(dir, 'main'), { keepDays: 3, now: () => now });
    analytics.recordSearch('old', 1);
    await analytics.flush();
    now += 3 * 86_400_000;
    analytics.recordSearch('new', 1);
    const report = await analytics.queries('top', '2025-12-01', null, 10);
    expect(report.from).toBe('2026-01-02');
    expect(report.queries.map((q) => q.query)).toEqual(['new']);
    expect(Object.keys(JSON.parse(readFileSync(join(dir, 'analytics-main.json'), 'utf8')).days)).toEqual([
      '2026-01-04',
    ]);
    await analytics.close();
  });

  it('normalises queries: lower case, whitespace collapsed and trimmed', () => {
    expect(normalizeQuery('  Displaced\t\tPERSONS \n')).toBe('displaced persons');
  });

  it('needs the admin key for the reports, and validates their parameters and the events', async () => {
    const analytics = new SearchAnalytics(new FileAnalytics(dir, 'main'));
    const app = appWith(analytics);
    expect((await request(app).get('/analytics/queries')).status).toBe(401);
    expect((await request(app).get('/analytics/clicks').set('Authorization', 'Bearer wrong')).status).toBe(401);
    const badKind = await request(app).get('/analytics/queries?kind=popular').set(ADMIN);
    expect(badKind.status).toBe(400);
    expect(badKind.body.code).toBe('invalid_analytics_kind');
    expect((await request(app).get('/analytics/queries?limit=0').set(ADMIN)).body.code).toBe('invalid_analytics_limit');
    expect((await request(app).get('/analytics/clicks?from=2026-02-01&to=2026-01-01').set(ADMIN)).body.code).toBe(
      'invalid_analytics_to',
    );
    for (const body of [
      { events: [click('x', 0)] },
      { events: [{ type: 'view', position: 1 }] },
      { events: [] },
      'not json',
      { events: Array(21).fill(click('x', 1)) },
    ]) {
      const res = await request(app)
        .post('/analytics/events')
        .set('Content-Type', 'application/json')
        .send(typeof body === 'string' ? body : JSON.stringify(body));
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe('invalid_analytics_event');
    }
    expect((await analytics.clicks(null, null)).clicks).toBe(0);
    await analytics.close();
  });

  it('is off without analytics (ANALYTICS=false): the routes answer 404 analytics_disabled and searches still work', async () => {
    const app = appWith(undefined);
    expect((await request(app).get('/search?q=troops')).status).toBe(200);
    for (const res of [
      await request(app).get('/analytics/queries').set(ADMIN),
      await request(app)
        .post('/analytics/events')
        .send({ events: [click('x', 1)] }),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('analytics_disabled');
    }
  });
});

describe('the analytics routes in /openapi.json', () => {
  it('list exactly the parameters their validators read', async () => {
    const { openApiDocument } = await import('../src/http/openapi.js');
    const { ANALYTICS_CLICKS_PARAMETERS, ANALYTICS_QUERIES_PARAMETERS } = await import(
      '../src/http/read-analytics-params.js'
    );
    const paths = openApiDocument.paths as unknown as Record<string, { get: { parameters: { name: string }[] } }>;
    expect(paths['/analytics/queries']!.get.parameters.map((p) => p.name)).toEqual(
      ANALYTICS_QUERIES_PARAMETERS.map((s) => s.name),
    );
    expect(paths['/analytics/clicks']!.get.parameters.map((p) => p.name)).toEqual(
      ANALYTICS_CLICKS_PARAMETERS.map((s) => s.name),
    );
  });
});
