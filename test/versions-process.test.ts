import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readyUrl, run } from './helpers/service-process.js';

/**
 * Versions kept by the service as a process: writes that cluster workers
 * forward to the primary (`WORKERS=2`), and a corpus file changed while the
 * service was stopped.
 */

const KEY = 'versions-process-admin-key';
let dir: string;
let corpusDir: string;
const children: ChildProcess[] = [];

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nrs-versions-proc-'));
  corpusDir = path.join(dir, 'corpus');
  await mkdir(corpusDir);
});

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  // A killed primary's workers exit a moment later, and may still write into their cache folders meanwhile.
  await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
});

async function serve(env: Record<string, string> = {}, readyCount = 1): Promise<{ child: ChildProcess; url: string }> {
  const child = run(
    [
      'serve',
      '--corpus',
      corpusDir,
      '--cache',
      path.join(dir, 'cache'),
      '--journal',
      path.join(dir, 'journal'),
      '--port',
      '0',
      '--log-format',
      'json',
    ],
    {
      ADMIN_API_KEY: KEY,
      WATCH: 'false',
      ...env,
    },
  );
  children.push(child);
  const { url } = await readyUrl(child, readyCount);
  return { child, url };
}

/** Stops the service with SIGTERM (it commits its index) and waits for its exit. */
async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

const put = (url: string, id: string, body: object) =>
  fetch(`${url}/articles/${encodeURIComponent(id)}`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json', Connection: 'close' },
    body: JSON.stringify(body),
  });

type Listing = { versions: { version: number; current: boolean; title: string; changes: unknown }[] };
async function versionsOf(url: string, id: string): Promise<Listing> {
  const res = await fetch(`${url}/articles/${encodeURIComponent(id)}/versions`, { headers: { Connection: 'close' } });
  expect(res.status).toBe(200);
  return (await res.json()) as Listing;
}

const LEAD = 'The regional assembly voted on Tuesday to close the coal plant at Vareth by the end of 2031.';
const COST = 'Closing the plant will cost the region 120 million euros over ten years, officials said.';
const UNIONS = 'Unions said 400 jobs would go and asked for a retraining fund.';

