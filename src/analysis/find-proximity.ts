import type { Token } from './tokenize.js';
import { findPhrase } from './find-phrase.js';

/** What one side of a proximity matches: a token whose form `matches` accepts, or the forms of a phrase, consecutive. */
export type ProximityOperandMatcher = { matches: (form: string) => boolean } | { forms: readonly string[] };

/** Tokens `first … last` (inclusive) of one operand's occurrence. */
export type Span = [first: number, last: number];

/** Most occurrences of one operand looked at in one text (bounds a text of thousands of matching words). */
const MAX_OCCURRENCES = 1_000;

function occurrences(tokens: readonly Token[], operand: ProximityOperandMatcher): Span[] {
  if ('forms' in operand) return findPhrase(tokens, operand.forms).slice(0, MAX_OCCURRENCES).map((s) => [s, s + operand.forms.length - 1]);
  const spans: Span[] = [];
  for (let i = 0; i < tokens.length && spans.length < MAX_OCCURRENCES; i++) if (operand.matches(tokens[i]!.form)) spans.push([i, i]);
  return spans;
}

/**
 * Where two operands occur with at most `distance` tokens between them
 * (`ordered`: the first operand before the second; otherwise either order),
 * as pairs of spans, each occurrence of the first operand with its nearest partner.
 * Overlapping occurrences do not count. Cost: linear in the tokens plus the pairs inside each window.
 */
export function findNear(tokens: readonly Token[], a: ProximityOperandMatcher, b: ProximityOperandMatcher, distance: number, ordered: boolean): [Span, Span][] {
  const left = occurrences(tokens, a);
  if (left.length === 0) return [];
  const right = occurrences(tokens, b);
  const pairs: [Span, Span][] = [];
  let from = 0;
  for (const x of left) {
    // Right spans start at most 32 tokens (a phrase) before their end; skip those ending too early.
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

/**
 * Where a sloppy phrase occurs (Lucene's `"a b"~slop`): token positions p_i of the
 * forms f_i, distinct, such that max(p_i − i) − min(p_i − i) ≤ slop (0: the exact
 * phrase; two adjacent words swapped need 2). Returns, per occurrence, the positions
 * of the tokens in it, ascending. Sliding window over (p − i) values: O(n log n) in matching tokens.
 */
export function findSloppyPhrase(tokens: readonly Token[], forms: readonly string[], slop: number): number[][] {
  const k = forms.length;
  if (k === 0) return [];
  const entries: { value: number; index: number; position: number }[] = [];
  tokens.forEach((token, p) => {
    forms.forEach((form, i) => {
      if (token.form === form) entries.push({ value: p - i, index: i, position: p });
    });
  });
  if (entries.length > MAX_OCCURRENCES * k) entries.length = MAX_OCCURRENCES * k;
  entries.sort((x, y) => x.value - y.value || x.position - y.position);
  const counts = new Int32Array(k);
  let covered = 0;
  let lo = 0;
  const found: number[][] = [];
  for (let hi = 0; hi < entries.length; hi++) {
    if (counts[entries[hi]!.index]!++ === 0) covered++;
    while (entries[hi]!.value - entries[lo]!.value > slop) if (--counts[entries[lo++]!.index]! === 0) covered--;
    if (covered < k) continue;
    const positions = [...new Set(entries.slice(lo, hi + 1).map((e) => e.position))].sort((x, y) => x - y);
    if (positions.length < k) continue;
    found.push(positions);
    // The next occurrence starts after this one's entries.
    counts.fill(0);
    covered = 0;
    lo = hi + 1;
  }
  return found;
}
