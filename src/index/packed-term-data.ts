/**
 * One index term's postings in MiniSearch's shape — field id → (document short
 * id → term frequency) — kept packed in typed arrays until something needs a real
 * Map. The search path reads `docs` and `tfs` directly; MiniSearch itself (adding,
 * removing, its own `search()`) calls Map methods, which unpack the postings into
 * a Map once, transparently. Packed postings cost a fraction of a Map's memory and
 * load from a snapshot without building millions of Map entries.
 *
 * It is not a subclass of Map on purpose: an empty Map per term would cost
 * hundreds of thousands of hash tables at load. MiniSearch only calls the Map
 * methods implemented here (it never checks `instanceof Map`).
 */
export class PackedTermData implements Map<number, Map<number, number>> {
  /**
   * Document short ids of all terms (shared); this term's are `docs[start..end)`,
   * ascending. Null once unpacked. Offsets rather than subarray views: a view
   * per term would be hundreds of thousands of objects to allocate at load.
   */
  docs: Int32Array | null;
  /** Term frequencies, parallel to `docs`; null once unpacked. */
  tfs: Uint16Array | null;
  readonly start: number;
  readonly end: number;
  /** The field these postings belong to (the index has one field per MiniSearch instance). */
  readonly fieldId: number;
  private map: Map<number, Map<number, number>> | null = null;

  constructor(fieldId: number, docs: Int32Array, tfs: Uint16Array, start = 0, end = docs.length) {
    this.fieldId = fieldId;
    this.docs = docs;
    this.tfs = tfs;
    this.start = start;
    this.end = end;
  }

  /** The postings as a real Map (unpacked once, then kept). */
  private unpacked(): Map<number, Map<number, number>> {
    if (this.map) return this.map;
    const map = new Map<number, Map<number, number>>();
    const { docs, tfs } = this;
    if (docs && tfs && this.end > this.start) {
      const postings = new Map<number, number>();
      for (let i = this.start; i < this.end; i++) postings.set(docs[i]!, tfs[i]!);
      map.set(this.fieldId, postings);
    }
    this.docs = null;
    this.tfs = null;
    this.map = map;
    return map;
  }

  get(key: number): Map<number, number> | undefined {
    return this.unpacked().get(key);
  }
  has(key: number): boolean {
    return this.unpacked().has(key);
  }
  set(key: number, value: Map<number, number>): this {
    this.unpacked().set(key, value);
    return this;
  }
  delete(key: number): boolean {
    return this.unpacked().delete(key);
  }
  clear(): void {
    this.unpacked().clear();
  }
  forEach(fn: (value: Map<number, number>, key: number, map: Map<number, Map<number, number>>) => void, thisArg?: unknown): void {
    this.unpacked().forEach((value, key) => fn.call(thisArg, value, key, this));
  }
  get size(): number {
    if (this.docs) return this.end > this.start ? 1 : 0;
    return this.unpacked().size;
  }
  keys(): MapIterator<number> {
    return this.unpacked().keys();
  }
  values(): MapIterator<Map<number, number>> {
    return this.unpacked().values();
  }
  entries(): MapIterator<[number, Map<number, number>]> {
    return this.unpacked().entries();
  }
  [Symbol.iterator](): MapIterator<[number, Map<number, number>]> {
    return this.entries();
  }
  get [Symbol.toStringTag](): string {
    return 'PackedTermData';
  }
}

/** Calls `visit(doc, tf)` for each posting of a term's data in `fieldId`, packed or not. */
export function forEachPosting(data: Map<number, Map<number, number>>, fieldId: number, visit: (doc: number, tf: number) => void): void {
  if (data instanceof PackedTermData && data.docs && data.tfs) {
    if (data.fieldId !== fieldId) return;
    const { docs, tfs, end } = data;
    for (let i = data.start; i < end; i++) visit(docs[i]!, tfs[i]!);
    return;
  }
  const postings = data.get(fieldId);
  if (postings) for (const [doc, tf] of postings) visit(doc, tf);
}

/** Number of documents in a term's postings for `fieldId`, without unpacking. */
export function postingCount(data: Map<number, Map<number, number>>, fieldId: number): number {
  if (data instanceof PackedTermData && data.docs) return data.fieldId === fieldId ? data.end - data.start : 0;
  return data.get(fieldId)?.size ?? 0;
}