describe('versions kept by the service process', () => {
  it('keeps the versions of writes forwarded by workers to the primary, and every worker lists them (WORKERS=2)', async () => {
    const { url } = await serve({ WORKERS: '2' }, 2);
    // Three writes of one id, each on a new connection (spread over both workers): two of them replace a version.
    expect(
      (
        await put(url, 'desk/vareth', {
          title: 'Assembly votes to close Vareth plant',
          body: [LEAD, COST].join('\n\n'),
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await put(url, 'desk/vareth', {
          title: 'Assembly votes to close Vareth plant',
          body: [LEAD, COST, UNIONS].join('\n\n'),
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await put(url, 'desk/vareth', {
          title: 'Vareth coal plant to close by 2031',
          body: [LEAD, COST.replace('120', '135'), UNIONS].join('\n\n'),
        })
      ).status,
    ).toBe(200);
    // Every worker answers the same three versions (the primary wrote them; the workers read its file),
    // once it applied the writes (a worker thread builds each write's segment: slow on a loaded machine).
    // New connections, eight at a time, are spread over both workers.
    const expected = [
      [1, false, 'Assembly votes to close Vareth plant', null],
      // 1 → 2: the unions paragraph added; 2 → 3: the cost edited (one number of many words), the headline changed.
      [2, false, 'Assembly votes to close Vareth plant', { added: 1, removed: 0, edited: 0, titleChanged: false }],
      [3, true, 'Vareth coal plant to close by 2031', { added: 0, removed: 0, edited: 1, titleChanged: true }],
    ];
    const pids = new Set<number>();
    const started = Date.now();
    for (;;) {
      const listings = await Promise.all(
        Array.from({ length: 8 }, async () => {
          const health = (await (await fetch(`${url}/health`, { headers: { Connection: 'close' } })).json()) as {
            pid: number;
          };
          pids.add(health.pid);
          return (await versionsOf(url, 'desk/vareth')).versions.map((v) => [v.version, v.current, v.title, v.changes]);
        }),
      );
      if (pids.size === 2 && listings.every((l) => JSON.stringify(l) === JSON.stringify(expected))) break;
      expect(Date.now() - started, JSON.stringify(listings)).toBeLessThan(30_000);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(pids.size).toBe(2);
  }, 90_000);

  it('keeps, once, the earlier version of a corpus article whose file changes while workers serve (WORKERS=2)', async () => {
    await mkdir(path.join(corpusDir, 'corpus'));
    const file = path.join(corpusDir, 'corpus', 'vareth.md');
    await writeFile(file, `---\ntitle: Assembly votes to close Vareth plant\n---\n\n${LEAD}\n\n${COST}\n`);
    const { url } = await serve({ WORKERS: '2', WATCH: 'true' }, 2);
    await writeFile(
      file,
      `---\ntitle: Assembly votes to close Vareth plant\n---\n\n${LEAD}\n\n${COST.replace('120', '135')}\n`,
    );
    // Both workers re-read the file and both report the version it replaced; the primary keeps it once.
    const pids = new Set<number>();
    const started = Date.now();
    for (;;) {
      const answers = await Promise.all(
        Array.from({ length: 8 }, async () => {
          const health = (await (await fetch(`${url}/health`, { headers: { Connection: 'close' } })).json()) as {
            pid: number;
          };
          pids.add(health.pid);
          return (await versionsOf(url, 'corpus/vareth')).versions.map((v) => [v.version, v.current]);
        }),
      );
      if (
        pids.size === 2 &&
        answers.every(
          (a) =>
            JSON.stringify(a) ===
            JSON.stringify([
              [1, false],
              [2, true],
            ]),
        )
      )
        break;
      expect(Date.now() - started, JSON.stringify(answers)).toBeLessThan(15_000);
      await new Promise((r) => setTimeout(r, 200));
    }
    // Settled: a moment later still two versions, not one per worker.
    await new Promise((r) => setTimeout(r, 500));
    expect((await versionsOf(url, 'corpus/vareth')).versions).toHaveLength(2);
  }, 90_000);

  it('keeps the earlier version of a corpus article whose file changed while the service was stopped, once', async () => {
    // The article's id is the file's path without its extension.
    await mkdir(path.join(corpusDir, 'corpus'));
    const file = path.join(corpusDir, 'corpus', 'vareth.md');
    await writeFile(file, `---\ntitle: Assembly votes to close Vareth plant\n---\n\n${LEAD}\n\n${COST}\n`);
    const first = await serve();
    expect((await versionsOf(first.url, 'corpus/vareth')).versions.map((v) => v.version)).toEqual([1]);
    await stop(first.child);
    // Edited while stopped: the cost corrected, a paragraph added.
    await writeFile(
      file,
      `---\ntitle: Assembly votes to close Vareth plant\n---\n\n${LEAD}\n\n${COST.replace('120', '135')}\n\n${UNIONS}\n`,
    );
    const second = await serve();
    const listing = await versionsOf(second.url, 'corpus/vareth');
    // The commit of the first run held the article as it was: that is version 1.
    expect(listing.versions.map((v) => [v.version, v.current])).toEqual([
      [1, false],
      [2, true],
    ]);
    expect(listing.versions[1]!.changes).toEqual({ added: 1, removed: 0, edited: 1, titleChanged: false });
    const one = (await (await fetch(`${second.url}/articles/corpus%2Fvareth/versions/1`)).json()) as {
      paragraphs: string[];
    };
    expect(one.paragraphs).toEqual([LEAD, COST]);
    // A start with nothing changed keeps nothing more.
    await stop(second.child);
    const third = await serve();
    expect((await versionsOf(third.url, 'corpus/vareth')).versions.map((v) => v.version)).toEqual([1, 2]);
  }, 90_000);
});
