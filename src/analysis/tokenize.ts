/**
 * The tokenizer: splits text into word tokens and keeps where each one is.
 *
 * A token is a run of letters, digits and combining marks, with a few joiners
 * that newsroom text needs kept inside one word:
 * - an apostrophe between letters: `don't`, `Mexico’s` (straight or curly);
 * - a `.` or `,` between digits: `1.3`, `1,000`;
 * - the dots of an initialism: `U.S.`, `e.g.` (single letters, each followed by a dot).
 * Everything else splits, hyphens included: `COVID-19` is `covid` + `19` and
 * `Port-au-Prince` is three tokens; the query parser turns a hyphenated query
 * word into a phrase, so it still matches only the compound.
 * A symbol such as `%` or `<` is a separator (`80%` is `80`, `<CH>` is `ch`).
 */

/** One token of a text. Offsets are UTF-16 code units into the text. */
export interface Token {
  /** Offset of the token's first code unit. */
  start: number;
  /** Offset just past the token's last code unit: `text.slice(start, end)` is the token as written. */
  end: number;
  /** The normalized form: lowercase, accents folded, apostrophes and initialism dots removed. */
  form: string;
}

const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
const LETTER = /\p{L}/u;
const DIGIT = /\p{N}/u;
const APOSTROPHES = new Set(["'", '\u2019', '\u02bc']);

function isWordChar(ch: string): boolean {
  // Fast path for ASCII, which is nearly all newswire text.
  const c = ch.charCodeAt(0);
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
  return WORD_CHAR.test(ch);
}

function isLetter(ch: string | undefined): boolean {
  if (ch === undefined) return false;
  const c = ch.charCodeAt(0);
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
  return LETTER.test(ch);
}

function isDigit(ch: string | undefined): boolean {
  if (ch === undefined) return false;
  const c = ch.charCodeAt(0);
  if (c < 128) return c >= 48 && c <= 57;
  return DIGIT.test(ch);
}

/** The code point at `i` as a string (one or two code units). */
function charAt(text: string, i: number): string {
  const c = text.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) return text.slice(i, i + 2);
  return text[i] ?? '';
}

const ASCII_SIMPLE = /^[a-z0-9]*$/;

/**
 * Normalizes one token as written into its form: NFKD, combining marks removed,
 * lowercased; a trailing possessive `'s` dropped; apostrophes, initialism dots and
 * digit-group commas removed. May return `''` (then the token is dropped).
 */
export function normalizeToken(raw: string): string {
  let s = raw.toLowerCase();
  if (ASCII_SIMPLE.test(s)) return s;
  s = s.normalize('NFKD').replace(/\p{M}/gu, '');
  // Possessive: "mexico’s" is a form of "mexico".
  s = s.replace(/['\u2019\u02bc]s$/u, '');
  s = s.replace(/['\u2019\u02bc]/gu, '');
  if (/^[\p{L}.]+$/u.test(s)) s = s.replace(/\./g, ''); // initialism: u.s. -> us
  else if (/^[\p{N},.]+$/u.test(s)) s = s.replace(/,/g, ''); // 1,000 -> 1000; 1.3 stays
  return s;
}

/**
 * Splits `text` into tokens, in order, with their offsets and normalized forms.
 * Pure and deterministic; `text.slice(t.start, t.end)` is always the token as written.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    let ch = charAt(text, i);
    if (!isWordChar(ch) || /\p{M}/u.test(ch)) {
      i += ch.length;
      continue;
    }
    const start = i;
    // An initialism: a single letter followed by ".", then another single letter and "." ...
    const initialismEnd = scanInitialism(text, i);
    if (initialismEnd > 0) {
      pushToken(tokens, text, start, initialismEnd);
      i = initialismEnd;
      continue;
    }
    let end = i;
    while (end < n) {
      ch = charAt(text, end);
      if (isWordChar(ch)) {
        end += ch.length;
        continue;
      }
      const prev = text[end - 1];
      const next = charAt(text, end + 1);
      if (APOSTROPHES.has(ch) && isLetter(prev) && isLetter(next)) {
        end += 1;
        continue;
      }
      if ((ch === '.' || ch === ',') && isDigit(prev) && isDigit(next)) {
        end += 1;
        continue;
      }
      break;
    }
    pushToken(tokens, text, start, end);
    i = end;
  }
  return tokens;
}

function pushToken(tokens: Token[], text: string, start: number, end: number): void {
  const form = normalizeToken(text.slice(start, end));
  if (form !== '') tokens.push({ start, end, form });
}

/**
 * If an initialism (`U.S.`, `e.g.`, at least two letters) starts at `i`, the
 * offset just past its final dot (or last letter); otherwise 0.
 */
function scanInitialism(text: string, i: number): number {
  let j = i;
  let letters = 0;
  for (;;) {
    const ch = text[j];
    if (!isLetter(ch) || text[j + 1] !== '.') break;
    // The letter must stand alone: not preceded by a word char.
    if (j === i && j > 0 && isWordChar(text[j - 1] ?? ' ')) return 0;
    letters += 1;
    j += 2;
    const after = text[j];
    if (!isLetter(after)) break;
    if (text[j + 1] !== '.') {
      // "U.S" with no final dot: the last letter closes it if it ends a word.
      if (letters >= 1 && !isWordChar(text[j + 1] ?? ' ')) {
        return j + 1;
      }
      return letters >= 2 ? j - 1 : 0;
    }
  }
  return letters >= 2 ? j : 0;
}
