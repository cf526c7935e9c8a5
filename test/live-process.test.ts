import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { appendFile, cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readyUrl, run, SEED } from './helpers/service-process.js';

/**
 * The living archive as a process: durability across `kill -9`, visibility on
 * every worker, and the corpus folder watch.
 */

const KEY = 'process-admin-key-0123';
let dir: string;
let corpusDir: string;
let cacheDir: string;
const children: ChildProcess[] = [];

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nrs-liveproc-'));
  corpusDir = path.join(dir, 'corpus');
  cacheDir = path.join(dir, 'cache');
  await mkdir(corpusDir);
  await cp(SEED, path.join(corpusDir, 'haiti-soldiers-mexico-training.txt'));
});

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  // A killed primary's workers exit a moment later, and may still write into their cache folders meanwhile.
  await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
});

async function serve(env: Record<string, string> = {}, readyCount = 1): Promise<{ child: ChildProcess; url: string }> {
  const child = run(['serve', '--corpus', corpusDir, '--cache', cacheDir, '--port', '0', '--log-format', 'json'], {
    ADMIN_API_KEY: KEY,
    ...env,
  });
  children.push(child);
  const { url } = await readyUrl(child, readyCount);
  return { child, url };
}

const put = (url: string, id: string, body: object) =>
  fetch(`${url}/articles/${encodeURIComponent(id)}`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

async function hitIds(url: string, q: string): Promise<string[]> {
  const res = await fetch(`${url}/search?q=${encodeURIComponent(q)}`, { headers: { Connection: 'close' } });
  return ((await res.json()) as { hits: { articleId: string }[] }).hits.map((h) => h.articleId);
}

/** Polls until `check` holds (or `ms` pass); returns the milliseconds it took. */
async function within(ms: number, check: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the living archive as a process', () => {
  it('keeps an acknowledged write through kill -9 right after the answer', async () => {
    const { child, url } = await serve();
    const res = await put(url, 'urgent-1', {
      title: 'Ferry capsizes',
      body: 'A ferry capsized near the harbour of Mwanza.',
    });
    expect(res.status).toBe(201);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const again = await serve();
    expect(await hitIds(again.url, 'mwanza')).toEqual(['urgent-1']);
  }, 60_000);

  it('shows a write on every worker within a second (WORKERS=2)', async () => {
    const { url } = await serve({ WORKERS: '2' }, 2);
    const res = await put(url, 'cluster-1', { title: 'Glacier', body: 'The glacier at Pasterze retreated again.' });
    expect(res.status).toBe(201);
    // New connections are spread over both workers: each must answer with the article.
    const pids = new Set<number>();
    await within(1000, async () => {
      const answers = await Promise.all(
        Array.from({ length: 8 }, async () => {
          const health = (await (await fetch(`${url}/health`, { headers: { Connection: 'close' } })).json()) as {
            pid: number;
          };
          pids.add(health.pid);
          return (await hitIds(url, 'pasterze')).length === 1;
        }),
      );
      return answers.every(Boolean);
    });
    // And a takedown disappears from both.
    const del = await fetch(`${url}/articles/cluster-1`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${KEY}` },
    });
    expect(del.status).toBe(204);
    await within(1000, async () =>
      (await Promise.all(Array.from({ length: 8 }, () => hitIds(url, 'pasterze')))).every((ids) => ids.length === 0),
    );
    expect(pids.size).toBe(2);
  }, 60_000);

  it('picks up corpus files added, written slowly in parts, and removed, while serving', async () => {
    const { url } = await serve();
    // A file written in three parts over 0.6 s is indexed once, whole.
    const file = path.join(corpusDir, 'late.ndjson');
    await writeFile(file, '{"id":"late-1","body":"Lava from Fagradalsfjall reached the road."}\n{"id":"late-2","bo');
    await new Promise((r) => setTimeout(r, 300));
    await appendFile(file, 'dy":"A second story about Fagradalsfjall tourists."}\n');
    await new Promise((r) => setTimeout(r, 300));
    await appendFile(file, '{"id":"late-3","body":"Fagradalsfjall quietened by night."}\n');
    const seen: string[][] = [];
    const took = await within(2500, async () => {
      const ids = await hitIds(url, 'fagradalsfjall');
      seen.push(ids);
      return ids.length === 3;
    });
    expect(took).toBeLessThan(2500);
    // Never half a file: the answers went from nothing to all three.
    expect(seen.every((ids) => ids.length === 0 || ids.length === 3)).toBe(true);
    // Editors' temp files are ignored; a removed file's articles go.
    await writeFile(path.join(corpusDir, '.late.ndjson.swp'), 'junk');
    await writeFile(path.join(corpusDir, 'late.ndjson~'), '{"id":"junk","body":"Fagradalsfjall junk"}\n');
    await rm(file);
    await within(2500, async () => (await hitIds(url, 'fagradalsfjall')).length === 0);
  }, 60_000);
});
