import { afterEach, describe, expect, it } from 'vitest';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import { ADMIN_KEY, liveApp, SEARCH_KEY, type LiveApp } from './helpers/live-app.js';

const admin = `Bearer ${ADMIN_KEY}`;
const open: LiveApp[] = [];

async function start(options: Parameters<typeof liveApp>[0] = {}): Promise<LiveApp> {
  const service = await liveApp(options);
  open.push(service);
  return service;
}

afterEach(async () => {
  for (const s of open.splice(0)) {
    await s.close();
    await s.remove();
  }
});

const put = (s: LiveApp, id: string, body: object, key = admin) =>
  request(s.app)
    .put(`/articles/${encodeURIComponent(id)}`)
    .set('Authorization', key)
    .set('Content-Type', 'application/json')
    .send(JSON.stringify(body));

const ids = async (s: LiveApp, q: string, extra = '') =>
  ((await request(s.app).get(`/search?q=${encodeURIComponent(q)}${extra}`)).body.hits as { articleId: string }[]).map(
    (h) => h.articleId,
  );
const words = async (s: LiveApp, q: string) =>
  (await request(s.app).get(`/suggest?q=${q}`)).body.suggestions as { text: string; count: number }[];

const NDJSON = [
  { id: 'wire-1', title: 'Port strike', body: 'Dockers at the port of Mombasa walked out over pay.', source: 'Wire' },
  { id: 'wire-2', title: 'Harvest', body: 'Farmers brought in the maize harvest early.', source: 'Wire' },
]
  .map((a) => JSON.stringify(a))
  .join('\n');

describe('write routes: keys', () => {
  it('turn the write routes off without an admin key (403 saying how to turn them on)', async () => {
    const s = await start({ writes: false });
    for (const res of [
      await put(s, 'a', { body: 'x' }),
      await request(s.app).delete('/articles/a'),
      await request(s.app).post('/articles').set('Content-Type', 'application/x-ndjson').send(''),
    ]) {
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ code: 'writes_disabled', type: 'auth' });
      expect(res.body.message).toContain('ADMIN_API_KEY');
    }
  });

  it('answer 401 without the key, with another key or with the search key, and accept the admin key', async () => {
    const s = await start({ searchKey: true, files: { 'wire.ndjson': NDJSON } });
    const routes = [
      (key?: string) => {
        const r = request(s.app).put('/articles/new-1').set('Content-Type', 'application/json');
        return (key ? r.set('Authorization', key) : r).send('{"body":"Fresh text."}');
      },
      (key?: string) => {
        const r = request(s.app).post('/articles').set('Content-Type', 'application/x-ndjson');
        return (key ? r.set('Authorization', key) : r).send('{"id":"new-2","body":"Bulk text."}\n');
      },
      (key?: string) => {
        const r = request(s.app).delete('/articles/wire-2');
        return key ? r.set('Authorization', key) : r;
      },
    ];
    for (const route of routes) {
      for (const key of [undefined, 'Bearer not-the-key-at-all', `Bearer ${SEARCH_KEY}`, `Basic ${ADMIN_KEY}`]) {
        const res = await route(key);
        expect(res.status, `${key}`).toBe(401);
        expect(res.body).toMatchObject({ code: 'unauthorized', type: 'auth' });
        expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
        expect(JSON.stringify(res.body)).not.toContain(ADMIN_KEY);
      }
      expect((await route(admin)).status).toBeLessThan(300);
    }
  });

  it('protect the read routes with the search key when one is set (the admin key works too)', async () => {
    const s = await start({ searchKey: true, files: { 'wire.ndjson': NDJSON } });
    for (const route of ['/search?q=port', '/suggest?q=po', '/articles/wire-1']) {
      expect((await request(s.app).get(route)).status).toBe(401);
      expect((await request(s.app).get(route).set('Authorization', 'Bearer wrong-key-wrong-key')).status).toBe(401);
      expect((await request(s.app).get(route).set('Authorization', `Bearer ${SEARCH_KEY}`)).status).toBe(200);
      expect((await request(s.app).get(route).set('Authorization', admin)).status).toBe(200);
    }
    // Health, metrics and the page stay open: probes and the page's key prompt need them.
    expect((await request(s.app).get('/health')).status).toBe(200);
  });
});

