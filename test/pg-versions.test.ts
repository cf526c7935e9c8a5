import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from '../src/cli/parse-args.js';
import { startServer, type RunningServer } from '../src/cli/serve-command.js';
import { silentLogger } from '../src/log/create-logger.js';
import { PgStore } from '../src/store/pg-store.js';
import { findPostgresBin, startTempPostgres, type TempPostgres } from '../scripts/cluster/temp-postgres.js';

/**
 * Versions of articles with the PostgreSQL article store: two nodes (in this
 * process) follow one throwaway PostgreSQL; the store keeps each earlier
 * version in the transaction of the write that replaced it, so the node that
 * did not take a write lists the same versions. Skipped, saying so, without PostgreSQL.
 */

const ADMIN = 'pg-versions-admin-key';
const bin = findPostgresBin();
if (!bin)
  console.warn(
    'pg-versions tests skipped: PostgreSQL binaries not found (install the Debian package `postgresql`, or set PG_BIN)',
  );

/** Three versions of a council story: the cost corrected and a paragraph added, then a new headline and the first paragraph cut. */
const LEAD =
  'The city council approved a new ferry terminal on the north quay by nine votes to four on Monday evening.';
const FIRST = {
  title: 'Council approves new ferry terminal',
  date: '2026-06-01',
  body: [
    LEAD,
    'The terminal will cost forty million euros, the harbour master said.',
    'Opponents said the quay should stay a fish market.',
  ].join('\n\n'),
};
const SECOND = {
  ...FIRST,
  body: [
    LEAD,
    'The terminal will cost forty-six million euros, the harbour master said.',
    'Opponents said the quay should stay a fish market.',
    'Correction: an earlier version gave the cost as forty million euros.',
  ].join('\n\n'),
};
const THIRD = {
  ...SECOND,
  title: 'Ferry terminal approved at a cost of 46 million euros',
  body: SECOND.body.split('\n\n').slice(1).join('\n\n'),
};

let pg: TempPostgres;
let dir: string;
const nodes: (RunningServer | null)[] = [null, null];

/** Starts node `n` (0 or 1) with its own cache and mirror folders; resolves once it serves. */
async function startNode(n: number): Promise<RunningServer> {
  const base = path.join(dir, `node${n}`);
  const settings = parseArgs(['serve'], {
    DATABASE_URL: pg.url,
    ADMIN_API_KEY: ADMIN,
    PORT: '0',
    HOST: '127.0.0.1',
    WATCH: 'false',
    INDEX_CACHE_DIR: path.join(base, 'index-cache'),
    JOURNAL_DIR: path.join(base, 'journal'),
    SHUTDOWN_TIMEOUT: '1',
  });
  const server = await startServer(settings, silentLogger());
  await server.ready;
  nodes[n] = server;
  return server;
}

async function stopNode(n: number): Promise<void> {
  await nodes[n]?.close();
  nodes[n] = null;
}

