import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { Article } from '../src/corpus/article.js';
import { createApp } from '../src/http/create-app.js';
import { buildIndex } from '../src/index/index-writer.js';
import { Journal, type JournalRecord } from '../src/live/journal.js';
import type { PgStore } from '../src/store/pg-store.js';
import { lagProblem, StoreMirror } from '../src/store/store-mirror.js';
import { seedArticle } from './fixtures/http/build-test-index.js';

/**
 * A node's mirror of the store's change feed, with a stand-in store (no
 * PostgreSQL) and a clock of our own: what it fetches, and the lag it reports.
 */

const article = (id: string): Article => ({
  id,
  title: id,
  date: null,
  authors: [],
  source: null,
  section: null,
  url: null,
  tags: [],
  paragraphs: [`text of ${id}`],
  file: '(api)',
});

/** A store whose feed is `feed` and which fails while `down` is true. */
function fakeStore(feed: JournalRecord[]): { store: PgStore; setDown: (down: boolean) => void } {
  let down = false;
  const store = {
    url: 'postgres://unused',
    changesAfter: async (seq: number, limit: number) => {
      if (down) throw new Error('connect ECONNREFUSED');
      return feed.filter((r) => r.seq > seq).slice(0, limit);
    },
  } as unknown as PgStore;
  return { store, setDown: (d) => (down = d) };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nrs-store-mirror-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('StoreMirror', () => {
  it('copies the feed with the store numbers, and reports no lag before it ever caught up', async () => {
    const feed: JournalRecord[] = [
      { seq: 3, at: '2026-01-01T00:00:00.000Z', op: 'put', id: 'a', article: article('a') },
      { seq: 7, at: '2026-01-01T00:00:01.000Z', op: 'delete', id: 'a' },
      { seq: 8, at: '2026-01-01T00:00:02.000Z', op: 'put', id: 'b', article: article('b') },
    ];
    let now = 1_000_000;
    const journal = Journal.open(dir, { write: true, epoch: 'store' });
    const mirror = new StoreMirror(
      fakeStore(feed).store,
      journal,
      () => {},
      () => now,
    );
    expect(mirror.lag(0)).toEqual({ applied: 0, store: 0, lagSeconds: null, connected: false });
    expect(await mirror.catchUp()).toBe(3);
    expect(journal.lastSeq).toBe(8);
    expect(journal.opOf('a')).toBe('delete');
    expect(journal.articleOf('b')?.paragraphs).toEqual(['text of b']);
    now += 400;
    expect(mirror.lag(8)).toEqual({ applied: 8, store: 8, lagSeconds: 0.4, connected: true });
    journal.close();
  });

  it('counts the lag from the last time it held everything while the store cannot be reached, and catches up after', async () => {
    const feed: JournalRecord[] = [
      { seq: 1, at: '2026-01-01T00:00:00.000Z', op: 'put', id: 'a', article: article('a') },
    ];
    let now = 5_000_000;
    const journal = Journal.open(dir, { write: true, epoch: 'store' });
    const { store, setDown } = fakeStore(feed);
    const mirror = new StoreMirror(
      store,
      journal,
      () => {},
      () => now,
    );
    await mirror.catchUp();
    setDown(true);
    feed.push({ seq: 2, at: '2026-01-01T00:00:05.000Z', op: 'put', id: 'b', article: article('b') });
    now += 12_000;
    await expect(mirror.catchUp()).rejects.toThrow(/ECONNREFUSED/);
    expect(mirror.lag(1).lagSeconds).toBe(12);
    setDown(false);
    await mirror.catchUp();
    expect(journal.lastSeq).toBe(2);
    expect(mirror.lag(2).lagSeconds).toBe(0);
    journal.close();
  });

  it('resolves waitFor once the change is in the journal', async () => {
    const feed: JournalRecord[] = [];
    const journal = Journal.open(dir, { write: true, epoch: 'store' });
    const mirror = new StoreMirror(fakeStore(feed).store, journal);
    feed.push({ seq: 4, at: '2026-01-01T00:00:00.000Z', op: 'put', id: 'x', article: article('x') });
    await mirror.waitFor(4);
    expect(journal.opOf('x')).toBe('put');
    await mirror.close();
    journal.close();
  });
});

describe('lagProblem (readiness of a node following a store)', () => {
  it('keeps a node out until its first catch-up and past MAX_LAG_S, and in at or under it', () => {
    const lag = (lagSeconds: number | null) => ({ applied: 1, store: 1, lagSeconds, connected: true });
    expect(lagProblem(null, 10)).toBeNull();
    expect(lagProblem(lag(null), 10)).toBe('this node has not caught up with the article store yet');
    expect(lagProblem(lag(10), 10)).toBeNull();
    expect(lagProblem(lag(10.25), 10)).toBe('this node is 10.3 s behind the article store (more than MAX_LAG_S=10)');
  });
});

describe('GET /health of a node following a store', () => {
  it('answers 503 lagging with the reason while the node is too far behind, 200 ready otherwise', async () => {
    let reason: string | null = 'this node is 12.0 s behind the article store (more than MAX_LAG_S=10)';
    const index = buildIndex([seedArticle()]);
    const app = createApp({
      getIndex: () => index,
      notReady: () => reason,
      status: () => ({ store: { applied: 5, store: 9, lagSeconds: 12, connected: false } }),
    });
    const lagging = await request(app).get('/health');
    expect(lagging.status).toBe(503);
    expect(lagging.body).toMatchObject({
      status: 'lagging',
      reason,
      store: { applied: 5, store: 9, lagSeconds: 12, connected: false },
    });
    reason = null;
    const ready = await request(app).get('/health');
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('ready');
  });
});
