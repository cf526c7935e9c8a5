/**
 * Merges of token position lists (ascending, as `PositionsReader` gives them):
 * what phrase and proximity checks compute from the index's positions instead
 * of re-tokenizing a document's text.
 */

/**
 * Where a phrase starts, given the positions of each of its words in one document
 * (`lists[k]` for word k): each position p with p + k in `lists[k]` for every k,
 * ascending, the first `limit` of them. As `findPhrase` on the document's tokens.
 */
export function phraseStarts(lists: readonly Int32Array[], limit = Number.POSITIVE_INFINITY): number[] {
  const starts: number[] = [];
  const n = lists.length;
  if (n === 0) return starts;
  for (const list of lists) if (list.length === 0) return starts;
  const cursors = new Int32Array(n);
  const first = lists[0]!;
  outer: for (let i = 0; i < first.length && starts.length < limit; i++) {
    const p = first[i]!;
    for (let k = 1; k < n; k++) {
      const list = lists[k]!;
      let c = cursors[k]!;
      while (c < list.length && list[c]! < p + k) c++;
      cursors[k] = c;
      if (c === list.length) break outer;
      if (list[c] !== p + k) continue outer;
    }
    starts.push(p);
  }
  return starts;
}

/** The union of ascending position lists, ascending and distinct, the first `limit` of it (one of the lists itself when the others are empty). */
export function unionPositions(lists: readonly Int32Array[], limit: number): Int32Array {
  let union: Int32Array | null = null;
  for (const list of lists) {
    if (list.length === 0) continue;
    union = union === null ? list : mergeTwo(union, list);
  }
  if (union === null) return EMPTY;
  return union.length > limit ? union.subarray(0, limit) : union;
}

const EMPTY = new Int32Array(0);

/** True when every position of `small` is in `large` (a form's positions within its stem's, the usual case). */
function contains(large: Int32Array, small: Int32Array): boolean {
  if (small.length > large.length) return false;
  let i = 0;
  for (let j = 0; j < small.length; j++) {
    const p = small[j]!;
    while (i < large.length && large[i]! < p) i++;
    if (i === large.length || large[i] !== p) return false;
  }
  return true;
}

function mergeTwo(a: Int32Array, b: Int32Array): Int32Array {
  if (contains(a, b)) return a;
  if (contains(b, a)) return b;
  const out = new Int32Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length || j < b.length) {
    const x = i < a.length ? a[i]! : Number.POSITIVE_INFINITY;
    const y = j < b.length ? b[j]! : Number.POSITIVE_INFINITY;
    const next = Math.min(x, y);
    if (x === next) i++;
    if (y === next) j++;
    out[n++] = next;
  }
  return n === out.length ? out : out.subarray(0, n);
}

/**
 * The fewest words between a position of `a` and a position of `b` (two different
 * tokens; `ordered`: the one of `b` after the one of `a`), -1 when none is within
 * `distance` words: what `nearPairs` and the smallest of its pairs' gaps give for
 * one-token occurrences, in one walk of both lists.
 */
export function nearestGap(a: Int32Array, b: Int32Array, distance: number, ordered: boolean): number {
  let best = Number.POSITIVE_INFINITY;
  let j = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    // The positions of b just before x and from x on.
    while (j < b.length && b[j]! < x) j++;
    if (!ordered && j > 0) best = Math.min(best, x - b[j - 1]! - 1);
    let k = j;
    if (k < b.length && b[k] === x) k++;
    if (k < b.length) best = Math.min(best, b[k]! - x - 1);
  }
  return best <= distance ? best : -1;
}
