/**
 * Datelines at the start of a story: `(CNN) — `, `WASHINGTON (Reuters) - `,
 * `LONDON, March 3 (AP) -- `.
 */

/** What a dateline says. */
export interface Dateline {
  /** The wire or publisher in the parentheses, e.g. `CNN`, `Reuters`. */
  source: string;
  /** Length of the dateline in UTF-16 units, dash and following space included: `text.slice(length)` is the story. */
  length: number;
}

// An optional upper-case place (optionally ", Month Day"), then "(Source)", then
// a dash (em, en, "--" or "-") and whitespace. The place must be upper case and
// the source must start with a capital, so an ordinary sentence that opens with
// a parenthesis ("(and he did) - ...") is not taken for a dateline.
const DATELINE =
  /^(?:[A-Z][A-Z.'’ -]*[A-Z.](?:,\s+[A-Z][A-Za-z.]*\s+\d{1,2})?\s+)?\(([A-Z][A-Za-z&.'’ -]{0,29})\)\s*(?:—|–|--|-)\s+/;

/** The dateline at the very start of `paragraph`, or null when it has none. */
export function parseDateline(paragraph: string): Dateline | null {
  const match = DATELINE.exec(paragraph);
  if (!match) return null;
  return { source: match[1]!.trim(), length: match[0].length };
}