describe('write routes: bad requests', () => {
  it('name the problem: type, JSON, field, id, size', async () => {
    const s = await start();
    const noType = await request(s.app).put('/articles/a').set('Authorization', admin).send('{"body":"x"}');
    expect(noType.status).toBe(415);
    expect(noType.body.code).toBe('unsupported_media_type');
    const badJson = await request(s.app)
      .put('/articles/a')
      .set('Authorization', admin)
      .set('Content-Type', 'application/json')
      .send('{"body": "x",}');
    expect(badJson.status).toBe(400);
    expect(badJson.body.code).toBe('invalid_json');
    expect(badJson.body.message).toMatch(/position|column/);
    const cases: [object, RegExp][] = [
      [{ body: 'x', colour: 'red' }, /Unknown field `colour`/],
      [{ body: 'x', tags: 3 }, /`tags`/],
      [{ body: 'x', status: 'live' }, /`status`.*"published" or "draft"/],
      [{ body: 'x', publishAt: 'next tuesday' }, /`publishAt`.*ISO 8601/],
      [{ body: 'x', date: 'yesterday-ish' }, /`date`/],
      [{ title: 'No body' }, /`body`/],
      [{ id: 'other', body: 'x' }, /differs from the id in the path/],
      [[1, 2], /must be a JSON object/],
    ];
    for (const [body, message] of cases) {
      const res = await put(s, 'a', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe('invalid_article');
      expect(res.body.message).toMatch(message);
    }
    const big = await request(s.app)
      .put('/articles/a')
      .set('Authorization', admin)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ body: 'x'.repeat(11 * 1024 * 1024) }));
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('payload_too_large');
    const control = await request(s.app)
      .put('/articles/a%01b')
      .set('Authorization', admin)
      .set('Content-Type', 'application/json')
      .send('{"body":"x"}');
    expect(control.body.code).toBe('invalid_article_id');
  });

  it('answer 404 for a takedown of an unknown id, and check the reason', async () => {
    const s = await start({ files: { 'wire.ndjson': NDJSON } });
    const unknown = await request(s.app).delete('/articles/nope').set('Authorization', admin);
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('article_not_found');
    const reason = await request(s.app)
      .delete('/articles/wire-1')
      .set('Authorization', admin)
      .set('Content-Type', 'application/json')
      .send('{"reason": 5}');
    expect(reason.status).toBe(400);
    expect(reason.body.code).toBe('invalid_reason');
    expect(
      (
        await request(s.app)
          .delete('/articles/wire-1')
          .set('Authorization', admin)
          .set('Content-Type', 'application/json')
          .send('{"reason":"legal"}')
      ).status,
    ).toBe(204);
    expect(s.journal.latest('wire-1')).toMatchObject({ op: 'delete', reason: 'legal' });
  });

  it('list the problems of a bulk import per line and write the good lines', async () => {
    const s = await start();
    const body = [
      '{"id":"b1","body":"First bulk article about otters."}',
      '',
      '{oops',
      '{"body":"no id"}',
      '{"id":"b2","body":"x","colour":"red"}',
      '{"id":"b3","body":"Third, about otters too."}',
    ].join('\n');
    const res = await request(s.app)
      .post('/articles')
      .set('Authorization', admin)
      .set('Content-Type', 'application/x-ndjson')
      .send(body);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ written: 2, created: 2, replaced: 0, failed: 3 });
    expect(res.body.problems.map((p: { line: number }) => p.line)).toEqual([3, 4, 5]);
    expect(res.body.problems[0].message).toMatch(/not valid JSON/);
    expect(res.body.problems[2].message).toMatch(/colour/);
    expect((await ids(s, 'otters')).sort()).toEqual(['b1', 'b3']);
    const again = await request(s.app)
      .post('/articles')
      .set('Authorization', admin)
      .set('Content-Type', 'application/x-ndjson')
      .send('{"id":"b1","body":"Otters again."}\n');
    expect(again.body).toMatchObject({ written: 1, created: 0, replaced: 1 });
  });
});

