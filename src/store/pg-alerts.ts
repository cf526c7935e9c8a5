import type pg from 'pg';
import type { Alert, AlertEventType, DeliveryState, FeedEntry } from '../alerts/alert.js';
import { type DueEvent, type DueOutcome, type ProposedEvent, webhookBodyOf } from './alert-outbox-event.js';
import { ALERTS_LOCK, FEED_LIMIT, PRUNE, PRUNE_LOCK, SCHEMA } from './pg-alerts-sql.js';
import { alertsFailure, PG_ALERTS_TIMEOUTS, type PgAlertsTimeouts } from './alert-store-error.js';
import { pgDriver } from './pg-driver.js';

export type { DueEvent, DueOutcome, ProposedEvent } from './alert-outbox-event.js';
export { alertStoreError, PG_ALERTS_TIMEOUTS, type PgAlertsTimeouts } from './alert-store-error.js';

/**
 * The saved searches of a PostgreSQL article store, shared by its nodes: table
 * `alerts` (one row per alert, its JSON), a change counter (`alert_version`,
 * bumped with every change, so nodes reload the alerts they match only when it
 * moved), and the outbox `alert_events`, keyed by (alert, article, store change
 * number): every node proposes the events of the changes it applies and the
 * first proposal of each key is kept (`ON CONFLICT DO NOTHING`), so N nodes
 * make one event. Feeds are read from the same table (the latest event of each
 * article). Delivery: any node claims the head of an alert's queue with
 * `FOR UPDATE SKIP LOCKED` and records the outcome in the same transaction;
 * a node that dies mid-delivery releases its lock, and another retries.
 */
export class PgAlerts {
  readonly pool: pg.Pool;
  private readonly timeouts: PgAlertsTimeouts;

  /** `connections`: the pool's size (each delivery in flight holds one). */
  constructor(url: string, connections: number, timeouts: Partial<PgAlertsTimeouts> = {}) {
    this.timeouts = { ...PG_ALERTS_TIMEOUTS, ...timeouts };
    this.pool = new (pgDriver().Pool)({
      connectionString: url,
      max: connections,
      connectionTimeoutMillis: 2_000,
      lock_timeout: this.timeouts.lockMs,
      statement_timeout: this.timeouts.statementMs,
      idle_in_transaction_session_timeout: this.timeouts.idleInTransactionMs,
      query_timeout: this.timeouts.statementMs + 2_000,
      idleTimeoutMillis: 10_000,
    });
    this.pool.on('error', () => {});
  }

