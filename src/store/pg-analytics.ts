import type { DayCounts } from '../analytics/day-counts.js';
import { emptyDay } from '../analytics/day-counts.js';
import type { AnalyticsBackend } from '../analytics/search-analytics.js';
import { storeError, type PgStore } from './pg-store.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS analytics_counts (
  day date NOT NULL,
  kind text NOT NULL,
  key text NOT NULL,
  count bigint NOT NULL,
  PRIMARY KEY (day, kind, key)
);`;

/** The scalar counts of a day, stored with the key ''. */
const TOTALS = ['searches', 'noHitSearches', 'clicks'] as const;
/** The keyed tables of a day. */
const TABLES = ['queries', 'noHits', 'clickedQueries', 'positions'] as const;

/**
 * Analytics in the article store's PostgreSQL (table `analytics_counts`: day, kind, key, count):
 * each node adds its counts (`count = count + n`), so a report from any node is the sum over all.
 */
export class PgAnalytics implements AnalyticsBackend {
  private prepared: Promise<void> | null = null;

  constructor(private readonly store: PgStore) {}

  private prepare(): Promise<void> {
    this.prepared ??= this.store.pool.query(SCHEMA).then(
      () => undefined,
      (error: unknown) => {
        this.prepared = null;
        throw storeError(error);
      },
    );
    return this.prepared;
  }

  async add(days: ReadonlyMap<string, DayCounts>): Promise<void> {
    await this.prepare();
    const rows: { day: string; kind: string; key: string; count: number }[] = [];
    for (const [day, counts] of days) {
      for (const kind of TOTALS) if (counts[kind] > 0) rows.push({ day, kind, key: '', count: counts[kind] });
      for (const kind of TABLES)
        for (const [key, count] of Object.entries(counts[kind])) rows.push({ day, kind, key, count });
    }
    if (rows.length === 0) return;
    await this.store.pool
      .query(
        `INSERT INTO analytics_counts (day, kind, key, count)
         SELECT r.day::date, r.kind, r.key, r.count FROM jsonb_to_recordset($1::jsonb) AS r(day text, kind text, key text, count bigint)
         ON CONFLICT (day, kind, key) DO UPDATE SET count = analytics_counts.count + EXCLUDED.count`,
        [JSON.stringify(rows)],
      )
      .catch((error: unknown) => {
        throw storeError(error);
      });
  }

  async prune(day: string): Promise<void> {
    await this.prepare();
    await this.store.pool.query('DELETE FROM analytics_counts WHERE day < $1::date', [day]).catch((error: unknown) => {
      throw storeError(error);
    });
  }

  async read(from: string, to: string): Promise<Map<string, DayCounts>> {
    await this.prepare();
    const { rows } = await this.store.pool
      .query<{ day: string; kind: string; key: string; count: string }>(
        `SELECT to_char(day, 'YYYY-MM-DD') AS day, kind, key, count FROM analytics_counts WHERE day BETWEEN $1::date AND $2::date`,
        [from, to],
      )
      .catch((error: unknown) => {
        throw storeError(error);
      });
    const days = new Map<string, DayCounts>();
    for (const row of rows) {
      let counts = days.get(row.day);
      if (!counts) days.set(row.day, (counts = emptyDay()));
      const kind = row.kind;
      const n = Number(row.count);
      if ((TOTALS as readonly string[]).includes(kind)) counts[kind as (typeof TOTALS)[number]] = n;
      else if ((TABLES as readonly string[]).includes(kind)) counts[kind as (typeof TABLES)[number]][row.key] = n;
    }
    return days;
  }

  /** The store's pool is closed by its owner. */
  async close(): Promise<void> {}
}
