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

/**
 * The best `k` ids offered, by score (higher first), then by tie key (lower
 * first): a bounded min-heap in typed arrays, so ranking 100,000 matches makes
 * no object and calls no comparison function per match.
 */
export class TopScores {
  private readonly ids: Int32Array;
  private readonly scores: Float64Array;
  private readonly ties: Float64Array;
  private size = 0;

  constructor(private readonly k: number) {
    this.ids = new Int32Array(k);
    this.scores = new Float64Array(k);
    this.ties = new Float64Array(k);
  }

  /** True when the entry at heap position `a` ranks below the one at `b` (worse first in the heap). */
  private worse(a: number, b: number): boolean {
    const sa = this.scores[a]!;
    const sb = this.scores[b]!;
    return sa < sb || (sa === sb && this.ties[a]! > this.ties[b]!);
  }

  private swap(a: number, b: number): void {
    const { ids, scores, ties } = this;
    const id = ids[a]!;
    const score = scores[a]!;
    const tie = ties[a]!;
    ids[a] = ids[b]!;
    scores[a] = scores[b]!;
    ties[a] = ties[b]!;
    ids[b] = id;
    scores[b] = score;
    ties[b] = tie;
  }

  offer(id: number, score: number, tie: number): void {
    if (this.k === 0) return;
    if (this.size < this.k) {
      let j = this.size++;
      this.ids[j] = id;
      this.scores[j] = score;
      this.ties[j] = tie;
      while (j > 0) {
        const parent = (j - 1) >> 1;
        if (!this.worse(j, parent)) break;
        this.swap(j, parent);
        j = parent;
      }
      return;
    }
    // Not better than the worst kept: nothing to do (the common case).
    const worst = this.scores[0]!;
    if (score < worst || (score === worst && tie >= this.ties[0]!)) return;
    this.ids[0] = id;
    this.scores[0] = score;
    this.ties[0] = tie;
    for (let j = 0; ; ) {
      const l = 2 * j + 1;
      const r = l + 1;
      let least = j;
      if (l < this.size && this.worse(l, least)) least = l;
      if (r < this.size && this.worse(r, least)) least = r;
      if (least === j) break;
      this.swap(j, least);
      j = least;
    }
  }

  /** The worst score kept once `k` ids are (an id must score at least this to enter); `-Infinity` before. */
  threshold(): number {
    return this.size < this.k || this.k === 0 ? -Infinity : this.scores[0]!;
  }

  /** The ids kept, best first. */
  best(): number[] {
    const order = Array.from({ length: this.size }, (_, i) => i);
    order.sort((a, b) => (this.worse(b, a) ? -1 : this.worse(a, b) ? 1 : 0));
    return order.map((i) => this.ids[i]!);
  }
}
