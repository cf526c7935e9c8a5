import {
  countClick,
  countSearch,
  dayOf,
  daysBefore,
  emptyDay,
  addDay,
  normalizeQuery,
  type DayCounts,
} from './day-counts.js';
import { clicksReport, queriesReport, type ClicksReport, type QueriesReport } from './analytics-report.js';

/** Where counts are kept durably: a small file per process, or the article store (summed over nodes). */
export interface AnalyticsBackend {
  /** The counts of the days from `from` to `to` (`YYYY-MM-DD`, inclusive), summed over every node and process. */
  read(from: string, to: string): Promise<Map<string, DayCounts>>;
  /** Adds `days` (day → counts of this process since the last call) durably. */
  add(days: ReadonlyMap<string, DayCounts>): Promise<void>;
  /** Forgets the days before `day`. */
  prune(day: string): Promise<void>;
  close(): Promise<void>;
}

/** Options of {@link SearchAnalytics}. */
export interface SearchAnalyticsOptions {
  /** Days kept, today included (`ANALYTICS_DAYS`); default 90. */
  keepDays?: number;
  /** How often counts are written, in milliseconds; default 5,000 (and always on `close` and before a report). */
  flushMs?: number;
  /** The clock, ms since the epoch; default `Date.now`. */
  now?: () => number;
  /** Where a failed write is reported (the counts are kept and written next time). */
  onError?: (error: unknown) => void;
}

/** Default of `ANALYTICS_DAYS`. */
export const DEFAULT_ANALYTICS_DAYS = 90;

/**
 * Search analytics: counts of normalised queries, of queries that found nothing, and of clicks by
 * hit position, per UTC day, kept `keepDays`. Counts are gathered in memory and added to the
 * backend every `flushMs` and before each report, so a report is exact. Only a query's text
 * (normalised), its hit count and a click's position are ever recorded: no IP address, no key,
 * no user id.
 */
export class SearchAnalytics {
  private pending = new Map<string, DayCounts>();
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  readonly keepDays: number;
  private readonly now: () => number;

  constructor(
    private readonly backend: AnalyticsBackend,
    private readonly options: SearchAnalyticsOptions = {},
  ) {
    this.keepDays = options.keepDays ?? DEFAULT_ANALYTICS_DAYS;
    this.now = options.now ?? Date.now;
  }

  private today(): DayCounts {
    const day = dayOf(this.now());
    let counts = this.pending.get(day);
    if (!counts) this.pending.set(day, (counts = emptyDay()));
    this.schedule();
    return counts;
  }

  private schedule(): void {
    if (this.timer !== null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush().catch((error: unknown) => this.options.onError?.(error));
    }, this.options.flushMs ?? 5_000);
    this.timer.unref();
  }

  /** Counts a search of `query` that found `hits` (a blank query is not counted). */
  recordSearch(query: string, hits: number): void {
    const normalized = normalizeQuery(query);
    if (normalized !== '') countSearch(this.today(), normalized, hits);
  }

  /** Counts a click on the hit at 1-based `position` of the results of `query` ('' when the page does not say). */
  recordClick(query: string, position: number): void {
    countClick(this.today(), normalizeQuery(query), position);
  }

  /** Writes the counts gathered so far (one write at a time); on failure they are kept for the next. */
  flush(): Promise<void> {
    const run = this.writing.then(async () => {
      if (this.pending.size === 0) return;
      const batch = this.pending;
      this.pending = new Map();
      try {
        await this.backend.add(batch);
        await this.backend.prune(daysBefore(dayOf(this.now()), this.keepDays - 1));
      } catch (error) {
        for (const [day, counts] of batch) {
          const kept = this.pending.get(day);
          if (kept) addDay(kept, counts);
          else this.pending.set(day, counts);
        }
        this.schedule();
        throw error;
      }
    });
    this.writing = run.catch(() => undefined);
    return run;
  }

  /** The first and last day of a report: `from`/`to` as given, else the days kept up to today. */
  range(from: string | null, to: string | null): { from: string; to: string } {
    const today = dayOf(this.now());
    const first = daysBefore(today, this.keepDays - 1);
    return { from: from === null || from < first ? first : from, to: to ?? today };
  }

  /** The `top` or `no-hits` queries report (see `queriesReport`). */
  async queries(
    kind: 'top' | 'no-hits',
    from: string | null,
    to: string | null,
    limit: number,
  ): Promise<QueriesReport> {
    await this.flush();
    const range = this.range(from, to);
    return queriesReport(await this.backend.read(range.from, range.to), kind, range.from, range.to, limit);
  }

  /** The clicks report (see `clicksReport`). */
  async clicks(from: string | null, to: string | null): Promise<ClicksReport> {
    await this.flush();
    const range = this.range(from, to);
    return clicksReport(await this.backend.read(range.from, range.to), range.from, range.to);
  }

  /** Writes what is pending and closes the backend. */
  async close(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.flush().catch((error: unknown) => this.options.onError?.(error));
    await this.backend.close();
  }
}