  /** Creates the tables when missing. */
  async prepare(): Promise<void> {
    await this.transaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [ALERTS_LOCK]);
      await client.query(SCHEMA);
    });
  }

  /** The change counter of the alerts (moves with every create, change and delete). */
  async version(): Promise<number> {
    const { rows } = await this.query<{ n: string }>('SELECT n FROM alert_version');
    return Number(rows[0]?.n ?? 0);
  }

  /** The store change up to which some node matched every change (null: never recorded). */
  async matchedUpTo(): Promise<number | null> {
    const { rows } = await this.query<{ seq: string }>('SELECT seq FROM alert_progress');
    return rows[0] ? Number(rows[0].seq) : null;
  }

  /** Records that the changes up to `seq` were matched (never moves back). */
  async matched(seq: number): Promise<void> {
    await this.query(
      'INSERT INTO alert_progress (one, seq) VALUES (true, $1) ON CONFLICT (one) DO UPDATE SET seq = GREATEST(alert_progress.seq, EXCLUDED.seq)',
      [seq],
    );
  }

  /** Every alert, oldest first. */
  async list(): Promise<Alert[]> {
    const { rows } = await this.query<{ alert: Alert }>('SELECT alert FROM alerts ORDER BY created_at, id');
    return rows.map((r) => r.alert);
  }

  async get(id: string): Promise<Alert | undefined> {
    const { rows } = await this.query<{ alert: Alert }>('SELECT alert FROM alerts WHERE id = $1', [id]);
    return rows[0]?.alert;
  }

  /** Adds an alert unless `max` are kept already (then false). */
  async create(alert: Alert, max: number): Promise<boolean> {
    return this.transaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [ALERTS_LOCK]);
      const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM alerts');
      if (Number(rows[0]?.n ?? 0) >= max) return false;
      await client.query('INSERT INTO alerts (id, alert) VALUES ($1, $2)', [alert.id, JSON.stringify(alert)]);
      await client.query('UPDATE alert_version SET n = n + 1');
      return true;
    });
  }

  /** Replaces an alert (false when gone); `giveUpQueued`: its undelivered events are abandoned (its webhook was removed). */
  async replace(alert: Alert, giveUpQueued: boolean): Promise<boolean> {
    return this.transaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [ALERTS_LOCK]);
      const { rowCount } = await client.query('UPDATE alerts SET alert = $2 WHERE id = $1', [
        alert.id,
        JSON.stringify(alert),
      ]);
      if (!rowCount) return false;
      if (giveUpQueued)
        await client.query(
          `UPDATE alert_events SET state = 'abandoned', last_error = 'the webhook was removed' WHERE alert_id = $1 AND state = 'pending'`,
          [alert.id],
        );
      await client.query('UPDATE alert_version SET n = n + 1');
      return true;
    });
  }

  /** Deletes an alert with its feed and outbox; false when unknown. */
  async remove(id: string): Promise<boolean> {
    return this.transaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [ALERTS_LOCK]);
      const { rowCount } = await client.query('DELETE FROM alerts WHERE id = $1', [id]);
      if (rowCount) await client.query('UPDATE alert_version SET n = n + 1');
      return (rowCount ?? 0) > 0;
    });
  }

  /**
   * The feed entries that held each of `articles` just before its change
   * (events of earlier changes only, so every node sees the same past whatever
   * it has applied): article id → alert id → entry.
   */
  async entriesBefore(articles: readonly { id: string; seq: number }[]): Promise<Map<string, Map<string, FeedEntry>>> {
    const out = new Map<string, Map<string, FeedEntry>>();
    if (articles.length === 0) return out;
    const { rows } = await this.query<{ alert_id: string; article_id: string; entry: FeedEntry | null }>(
      `SELECT DISTINCT ON (e.alert_id, e.article_id) e.alert_id, e.article_id, e.entry
       FROM alert_events e JOIN jsonb_to_recordset($1::jsonb) AS q(id text, seq bigint) ON e.article_id = q.id AND e.change_seq < q.seq
       ORDER BY e.alert_id, e.article_id, e.change_seq DESC, e.seq DESC`,
      [JSON.stringify(articles)],
    );
    for (const row of rows) {
      if (!row.entry) continue;
      let byAlert = out.get(row.article_id);
      if (!byAlert) out.set(row.article_id, (byAlert = new Map()));
      byAlert.set(row.alert_id, row.entry);
    }
    return out;
  }

  /**
   * Inserts events, keeping the first of each (alert, article, change) and
   * skipping deleted alerts; queued for the webhook when the alert has one and
   * is not paused. Returns the types of those inserted (another node's proposal
   * of the same key makes none). Events of changes up to the last one matched
   * when the outbox was last pruned are refused: every node matched those long
   * ago, and their events may have been pruned (a node applying old changes
   * late would make them again).
   */
  async propose(events: readonly ProposedEvent[]): Promise<AlertEventType[]> {
    if (events.length === 0) return [];
    const input = events.map((e) => ({
      alert_id: e.alertId,
      article_id: e.articleId,
      change_seq: e.changeSeq,
      event: e.event,
      entry: e.entry,
    }));
    const { rows } = await this.query<{ type: AlertEventType }>(
      `INSERT INTO alert_events (alert_id, article_id, change_seq, event, entry, state)
       SELECT i.alert_id, i.article_id, i.change_seq, i.event, i.entry,
         CASE WHEN a.alert->'webhook' IS NOT NULL AND a.alert->'webhook' <> 'null'::jsonb AND NOT (a.alert->>'paused')::boolean THEN 'pending' ELSE 'none' END
       FROM jsonb_to_recordset($1::jsonb) AS i(alert_id text, article_id text, change_seq bigint, event jsonb, entry jsonb)
       JOIN alerts a ON a.id = i.alert_id
       WHERE i.change_seq > coalesce((SELECT seq FROM alert_pruned), 0)
       ORDER BY i.change_seq
       ON CONFLICT DO NOTHING
       RETURNING event->>'type' AS type`,
      [JSON.stringify(input)],
    );
    return rows.map((r) => r.type);
  }

  /** An alert's feed: one entry per article whose latest event keeps it, newest first, at most 100. */
  async feed(alertId: string): Promise<FeedEntry[]> {
    const { rows } = await this.query<{ entry: FeedEntry }>(
      `SELECT entry FROM (
         SELECT DISTINCT ON (article_id) entry FROM alert_events WHERE alert_id = $1 ORDER BY article_id, change_seq DESC, seq DESC
       ) latest WHERE entry IS NOT NULL ORDER BY entry->>'updated' DESC LIMIT ${FEED_LIMIT}`,
      [alertId],
    );
    return rows.map((r) => r.entry);
  }

  /** Where an alert's webhook deliveries stand (shared by every node). */
  async delivery(alertId: string): Promise<DeliveryState> {
    const { rows } = await this.query<{
      pending: string;
      abandoned: string;
      last_success: Date | null;
      failures: number | null;
      last_error: string | null;
      next_at: Date | null;
    }>(
      `SELECT counts.pending, counts.abandoned,
         GREATEST(counts.last_sent, (SELECT at FROM alert_last_success WHERE alert_id = $1)) AS last_success,
         head.failures, head.last_error, head.next_at
       FROM (
         SELECT count(*) FILTER (WHERE state = 'pending') AS pending, count(*) FILTER (WHERE state = 'abandoned') AS abandoned,
           max(sent_at) AS last_sent
         FROM alert_events WHERE alert_id = $1
       ) counts LEFT JOIN LATERAL (
         SELECT failures, last_error, next_at FROM alert_events h WHERE h.alert_id = $1 AND h.state = 'pending' ORDER BY h.seq LIMIT 1
       ) head ON true`,
      [alertId],
    );
    const row = rows[0];
    return {
      pending: Number(row?.pending ?? 0),
      lastSuccess: row?.last_success?.toISOString() ?? null,
      failures: row?.failures ?? 0,
      lastError: row?.last_error ?? null,
      nextTry: row?.next_at?.toISOString() ?? null,
      abandoned: Number(row?.abandoned ?? 0),
    };
  }

  /** Undelivered events of every alert, and the oldest one's age (s). */
  async queue(): Promise<{ queued: number; ageSeconds: number }> {
    const { rows } = await this.query<{ n: string; age: number | null }>(
      `SELECT count(*) AS n, extract(epoch FROM now() - min(created_at))::float8 AS age FROM alert_events WHERE state = 'pending'`,
    );
    return { queued: Number(rows[0]?.n ?? 0), ageSeconds: Math.max(0, rows[0]?.age ?? 0) };
  }

  /**
   * Claims one due event at the head of its alert's queue (rows other nodes
   * hold are skipped, and so is every later event of their alert: events go
   * in order per alert), hands it to `deliver`, and records the outcome in the
   * same transaction. False when nothing is due. If `deliver` throws (or this
   * process dies) the transaction ends without a trace: the event stays due.
   */
  async deliverNext(deliver: (due: DueEvent) => Promise<DueOutcome>): Promise<boolean> {
    return this.transaction(async (client) => {
      const { rows } = await client.query<{
        seq: string;
        event: ProposedEvent['event'];
        event_id: string;
        webhook: { url: string; secret: string } | null;
        failures: number;
        age_ms: number;
      }>(
        `SELECT e.seq, e.event, e.event->>'id' AS event_id, a.alert->'webhook' AS webhook, e.failures,
           (extract(epoch FROM now() - e.created_at) * 1000)::float8 AS age_ms
         FROM alert_events e JOIN alerts a ON a.id = e.alert_id
         WHERE e.state = 'pending' AND e.next_at <= now()
           AND NOT EXISTS (SELECT 1 FROM alert_events p WHERE p.alert_id = e.alert_id AND p.state = 'pending' AND p.seq < e.seq)
         ORDER BY e.seq LIMIT 1 FOR UPDATE OF e SKIP LOCKED`,
      );
      const row = rows[0];
      if (!row) return false;
      const webhook = row.webhook && typeof row.webhook === 'object' ? row.webhook : null;
      const outcome = await deliver({
        body: webhookBodyOf(row.event),
        eventId: row.event_id,
        webhook,
        failures: row.failures,
        ageMs: row.age_ms,
      });
      if (outcome.state === 'sent')
        await client.query(`UPDATE alert_events SET state = 'sent', sent_at = now() WHERE seq = $1`, [row.seq]);
      else if (outcome.state === 'abandoned')
        await client.query(`UPDATE alert_events SET state = 'abandoned', last_error = $2 WHERE seq = $1`, [
          row.seq,
          outcome.error,
        ]);
      else {
        await client.query(
          `UPDATE alert_events SET failures = $2, last_error = $3, next_at = now() + $4 * interval '1 millisecond' WHERE seq = $1`,
          [row.seq, outcome.failures, outcome.error, outcome.delayMs],
        );
      }
      return true;
    });
  }

  /**
   * Prunes the outbox (see {@link PRUNE}): the events done before the last
   * `retentionMs` that no feed needs, of changes every node has matched; from
   * then on the proposals of those changes are refused (see `propose`). One
   * node at a time: 0 when another is pruning, or when no change was matched yet.
   */
  async prune(retentionMs: number): Promise<number> {
    return this.transaction(async (client) => {
      const { rows: locked } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS ok', [
        PRUNE_LOCK,
      ]);
      if (!locked[0]?.ok) return 0;
      const { rows: progress } = await client.query<{ seq: string }>('SELECT seq FROM alert_progress');
      if (!progress[0]) return 0;
      const upTo = Number(progress[0].seq);
      const { rows } = await client.query<{ n: string }>(PRUNE, [retentionMs, upTo]);
      const pruned = Number(rows[0]?.n ?? 0);
      if (pruned > 0)
        await client.query(
          'INSERT INTO alert_pruned (one, seq) VALUES (true, $1) ON CONFLICT (one) DO UPDATE SET seq = GREATEST(alert_pruned.seq, EXCLUDED.seq)',
          [upTo],
        );
      return pruned;
    });
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => {});
  }

  private async query<R extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<pg.QueryResult<R>> {
    try {
      return await this.pool.query<R>(sql, values);
    } catch (error) {
      throw alertsFailure(error, this.timeouts);
    }
  }

  /** Runs `work` in a transaction on a client of its own (rolled back when it throws). */
  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect().catch((error: unknown) => {
      throw alertsFailure(error, this.timeouts);
    });
    let failed: Error | undefined;
    const onError = (error: Error) => {
      failed = error;
    };
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw alertsFailure(error, this.timeouts);
    } finally {
      client.off('error', onError);
      client.release(failed);
    }
  }
}
