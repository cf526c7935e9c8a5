/**
 * One day of search analytics, aggregated: counts only, keyed by normalised query or by
 * result position. Nothing about who searched (no IP address, no key, no user id) is ever part of it.
 */
export interface DayCounts {
  /** Searches counted (a typed query's first page). */
  searches: number;
  /** Of those, searches that found nothing. */
  noHitSearches: number;
  /** Clicks on a hit reported by a page. */
  clicks: number;
  /** Normalised query → searches. */
  queries: Record<string, number>;
  /** Normalised query → searches that found nothing. */
  noHits: Record<string, number>;
  /** Normalised query → clicks on its hits. */
  clickedQueries: Record<string, number>;
  /** 1-based position of the clicked hit (`"1"`, `"2"`, …) → clicks. */
  positions: Record<string, number>;
}

/** Most distinct queries kept per day and table (further ones still count in the day's totals): keeps the data small. */
export const MAX_QUERIES_PER_DAY = 10_000;
/** Longest query kept, in UTF-16 units (a longer one is cut). */
export const MAX_ANALYTICS_QUERY_LENGTH = 200;
/** Highest click position counted (a deeper one is a bad event). */
export const MAX_CLICK_POSITION = 1000;

/** An empty day. */
export function emptyDay(): DayCounts {
  return { searches: 0, noHitSearches: 0, clicks: 0, queries: {}, noHits: {}, clickedQueries: {}, positions: {} };
}

/**
 * The number of keys of each table `bump` has added to: counted once, then kept as it grows (tables only
 * grow, and only through `bump`), so a new query does not list the whole table, as it did on each search.
 */
const keyCounts = new WeakMap<Record<string, number>, number>();

/** Adds `n` to `table[key]`, unless `capped`, the table full and `key` new. */
function bump(table: Record<string, number>, key: string, n: number, capped = true): void {
  if (Object.hasOwn(table, key)) {
    table[key] = table[key]! + n;
    return;
  }
  const keys = keyCounts.get(table) ?? Object.keys(table).length;
  if (capped && keys >= MAX_QUERIES_PER_DAY) return;
  table[key] = n;
  keyCounts.set(table, keys + 1);
}

/** A query as analytics count it: lower case, whitespace collapsed to one space, trimmed, cut at 200 characters. */
export function normalizeQuery(query: string): string {
  return query.toLowerCase().replace(/\s+/g, ' ').trim().slice(0, MAX_ANALYTICS_QUERY_LENGTH);
}

/** Adds every count of `from` to `into`: one day to the same day (`capped`, the default), or to a sum over days (not capped). */
export function addDay(into: DayCounts, from: DayCounts, capped = true): void {
  into.searches += from.searches;
  into.noHitSearches += from.noHitSearches;
  into.clicks += from.clicks;
  for (const table of ['queries', 'noHits', 'clickedQueries', 'positions'] as const) {
    for (const [key, n] of Object.entries(from[table])) bump(into[table], key, n, capped);
  }
}

/** Counts one search of `query` (normalised already) that found `hits`. */
export function countSearch(day: DayCounts, query: string, hits: number): void {
  day.searches++;
  bump(day.queries, query, 1);
  if (hits === 0) {
    day.noHitSearches++;
    bump(day.noHits, query, 1);
  }
}

/** Counts one click on the hit at 1-based `position` of the results of `query` (normalised; '' when unknown). */
export function countClick(day: DayCounts, query: string, position: number): void {
  day.clicks++;
  bump(day.positions, String(position), 1);
  if (query !== '') bump(day.clickedQueries, query, 1);
}

/** True when the day has nothing in it. */
export function isEmptyDay(day: DayCounts): boolean {
  return day.searches === 0 && day.clicks === 0;
}

/** The last day `dayOf` made, and the time its UTC midnight falls on (ms since the epoch). */
let lastDay = { day: '', from: Number.NaN };

/** The UTC day of `time` (ms since the epoch), `YYYY-MM-DD`. */
export function dayOf(time: number): string {
  // Every search asks for today: the last day made is kept with its bounds.
  if (time >= lastDay.from && time < lastDay.from + 86_400_000) return lastDay.day;
  const day = new Date(time).toISOString().slice(0, 10);
  lastDay = { day, from: Math.floor(time / 86_400_000) * 86_400_000 };
  return day;
}

/** The day `days` before `day` (`YYYY-MM-DD`, UTC). */
export function daysBefore(day: string, days: number): string {
  return dayOf(Date.parse(`${day}T00:00:00Z`) - days * 86_400_000);
}
