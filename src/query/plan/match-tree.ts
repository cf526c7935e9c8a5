/**
 * A boolean query over clause bits: which combinations of matched clauses make
 * a document (or an article) match. Clause i is bit i of a 32-bit mask, as the
 * engine records it (`QueryMatches.paraMask`, `articleMask`).
 */

/**
 * `and`: every `pos` child holds; `or`: some `pos` child holds. In both, no `neg`
 * child may hold (Lucene's MUST_NOT), and a node with no `pos` child never holds.
 */
export type MatchNode = { op: 'and' | 'or'; pos: MatchNode[]; neg: MatchNode[] } | { op: 'bit'; bit: number };

/** Whether `node` holds for a document whose matched clauses are the bits of `mask`. */
export function matchesMask(node: MatchNode, mask: number): boolean {
  if (node.op === 'bit') return ((mask >>> node.bit) & 1) === 1;
  for (const child of node.neg) if (matchesMask(child, mask)) return false;
  if (node.pos.length === 0) return false;
  if (node.op === 'and') {
    for (const child of node.pos) if (!matchesMask(child, mask)) return false;
    return true;
  }
  for (const child of node.pos) if (matchesMask(child, mask)) return true;
  return false;
}

/** Bits set in every mask `node` holds for: the clauses a match cannot do without (to narrow candidates early). */
export function requiredBits(node: MatchNode): number {
  if (node.op === 'bit') return (1 << node.bit) >>> 0;
  if (node.pos.length === 0) return 0;
  if (node.op === 'and') return node.pos.reduce((bits, child) => (bits | requiredBits(child)) >>> 0, 0);
  return node.pos.reduce((bits, child) => (bits & requiredBits(child)) >>> 0, 0xffffffff);
}
