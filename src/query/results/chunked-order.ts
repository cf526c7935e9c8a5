/**
 * Every one of `n` positions in order, sorted a chunk at a time and then merged:
 * the external merge sort of databases, used here so that ordering a million
 * hits never holds the event loop for longer than one chunk's sort (about a
 * millisecond), where one `sort()` of them all would hold it for half a second.
 *
 * `sortStep()` sorts the next chunk; once `sorted`, `next()` gives the positions
 * best first, merging the chunks' heads in a heap (O(log chunks) per position).
 * Memory: 4 bytes a position, plus 8 a chunk.
 */
export class ChunkedOrder {
  /** Positions sorted within each chunk of {@link CHUNK_SIZE}. */
  private readonly order: Int32Array;
  private chunksSorted = 0;
  private readonly chunkCount: number;
  /** Next unread place of each chunk in `order`. */
  private readonly cursor: Int32Array;
  /** Chunks with places left, as a binary heap on their head (best head at the root). */
  private readonly heap: Int32Array;
  private heapSize = 0;

  /**
   * @param n number of positions (0 … n-1)
   * @param better a strict total order: true when position `a` comes before `b`
   */
  constructor(
    readonly n: number,
    private readonly better: (a: number, b: number) => boolean,
  ) {
    this.order = new Int32Array(n);
    for (let i = 0; i < n; i++) this.order[i] = i;
    this.chunkCount = Math.ceil(n / CHUNK_SIZE);
    this.cursor = new Int32Array(this.chunkCount);
    this.heap = new Int32Array(this.chunkCount);
  }

  /** True once every chunk is sorted and `next()` may be called. */
  get sorted(): boolean {
    return this.chunksSorted === this.chunkCount;
  }

  /** Sorts the next chunk (about a millisecond for 4,096 positions); builds the merge heap after the last. */
  sortStep(): void {
    if (this.sorted) return;
    const c = this.chunksSorted++;
    const better = this.better;
    this.order
      .subarray(c * CHUNK_SIZE, Math.min(this.n, (c + 1) * CHUNK_SIZE))
      .sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0));
    if (!this.sorted) return;
    for (let k = 0; k < this.chunkCount; k++) {
      this.cursor[k] = k * CHUNK_SIZE;
      this.heap[this.heapSize++] = k;
      this.siftUp(this.heapSize - 1);
    }
  }

  /** The next position in order, or -1 when every one was given. Requires `sorted`. */
  next(): number {
    if (this.heapSize === 0) return -1;
    const k = this.heap[0]!;
    const position = this.order[this.cursor[k]!]!;
    this.cursor[k] = this.cursor[k]! + 1;
    if (this.cursor[k] === Math.min(this.n, (k + 1) * CHUNK_SIZE)) this.heap[0] = this.heap[--this.heapSize]!;
    this.siftDown(0);
    return position;
  }

  private head(k: number): number {
    return this.order[this.cursor[k]!]!;
  }

  private swap(i: number, j: number): void {
    const t = this.heap[i]!;
    this.heap[i] = this.heap[j]!;
    this.heap[j] = t;
  }

  private siftUp(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.better(this.head(this.heap[i]!), this.head(this.heap[parent]!))) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(i: number): void {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let best = i;
      if (l < this.heapSize && this.better(this.head(this.heap[l]!), this.head(this.heap[best]!))) best = l;
      if (r < this.heapSize && this.better(this.head(this.heap[r]!), this.head(this.heap[best]!))) best = r;
      if (best === i) return;
      this.swap(i, best);
      i = best;
    }
  }
}

/** Positions sorted in one step. */
export const CHUNK_SIZE = 4096;
