import { addDay, emptyDay, type DayCounts } from './day-counts.js';

/** One query of a report: its searches (or no-hit searches) and the clicks on its hits. */
export interface QueryCount {
  query: string;
  count: number;
  clicks: number;
}

/** One day of a report's chart. */
export interface DayTotals {
  day: string;
  searches: number;
  noHitSearches: number;
  clicks: number;
}

/** `GET /analytics/queries`: the most frequent queries (`top`) or those that found nothing (`no-hits`). */
export interface QueriesReport {
  kind: 'top' | 'no-hits';
  /** First and last day counted (UTC, inclusive). */
  from: string;
  to: string;
  searches: number;
  noHitSearches: number;
  clicks: number;
  /** Most searched first, then alphabetical; at most `limit`. */
  queries: QueryCount[];
  /** Every day of the range, oldest first (days without searches too). */
  days: DayTotals[];
}

/** `GET /analytics/clicks`: clicks by the 1-based position of the hit clicked. */
export interface ClicksReport {
  from: string;
  to: string;
  clicks: number;
  searches: number;
  /** Position order. */
  positions: { position: number; count: number }[];
  days: DayTotals[];
}

/** The days from `from` to `to` (inclusive, `YYYY-MM-DD`), oldest first. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000)
    out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

function totals(
  days: ReadonlyMap<string, DayCounts>,
  from: string,
  to: string,
): { sum: DayCounts; chart: DayTotals[] } {
  const sum = emptyDay();
  const chart: DayTotals[] = [];
  for (const day of daysBetween(from, to)) {
    const counts = days.get(day) ?? emptyDay();
    addDay(sum, counts, false);
    chart.push({ day, searches: counts.searches, noHitSearches: counts.noHitSearches, clicks: counts.clicks });
  }
  return { sum, chart };
}

/** The queries report over `days` (day → counts) from `from` to `to`. */
export function queriesReport(
  days: ReadonlyMap<string, DayCounts>,
  kind: 'top' | 'no-hits',
  from: string,
  to: string,
  limit: number,
): QueriesReport {
  const { sum, chart } = totals(days, from, to);
  const table = kind === 'top' ? sum.queries : sum.noHits;
  const queries = Object.entries(table)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, limit)
    .map(([query, count]) => ({ query, count, clicks: sum.clickedQueries[query] ?? 0 }));
  return {
    kind,
    from,
    to,
    searches: sum.searches,
    noHitSearches: sum.noHitSearches,
    clicks: sum.clicks,
    queries,
    days: chart,
  };
}

/** The clicks report over `days` from `from` to `to`. */
export function clicksReport(days: ReadonlyMap<string, DayCounts>, from: string, to: string): ClicksReport {
  const { sum, chart } = totals(days, from, to);
  const positions = Object.entries(sum.positions)
    .map(([position, count]) => ({ position: Number(position), count }))
    .sort((a, b) => a.position - b.position);
  return { from, to, clicks: sum.clicks, searches: sum.searches, positions, days: chart };
}
