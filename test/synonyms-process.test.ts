import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readyUrl, run, SEED } from './helpers/service-process.js';

/** The synonym set as the service keeps it: `SYNONYMS_FILE` at start, and a `PUT` durable across `kill -9`. */

const KEY = 'synonym-process-key-0123';
let dir: string;
const children: ChildProcess[] = [];

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nrs-synproc-'));
  await mkdir(path.join(dir, 'corpus'));
  await cp(SEED, path.join(dir, 'corpus', 'haiti-soldiers-mexico-training.txt'));
});

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  // A killed primary's workers exit a moment later, and may still write into their cache folders meanwhile.
  await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
});

async function serve(env: Record<string, string>, readyCount = 1): Promise<{ child: ChildProcess; url: string }> {
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
    { ADMIN_API_KEY: KEY, ...env },
  );
  children.push(child);
  const { url } = await readyUrl(child, readyCount);
  return { child, url };
}

async function hitIds(url: string, q: string): Promise<string[]> {
  const res = await fetch(`${url}/search?q=${encodeURIComponent(q)}`, { headers: { Connection: 'close' } });
  return ((await res.json()) as { hits: { articleId: string }[] }).hits.map((h) => h.articleId);
}

describe('synonyms in the running service', () => {
  it('loads SYNONYMS_FILE at start, and keeps a set put through the API across kill -9 (it then wins over the file)', async () => {
    const file = path.join(dir, 'synonyms.json');
    // "evacuees" is not in the seed article; "displaced" is.
    await writeFile(file, JSON.stringify({ oneWay: [{ from: 'evacuees', to: ['displaced'] }] }));
    const first = await serve({ SYNONYMS_FILE: file });
    expect(await hitIds(first.url, 'evacuees')).toEqual(['haiti-soldiers-mexico-training']);
    const res = await fetch(`${first.url}/synonyms`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ groups: [['homeless', 'displaced']] }),
    });
    expect(res.status).toBe(200);
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    const again = await serve({ SYNONYMS_FILE: file });
    expect(await hitIds(again.url, 'homeless')).toEqual(['haiti-soldiers-mexico-training']);
    expect(await hitIds(again.url, 'evacuees')).toEqual([]);
    const stored = await (await fetch(`${again.url}/synonyms`, { headers: { Authorization: `Bearer ${KEY}` } })).json();
    expect(stored).toEqual({ groups: [['homeless', 'displaced']], oneWay: [] });
  }, 60_000);

  it('puts a set in force on every worker within about a second (WORKERS=2: the workers share the kept file)', async () => {
    const { url } = await serve({ WORKERS: '2' }, 2);
    expect(await hitIds(url, 'evacuees')).toEqual([]);
    const res = await fetch(`${url}/synonyms`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json', Connection: 'close' },
      body: JSON.stringify({ oneWay: [{ from: 'evacuees', to: ['displaced'] }] }),
    });
    expect(res.status).toBe(200);
    // Each worker looks at the file at most once a second: after 1.5 s, new connections (spread over both) all find it.
    await new Promise((r) => setTimeout(r, 1500));
    const pids = new Set<number>();
    const answers = await Promise.all(
      Array.from({ length: 8 }, async () => {
        const health = (await (await fetch(`${url}/health`, { headers: { Connection: 'close' } })).json()) as {
          pid: number;
        };
        pids.add(health.pid);
        return hitIds(url, 'evacuees');
      }),
    );
    expect(answers.every((ids) => ids.length === 1)).toBe(true);
    expect(pids.size).toBe(2);
  }, 60_000);
});
