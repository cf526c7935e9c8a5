import { afterEach, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import { ADMIN_KEY, alertsApp, SEARCH_KEY, type AlertsApp } from './helpers/alerts-app.js';

const admin = `Bearer ${ADMIN_KEY}`;
const open: AlertsApp[] = [];

async function start(options: Parameters<typeof alertsApp>[0] = {}): Promise<AlertsApp> {
  const service = await alertsApp(options);
  open.push(service);
  return service;
}

afterEach(async () => {
  for (const s of open.splice(0)) {
    await s.close();
    await s.remove();
  }
});

const create = (s: AlertsApp, body: object, key = admin) =>
  request(s.app)
    .post('/alerts')
    .set('Authorization', key)
    .set('Content-Type', 'application/json')
    .send(JSON.stringify(body));
const patch = (s: AlertsApp, id: string, body: object) =>
  request(s.app)
    .patch(`/alerts/${id}`)
    .set('Authorization', admin)
    .set('Content-Type', 'application/json')
    .send(JSON.stringify(body));
const put = (s: AlertsApp, id: string, body: object) =>
  request(s.app)
    .put(`/articles/${encodeURIComponent(id)}`)
    .set('Authorization', admin)
    .set('Content-Type', 'application/json')
    .send(JSON.stringify(body));
const takeDown = (s: AlertsApp, id: string) =>
  request(s.app)
    .delete(`/articles/${encodeURIComponent(id)}`)
    .set('Authorization', admin);
const feed = (s: AlertsApp, feedUrl: string) => request(s.app).get(feedUrl);
const events = (s: AlertsApp) =>
  s.delivered.map(
    (d) => JSON.parse(d.body) as { type: string; alertId: string; article: { articleId: string; snippet: string } },
  );
const hook = { url: 'http://127.0.0.1:9/hook', secret: 'webhook-secret-0123456789' };

describe('saved searches: the routes', () => {
  it('create an alert (201, Location, a usable feedUrl), list it, show it, change it and delete it', async () => {
    const s = await start();
    const res = await create(s, { name: 'Ports', q: 'port strike', source: 'Wire', webhook: hook });
    expect(res.status).toBe(201);
    expect(res.headers['location']).toBe(`/alerts/${res.body.id}`);
    expect(res.body).toMatchObject({
      name: 'Ports',
      q: 'port strike',
      source: ['Wire'],
      paused: false,
      webhook: { url: hook.url },
      latestMatches: [],
    });
    expect(JSON.stringify(res.body)).not.toContain(hook.secret);
    expect(res.body.feedUrl).toMatch(/^\/alerts\/al_[0-9a-f]+\/feed\?token=[0-9a-f]{32}$/);
    expect((await feed(s, res.body.feedUrl)).status).toBe(200);
    const list = await request(s.app).get('/alerts').set('Authorization', admin);
    expect(list.body.alerts.map((a: { id: string }) => a.id)).toEqual([res.body.id]);
    const changed = await patch(s, res.body.id, { name: 'Docks', paused: true, q: 'dockers' });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ name: 'Docks', paused: true, q: 'dockers', source: ['Wire'] });
    expect((await request(s.app).get(`/alerts/${res.body.id}`).set('Authorization', admin)).body.name).toBe('Docks');
    expect((await request(s.app).delete(`/alerts/${res.body.id}`).set('Authorization', admin)).status).toBe(204);
    expect((await request(s.app).get(`/alerts/${res.body.id}`).set('Authorization', admin)).body.code).toBe(
      'alert_not_found',
    );
  });

  it('need a key: 401 without one; the search key manages the same alerts as the admin key', async () => {
    const s = await start({ searchKey: true });
    expect((await create(s, { name: 'x', q: 'port' }, '')).status).toBe(401);
    expect((await request(s.app).get('/alerts')).status).toBe(401);
    const made = await create(s, { name: 'Ports', q: 'port' }, `Bearer ${SEARCH_KEY}`);
    expect(made.status).toBe(201);
    expect((await request(s.app).get('/alerts').set('Authorization', admin)).body.alerts).toHaveLength(1);
  });

  it.each([
    [{ q: 'port' }, 'invalid_alert_name', '`name`'],
    [{ name: 'x' }, 'invalid_alert_q', '`q`'],
    [{ name: 'x', q: 'port', colour: 'red' }, 'invalid_alert_field', '`colour`'],
    [{ name: 'x', q: 'port', from: 'yesterday' }, 'invalid_alert_from', '`from`'],
    [{ name: 'x', q: 'port', from: '2025-02-01', to: '2025-01-01' }, 'invalid_alert_to', '`to`'],
    [{ name: 'x', q: 'port', tag: [3] }, 'invalid_alert_filter', '`tag`'],
    [{ name: 'x', q: 'port', paused: 'yes' }, 'invalid_alert_paused', '`paused`'],
    [
      { name: 'x', q: 'port', webhook: { url: 'http://example.org/', secret: 'short' } },
      'invalid_alert_webhook',
      '`webhook.secret`',
    ],
  ])('refuse a bad body with 400 naming the field (%j)', async (body, code, named) => {
    const s = await start();
    const res = await create(s, body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(code);
    expect(res.body.message).toContain(named);
  });

  it('refuse a query that can never match as an alert, saying why', async () => {
    const s = await start();
    const res = await create(s, { name: 'x', q: '-port' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_alert_q');
    expect(res.body.message).toContain('can never match');
  });

  it.each([
    ['ftp://example.org/hook', 'rule: scheme'],
    ['http://user:pw@example.org/hook', 'rule: credentials'],
    ['http://10.1.2.3/hook', 'rule: private_address'],
    ['http://169.254.169.254/latest/meta-data', 'rule: private_address'],
    ['http://[::1]:8080/hook', 'rule: private_address'],
    ['http://[::ffff:192.168.0.1]/hook', 'rule: private_address'],
  ])('refuse a webhook URL that could reach inside (%s) with 400 naming the rule', async (url, rule) => {
    const s = await start();
    const res = await create(s, { name: 'x', q: 'port', webhook: { url, secret: hook.secret } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_alert_webhook');
    expect(res.body.message).toContain(rule);
  });

  it('cap the number of alerts (409 too_many_alerts)', async () => {
    const s = await start({ maxAlerts: 1 });
    expect((await create(s, { name: 'a', q: 'port' })).status).toBe(201);
    const res = await create(s, { name: 'b', q: 'harbour' });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('too_many_alerts');
  });
});

describe('saved searches: matching and delivery', () => {
  it('send a matching article to the feed and the webhook, and nothing for one that does not match', async () => {
    const s = await start();
    const alert = (await create(s, { name: 'Ports', q: '"port strike"', webhook: hook })).body;
    await put(s, 'a1', { title: 'Port strike spreads', body: 'The port strike spread to Mombasa <today>.' });
    await put(s, 'a2', { title: 'Strike at the port?', body: 'Workers at the port may strike.' });
    await s.alerts.flushed();
    await expect.poll(() => s.delivered.length).toBe(1);
    const [event] = events(s);
    expect(event).toMatchObject({
      type: 'alert.match',
      alertId: alert.id,
      article: { articleId: 'a1', title: 'Port strike spreads' },
    });
    expect(event!.article.snippet).toContain('<mark>');
    expect(event!.article.snippet).toContain('&lt;today&gt;');
    const shown = (await request(s.app).get(`/alerts/${alert.id}`).set('Authorization', admin)).body;
    expect(shown.latestMatches.map((m: { articleId: string }) => m.articleId)).toEqual(['a1']);
    expect(shown.delivery).toMatchObject({ pending: 0, failures: 0 });
    expect(shown.delivery.lastSuccess).not.toBeNull();
  });

  it('turn a correction that still matches into an update, an identical one into nothing, and a takedown into a retraction', async () => {
    const s = await start();
    const alert = (await create(s, { name: 'Ferries', q: 'ferry', webhook: hook })).body;
    const article = { title: 'Ferry capsizes', body: 'A ferry capsized near Mwanza.' };
    await put(s, 'f1', article);
    await put(s, 'f1', { ...article, body: 'A ferry capsized near Mwanza; 12 rescued.' });
    await put(s, 'f1', { ...article, body: 'A ferry capsized near Mwanza; 12 rescued.' });
    await takeDown(s, 'f1');
    await expect.poll(() => s.delivered.length).toBe(3);
    expect(events(s).map((e) => e.type)).toEqual(['alert.match', 'alert.update', 'alert.retract']);
    expect(new Set(events(s).map((e) => (e as unknown as { id: string }).id)).size).toBe(3);
    const xml = (await feed(s, alert.feedUrl)).text;
    expect(xml).not.toContain('<entry>');
  });

  it('retract an article from the feed when a correction no longer matches', async () => {
    const s = await start();
    const alert = (await create(s, { name: 'Ferries', q: 'ferry' })).body;
    await put(s, 'f1', { title: 'Ferry capsizes', body: 'A ferry capsized.' });
    expect((await feed(s, alert.feedUrl)).text).toContain('Ferry capsizes');
    await put(s, 'f1', { title: 'Boat capsizes', body: 'A boat capsized.' });
    expect((await feed(s, alert.feedUrl)).text).not.toContain('<entry>');
  });

  it('never alert on a draft or an embargoed article before it is published, then alert at the release', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const s = await start({ now: () => now });
    await create(s, { name: 'Budget', q: 'budget', webhook: hook });
    await put(s, 'draft-1', { title: 'Budget leak', body: 'The budget is ready.', status: 'draft' });
    await put(s, 'emb-1', { title: 'Budget day', body: 'The budget will be read.', publishAt: '2026-01-01T09:00:00Z' });
    await s.alerts.flushed();
    expect(s.delivered).toEqual([]);
    now = Date.parse('2026-01-01T09:00:01Z');
    await s.live.releaseDue();
    await s.alerts.flushed();
    await expect.poll(() => events(s).map((e) => e.article.articleId)).toEqual(['emb-1']);
  });

  it('alert at the next start on an embargoed article released while the service was down', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const s = await start({ now: () => now });
    const alert = (await create(s, { name: 'Budget', q: 'budget', webhook: hook })).body;
    await put(s, 'emb-1', { title: 'Budget day', body: 'The budget will be read.', publishAt: '2026-01-01T09:00:00Z' });
    await s.close();
    open.splice(open.indexOf(s), 1);
    now = Date.parse('2026-01-01T10:00:00Z');
    const again = await start({ dir: s.dir, now: () => now });
    await again.alerts.flushed();
    await expect.poll(() => again.delivered.map((d) => JSON.parse(d.body).article.articleId)).toEqual(['emb-1']);
    expect((await feed(again, alert.feedUrl)).text).toContain('Budget day');
  });

  it('run the query language as /search does: fields, NEAR, exclusions and filters', async () => {
    const s = await start();
    const mk = async (name: string, body: object) => (await create(s, { name, ...body })).body.id as string;
    const ids = {
      title: await mk('title', { q: 'title:harbour' }),
      near: await mk('near', { q: 'toll NEAR/2 harbour' }),
      not: await mk('not', { q: 'harbour -toll' }),
      source: await mk('source', { q: 'harbour', source: ['Reuters'] }),
      dated: await mk('dated', { q: 'harbour', from: '2025-01-01' }),
    };
    await put(s, 'h1', {
      title: 'Harbour tolls rise',
      body: 'The toll at the harbour rose.',
      source: 'Reuters',
      date: '2025-03-01',
    });
    await put(s, 'h2', { title: 'Rain', body: 'A harbour in the rain, no fee.', source: 'AP', date: '2024-03-01' });
    const matched = async (id: string) =>
      (
        (await request(s.app).get(`/alerts/${id}`).set('Authorization', admin)).body.latestMatches as {
          articleId: string;
        }[]
      ).map((m) => m.articleId);
    expect(await matched(ids.title)).toEqual(['h1']);
    expect(await matched(ids.near)).toEqual(['h1']);
    expect(await matched(ids.not)).toEqual(['h2']);
    expect(await matched(ids.source)).toEqual(['h1']);
    expect(await matched(ids.dated)).toEqual(['h1']);
  });

  it('match the articles of a bulk import and of a corpus file', async () => {
    const s = await start();
    const alert = (await create(s, { name: 'Maize', q: 'maize' })).body;
    const lines = [
      { id: 'b1', body: 'The maize harvest came early.' },
      { id: 'b2', body: 'Rice prices fell.' },
    ]
      .map((a) => JSON.stringify(a))
      .join('\n');
    expect(
      (
        await request(s.app)
          .post('/articles')
          .set('Authorization', admin)
          .set('Content-Type', 'application/x-ndjson')
          .send(lines)
      ).status,
    ).toBe(200);
    await writeFile(
      path.join(s.corpusDir, 'maize.txt'),
      'Maize in the valley\n\nThe maize stood tall in the valley.\n',
    );
    await s.live.applyFiles(['maize.txt'], { files: [{ path: 'maize.txt', size: 0, hash: '' }], problems: [] });
    await s.alerts.flushed();
    const xml = (await feed(s, alert.feedUrl)).text;
    expect(xml.match(/<entry>/g)).toHaveLength(2);
    expect(xml).not.toContain('Rice');
  });

  it('keep the feed and the queued events across a restart', async () => {
    const s = await start({ deliver: async () => ({ ok: false, error: 'down' }) });
    const alert = (await create(s, { name: 'Ferries', q: 'ferry', webhook: hook })).body;
    await put(s, 'f1', { title: 'Ferry capsizes', body: 'A ferry capsized.' });
    await s.close();
    open.splice(open.indexOf(s), 1);
    const again = await start({ dir: s.dir });
    await expect.poll(() => again.delivered.length, { timeout: 10_000 }).toBe(1);
    expect(JSON.parse(again.delivered[0]!.body)).toMatchObject({ type: 'alert.match', alertId: alert.id });
    expect((await feed(again, alert.feedUrl)).text).toContain('Ferry capsizes');
  });
});

describe('saved searches: the Atom feed', () => {
  it('serves RFC 4287 entries with escaped snippets, an ETag answered by 304, and needs the token or a key', async () => {
    const s = await start();
    const alert = (await create(s, { name: 'Tolls & fees', q: 'toll' })).body;
    await put(s, 't1', { title: 'Tolls <up>', body: 'The toll rose & rose.', url: 'https://news.example/t1' });
    const res = await feed(s, alert.feedUrl);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/atom\+xml/);
    expect(res.text).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
    expect(res.text).toContain('<title>Tolls &amp; fees</title>');
    expect(res.text).toContain('<title>Tolls &lt;up&gt;</title>');
    expect(res.text).toContain('<link rel="alternate" type="text/html" href="https://news.example/t1"/>');
    expect(res.text).toContain('<summary type="html">The &lt;mark&gt;toll&lt;/mark&gt; rose &amp;amp; rose.</summary>');
    const again = await request(s.app).get(alert.feedUrl).set('If-None-Match', res.headers['etag']!);
    expect(again.status).toBe(304);
    expect((await request(s.app).get(`/alerts/${alert.id}/feed`)).status).toBe(401);
    expect((await request(s.app).get(`/alerts/${alert.id}/feed?token=${'0'.repeat(32)}`)).status).toBe(401);
    expect((await request(s.app).get(`/alerts/${alert.id}/feed`).set('Authorization', admin)).status).toBe(200);
  });
});