describe('a bulk import', () => {
  it('applies a long run in steps whose segments worker threads write, with the same answers and lexicon as a rebuild', async () => {
    const s = await start({ files: { 'wire.ndjson': NDJSON } });
    const lines = Array.from({ length: 260 }, (_, i) =>
      JSON.stringify({
        id: `bulk-${i}`,
        title: `Report ${i % 7}`,
        body: `Inspectors visited silo ${i} near the quay.\n\nGrain ${i % 3 ? 'prices' : 'stocks'} rose.`,
      }),
    );
    const res = await request(s.app)
      .post('/articles')
      .set('Authorization', admin)
      .set('Content-Type', 'application/x-ndjson')
      .send(lines.join('\n'));
    expect(res.body).toMatchObject({ written: 260, created: 260, failed: 0 });
    expect((await request(s.app).get('/search?q=silo+quay')).body.totalHits).toBe(260);
    expect(s.live.index.segments.length).toBeGreaterThan(1);
    const { lexiconOf } = await import('../src/index/lexicon/lexicon.js');
    const rebuilt = lexiconOf(s.live.index.segments);
    for (const word of ['silo', 'quay', 'grain', 'prices', 'stocks', 'report', 'mombasa', 'inspectors'])
      expect(s.live.index.lexicon.frequency(word), word).toBe(rebuilt.frequency(word));
    expect(await words(s, 'sil')).toEqual([{ text: 'silo', count: 260 }]);
  });
});

describe('writes are visible at once everywhere a reader looks', () => {
  it('create, replace and take down: hits, totals, facets, suggestions, corrections, the article, the query cache', async () => {
    const s = await start({ files: { 'wire.ndjson': NDJSON } });
    const facets = async () => (await request(s.app).get('/search?q=&facets=source')).body.facetDistribution.source;
    expect(await facets()).toEqual({ Wire: 2 });
    expect(await ids(s, 'quokka')).toEqual([]); // cached empty answer
    const created = await put(s, 'desk/quokka', {
      title: 'Quokka census',
      body: 'Rangers counted every quokka on the island.',
      source: 'Desk',
      tags: ['wildlife'],
    });
    expect(created.status).toBe(201);
    expect(created.headers['location']).toBe('/articles/desk%2Fquokka');
    expect(created.body).toMatchObject({
      articleId: 'desk/quokka',
      status: 'published',
      published: true,
      paragraphs: 1,
    });
    expect(await ids(s, 'quokka')).toEqual(['desk/quokka']);
    expect(await facets()).toEqual({ Wire: 2, Desk: 1 });
    expect(await words(s, 'quok')).toEqual([{ text: 'quokka', count: 2 }]);
    const typo = await request(s.app).get('/search?q=quoka');
    expect(typo.body.correctedQuery).toBe('quokka');
    expect((await request(s.app).get('/articles/desk/quokka')).body.title).toBe('Quokka census');

    const replaced = await put(s, 'desk/quokka', {
      title: 'Wombat census',
      body: 'Rangers counted every wombat instead.',
      source: 'Desk',
    });
    expect(replaced.status).toBe(200);
    expect(await ids(s, 'quokka')).toEqual([]);
    expect(await ids(s, 'wombat')).toEqual(['desk/quokka']);
    expect(await words(s, 'quok')).toEqual([]);

    expect((await request(s.app).delete('/articles/desk/quokka').set('Authorization', admin)).status).toBe(204);
    expect(await ids(s, 'wombat')).toEqual([]);
    expect(await words(s, 'womb')).toEqual([]);
    expect((await request(s.app).get('/search?q=wombt')).body.correctedQuery).toBeNull();
    expect((await request(s.app).get('/articles/desk/quokka')).status).toBe(404);
    expect(await facets()).toEqual({ Wire: 2 });
  });

  it('a takedown of a line of an NDJSON export survives restarts, rebuilds and new exports, until a PUT restores it', async () => {
    let s = await start({ files: { 'wire.ndjson': NDJSON } });
    expect((await request(s.app).delete('/articles/wire-1').set('Authorization', admin)).status).toBe(204);
    expect(await ids(s, 'mombasa')).toEqual([]);
    const dir = s.dir;
    await s.close();
    open.pop();
    s = await start({ dir });
    expect(await ids(s, 'mombasa')).toEqual([]);
    expect(await ids(s, 'maize')).toEqual(['wire-2']);
    await s.close();
    open.pop();
    // The index cache is a cache: without it, the rebuild still applies the takedown.
    await rm(s.cacheDir, { recursive: true, force: true });
    // And a new export of the same file does not bring it back.
    await writeFile(
      path.join(s.corpusDir, 'wire.ndjson'),
      `${NDJSON}\n{"id":"wire-3","body":"A third wire story about Mombasa traffic."}\n`,
    );
    s = await start({ dir });
    expect(await ids(s, 'mombasa')).toEqual(['wire-3']);
    expect((await request(s.app).get('/articles/wire-1')).status).toBe(404);
    expect(
      (
        await put(s, 'wire-1', {
          title: 'Port strike (corrected)',
          body: 'Dockers at the port of Mombasa walked out over pay and hours.',
        })
      ).status,
    ).toBe(201);
    expect((await ids(s, 'mombasa')).sort()).toEqual(['wire-1', 'wire-3']);
  });
});

