const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;
const DAY_MS = 86_400_000;

/** ms since the epoch of a UTC calendar time; unlike `Date.UTC`, years 0–99 are taken literally. */
function utc(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, ms);
  return d.getTime();
}

function isCalendarDay(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const lastDay = new Date(utc(year, month + 1, 0)).getUTCDate();
  return day <= lastDay;
}

/**
 * An ISO 8601 date or date-time as ms since the epoch, or null when `value` is
 * not one or names a time that does not exist (`2025-02-30`, `T24:00`).
 *
 * Accepted: `YYYY-MM-DD`, and `YYYY-MM-DDTHH:MM[:SS[.fraction]]` followed by `Z`
 * or an offset `±HH:MM` (or `±HHMM`). A date-time without a zone is rejected:
 * its meaning would depend on the server's clock.
 *
 * A date alone is a whole UTC day: with `bound` = `start` its first millisecond,
 * with `end` its last, so `from=2025-07-25&to=2025-07-25` covers that day.
 * Fractions finer than a millisecond are truncated.
 */
export function parseIsoDate(value: string, bound: 'start' | 'end'): number | null {
  const date = DATE.exec(value);
  if (date) {
    const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
    if (!isCalendarDay(year, month, day)) return null;
    const start = utc(year, month, day);
    return bound === 'start' ? start : start + DAY_MS - 1;
  }
  const m = DATE_TIME.exec(value);
  if (!m) return null;
  const [year, month, day, hour, minute] = [1, 2, 3, 4, 5].map((i) => Number(m[i])) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  if (!isCalendarDay(year, month, day) || hour > 23 || minute > 59 || second > 59) return null;
  let offset = 0;
  if (m[8] === undefined) {
    const [oh, om] = [Number(m[10]), Number(m[11])];
    if (oh > 23 || om > 59) return null;
    offset = (m[9] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  return utc(year, month, day, hour, minute, second, ms) - offset;
}
