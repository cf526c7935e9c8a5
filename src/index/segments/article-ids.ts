import type { StringTable } from './string-table.js';

/**
 * A segment's article ids (`a.ids.*`, in article order) and their order (`a.idOrder`:
 * the article numbers sorted by id), so an id is found by a binary search.
 */
export class ArticleIds {
  constructor(
    private readonly ids: StringTable,
    private readonly idOrder: Uint32Array,
  ) {}

  /** The id of article `i`. */
  idOf(i: number): string {
    return this.ids.peek(i);
  }

  /** Article number of `id` (deleted or not), or -1. */
  find(id: string): number {
    const { ids, idOrder } = this;
    let lo = 0;
    let hi = idOrder.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ids.peek(idOrder[mid]!) < id) lo = mid + 1;
      else hi = mid;
    }
    const at = lo < idOrder.length ? idOrder[lo]! : -1;
    return at >= 0 && ids.peek(at) === id ? at : -1;
  }
}
