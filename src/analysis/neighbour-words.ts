/**
 * The words either side of a span of text, as entity extraction reads them to
 * type a name by its neighbours (`the capital Port-au-Prince`, `the Artibonite region`).
 */

/** Letters-only word ending at most two non-letters before the end of a window of text. */
const BEFORE = /([\p{L}]+)[^\p{L}]{0,2}$/u;
/** Letters-only word starting at most two non-letters after the start of a window of text. */
const AFTER = /^[^\p{L}]{0,2}([\p{L}]+)/u;
/** Code units looked at either side. */
const WINDOW = 24;

/**
 * The word before `at` and the word after `end` in `text` (lowercase, letters
 * only; `''` when there is none): a run of letters at most two non-letters away,
 * within 24 UTF-16 units. An all-ASCII window is scanned by hand, any other by
 * the regular expressions that define the rule (the scan gives what they give).
 */
export function neighbourWords(text: string, at: number, end: number): [string, string] {
  return [
    wordBefore(text, Math.max(0, at - WINDOW), at).toLowerCase(),
    wordAfter(text, end, Math.min(text.length, end + WINDOW)).toLowerCase(),
  ];
}

const isAsciiLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

function isAscii(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (text.charCodeAt(i) >= 128) return false;
  return true;
}

/** The whole run of letters that ends at most two non-letters before `to`, within `[from, to)`. */
function wordBefore(text: string, from: number, to: number): string {
  if (!isAscii(text, from, to)) return BEFORE.exec(text.slice(from, to))?.[1] ?? '';
  let last = to;
  while (last > from && !isAsciiLetter(text.charCodeAt(last - 1))) {
    if (to - last === 2) return '';
    last--;
  }
  if (last === from) return '';
  let first = last - 1;
  while (first > from && isAsciiLetter(text.charCodeAt(first - 1))) first--;
  return text.slice(first, last);
}

/** The whole run of letters that starts at most two non-letters after `from`, within `[from, to)`. */
function wordAfter(text: string, from: number, to: number): string {
  if (!isAscii(text, from, to)) return AFTER.exec(text.slice(from, to))?.[1] ?? '';
  let first = from;
  while (first < to && !isAsciiLetter(text.charCodeAt(first))) {
    if (first - from === 2) return '';
    first++;
  }
  if (first === to) return '';
  let last = first + 1;
  while (last < to && isAsciiLetter(text.charCodeAt(last))) last++;
  return text.slice(first, last);
}
