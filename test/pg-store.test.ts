import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runImportCommand } from '../src/cli/import-command.js';
import { parseArgs } from '../src/cli/parse-args.js';
import { prepareStoreNode } from '../src/cli/store-setup.js';
import { Journal } from '../src/live/journal.js';
import { PgStore } from '../src/store/pg-store.js';
import { findPostgresBin, startTempPostgres, type TempPostgres } from '../scripts/cluster/temp-postgres.js';
import { ROOT } from './helpers/service-process.js';
import { apiArticle } from './helpers/api-article.js';

/**
 * The PostgreSQL article store and a node's mirror of it, against a real
 * throwaway PostgreSQL (skipped, saying so, when its binaries are missing).
 */

const article = apiArticle;

describe('Journal.appendRecords (a mirror of numbers given elsewhere)', () => {
  it('keeps the given numbers and epoch, skips numbers it already holds, and reads back the same after a reopen', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'nrs-mirror-'));
    try {
      const journal = Journal.open(dir, { write: true, epoch: 'store-1' });
      await journal.appendRecords([
        { seq: 5, at: '2026-01-01T00:00:00.000Z', op: 'put', id: 'a', article: article('a', 'alpha') },
        { seq: 9, at: '2026-01-01T00:00:01.000Z', op: 'delete', id: 'b' },
      ]);
      await journal.appendRecords([
        { seq: 9, at: 'x', op: 'delete', id: 'b' },
        { seq: 12, at: '2026-01-01T00:00:02.000Z', op: 'put', id: 'c', article: article('c', 'gamma') },
      ]);
      expect(journal.lastSeq).toBe(12);
      journal.close();
      const again = Journal.open(dir, { write: false });
      expect(again.epoch).toBe('store-1');
      expect(again.ids()).toEqual([
        { id: 'a', op: 'put', seq: 5 },
        { id: 'b', op: 'delete', seq: 9 },
        { id: 'c', op: 'put', seq: 12 },
      ]);
      expect(again.changesAfter(5, 10)).toEqual({ ids: ['b', 'c'], upTo: 12 });
      again.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

const bin = findPostgresBin();
if (!bin)
  console.warn(
    'pg-store tests skipped: PostgreSQL binaries not found (install the Debian package `postgresql`, or set PG_BIN)',
  );

describe.skipIf(!bin)('the PostgreSQL article store', () => {
  let pg: TempPostgres;
  let dir: string;
  beforeAll(async () => {
    pg = await startTempPostgres();
    dir = await mkdtemp(path.join(os.tmpdir(), 'nrs-store-'));
  }, 60_000);
  afterAll(async () => {
    pg?.destroy();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('numbers changes in commit order, keeps the latest state per id, and has one id across connections', async () => {
    const store = new PgStore(pg.url);
    const other = new PgStore(pg.url);
    try {
      const id = await store.prepare();
      expect(await other.prepare()).toBe(id);
      const head = await store.headSeq();
      // Writes from two connections at once: numbers are given and committed in one order.
      const written = await Promise.all(
        [0, 1, 2, 3].map((i) =>
          (i % 2 ? other : store).write([{ op: 'put', id: `w${i}`, article: article(`w${i}`, `text ${i}`) }]),
        ),
      );
      const seqs = written.map((r) => r[0]!.seq).sort((a, b) => a - b);
      expect(seqs).toEqual([head + 1, head + 2, head + 3, head + 4]);
      const [put, down] = await store.write([
        { op: 'put', id: 'w9', article: article('w9', 'nine') },
        { op: 'delete', id: 'w9', reason: 'legal' },
      ]);
      expect(down!.seq).toBe(put!.seq + 1);
      expect(down).toMatchObject({ op: 'delete', id: 'w9', reason: 'legal' });
      const feed = await store.changesAfter(head, 100);
      expect(feed.map((r) => r.seq)).toEqual([head + 1, head + 2, head + 3, head + 4, head + 5, head + 6]);
      expect(await store.counts()).toMatchObject({ deleted: 1 });
    } finally {
      await store.close();
      await other.close();
    }
  });

  it('writes a change with an idempotency key once, from any connection, and recalls it (a retry on another node)', async () => {
    const store = new PgStore(pg.url);
    const other = new PgStore(pg.url);
    try {
      await store.prepare();
      const idem = { key: 'retry-key-1', fingerprint: 'f1', created: true };
      const head = await store.headSeq();
      // Two nodes receive the same request at once (nginx retried a write it thought lost).
      const [a, b] = await Promise.all([
        store.write([{ op: 'put', id: 'k1', article: article('k1', 'once'), idem }]),
        other.write([{ op: 'put', id: 'k1', article: article('k1', 'once'), idem: { ...idem, created: false } }]),
      ]);
      expect(a![0]!.seq).toBe(b![0]!.seq);
      expect(a![0]!.idem).toEqual(idem);
      expect(b![0]!.idem).toEqual(idem);
      expect(await store.headSeq()).toBe(head + 1);
      expect(await other.recall('retry-key-1')).toMatchObject({
        key: 'retry-key-1',
        fingerprint: 'f1',
        created: true,
        op: 'put',
        id: 'k1',
        seq: head + 1,
      });
      expect(await other.recall('never-used')).toBeUndefined();
      // The key travels with the change feed, so every node's mirror journal knows it too.
      expect((await store.changesAfter(head, 10))[0]!.idem).toEqual(idem);
    } finally {
      await store.close();
      await other.close();
    }
  });

  it('imports a corpus folder idempotently: a second run writes nothing and a takedown stays down', async () => {
    const settings = parseArgs(['import', '--corpus', path.join(ROOT, 'test', 'fixtures', 'corpus', 'wires')], {
      DATABASE_URL: pg.url,
    });
    const out: string[] = [];
    const output = { out: (t: string) => out.push(t), err: (t: string) => out.push(t), isTTY: false };
    expect(await runImportCommand(settings, output)).toBe(0);
    const first = /(\d+) article\(s\) written/.exec(out.join(''))!;
    expect(Number(first[1])).toBeGreaterThan(0);
    const store = new PgStore(pg.url);
    try {
      const [one] = (await store.changesAfter(0, 1000)).filter((r) => r.op === 'put' && !r.id.startsWith('w'));
      await store.write([{ op: 'delete', id: one!.id }]);
      const head = await store.headSeq();
      out.length = 0;
      expect(await runImportCommand(settings, output)).toBe(0);
      expect(out.join('')).toMatch(/ 0 article\(s\) written, \d+ unchanged or taken down/);
      expect(await store.headSeq()).toBe(head);
    } finally {
      await store.close();
    }
  });

  it('gives a node a mirror of the whole feed with the store id as epoch, and moves aside a mirror of another store', async () => {
    const journalDir = path.join(dir, 'journal');
    const log: string[] = [];
    const node = await prepareStoreNode({ databaseUrl: pg.url, journalDir }, (l) => log.push(l));
    const head = await node.store.headSeq();
    expect(node.journal.lastSeq).toBe(head);
    expect(node.journal.epoch).toBe(await node.store.prepare());
    expect(node.journal.articleOf('w0')?.paragraphs).toEqual(['text 0']);
    expect(node.journal.opOf('w9')).toBe('delete');
    node.journal.close();
    await node.store.close();

    const elsewhere = path.join(dir, 'other');
    Journal.open(elsewhere, { write: true, epoch: 'another-store' }).close();
    const moved = await prepareStoreNode({ databaseUrl: pg.url, journalDir: elsewhere }, (l) => log.push(l));
    expect(moved.journal.epoch).not.toBe('another-store');
    expect(moved.journal.lastSeq).toBe(head);
    expect(log.join('\n')).toMatch(/followed another store/);
    moved.journal.close();
    await moved.store.close();
  });
});