describe('drafts and embargoes', () => {
  it('leave no trace until published; appear by themselves when the embargo passes; editors can preview them', async () => {
    let clock = Date.parse('2026-06-01T08:00:00Z');
    const now = () => clock;
    const front =
      '---\ntitle: Budget leak\npublishAt: 2026-06-01T10:00:00Z\n---\nThe finance ministry drafted a zeppelin budget.\n';
    const drafts = '{"id":"d1","title":"Draft","status":"draft","body":"A draft about the zeppelin hangar."}\n';
    const s = await start({ now, files: { 'desk/budget.md': front, 'drafts.ndjson': drafts, 'wire.ndjson': NDJSON } });
    const embargoed = await put(s, 'emb-1', {
      title: 'Zeppelin returns',
      body: 'The zeppelin returns to the city.',
      source: 'Desk',
      publishAt: '2026-06-01T09:00:00Z',
    });
    expect(embargoed.status).toBe(201);
    expect(embargoed.body).toMatchObject({ published: false, publishAt: '2026-06-01T09:00:00.000Z' });

    const hidden = async () => {
      expect(await ids(s, 'zeppelin')).toEqual([]);
      expect((await request(s.app).get('/search?q=zeppelin')).body.totalHits).toBe(0);
      expect(await words(s, 'zepp')).toEqual([]);
      expect((await request(s.app).get('/search?q=zepelin')).body.correctedQuery).toBeNull();
      expect((await request(s.app).get('/search?q=&facets=source')).body.facetDistribution.source).toEqual({ Wire: 2 });
      expect((await request(s.app).get('/articles/emb-1')).status).toBe(404);
      expect((await request(s.app).get('/articles/desk/budget')).status).toBe(404);
    };
    await hidden();
    // A preview needs the admin key, and marks what is unpublished.
    expect((await request(s.app).get('/search?q=zeppelin&includeUnpublished=true')).status).toBe(401);
    const preview = await request(s.app).get('/search?q=zeppelin&includeUnpublished=true').set('Authorization', admin);
    expect(preview.body.hits.map((h: { articleId: string }) => h.articleId).sort()).toEqual([
      'd1',
      'desk/budget',
      'emb-1',
    ]);
    expect(preview.body.hits.find((h: { articleId: string }) => h.articleId === 'd1')).toMatchObject({
      unpublished: true,
      status: 'draft',
      publishAt: null,
    });
    const article = await request(s.app).get('/articles/emb-1?includeUnpublished=true').set('Authorization', admin);
    expect(article.body).toMatchObject({
      articleId: 'emb-1',
      unpublished: true,
      publishAt: '2026-06-01T09:00:00.000Z',
    });
    await hidden(); // the preview leaked nothing into the readers' view or cache

    clock = Date.parse('2026-06-01T09:00:01Z');
    await s.live.releaseDue();
    expect(await ids(s, 'zeppelin')).toEqual(['emb-1']);
    expect(await words(s, 'zepp')).toEqual([{ text: 'zeppelin', count: 2 }]);
    clock = Date.parse('2026-06-01T10:00:00Z');
    await s.live.releaseDue();
    expect((await ids(s, 'zeppelin')).sort()).toEqual(['desk/budget', 'emb-1']);
    // The draft stays a draft until written as published.
    expect(s.live.heldArticle('d1')).toBeDefined();

    // After a restart, an embargo that passed meanwhile is published by the open itself.
    const dir = s.dir;
    await put(s, 'emb-2', { body: 'Later zeppelin news.', publishAt: '2026-06-01T12:00:00Z' });
    await s.close();
    open.pop();
    clock = Date.parse('2026-06-01T13:00:00Z');
    const again = await start({ now, dir });
    expect((await ids(again, 'zeppelin')).sort()).toEqual(['desk/budget', 'emb-1', 'emb-2']);
  });
});
