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

import { capitalizedForm, initialismForm } from './abbreviations.js';

/** One token of a text. Offsets are UTF-16 code units into the text. */
export interface Token {
  /** Offset of the token's first code unit. */
  start: number;
  /** Offset just past the token's last code unit: `text.slice(start, end)` is the token as written. */
  end: number;
  /** The normalized form: lowercase, accents folded, apostrophes and initialism dots removed. */
  form: string;
}

// Character classes. ASCII is looked up in a table; other code points are
// classified by Unicode property once and remembered (newswire text uses few).
const OTHER = 0;
const LETTER = 1;
const DIGIT = 2;
const MARK = 3;
const ASCII_CLASS = new Uint8Array(128);
for (let c = 48; c <= 57; c++) ASCII_CLASS[c] = DIGIT;
for (let c = 65; c <= 90; c++) ASCII_CLASS[c] = LETTER;
for (let c = 97; c <= 122; c++) ASCII_CLASS[c] = LETTER;
const unicodeClass = new Map<number, number>();

function classify(code: number): number {
  if (code < 128) return ASCII_CLASS[code]!;
  let cls = unicodeClass.get(code);
  if (cls === undefined) {
    const ch = String.fromCodePoint(code);
    cls = /\p{L}/u.test(ch) ? LETTER : /\p{N}/u.test(ch) ? DIGIT : /\p{M}/u.test(ch) ? MARK : OTHER;
    if (unicodeClass.size < 100_000) unicodeClass.set(code, cls);
  }
  return cls;
}

/** Class of the code point at `i` (OTHER past the end). */
function classAt(text: string, i: number): number {
  return i < text.length ? classify(text.codePointAt(i)!) : OTHER;
}

/** Class of the code point that ends just before `i` (OTHER at the start). */
function classBefore(text: string, i: number): number {
  if (i <= 0) return OTHER;
  const low = text.charCodeAt(i - 1);
  if (low >= 0xdc00 && low <= 0xdfff && i >= 2) return classify(text.codePointAt(i - 2)!);
  return classify(low);
}

const isApostrophe = (c: number) => c === 0x27 || c === 0x2019 || c === 0x2bc;

const ASCII_SIMPLE = /^[a-z0-9]*$/;

/**
 * Normalizes one token as written into its form: NFKD, combining marks removed,
 * lowercased; a trailing possessive `'s` dropped; apostrophes, initialism dots and
 * digit-group commas removed. An initialism spelled like a word keeps its dots
 * (`U.S.` and `US` → `u.s.`, never `us`: see `abbreviations.ts`). May return `''` (then the token is dropped).
 */
