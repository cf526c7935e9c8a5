import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { pgDriver } from './pg-driver.js';
import type { Article } from '../corpus/article.js';
import { SearchError } from '../errors.js';
import { IDEMPOTENCY_WINDOW_MS, type IdempotentWrite } from '../live/idempotency.js';
import type { JournalChange, JournalRecord } from '../live/journal.js';
// ── article versions (#25): the table and its statements live in pg-versions.ts ──
import {
  insertVersions,
  readCurrent,
  replacedVersions,
  VERSIONS_SCHEMA,
  versionsBetween,
  type StoredVersionRow,
} from './pg-versions.js';

/** The channel a committed change is announced on (payload: its `seq`). */
export const CHANGES_CHANNEL = 'nrs_changes';
/** Advisory lock key held by every write transaction (see `write`) and by schema creation. */
const WRITE_LOCK = 7_215_015;
/** Milliseconds to wait for a connection or a query before the store counts as unreachable. */
const CONNECT_TIMEOUT_MS = 2_000;
const QUERY_TIMEOUT_MS = 10_000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS store_identity (id text PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE IF NOT EXISTS articles (
  id text PRIMARY KEY,
  article jsonb,
  deleted boolean NOT NULL DEFAULT false,
  seq bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS changes (
  seq bigserial PRIMARY KEY,
  id text NOT NULL,
  op text NOT NULL CHECK (op IN ('put', 'delete')),
  article jsonb,
  reason text,
  at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE changes ADD COLUMN IF NOT EXISTS idem_key text, ADD COLUMN IF NOT EXISTS idem_fp text, ADD COLUMN IF NOT EXISTS idem_created boolean;
CREATE INDEX IF NOT EXISTS changes_idem_key ON changes (idem_key) WHERE idem_key IS NOT NULL;`;

/** Errors of the connection (server down, restarting, unreachable), as opposed to a bad statement. */
export function isConnectionError(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  if (typeof e.code === 'string' && /^(08|57P0|53300)/.test(e.code)) return true;
  if (
    typeof e.code === 'string' &&
    ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH'].includes(e.code)
  )
    return true;
  return /Connection terminated|timeout exceeded|connect ECONN|Client has encountered a connection error|the database system is (starting|shutting)/i.test(
    e.message ?? '',
  );
}

/** A store error as the project's error: `store_unavailable` (HTTP 503) when PostgreSQL cannot be reached. */
export function storeError(error: unknown): SearchError {
  if (error instanceof SearchError) return error;
  const message = (error as Error).message ?? String(error);
  if (isConnectionError(error))
    return new SearchError(
      'store_unavailable',
      `The article store (PostgreSQL) cannot be reached (${message}); the write was not saved. Retry shortly.`,
      { cause: error },
    );
  return new SearchError(
    'store_failed',
    `The article store (PostgreSQL) refused the write (${message}); the write was not saved.`,
    { cause: error },
  );
}

/** A change as the `changes` table holds it. */
interface ChangeRow {
  seq: string;
  id: string;
  op: 'put' | 'delete';
  article: Article | null;
  reason: string | null;
  at: Date;
  idem_key: string | null;
  idem_fp: string | null;
  idem_created: boolean | null;
}

/** The columns of a change, as `recordOf` reads them. */
const CHANGE_COLUMNS = 'seq, id, op, article, reason, at, idem_key, idem_fp, idem_created';

function recordOf(row: ChangeRow): JournalRecord {
  const idem =
    row.idem_key === null
      ? {}
      : {
          idem: {
            key: row.idem_key,
            fingerprint: row.idem_fp ?? '',
            ...(row.idem_created === null ? {} : { created: row.idem_created }),
          },
        };
  const base = { seq: Number(row.seq), at: row.at.toISOString(), id: row.id, ...idem };
  if (row.op === 'put') return { ...base, op: 'put', article: row.article! };
  return { ...base, op: 'delete', ...(row.reason === null ? {} : { reason: row.reason }) };
}

/**
 * The PostgreSQL article store (`DATABASE_URL`): table `articles` (the latest
 * state of each id, takedowns as `deleted`) and table `changes` (every write,
 * numbered by `seq`), written in one transaction, announced with `NOTIFY` on
 * commit. Write transactions take one advisory lock, so numbers are committed
 * in order: a reader that saw change n has seen every change before it (a
 * `bigserial` alone does not promise that: a later number can commit first).
 * The store's id (table `store_identity`, made once) is the epoch of the
 * journals mirroring it. Table `article_versions` (see `pg-versions.ts`) keeps,
 * in the same transaction, each version a write replaced or took down.
 */
export class PgStore {
  readonly pool: pg.Pool;

  constructor(readonly url: string) {
    this.pool = new (pgDriver().Pool)({
      connectionString: url,
      max: 4,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      query_timeout: QUERY_TIMEOUT_MS,
      idleTimeoutMillis: 10_000,
    });
    // An idle client losing its server (a restart) must not crash the process: the pool drops it.
    this.pool.on('error', () => {});
  }

  /**
   * A client of the pool for a transaction, with its own `'error'` listener:
   * the pool listens only to idle clients, and a checked-out client whose
   * server goes away (a restart) emits `'error'`, which without a listener
   * ends the process. The query in flight rejects too; `done` hands the client
   * back, destroying it when its connection failed.
   */
  private async checkout(): Promise<{ client: pg.PoolClient; done: () => void }> {
    const client = await this.pool.connect().catch((error: unknown) => {
      throw storeError(error);
    });
    let failed: Error | undefined;
    const onError = (error: Error) => {
      failed = error;
    };
    client.on('error', onError);
    return {
      client,
      done: () => {
        client.off('error', onError);
        client.release(failed);
      },
    };
  }

  /** Creates the tables when missing and returns the store's id (made on first use). */
  async prepare(): Promise<string> {
    const { client, done } = await this.checkout();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [WRITE_LOCK]);
      await client.query(SCHEMA);
      // ── article versions (#25) ──
      await client.query(VERSIONS_SCHEMA);
      await client.query('INSERT INTO store_identity (id) SELECT $1 WHERE NOT EXISTS (SELECT 1 FROM store_identity)', [
        randomUUID(),
      ]);
      const { rows } = await client.query<{ id: string }>('SELECT id FROM store_identity LIMIT 1');
      await client.query('COMMIT');
      return rows[0]!.id;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw storeError(error);
    } finally {
      done();
    }
  }

  /**
   * Writes changes in one transaction and resolves once PostgreSQL committed
   * them, with their records (numbers and times given by the store). `skipUnchanged`:
   * a put whose article equals the stored one, or whose id is taken down, is left
   * out (an import run again changes nothing and restores no takedown).
   * Rejects with `store_unavailable` when PostgreSQL cannot be reached.
   */
  async write(changes: readonly JournalChange[], options: { skipUnchanged?: boolean } = {}): Promise<JournalRecord[]> {
    if (changes.length === 0) return [];
    const keys = changes.flatMap((c) => (c.idem ? [c.idem.key] : []));
    const input = changes.map((c) => ({
      ...(c.op === 'put'
        ? { id: c.id, op: 'put', article: c.article }
        : { id: c.id, op: 'delete', reason: c.reason ?? null }),
      idem_key: c.idem?.key ?? null,
      idem_fp: c.idem?.fingerprint ?? null,
      idem_created: c.idem?.created ?? null,
    }));
    const skip = options.skipUnchanged
      ? `WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.id = i.id AND (a.deleted OR a.article = i.article))`
      : '';
    const sql = `
      WITH input AS (
        SELECT e->>'id' AS id, e->>'op' AS op, e->'article' AS article, e->>'reason' AS reason,
          e->>'idem_key' AS idem_key, e->>'idem_fp' AS idem_fp,
          -- Whether a put creates its article, as the store sees it (a node's own view may lag).
          CASE WHEN e->>'op' = 'put' AND e->>'idem_key' IS NOT NULL
            THEN NOT EXISTS (SELECT 1 FROM articles a WHERE a.id = e->>'id' AND NOT a.deleted)
            ELSE (e->>'idem_created')::boolean END AS idem_created, n
        FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS t(e, n)
      ), inserted AS (
        INSERT INTO changes (id, op, article, reason, idem_key, idem_fp, idem_created)
        SELECT i.id, i.op, CASE WHEN i.op = 'put' THEN i.article END, i.reason, i.idem_key, i.idem_fp, i.idem_created FROM input i ${skip} ORDER BY i.n
        RETURNING ${CHANGE_COLUMNS}
      ), latest AS (
        INSERT INTO articles (id, article, deleted, seq)
        SELECT DISTINCT ON (id) id, article, op = 'delete', seq FROM inserted ORDER BY id, seq DESC
        ON CONFLICT (id) DO UPDATE SET article = EXCLUDED.article, deleted = EXCLUDED.deleted, seq = EXCLUDED.seq, updated_at = now()
      )
      SELECT ${CHANGE_COLUMNS} FROM inserted ORDER BY seq`;
    const { client, done } = await this.checkout();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [WRITE_LOCK]);
      // Under the lock, a key an earlier write carried is seen however close the retry came:
      // that write's record is the answer, and nothing is written again.
      const earlier = new Map<string, JournalRecord>();
      if (keys.length) {
        const { rows: found } = await client.query<ChangeRow>(
          `SELECT DISTINCT ON (idem_key) ${CHANGE_COLUMNS} FROM changes WHERE idem_key = ANY($1) AND at > now() - $2 * interval '1 millisecond' ORDER BY idem_key, seq DESC`,
          [keys, IDEMPOTENCY_WINDOW_MS],
        );
        for (const row of found) earlier.set(row.idem_key!, recordOf(row));
      }
      const fresh = input.filter((i) => i.idem_key === null || !earlier.has(i.idem_key));
      // ── article versions (#25): what the write replaces, read before it and kept in its transaction ──
      const current = await readCurrent(
        client,
        fresh.map((i) => i.id),
      );
      const { rows } = fresh.length ? await client.query<ChangeRow>(sql, [JSON.stringify(fresh)]) : { rows: [] };
      await insertVersions(client, replacedVersions(current, rows.map(recordOf)));
      const last = rows[rows.length - 1];
      if (last) await client.query(`SELECT pg_notify('${CHANGES_CHANNEL}', $1)`, [String(last.seq)]);
      await client.query('COMMIT');
      return [...earlier.values(), ...rows.map(recordOf)];
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      // A commit whose answer was lost may have happened: the change feed will tell; the client is told to retry.
      throw storeError(error);
    } finally {
      done();
    }
  }

  /** Changes after `seq`, in order, at most `limit`. */
  async changesAfter(seq: number, limit: number): Promise<JournalRecord[]> {
    const { rows } = await this.pool.query<ChangeRow>(
      `SELECT ${CHANGE_COLUMNS} FROM changes WHERE seq > $1 ORDER BY seq LIMIT $2`,
      [seq, limit],
    );
    return rows.map(recordOf);
  }

  // ── article versions (#25) ──
  /** The earlier versions kept by changes `after` < seq ≤ `upTo`, in order (see `pg-versions.ts`). */
  versionsBetween(after: number, upTo: number): Promise<StoredVersionRow[]> {
    return versionsBetween(this.pool, after, upTo);
  }

  /** Whether the store holds `id` now (written, not taken down); `store_unavailable` when unreachable. */
  async holds(id: string): Promise<boolean> {
    const { rows } = await this.pool
      .query<{ one: number }>('SELECT 1 AS one FROM articles WHERE id = $1 AND NOT deleted', [id])
      .catch((error: unknown) => {
        throw storeError(error);
      });
    return rows.length > 0;
  }

  /** The write of the last 24 h that carried idempotency key `key`, if any (`store_unavailable` when unreachable). */
  async recall(key: string): Promise<IdempotentWrite | undefined> {
    const { rows } = await this.pool
      .query<ChangeRow>(
        `SELECT ${CHANGE_COLUMNS} FROM changes WHERE idem_key = $1 AND at > now() - $2 * interval '1 millisecond' ORDER BY seq DESC LIMIT 1`,
        [key, IDEMPOTENCY_WINDOW_MS],
      )
      .catch((error: unknown) => {
        throw storeError(error);
      });
    const row = rows[0];
    if (!row) return undefined;
    return {
      key,
      fingerprint: row.idem_fp ?? '',
      ...(row.idem_created === null ? {} : { created: row.idem_created }),
      op: row.op,
      id: row.id,
      seq: Number(row.seq),
      atMs: row.at.getTime(),
    };
  }

  /** Number of the last committed change (0: none). */
  async headSeq(): Promise<number> {
    const { rows } = await this.pool.query<{ seq: string | null }>('SELECT max(seq) AS seq FROM changes');
    return Number(rows[0]?.seq ?? 0);
  }

  /** Counts of the `articles` table: live and taken down. */
  async counts(): Promise<{ articles: number; deleted: number }> {
    const { rows } = await this.pool.query<{ live: string; deleted: string }>(
      'SELECT count(*) FILTER (WHERE NOT deleted) AS live, count(*) FILTER (WHERE deleted) AS deleted FROM articles',
    );
    return { articles: Number(rows[0]?.live ?? 0), deleted: Number(rows[0]?.deleted ?? 0) };
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => {});
  }
}
