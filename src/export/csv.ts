/**
 * CSV per RFC 4180: fields separated by commas, records ended by CRLF, a field
 * holding a comma, a double quote, CR or LF enclosed in double quotes with its
 * quotes doubled.
 *
 * CSV injection (OWASP): a spreadsheet runs a cell that starts with `=`, `+`,
 * `-` or `@` (and, in some, tab or CR) as a formula, so a headline such as
 * `=HYPERLINK("http://evil", "x")` would become a live link. Such a text cell is
 * neutralised by a leading `'`, which spreadsheets show as text and hide; the
 * data loses nothing a reader would miss, and numbers are written as numbers.
 */

/** Characters that make a spreadsheet read a cell as a formula when they come first. */
const FORMULA_START = /^[=+\-@\t\r]/;
/** Characters that require a field to be quoted. */
const NEEDS_QUOTES = /[",\r\n]/;

/** A text value as one CSV field: neutralised when it starts like a formula, then quoted when it must be. */
export function csvField(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** One CSV record with its CRLF: text fields through {@link csvField}, numbers as they are, null as an empty field. */
export function csvRecord(values: readonly (string | number | null)[]): string {
  return `${values.map((v) => (v === null ? '' : typeof v === 'number' ? String(v) : csvField(v))).join(',')}\r\n`;
}