export function normalizeToken(raw: string): string {
  let s = raw.toLowerCase();
  if (ASCII_SIMPLE.test(s)) return s === raw ? s : capitalizedForm(raw);
  s = s.normalize('NFKD').replace(/\p{M}/gu, '');
  // Possessive: "mexico’s" is a form of "mexico" (and "US’s" of "US").
  if (/['\u2019\u02bc]s$/u.test(s)) {
    const bare = raw.slice(0, -2);
    if (/^[A-Z]+$/.test(bare)) return capitalizedForm(bare);
    s = s.slice(0, -2);
  }
  s = s.replace(/['\u2019\u02bc]/gu, '');
  if (/^[\p{L}.]+$/u.test(s)) {
    // An initialism: u.k. -> uk, but u.s. stays u.s. (a letters-only word such as it’s -> it is no initialism).
    if (s.includes('.')) s = initialismForm(s.replace(/\./g, ''));
  } else if (/^[\p{N},.]+$/u.test(s)) s = s.replace(/,/g, ''); // 1,000 -> 1000; 1.3 stays
  return s;
}

/**
 * Token boundaries found by {@link scanTokens}, in arrays reused from one scan to
 * the next: token i is `text.slice(starts[i], ends[i])`. Read them before the
 * next scan. `plain[i]` is 1 when the token is only ASCII letters and digits
 * (its form is then simply its lowercase), 2 when it also has an uppercase letter.
 */
export interface TokenScan {
  count: number;
  starts: Int32Array;
  ends: Int32Array;
  plain: Uint8Array;
}

const scan: TokenScan = {
  count: 0,
  starts: new Int32Array(512),
  ends: new Int32Array(512),
  plain: new Uint8Array(512),
};

function record(start: number, end: number, plain: number): void {
  if (scan.count === scan.starts.length) {
    const size = scan.count * 2;
    const grow = <T extends Int32Array | Uint8Array>(a: T, b: T) => (b.set(a), b);
    scan.starts = grow(scan.starts, new Int32Array(size));
    scan.ends = grow(scan.ends, new Int32Array(size));
    scan.plain = grow(scan.plain, new Uint8Array(size));
  }
  scan.starts[scan.count] = start;
  scan.ends[scan.count] = end;
  scan.plain[scan.count++] = plain;
}

/**
 * Finds where the tokens of `text` are, without making their forms: the
 * tokenizer's scanning half, for callers that only need the forms of a few
 * tokens (the highlighter). Tokens whose form would be `''` are included.
 */
export function scanTokens(text: string): TokenScan {
  scan.count = 0;
  const n = text.length;
  let i = 0;
  while (i < n) {
    let code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) code = text.codePointAt(i)!;
    const width = code > 0xffff ? 2 : 1;
    const cls = code < 128 ? ASCII_CLASS[code]! : classify(code);
    // A token starts at a letter or digit (a stray combining mark is skipped).
    if (cls !== LETTER && cls !== DIGIT) {
      i += width;
      continue;
    }
    const start = i;
    const initialismEnd = scanInitialism(text, i);
    if (initialismEnd > 0) {
      record(start, initialismEnd, 0);
      i = initialismEnd;
      continue;
    }
    // 1: ASCII letters and digits only so far; 2: and an uppercase letter.
    let plain = code < 128 ? (code >= 65 && code <= 90 ? 2 : 1) : 0;
    let end = i + width;
    while (end < n) {
      let c = text.charCodeAt(end);
      if (c < 128) {
        if (ASCII_CLASS[c] !== OTHER) {
          if (c >= 65 && c <= 90 && plain === 1) plain = 2;
          end += 1;
          continue;
        }
      } else {
        if (c >= 0xd800 && c <= 0xdbff) c = text.codePointAt(end)!;
        if (classify(c) !== OTHER) {
          plain = 0;
          end += c > 0xffff ? 2 : 1;
          continue;
        }
      }
      if (isApostrophe(c) && classBefore(text, end) === LETTER && classAt(text, end + 1) === LETTER) {
        plain = 0;
        end += 1;
        continue;
      }
      if ((c === 46 || c === 44) && classBefore(text, end) === DIGIT && classAt(text, end + 1) === DIGIT) {
        plain = 0;
        end += 1;
        continue;
      }
      break;
    }
    record(start, end, plain);
    i = end;
  }
  return scan;
}

/** The normalized form of the token `text[start, end)` found by a scan with flag `plain`. */
export function formOf(text: string, start: number, end: number, plain: number): string {
  const raw = text.slice(start, end);
  return plain === 1 ? raw : plain === 2 ? capitalizedForm(raw) : normalizeToken(raw);
}

/**
 * Splits `text` into tokens, in order, with their offsets and normalized forms.
 * Pure and deterministic; `text.slice(t.start, t.end)` is always the token as written.
 */
export function tokenize(text: string): Token[] {
  const { count, starts, ends, plain } = scanTokens(text);
  const tokens: Token[] = [];
  for (let t = 0; t < count; t++) {
    const start = starts[t]!;
    const end = ends[t]!;
    const form = formOf(text, start, end, plain[t]!);
    if (form !== '') tokens.push({ start, end, form });
  }
  return tokens;
}

/**
 * If an initialism (`U.S.`, `e.g.`, at least two letters) starts at `i`, the
 * offset just past its final dot (or last letter); otherwise 0.
 */
function scanInitialism(text: string, i: number): number {
  // Fast exit: an initialism's second code unit is a dot.
  if (text.charCodeAt(i + 1) !== 46) return 0;
  let j = i;
  let letters = 0;
  for (;;) {
    if (classAt(text, j) !== LETTER || text.charCodeAt(j) > 0xffff || text.charCodeAt(j + 1) !== 46) break;
    // The letter must stand alone: not preceded by a word character.
    if (j === i && classBefore(text, j) !== OTHER) return 0;
    letters += 1;
    j += 2;
    if (classAt(text, j) !== LETTER) break;
    if (text.charCodeAt(j + 1) !== 46) {
      // "U.S" with no final dot: the last letter closes it if it ends a word.
      if (classAt(text, j + 1) === OTHER) return j + 1;
      return letters >= 2 ? j - 1 : 0;
    }
  }
  return letters >= 2 ? j : 0;
}
