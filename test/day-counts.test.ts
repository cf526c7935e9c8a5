import { describe, expect, it } from 'vitest';
import { addDay, countSearch, dayOf, emptyDay, MAX_QUERIES_PER_DAY } from '../src/analytics/day-counts.js';

describe('day counts', () => {
  it('keeps at most MAX_QUERIES_PER_DAY distinct queries a day, still counting every search and every kept query', () => {
    const day = emptyDay();
    for (let i = 0; i <= MAX_QUERIES_PER_DAY; i++) countSearch(day, `q${i}`, 1);
    countSearch(day, 'q0', 0);
    expect(day.searches).toBe(MAX_QUERIES_PER_DAY + 2);
    expect(Object.keys(day.queries)).toHaveLength(MAX_QUERIES_PER_DAY);
    expect(day.queries['q0']).toBe(2);
    expect(day.queries[`q${MAX_QUERIES_PER_DAY}`]).toBeUndefined();
  });

  it('counts the keys of a table it did not fill (read back from storage) before adding to it', () => {
    const stored = emptyDay();
    for (let i = 0; i < MAX_QUERIES_PER_DAY; i++) stored.queries[`q${i}`] = 1;
    const today = emptyDay();
    countSearch(today, 'new', 3);
    addDay(stored, today);
    expect(stored.queries['new']).toBeUndefined();
    expect(Object.keys(stored.queries)).toHaveLength(MAX_QUERIES_PER_DAY);
  });

  it('names the UTC day of a time, on either side of midnight and back again', () => {
    const midnight = Date.UTC(2026, 11, 7);
    expect(dayOf(midnight - 1)).toBe('2026-12-06');
    expect(dayOf(midnight)).toBe('2026-12-07');
    expect(dayOf(midnight + 86_399_999)).toBe('2026-12-07');
    expect(dayOf(midnight + 86_400_000)).toBe('2026-12-08');
    expect(dayOf(midnight - 1)).toBe('2026-12-06');
  });
});
