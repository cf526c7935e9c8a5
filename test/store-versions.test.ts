import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Article } from '../src/corpus/article.js';
import { Journal, type JournalRecord } from '../src/live/journal.js';
import { VersionHistory } from '../src/live/version-history.js';
import type { PgStore } from '../src/store/pg-store.js';
import { replacedVersions, type CurrentState, type StoredVersionRow } from '../src/store/pg-versions.js';
import { StoreMirror } from '../src/store/store-mirror.js';

/**
 * The article store's versions without PostgreSQL: which versions a write
 * replaces (the rule the store applies in its transaction), and a node's copy
 * of them, made by its mirror from a stand-in store.
 */

const article = (id: string, text: string, title = id): Article => ({
  id,
  title,
  date: null,
  authors: [],
  source: null,
  section: null,
  url: null,
  tags: [],
  paragraphs: [text],
  file: '(api)',
});
const put = (seq: number, id: string, text: string): JournalRecord => ({
  seq,
  at: `2026-01-01T00:00:0${seq}.000Z`,
  op: 'put',
  id,
  article: article(id, text),
});

describe('replacedVersions (what a write keeps in the store)', () => {
  it('keeps the live article a changing put or a takedown replaces, chaining several changes of one id in a write', () => {
    const state: CurrentState = new Map([['a', { article: article('a', 'one'), since: '2025-12-31T00:00:00.000Z' }]]);
    const rows = replacedVersions(state, [
      put(1, 'a', 'one'), // the same content: nothing kept, still current since the first time
      put(2, 'a', 'two'), // replaces "one", current since 2025-12-31
      put(3, 'b', 'new'), // an id with nothing before: nothing kept
      { seq: 4, at: '2026-01-01T00:00:04.000Z', op: 'delete', id: 'a' }, // takes down "two", current since change 2
      put(5, 'a', 'again'), // a new history after the takedown: nothing kept
      { seq: 6, at: '2026-01-01T00:00:06.000Z', op: 'delete', id: 'zz' }, // a takedown of nothing: nothing kept
    ]);
    expect(rows.map((r) => [r.seq, r.id, r.article.paragraphs[0], r.since, r.takedown])).toEqual([
      [2, 'a', 'one', '2025-12-31T00:00:00.000Z', false],
      [4, 'a', 'two', '2026-01-01T00:00:02.000Z', true],
    ]);
    expect(state.get('a')?.article?.paragraphs).toEqual(['again']);
  });
});

describe("a node's copy of the store's versions", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'nrs-store-versions-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** A store whose feed and versions are the arrays given; counts the version queries. */
  function fakeStore(feed: JournalRecord[], versions: StoredVersionRow[]) {
    const asked: [number, number][] = [];
    const store = {
      url: 'postgres://unused',
      changesAfter: async (seq: number, limit: number) => feed.filter((r) => r.seq > seq).slice(0, limit),
      versionsBetween: async (after: number, upTo: number) => {
        asked.push([after, upTo]);
        return versions.filter((v) => v.seq > after && v.seq <= upTo);
      },
    } as unknown as PgStore;
    return { store, asked };
  }

  it('copies the versions of the changes it fetches, with the store times, and lists the same histories after a reopen', async () => {
    const feed = [
      put(1, 'a', 'one'),
      put(2, 'a', 'two'),
      { seq: 3, at: '2026-01-01T00:00:03.000Z', op: 'delete', id: 'a' } as JournalRecord,
    ];
    const rows: StoredVersionRow[] = [
      {
        seq: 2,
        id: 'a',
        article: article('a', 'one'),
        since: '2026-01-01T00:00:01.000Z',
        at: '2026-01-01T00:00:02.000Z',
        takedown: false,
      },
      {
        seq: 3,
        id: 'a',
        article: article('a', 'two'),
        since: '2026-01-01T00:00:02.000Z',
        at: '2026-01-01T00:00:03.000Z',
        takedown: true,
      },
    ];
    const journal = Journal.open(dir, { write: true, epoch: 'store-1' });
    const versions = VersionHistory.open(dir, { write: true, epoch: 'store-1' });
    const { store, asked } = fakeStore(feed, rows);
    const mirror = new StoreMirror(store, journal, () => {}, Date.now, versions);
    await mirror.catchUp();
    expect(versions.lastSeq).toBe(3);
    const [history] = versions.historiesOf('a');
    expect(history?.takenDownAt).toBe('2026-01-01T00:00:03.000Z');
    expect(history?.versions.map((v) => [v.version, v.since, v.until, v.article.paragraphs[0]])).toEqual([
      [1, '2026-01-01T00:00:01.000Z', '2026-01-01T00:00:02.000Z', 'one'],
      [2, '2026-01-01T00:00:02.000Z', '2026-01-01T00:00:03.000Z', 'two'],
    ]);
    // A poll that fetches no change asks for no versions; the same rows given again are not copied twice.
    await mirror.catchUp();
    expect(asked).toEqual([[0, 3]]);
    await versions.appendMirrored(rows);
    versions.close();
    journal.close();
    const again = VersionHistory.open(dir, { write: false });
    expect(again.epoch).toBe('store-1');
    expect(again.historiesOf('a')).toEqual(versions.historiesOf('a'));
    again.close();
  });
});
