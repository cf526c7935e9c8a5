/**
 * The best `k` of the positions `0 … n-1`, best first, where `better(a, b)` says
 * position `a` ranks before `b` (a strict total order). A bounded heap: O(n log k)
 * time and O(k) memory, so a page of hits or a budget of candidates out of
 * 100,000 costs a fraction of a full sort.
 */
export function topK(n: number, k: number, better: (a: number, b: number) => boolean): number[] {
  if (k <= 0) return [];
  // heap[0] is the worst position kept.
  const heap: number[] = [];
  const swap = (i: number, j: number) => {
    const t = heap[i]!;
    heap[i] = heap[j]!;
    heap[j] = t;
  };
  for (let i = 0; i < n; i++) {
    if (heap.length < k) {
      heap.push(i);
      for (let j = heap.length - 1; j > 0; ) {
        const p = (j - 1) >> 1;
        if (!better(heap[p]!, heap[j]!)) break;
        swap(j, p);
        j = p;
      }
      continue;
    }
    if (!better(i, heap[0]!)) continue;
    heap[0] = i;
    for (let j = 0; ; ) {
      const l = 2 * j + 1;
      const r = l + 1;
      let worst = j;
      if (l < heap.length && better(heap[worst]!, heap[l]!)) worst = l;
      if (r < heap.length && better(heap[worst]!, heap[r]!)) worst = r;
      if (worst === j) break;
      swap(j, worst);
      j = worst;
    }
  }
  return heap.sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0));
}

/** The positions of the `k` largest `scores`, largest first, ties by position (smaller first). */
export function topKByScore(scores: ArrayLike<number>, k: number): number[] {
  return topK(scores.length, k, (a, b) => scores[a]! > scores[b]! || (scores[a] === scores[b] && a < b));
}
