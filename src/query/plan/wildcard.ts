import { tokenize } from '../../analysis/tokenize.js';
import type { Lexicon } from '../../index/lexicon/lexicon.js';

/**
 * Wildcard words: `*` stands for any run of letters (none included), `?` for
 * exactly one. A pattern is matched against the lexicon's word forms, so it is
 * folded like a word (lower case, accents and apostrophes removed).
 *
 * A pattern must start with a letter or digit: a leading wildcard (`*ation`)
 * would have to test every form of the lexicon (a million on a large archive)
 * for each query, so it is refused and listed in `parsedQuery.ignored`.
 * A `?` at the end of a word is punctuation, as before (`inflation?` is the word
 * `inflation`): only a `?` followed by a letter, a digit or another wildcard is one.
 */

/** What a query word with wildcards is. */
export type FoldedPattern =
  | { kind: 'prefix'; pattern: string }
  | { kind: 'glob'; pattern: string }
  | { kind: 'leading'; pattern: string };

/** Most word forms one pattern expands to (the most frequent are kept). */
export const MAX_WILDCARD_TERMS = 30;
/** Most lexicon forms one pattern tests (those after its literal prefix, in string order). */
export const MAX_WILDCARD_TESTS = 50_000;
/** Most lexicon forms the patterns of one query test together (32 patterns must not block the process for long). */
export const MAX_WILDCARD_TESTS_PER_QUERY = 100_000;

const WILDCARD = /\*|\?(?=[\p{L}\p{N}*?])/u;
const TRAILING = /[^\p{L}\p{N}*]+$/u;
const LITERAL = /^[\p{L}\p{N}*?]+$/u;

/**
 * The folded pattern of a bare query word, or null when it has no wildcard (or
 * holds characters the tokenizer splits on: then it is taken as words, as before).
 * `polit*` (one trailing `*`) is a prefix; `wom?n`, `col*r` are globs.
 */
export function foldPattern(text: string): FoldedPattern | null {
  if (!WILDCARD.test(text)) return null;
  // One trailing `*` after a single word (`polit*`, `U.S.*`): that word's form, as a prefix.
  const literal = /^([^*?]+)\*+$/u.exec(text);
  const tokens = literal ? tokenize(literal[1]!) : [];
  if (tokens.length === 1) return { kind: 'prefix', pattern: tokens[0]!.form };
  const folded = text
    .replace(TRAILING, '')
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/['\u2019\u02bc]/gu, '')
    .replace(/\*+/g, '*');
  if (!LITERAL.test(folded) || !/[*?]/.test(folded)) return folded === '' ? { kind: 'leading', pattern: text } : null;
  if (folded[0] === '*' || folded[0] === '?') return { kind: 'leading', pattern: folded };
  const star = folded.indexOf('*');
  if (star === folded.length - 1 && !folded.includes('?')) return { kind: 'prefix', pattern: folded.slice(0, -1) };
  return { kind: 'glob', pattern: folded };
}

/** The letters of a pattern before its first wildcard. */
export function literalPrefix(pattern: string): string {
  const at = pattern.search(/[*?]/);
  return at < 0 ? pattern : pattern.slice(0, at);
}

/**
 * True when `text` matches the glob `pattern` (`*`: any run of code units, `?`: one).
 * Linear backtracking on the last `*` only: O(pattern × text) at worst, never exponential.
 */
export function matchGlob(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    const c = pattern.charCodeAt(p);
    if (p < pattern.length && (c === 63 || c === text.charCodeAt(t))) {
      p++;
      t++;
    } else if (p < pattern.length && c === 42) {
      star = p++;
      resume = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++resume;
    } else return false;
  }
  while (p < pattern.length && pattern.charCodeAt(p) === 42) p++;
  return p === pattern.length;
}

/**
 * The most frequent word forms matching a glob, at most {@link MAX_WILDCARD_TERMS},
 * testing at most `maxTests` forms (default {@link MAX_WILDCARD_TESTS}); `complete` is false
 * when either bound cut the list, `tested` counts the forms tested.
 */
export function expandGlob(
  lexicon: Lexicon,
  pattern: string,
  maxTests = MAX_WILDCARD_TESTS,
): { forms: { form: string; df: number }[]; complete: boolean; tested: number } {
  const { entries, complete, tested } = lexicon.filteredCompletions(
    literalPrefix(pattern),
    (form) => matchGlob(pattern, form),
    MAX_WILDCARD_TERMS + 1,
    maxTests,
  );
  return {
    forms: entries.slice(0, MAX_WILDCARD_TERMS),
    complete: complete && entries.length <= MAX_WILDCARD_TERMS,
    tested,
  };
}
