/**
 * Dates as the corpus writes them, normalized to one ISO 8601 form.
 *
 * Accepted (surrounding whitespace ignored):
 * - `2025-07-25` → `2025-07-25`;
 * - `2025-07-25T14:03`, `2025-07-25 14:03:09`, with optional fractional seconds
 *   (dropped) and an optional zone `Z`, `+02:00` or `-0500`
 *   → `2025-07-25T14:03:09Z`, converted to UTC; a time without a zone is taken as UTC;
 * - `July 25, 2025`, `Jul 25 2025`, `25 July 2025` (English month names or their
 *   three-letter forms, any case) → `2025-07-25`.
 * Anything else, and impossible calendar dates (`2025-02-30`), is unparseable.
 * `Date.parse` is not used on purpose: what it accepts beyond ISO differs between engines.
 */

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
  january: 1,
  february: 2,
  march: 3,
  april: 4,
  june: 6,
  july: 7,
  august: 8,
  september: 9,
  october: 10,
  november: 11,
  december: 12,
};

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const MONTH_DAY_YEAR = /^([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})$/;
const DAY_MONTH_YEAR = /^(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{4})$/;

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** `YYYY-MM-DD` when year/month/day name a real calendar day, else null. */
function formatDay(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12 || day < 1) return null;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return null;
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** Minutes east of UTC for `Z`, `+02:00`, `-0500`; 0 when absent. */
function zoneOffsetMinutes(zone: string | undefined): number {
  if (zone === undefined || zone.toUpperCase() === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
}

/**
 * The date as `YYYY-MM-DD`, or `YYYY-MM-DDTHH:MM:SSZ` (UTC) when the input has a
 * time of day; null when the text is not one of the accepted forms (see the module comment).
 */
export function normalizeDate(text: string): string | null {
  const input = text.trim();

  const isoDate = ISO_DATE.exec(input);
  if (isoDate) return formatDay(Number(isoDate[1]), Number(isoDate[2]), Number(isoDate[3]));

  const isoDateTime = ISO_DATE_TIME.exec(input);
  if (isoDateTime) {
    const [, year, month, day, hour, minute, second, zone] = isoDateTime;
    if (formatDay(Number(year), Number(month), Number(day)) === null) return null;
    if (Number(hour) > 23 || Number(minute) > 59 || Number(second ?? 0) > 59) return null;
    const localMs = Date.UTC(
      Number(year),
      Number(month) - 1,
      Number(day),
      Number(hour),
      Number(minute),
      Number(second ?? 0),
    );
    const utc = new Date(localMs - zoneOffsetMinutes(zone) * 60_000);
    return utc.toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  const monthFirst = MONTH_DAY_YEAR.exec(input);
  if (monthFirst) {
    const month = MONTHS[monthFirst[1]!.toLowerCase()];
    if (month === undefined) return null;
    return formatDay(Number(monthFirst[3]), month, Number(monthFirst[2]));
  }

  const dayFirst = DAY_MONTH_YEAR.exec(input);
  if (dayFirst) {
    const month = MONTHS[dayFirst[2]!.toLowerCase()];
    if (month === undefined) return null;
    return formatDay(Number(dayFirst[3]), month, Number(dayFirst[1]));
  }

  return null;
}
