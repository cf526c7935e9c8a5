/**
 * Builds MiniSearch's radix tree (the `_tree` of its `SearchableMap`: nested Maps
 * keyed by edge labels, a value stored under the empty key) directly from sorted
 * terms, in one pass, instead of inserting terms one by one.
 */

const LEAF = '';

/**
 * The radix tree holding `values[i]` at `terms[i]`. `terms` must be sorted by
 * UTF-16 code units (the default `sort()`) and distinct.
 */
export function buildTermTree<T>(terms: readonly string[], values: readonly T[]): Map<string, unknown> {
  return buildNode(terms, values, 0, terms.length, 0);
}

function buildNode<T>(terms: readonly string[], values: readonly T[], lo: number, hi: number, depth: number): Map<string, unknown> {
  const node = new Map<string, unknown>();
  let i = lo;
  if (i < hi && terms[i]!.length === depth) {
    node.set(LEAF, values[i]);
    i++;
  }
  while (i < hi) {
    const first = terms[i]!;
    const ch = first.charCodeAt(depth);
    let j = i + 1;
    while (j < hi && terms[j]!.charCodeAt(depth) === ch) j++;
    // Sorted: the common prefix of the group is that of its first and last terms.
    const last = terms[j - 1]!;
    let end = depth + 1;
    while (end < first.length && end < last.length && first.charCodeAt(end) === last.charCodeAt(end)) end++;
    node.set(first.slice(depth, end), buildNode(terms, values, i, j, end));
    i = j;
  }
  return node;
}
