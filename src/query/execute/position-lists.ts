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

/** The union of ascending position lists, ascending and distinct, the first `limit` of it. */
export function unionPositions(lists: readonly Int32Array[], limit: number): number[] {
  const nonEmpty = lists.filter((list) => list.length > 0);
  if (nonEmpty.length === 1) return Array.from(nonEmpty[0]!.subarray(0, limit));
  const all: number[] = [];
  for (const list of nonEmpty) for (const p of list) all.push(p);
  all.sort((a, b) => a - b);
  const out: number[] = [];
  for (const p of all) {
    if (out.length >= limit) break;
    if (out.length === 0 || out[out.length - 1] !== p) out.push(p);
  }
  return out;
}
