import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { readyUrl, run, SEED } from './helpers/service-process.js';

/**
 * Alerts as a process with two workers (`WORKERS=2`): one worker keeps them
 * and the other sends it its calls, so whichever worker a request reaches,
 * the alert is the same, a `PUT` answers once its events are in the feed,
 * each event reaches the webhook once, and a `kill -9` of the worker that
 * keeps them hands them to the other.
 */

const KEY = 'workers-alerts-admin-key';
const SECRET = 'receiver-secret-0123456789';
let dir: string;
const children: ChildProcess[] = [];
const servers: http.Server[] = [];

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nrs-alertworkers-'));
  await mkdir(path.join(dir, 'corpus'));
  await cp(SEED, path.join(dir, 'corpus', 'haiti-soldiers-mexico-training.txt'));
});

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const server of servers.splice(0)) await new Promise((r) => server.close(r));
  // A killed primary's workers exit a moment later, and may still write into their cache folders meanwhile.
  await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
});

/** A receiver on 127.0.0.1 that checks each signature and records the events. */
async function receiver(got: { id: string; type: string; articleId: string }[]): Promise<number> {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const expected = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
      if (req.headers['x-signature'] !== expected) return res.writeHead(401).end();
      const event = JSON.parse(body) as { id: string; type: string; article: { articleId: string } };
      got.push({ id: event.id, type: event.type, articleId: event.article.articleId });
      res.writeHead(204).end();
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** A request on a connection of its own: the cluster hands new connections to the workers in turn. */
const call = (url: string, method: string, route: string, body?: object) =>
  fetch(`${url}${route}`, {
    method,
    headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json', Connection: 'close' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });

async function within(ms: number, check: () => boolean | Promise<boolean>): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The pids of the workers answering `n` requests, each on a new connection. */
async function workerPids(url: string, n: number): Promise<Set<number>> {
  const pids = new Set<number>();
  for (let i = 0; i < n; i++) pids.add(((await (await call(url, 'GET', '/health')).json()) as { pid: number }).pid);
  return pids;
}

/** The ids in an alert's feed as `n` requests on new connections see it (each: its ETag and ids). */
async function feeds(url: string, feedUrl: string, n: number): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${url}${feedUrl}`, { headers: { Connection: 'close' } });
    expect(res.status).toBe(200);
    const ids = [...(await res.text()).matchAll(/<title[^>]*>(Ferry [^<]+)<\/title>/g)].map((m) => m[1]).sort();
    seen.push(`${res.headers.get('etag')} ${ids.join(',')}`);
  }
  return seen;
}

describe('alerts with two workers', () => {
  it('keeps one set of alerts for every worker, delivers each event once, and survives a kill -9 of their keeper', async () => {
    const got: { id: string; type: string; articleId: string }[] = [];
    const port = await receiver(got);
    const child = run(
      [
        'serve',
        '--corpus',
        path.join(dir, 'corpus'),
        '--cache',
        path.join(dir, 'cache'),
        '--journal',
        path.join(dir, 'journal'),
        '--port',
        '0',
        '--log-format',
        'json',
      ],
      { ADMIN_API_KEY: KEY, ALERT_WEBHOOK_ALLOW: '127.0.0.1', ALERT_RETRY_MAX_S: '1', WATCH: 'false', WORKERS: '2' },
    );
    children.push(child);
    const { url, err } = await readyUrl(child, 2);
    expect((await workerPids(url, 4)).size).toBe(2);

    const created = await call(url, 'POST', '/alerts', {
      name: 'Ferries',
      q: 'ferry',
      webhook: { url: `http://127.0.0.1:${port}/hook`, secret: SECRET },
    });
    expect(created.status).toBe(201);
    const alert = (await created.json()) as { id: string; feedUrl: string };
    // Both workers know it (listed, read, changed), whichever takes the request.
    for (let i = 0; i < 4; i++) {
      const listed = (await (await call(url, 'GET', '/alerts')).json()) as { alerts: { id: string }[] };
      expect(listed.alerts.map((a) => a.id)).toEqual([alert.id]);
    }
    expect((await call(url, 'PATCH', `/alerts/${alert.id}`, { name: 'Ferries and boats' })).status).toBe(200);
    for (let i = 0; i < 2; i++)
      expect(((await (await call(url, 'GET', `/alerts/${alert.id}`)).json()) as { name: string }).name).toBe(
        'Ferries and boats',
      );

    // Writes spread over both workers: each answers once its event is in the feed, seen from either worker.
    for (const id of ['f1', 'f2', 'f3', 'f4']) {
      expect(
        (await call(url, 'PUT', `/articles/${id}`, { title: `Ferry ${id}`, body: `A ferry (${id}).` })).status,
      ).toBe(201);
      for (const seen of await feeds(url, alert.feedUrl, 2)) expect(seen).toContain(`Ferry ${id}`);
    }
    expect((await call(url, 'PUT', '/articles/other', { title: 'Rain', body: 'It rained.' })).status).toBe(201);
    expect((await call(url, 'DELETE', '/articles/f2')).status).toBe(204);
    await within(10_000, () => got.length >= 5);
    await new Promise((r) => setTimeout(r, 1_000)); // nothing more may come
    expect(got.map((e) => `${e.type} ${e.articleId}`)).toEqual([
      'alert.match f1',
      'alert.match f2',
      'alert.match f3',
      'alert.match f4',
      'alert.retract f2',
    ]);
    expect(new Set(got.map((e) => e.id)).size).toBe(5);
    const consistent = await feeds(url, alert.feedUrl, 4);
    expect(new Set(consistent).size).toBe(1);
    expect(consistent[0]).toMatch(/ Ferry f1,Ferry f3,Ferry f4$/);
    // The counters are the keeper's, on either worker.
    await within(5_000, async () => {
      const counts = await Promise.all(
        [1, 2, 3, 4].map(
          async () =>
            ((await (await call(url, 'GET', '/health')).json()) as { alerts: { count: number } }).alerts.count,
        ),
      );
      return counts.every((c) => c === 1);
    });

    // The worker that keeps them dies: the primary starts another and gives the alerts to a live worker.
    const keeper = Number(/worker (\d+) keeps the saved searches/.exec(err())?.[1]);
    expect(keeper).toBeGreaterThan(0);
    process.kill(keeper, 'SIGKILL');
    await within(30_000, () => (err().match(/keeps the saved searches/g) ?? []).length >= 2);
    await within(60_000, async () => {
      const pids = await workerPids(url, 4);
      return pids.size === 2 && !pids.has(keeper);
    });
    expect((await call(url, 'PUT', '/articles/f5', { title: 'Ferry f5', body: 'A ferry docked.' })).status).toBe(201);
    await within(10_000, () => got.length >= 6);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(got.slice(5).map((e) => `${e.type} ${e.articleId}`)).toEqual(['alert.match f5']);
    const after = await feeds(url, alert.feedUrl, 4);
    expect(new Set(after).size).toBe(1);
    expect(after[0]).toMatch(/ Ferry f1,Ferry f3,Ferry f4,Ferry f5$/);
  }, 180_000);
});
