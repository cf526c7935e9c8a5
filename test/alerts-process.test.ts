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
 * Alerts as a process: a webhook receiver down while the service is killed
 * with `kill -9`, then up after a restart, gets every event exactly once, in
 * order, each signed.
 */

const KEY = 'process-admin-key-0123';
const SECRET = 'receiver-secret-0123456789';
let dir: string;
const children: ChildProcess[] = [];
const servers: http.Server[] = [];

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nrs-alertproc-'));
  await mkdir(path.join(dir, 'corpus'));
  await cp(SEED, path.join(dir, 'corpus', 'haiti-soldiers-mexico-training.txt'));
});

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const server of servers.splice(0)) await new Promise((r) => server.close(r));
  await rm(dir, { recursive: true, force: true });
});

async function serve(): Promise<{ child: ChildProcess; url: string }> {
  const child = run(
    [
      'serve',
      '--corpus',
      path.join(dir, 'corpus'),
      '--cache',
      path.join(dir, 'cache'),
      '--port',
      '0',
      '--log-format',
      'json',
    ],
    {
      ADMIN_API_KEY: KEY,
      ALERT_WEBHOOK_ALLOW: '127.0.0.1',
      ALERT_RETRY_MAX_S: '1',
      WATCH: 'false',
    },
  );
  children.push(child);
  return { child, url: (await readyUrl(child)).url };
}

/** A receiver on 127.0.0.1:`port` (0: any) that checks each signature and records the events. */
async function receiver(port: number, got: { id: string; type: string; articleId: string }[]): Promise<number> {
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
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** A free port on 127.0.0.1 (nothing listens on it afterwards). */
async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

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

describe('alerts as a process', () => {
  it('delivers every event once, in order and signed, to a receiver that was down across a kill -9', async () => {
    const port = await freePort();
    const first = await serve();
    const alert = (await (
      await call(first.url, 'POST', '/alerts', {
        name: 'Ferries',
        q: 'ferry',
        webhook: { url: `http://127.0.0.1:${port}/hook`, secret: SECRET },
      })
    ).json()) as { id: string; feedUrl: string };
    for (const id of ['f1', 'f2', 'f3'])
      expect(
        (
          await call(first.url, 'PUT', `/articles/${id}`, {
            title: `Ferry ${id}`,
            body: `A ferry (${id}) sailed late.`,
          })
        ).status,
      ).toBe(201);
    expect((await call(first.url, 'PUT', '/articles/other', { title: 'Rain', body: 'It rained.' })).status).toBe(201);
    expect((await call(first.url, 'DELETE', '/articles/f2')).status).toBe(204);
    const state = (await (await call(first.url, 'GET', `/alerts/${alert.id}`)).json()) as {
      delivery: { pending: number };
    };
    expect(state.delivery.pending).toBe(4);
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));

    const got: { id: string; type: string; articleId: string }[] = [];
    await receiver(port, got);
    const second = await serve();
    await within(20_000, () => got.length >= 4);
    await new Promise((r) => setTimeout(r, 1500)); // nothing more may come
    expect(got.map((e) => `${e.type} ${e.articleId}`)).toEqual([
      'alert.match f1',
      'alert.match f2',
      'alert.match f3',
      'alert.retract f2',
    ]);
    expect(new Set(got.map((e) => e.id)).size).toBe(4);
    const after = (await (await call(second.url, 'GET', `/alerts/${alert.id}`)).json()) as {
      delivery: { pending: number; lastSuccess: string | null };
    };
    expect(after.delivery.pending).toBe(0);
    expect(after.delivery.lastSuccess).not.toBeNull();

    // Up now: a new matching write reaches the receiver; its feed shows it.
    expect((await call(second.url, 'PUT', '/articles/f4', { title: 'Ferry f4', body: 'A ferry docked.' })).status).toBe(
      201,
    );
    await within(10_000, () => got.length === 5);
    const feed = await (await fetch(`${second.url}${alert.feedUrl}`)).text();
    expect(feed).toContain('Ferry f4');
    expect(feed).not.toContain('Ferry f2');
  }, 90_000);
});
