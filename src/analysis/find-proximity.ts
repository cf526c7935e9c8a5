import { formOf, scanTokens, type Token } from './tokenize.js';
import { findPhrase } from './find-phrase.js';

/** What one side of a proximity matches: a token whose form `matches` accepts, or the forms of a phrase, consecutive. */
export type ProximityOperandMatcher = { matches: (form: string) => boolean } | { forms: readonly string[] };

/** Tokens `first … last` (inclusive) of one operand's occurrence, as indexes into the text's token list. */
export type Span = [first: number, last: number];

/** Most occurrences of one operand looked at in one text (bounds a text of thousands of matching words). */
export const MAX_OCCURRENCES = 1_000;

function occurrences(tokens: readonly Token[], operand: ProximityOperandMatcher): Span[] {
  if ('forms' in operand)
    return findPhrase(tokens, operand.forms)
      .slice(0, MAX_OCCURRENCES)
      .map((s) => [s, s + operand.forms.length - 1]);
  const spans: Span[] = [];
  for (let i = 0; i < tokens.length && spans.length < MAX_OCCURRENCES; i++)
    if (operand.matches(tokens[i]!.form)) spans.push([i, i]);
  return spans;
}

/**
 * For each of `matchers`, the indexes (in `tokenize(text)`'s list) of the tokens whose
 * form it accepts, without making a form for tokens written with an ASCII first
 * character that is not in `asciiStarts` (lowercase; a stem keeps its word's first
 * letter): the cheap check of a candidate text, which makes no token objects.
 */
export function tokenPositions(
  text: string,
  matchers: readonly ((form: string) => boolean)[],
  asciiStarts: Uint8Array,
): number[][] {
  const out: number[][] = matchers.map(() => []);
  const { count, starts, ends, plain } = scanTokens(text);
  let position = 0;
  for (let t = 0; t < count; t++) {
    const start = starts[t]!;
    const kind = plain[t]!;
    const first = text.charCodeAt(start);
    // Plain ASCII tokens always have a form; others are counted only when theirs is not empty, as `tokenize` does.
    if (kind !== 0 && asciiStarts[first >= 65 && first <= 90 ? first + 32 : first] === 0) {
      position++;
      continue;
    }
    const form = formOf(text, start, ends[t]!, kind);
    if (form === '') continue;
    matchers.forEach((matches, m) => {
      if (out[m]!.length < MAX_OCCURRENCES && matches(form)) out[m]!.push(position);
    });
    position++;
  }
  return out;
}

/**
 * Pairs of occurrences with at most `distance` tokens between them (`ordered`: the
 * left one first; otherwise either order), each left occurrence with its nearest
 * right partner. Overlapping occurrences do not count. Both lists sorted by start.
 */
export function nearPairs(
  left: readonly Span[],
  right: readonly Span[],
  distance: number,
  ordered: boolean,
): [Span, Span][] {
  const pairs: [Span, Span][] = [];
  let from = 0;
  for (const x of left) {
    while (from < right.length && right[from]![1] < x[0] - distance - 1) from++;
    let best: Span | null = null;
    let bestGap = Infinity;
    for (let k = from; k < right.length; k++) {
      const y = right[k]!;
      if (y[0] > x[1] + distance + 1) break;
      const gap = y[0] > x[1] ? y[0] - x[1] - 1 : x[0] > y[1] && !ordered ? x[0] - y[1] - 1 : -1;
      if (gap >= 0 && gap <= distance && gap < bestGap) {
        best = y;
        bestGap = gap;
      }
    }
    if (best) pairs.push([x, best]);
  }
  return pairs;
}

/** Where two operands occur with at most `distance` tokens between them: {@link nearPairs} over a token list. */
export function findNear(
  tokens: readonly Token[],
  a: ProximityOperandMatcher,
  b: ProximityOperandMatcher,
  distance: number,
  ordered: boolean,
): [Span, Span][] {
  const left = occurrences(tokens, a);
  return left.length === 0 ? [] : nearPairs(left, occurrences(tokens, b), distance, ordered);
}

/**
 * Where two operands occur in one unit of a text: anywhere in it (`sentences` null: the
 * text is one paragraph, `w/p`) or in one sentence (`sentences[i]`, the sentence number of
 * token i: `w/s`). Each occurrence of `a` with the nearest occurrence of `b` in its unit
 * that does not overlap it; empty when there is none.
 */
export function findWithin(
  tokens: readonly Token[],
  sentences: Int32Array | null,
  a: ProximityOperandMatcher,
  b: ProximityOperandMatcher,
): [Span, Span][] {
  const left = occurrences(tokens, a);
  if (left.length === 0) return [];
  const right = occurrences(tokens, b);
  const pairs: [Span, Span][] = [];
  for (const x of left) {
    let best: Span | null = null;
    let bestGap = Infinity;
    for (const y of right) {
      if (sentences !== null && sentences[y[0]] !== sentences[x[0]]) continue;
      const gap = y[0] > x[1] ? y[0] - x[1] - 1 : x[0] > y[1] ? x[0] - y[1] - 1 : -1;
      if (gap >= 0 && gap < bestGap) {
        best = y;
        bestGap = gap;
      }
    }
    if (best) pairs.push([x, best]);
  }
  return pairs;
}

/**
 * Occurrences of a sloppy phrase (Lucene's `"a b"~slop`) given the token positions
 * of each of its words, `positions[i]` for word i: positions p_i, distinct, with
 * max(p_i − i) − min(p_i − i) ≤ slop (0: the exact phrase; two adjacent words
 * swapped need 2). Returns each occurrence's positions, ascending. A sliding
 * window over the (p − i) values: O(n log n) in matching tokens.
 */
export function sloppyOccurrences(positions: readonly (readonly number[])[], slop: number): number[][] {
  const k = positions.length;
  if (k === 0) return [];
  const entries: { value: number; index: number; position: number }[] = [];
  positions.forEach((list, i) => list.forEach((p) => entries.push({ value: p - i, index: i, position: p })));
  entries.sort((x, y) => x.value - y.value || x.position - y.position);
  const counts = new Int32Array(k);
  let covered = 0;
  let lo = 0;
  const found: number[][] = [];
  for (let hi = 0; hi < entries.length; hi++) {
    if (counts[entries[hi]!.index]!++ === 0) covered++;
    while (entries[hi]!.value - entries[lo]!.value > slop) if (--counts[entries[lo++]!.index]! === 0) covered--;
    if (covered < k) continue;
    const used = [...new Set(entries.slice(lo, hi + 1).map((e) => e.position))].sort((x, y) => x - y);
    if (used.length < k) continue;
    found.push(used);
    // The next occurrence starts after this one's entries.
    counts.fill(0);
    covered = 0;
    lo = hi + 1;
  }
  return found;
}

/** {@link sloppyOccurrences} of `forms` in a token list. */
export function findSloppyPhrase(tokens: readonly Token[], forms: readonly string[], slop: number): number[][] {
  const positions = forms.map((form) => {
    const list: number[] = [];
    tokens.forEach((token, p) => {
      if (token.form === form && list.length < MAX_OCCURRENCES) list.push(p);
    });
    return list;
  });
  return sloppyOccurrences(positions, slop);
}
