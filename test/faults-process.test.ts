import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { finish, readyUrl, run, SEED } from './helpers/service-process.js';

/**
 * Faults an operator meets (issue #28), as processes: a second start on the same folders
 * (a double start, an overlapping deploy) and clients that hang up.
 */

const KEY = 'faults-admin-key-0123';
let dir: string;
let corpusDir: string;
let cacheDir: string;
const children: ChildProcess[] = [];

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nrs-faults-'));
  corpusDir = path.join(dir, 'corpus');
  cacheDir = path.join(dir, 'cache');
  await mkdir(corpusDir);
  await cp(SEED, path.join(corpusDir, 'haiti-soldiers-mexico-training.txt'));
});

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

function start(args: string[] = [], env: Record<string, string> = {}): ChildProcess {
  const child = run(
    ['serve', '--corpus', corpusDir, '--cache', cacheDir, '--port', '0', '--log-format', 'json', ...args],
    { ADMIN_API_KEY: KEY, ...env },
  );
  children.push(child);
  return child;
}

async function serve(): Promise<{ child: ChildProcess; url: string; err: () => string }> {
  const child = start();
  return { child, ...(await readyUrl(child)) };
}

const put = (url: string, id: string, body: object) =>
  fetch(`${url}/articles/${encodeURIComponent(id)}`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('one process per journal and index cache', () => {
  it('refuses a second start in one line naming the first, touches nothing, and the first loses no write', async () => {
    const first = await serve();
    // More than half the journal superseded: what made the second start compact it under the first.
    const lines = Array.from({ length: 1200 }, (_, i) =>
      JSON.stringify({ id: 'draft-1', title: `Draft ${i}`, body: `Version ${i} of the draft.` }),
    ).join('\n');
    const bulk = await fetch(`${first.url}/articles`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/x-ndjson' },
      body: lines,
    });
    expect(bulk.status).toBe(200);
    const journalFile = path.join(corpusDir, '.journal', 'journal.ndjson');
    const before = await stat(journalFile);

    const second = await finish(start());
    expect(second.code).toBe(1);
    const message = second.err.trim();
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toContain(`in use by process ${first.child.pid}`);
    const after = await stat(journalFile);
    expect(after.ino).toBe(before.ino);
    expect(after.size).toBe(before.size);

    expect(
      (await put(first.url, 'after-second-start', { title: 'Ferry', body: 'A ferry capsized near Mwanza.' })).status,
    ).toBe(201);
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    // The lock of a process killed -9 is stale: the next start takes it over.
    const again = await serve();
    expect((await fetch(`${again.url}/articles/after-second-start`)).status).toBe(200);
  }, 120_000);

  it('keeps `npm run index` off the cache a running service owns', async () => {
    await serve();
    const index = await finish(run(['index', '--corpus', corpusDir, '--cache', cacheDir]));
    expect(index.code).toBe(1);
    expect(index.err).toMatch(/the index cache .* is in use by process \d+/);
  }, 60_000);
});

describe('clients that hang up', () => {
  it('are counted as 499, not 200, and logged without a stack trace', async () => {
    const { url, err } = await serve();
    const { port } = new URL(url);
    await new Promise<void>((resolve, reject) => {
      const socket = net.connect(Number(port), '127.0.0.1', () => {
        socket.write(
          `PUT /articles/half HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${KEY}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"title":`,
        );
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 300);
      });
      socket.on('error', reject);
    });
    await new Promise((r) => setTimeout(r, 500));
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/http_requests_total\{route="\/articles\/\{articleId\}",method="PUT",status="499"\} 1/);
    expect(metrics).not.toMatch(/method="PUT",status="200"/);
    const lines = err()
      .split('\n')
      .filter((l) => l.includes('"PUT"') || l.includes('request failed'));
    expect(lines.some((l) => /"status":499/.test(l) && /"aborted":true/.test(l))).toBe(true);
    expect(err()).not.toContain('request failed');
    expect(err()).not.toContain('"stack"');
  }, 60_000);
});
