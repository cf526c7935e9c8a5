import type pg from 'pg';
import type { Article } from '../corpus/article.js';
import { contentChanged } from '../live/corpus-versions.js';
import type { JournalRecord } from '../live/journal.js';
import type { MirroredVersion } from '../live/version-history.js';

/**
 * The article store's earlier versions (#25): table `article_versions`, one
 * row per change that replaced an article's content or took it down, keyed by
 * that change's number (`seq`) and written in the same transaction as the
 * change. Every node copies the rows into its own version file with the
 * change feed (see `StoreMirror`), so all nodes list the same versions.
 */
export const VERSIONS_SCHEMA = `
CREATE TABLE IF NOT EXISTS article_versions (
  seq bigint PRIMARY KEY,
  id text NOT NULL,
  article jsonb NOT NULL,
  since timestamptz,
  at timestamptz NOT NULL,
  takedown boolean NOT NULL
);
CREATE INDEX IF NOT EXISTS article_versions_id ON article_versions (id);`;

/** An earlier version as the store keeps it: the article a change (`seq`, at `at`) replaced or took down. */
export type StoredVersionRow = MirroredVersion;

/** What an id held before a write: its live article (null: none, or taken down) and since when. */
export type CurrentState = Map<string, { article: Article | null; since: string | null }>;

/** Reads, inside a write's transaction and before it, the live article of each id and when it became current. */
export async function readCurrent(client: pg.PoolClient, ids: readonly string[]): Promise<CurrentState> {
  const state: CurrentState = new Map();
  if (ids.length === 0) return state;
  const { rows } = await client.query<{ id: string; article: Article | null; deleted: boolean; at: Date | null }>(
    'SELECT a.id, a.article, a.deleted, c.at FROM articles a LEFT JOIN changes c ON c.seq = a.seq WHERE a.id = ANY($1)',
    [[...new Set(ids)]],
  );
  for (const row of rows)
    state.set(row.id, { article: row.deleted ? null : row.article, since: row.at?.toISOString() ?? null });
  return state;
}

/**
 * The versions a write's records replace, in order (pure): a put whose content
 * differs from the id's live article keeps that article; a takedown of a live
 * article keeps it and ends the history; a put over nothing (or over a
 * takedown: a new history) keeps nothing. `state` is updated as it goes, so
 * several records of one id in a write chain correctly.
 */
export function replacedVersions(state: CurrentState, records: readonly JournalRecord[]): StoredVersionRow[] {
  const rows: StoredVersionRow[] = [];
  for (const record of records) {
    const before = state.get(record.id);
    const previous = before?.article ?? null;
    if (record.op === 'delete') {
      if (previous)
        rows.push({
          seq: record.seq,
          id: record.id,
          article: previous,
          since: before?.since ?? null,
          at: record.at,
          takedown: true,
        });
      state.set(record.id, { article: null, since: null });
    } else if (!previous) {
      state.set(record.id, { article: record.article, since: record.at });
    } else if (contentChanged(previous, record.article)) {
      rows.push({
        seq: record.seq,
        id: record.id,
        article: previous,
        since: before?.since ?? null,
        at: record.at,
        takedown: false,
      });
      state.set(record.id, { article: record.article, since: record.at });
    } else {
      // The same content again: no new version, and it has been current since the same time.
      state.set(record.id, { article: record.article, since: before?.since ?? null });
    }
  }
  return rows;
}

/** Writes version rows inside the write's transaction (one statement). */
export async function insertVersions(client: pg.PoolClient, rows: readonly StoredVersionRow[]): Promise<void> {
  if (rows.length === 0) return;
  await client.query(
    `INSERT INTO article_versions (seq, id, article, since, at, takedown)
     SELECT (e->>'seq')::bigint, e->>'id', e->'article', (e->>'since')::timestamptz, (e->>'at')::timestamptz, (e->>'takedown')::boolean
     FROM jsonb_array_elements($1::jsonb) AS t(e)`,
    [JSON.stringify(rows)],
  );
}

/** The version rows of changes `after` < seq ≤ `upTo`, in order. */
export async function versionsBetween(pool: pg.Pool, after: number, upTo: number): Promise<StoredVersionRow[]> {
  if (upTo <= after) return [];
  const { rows } = await pool.query<{
    seq: string;
    id: string;
    article: Article;
    since: Date | null;
    at: Date;
    takedown: boolean;
  }>('SELECT seq, id, article, since, at, takedown FROM article_versions WHERE seq > $1 AND seq <= $2 ORDER BY seq', [
    after,
    upTo,
  ]);
  return rows.map((r) => ({
    seq: Number(r.seq),
    id: r.id,
    article: r.article,
    since: r.since?.toISOString() ?? null,
    at: r.at.toISOString(),
    takedown: r.takedown,
  }));
}