const url = (n: number) => nodes[n]!.url;
const put = (n: number, id: string, body: object) =>
  fetch(`${url(n)}/articles/${encodeURIComponent(id)}`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
const get = async (n: number, route: string, admin = false) => {
  const res = await fetch(`${url(n)}${route}`, admin ? { headers: { Authorization: `Bearer ${ADMIN}` } } : {});
  return { status: res.status, body: (await res.json()) as Record<string, never> };
};

/** Polls until `check` holds (a node follows the store within a second: NOTIFY, or its poll). */
async function eventually(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const started = Date.now();
  while (!(await check().catch(() => false))) {
    if (Date.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!bin)('versions with the PostgreSQL article store', () => {
  beforeAll(async () => {
    pg = await startTempPostgres();
    dir = await mkdtemp(path.join(os.tmpdir(), 'nrs-pg-versions-'));
    await startNode(0);
    await startNode(1);
  }, 120_000);
  afterAll(async () => {
    await stopNode(0);
    await stopNode(1);
    pg?.destroy();
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 60_000);

  it('keeps each replaced version in the store in the same transaction as the write', async () => {
    const store = new PgStore(pg.url);
    try {
      await store.prepare();
      const [created] = await store.write([
        {
          op: 'put',
          id: 'tx/1',
          article: {
            id: 'tx/1',
            title: 'One',
            date: null,
            authors: [],
            source: null,
            section: null,
            url: null,
            tags: [],
            paragraphs: ['first text'],
            file: '(api)',
          },
        },
      ]);
      // Equal content written again keeps nothing; a change keeps the article it replaced, numbered by the change.
      await store.write([
        {
          op: 'put',
          id: 'tx/1',
          article: {
            id: 'tx/1',
            title: 'One',
            date: null,
            authors: [],
            source: null,
            section: null,
            url: null,
            tags: [],
            paragraphs: ['first text'],
            file: '(api)',
          },
        },
      ]);
      const [changed, down] = await store.write([
        {
          op: 'put',
          id: 'tx/1',
          article: {
            id: 'tx/1',
            title: 'One',
            date: null,
            authors: [],
            source: null,
            section: null,
            url: null,
            tags: [],
            paragraphs: ['second text'],
            file: '(api)',
          },
        },
        { op: 'delete', id: 'tx/1' },
      ]);
      const rows = await store.versionsBetween(created!.seq, down!.seq);
      expect(rows.map((r) => [r.seq, r.article.paragraphs, r.takedown])).toEqual([
        [changed!.seq, ['first text'], false],
        [down!.seq, ['second text'], true],
      ]);
      expect(created!.seq).toBeLessThan(changed!.seq);
      // Each version says when it became current: the second text, with the change that wrote it.
      expect(rows[1]!.since).toBe(changed!.at);
    } finally {
      await store.close();
    }
  });

  it('lists on another node the three versions two PUTs through one node made, with correct diffs', async () => {
    expect((await put(0, 'desk/ferry', FIRST)).status).toBe(201);
    expect((await put(0, 'desk/ferry', SECOND)).status).toBe(200);
    expect((await put(0, 'desk/ferry', THIRD)).status).toBe(200);
    await eventually(async () => (await get(1, '/articles/desk/ferry')).body['title'] === THIRD.title);
    const list = (await get(1, '/articles/desk/ferry/versions')).body as unknown as {
      versions: { version: number; current: boolean; title: string; changes: unknown }[];
    };
    expect(list.versions.map((v) => [v.version, v.current, v.title])).toEqual([
      [1, false, FIRST.title],
      [2, false, FIRST.title],
      [3, true, THIRD.title],
    ]);
    // 1 → 2: the cost paragraph edited (most words shared), the correction added; 2 → 3: the lead removed, the headline changed.
    expect(list.versions[1]!.changes).toEqual({ added: 1, removed: 0, edited: 1, titleChanged: false });
    expect(list.versions[2]!.changes).toEqual({ added: 0, removed: 1, edited: 0, titleChanged: true });
    const diff = (await get(1, '/articles/desk/ferry/versions/2?diff=1')).body as unknown as {
      diff: { paragraphs: { op: string; text: string; previous?: string }[] };
    };
    expect(diff.diff.paragraphs.map((p) => p.op)).toEqual(['same', 'edited', 'same', 'added']);
    expect(diff.diff.paragraphs[1]!.previous).toBe(
      'The terminal will cost forty million euros, the harbour master said.',
    );
    // Both nodes answer the same listing: the versions came from the store, not from the node that took the writes.
    expect((await get(0, '/articles/desk/ferry/versions')).body).toEqual(list);
    // Search shows the current version, marked as corrected, on the other node too.
    const hits = (await get(1, '/search?q=ferry+terminal')).body as unknown as {
      hits: { articleId: string; correctedAt?: string }[];
    };
    expect(hits.hits.find((h) => h.articleId === 'desk/ferry')?.correctedAt).toEqual(expect.any(String));
  });

  it('hides every version on every node after a takedown through the other node, also after a restart', async () => {
    const res = await fetch(`${url(1)}/articles/desk/ferry`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${ADMIN}` },
    });
    expect(res.status).toBe(204);
    await eventually(async () => (await get(0, '/articles/desk/ferry')).status === 404);
    const hidden = async () => {
      for (const n of [0, 1]) {
        for (const route of [
          '/articles/desk/ferry',
          '/articles/desk/ferry/versions',
          '/articles/desk/ferry/versions/1',
          '/articles/desk/ferry/versions/2',
          '/articles/desk/ferry/versions/3',
        ]) {
          expect((await get(n, route)).status, `node ${n} ${route}`).toBe(404);
        }
      }
    };
    await hidden();
    await stopNode(0);
    await startNode(0);
    await hidden();
    // The admin key still reads the history that ended with the takedown (on either node).
    const admin = (await get(0, '/articles/desk/ferry/versions?history=1', true)).body as unknown as {
      versions: { version: number }[];
    };
    expect(admin.versions.map((v) => v.version)).toEqual([1, 2, 3]);
  }, 60_000);

  it('starts a new history when the id is written again, and a node started empty copies the store versions', async () => {
    expect((await put(1, 'desk/ferry', FIRST)).status).toBe(201);
    await stopNode(0);
    await rm(path.join(dir, 'node0'), { recursive: true, force: true });
    await startNode(0);
    const list = (await get(0, '/articles/desk/ferry/versions', true)).body as unknown as {
      versions: { version: number }[];
      earlierHistories: { versions: number }[];
    };
    expect(list.versions.map((v) => v.version)).toEqual([1]);
    expect(list.earlierHistories).toEqual([expect.objectContaining({ history: 1, versions: 3 })]);
  }, 60_000);
});
