/**
 * Packed postings for MiniSearch. MiniSearch keeps, per index term, a Map of
 * field id → Map of document short id → term frequency. Building those Maps for
 * millions of postings is what makes loading slow and memory heavy, so terms
 * loaded in bulk keep their postings in shared typed arrays instead, behind
 * objects with the Map methods MiniSearch calls (it never checks `instanceof`).
 *
 * Changes (MiniSearch's `add` and `remove` of a document) go to small overlays
 * — added documents, changed frequencies, deleted documents — so updating one
 * article never unpacks the postings of "the". `compactPostings()` folds the
 * overlays back into packed arrays; the index calls it after each update.
 */

/** The postings of one term in one field, packed, with overlays for changes. */
export class PackedPostings implements Map<number, number> {
  /** Shared arrays; this term's postings are `docs[start..end)`, ascending, with `tfs` parallel. */
  docs: Int32Array;
  tfs: Uint16Array;
  start: number;
  end: number;
  private added: Map<number, number> | null = null;
  private changed: Map<number, number> | null = null;
  private deleted: Set<number> | null = null;

  constructor(docs: Int32Array, tfs: Uint16Array, start = 0, end = docs.length) {
    this.docs = docs;
    this.tfs = tfs;
    this.start = start;
    this.end = end;
  }

  /** True when no change waits in an overlay: the packed arrays are the whole truth. */
  get pristine(): boolean {
    return this.added === null && this.changed === null && this.deleted === null;
  }

  /** Position of `doc` in the packed range, or -1. */
  private find(doc: number): number {
    let lo = this.start;
    let hi = this.end;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const d = this.docs[mid]!;
      if (d < doc) lo = mid + 1;
      else if (d > doc) hi = mid;
      else return mid;
    }
    return -1;
  }

  get(doc: number): number | undefined {
    const added = this.added?.get(doc);
    if (added !== undefined) return added;
    if (this.deleted?.has(doc)) return undefined;
    const changed = this.changed?.get(doc);
    if (changed !== undefined) return changed;
    const at = this.find(doc);
    return at < 0 ? undefined : this.tfs[at];
  }

  has(doc: number): boolean {
    return this.get(doc) !== undefined;
  }

  set(doc: number, tf: number): this {
    dirty.add(this);
    if (this.find(doc) < 0) (this.added ??= new Map()).set(doc, tf);
    else {
      this.deleted?.delete(doc);
      (this.changed ??= new Map()).set(doc, tf);
    }
    return this;
  }

  delete(doc: number): boolean {
    if (this.added?.delete(doc)) return true;
    if (this.find(doc) < 0 || this.deleted?.has(doc)) return false;
    dirty.add(this);
    this.changed?.delete(doc);
    (this.deleted ??= new Set()).add(doc);
    return true;
  }

  clear(): void {
    dirty.add(this);
    this.end = this.start;
    this.added = this.changed = null;
    this.deleted = null;
  }

  get size(): number {
    return this.end - this.start - (this.deleted?.size ?? 0) + (this.added?.size ?? 0);
  }

  *entries(): MapIterator<[number, number]> {
    for (let i = this.start; i < this.end; i++) {
      const doc = this.docs[i]!;
      if (this.deleted?.has(doc)) continue;
      yield [doc, this.changed?.get(doc) ?? this.tfs[i]!];
    }
    if (this.added) yield* this.added.entries();
  }

  *keys(): MapIterator<number> {
    for (const [doc] of this.entries()) yield doc;
  }

  *values(): MapIterator<number> {
    for (const [, tf] of this.entries()) yield tf;
  }

  forEach(fn: (tf: number, doc: number, map: Map<number, number>) => void, thisArg?: unknown): void {
    for (const [doc, tf] of this.entries()) fn.call(thisArg, tf, doc, this);
  }

  [Symbol.iterator](): MapIterator<[number, number]> {
    return this.entries();
  }

  get [Symbol.toStringTag](): string {
    return 'PackedPostings';
  }

  /**
   * Folds the overlays into fresh packed arrays of this term's own: one pass
   * over the packed range merging in the added documents (cost: the term's
   * postings, in typed arrays).
   */
  compact(): void {
    if (this.pristine) return;
    const { start, end } = this;
    const added = [...(this.added ?? [])].sort((a, b) => a[0] - b[0]);
    // The usual case (an article re-indexed: its old documents deleted, new ones
    // with higher short ids added): copy the packed runs between deletions, append.
    if ((this.changed === null || this.changed.size === 0) && (added.length === 0 || end === start || added[0]![0] > this.docs[end - 1]!)) {
      const cuts = [...(this.deleted ?? [])].map((doc) => this.find(doc)).filter((at) => at >= 0).sort((a, b) => a - b);
      const size = end - start - cuts.length + added.length;
      const docs = new Int32Array(size);
      const tfs = new Uint16Array(size);
      let n = 0;
      let from = start;
      for (const cut of [...cuts, end]) {
        docs.set(this.docs.subarray(from, cut), n);
        tfs.set(this.tfs.subarray(from, cut), n);
        n += cut - from;
        from = cut + 1;
      }
      for (const [doc, tf] of added) {
        docs[n] = doc;
        tfs[n++] = Math.min(tf, 0xffff);
      }
      this.docs = docs;
      this.tfs = tfs;
      this.start = 0;
      this.end = n;
      this.added = this.changed = null;
      this.deleted = null;
      return;
    }
    const tfs = this.tfs.slice(start, end);
    for (const [doc, tf] of this.changed ?? []) tfs[this.find(doc) - start] = tf;
    const drop = new Uint8Array(end - start);
    for (const doc of this.deleted ?? []) {
      const at = this.find(doc);
      if (at >= 0) drop[at - start] = 1;
    }
    const size = this.size;
    const docs = new Int32Array(size);
    const out = new Uint16Array(size);
    let n = 0;
    let a = 0;
    for (let i = start; i < end; i++) {
      const doc = this.docs[i]!;
      while (a < added.length && added[a]![0] < doc) {
        docs[n] = added[a]![0];
        out[n++] = Math.min(added[a++]![1], 0xffff);
      }
      if (drop[i - start]) continue;
      docs[n] = doc;
      out[n++] = tfs[i - start]!;
    }
    for (; a < added.length; a++) {
      docs[n] = added[a]![0];
      out[n++] = Math.min(added[a]![1], 0xffff);
    }
    this.docs = docs;
    this.tfs = out;
    this.start = 0;
    this.end = n;
    this.added = this.changed = null;
    this.deleted = null;
  }
}

/** Postings with changes in overlays, to compact. */
const dirty = new Set<PackedPostings>();

/** Folds every pending overlay into packed arrays (cost: the postings of the terms that changed). */
export function compactPostings(): void {
  for (const postings of dirty) postings.compact();
  dirty.clear();
}

/**
 * A term's data in MiniSearch's shape (field id → postings) for a term loaded
 * in bulk: one packed field, plus a plain Map should MiniSearch ever add
 * postings for another field.
 */
export class PackedTermData implements Map<number, Map<number, number>> {
  /** The packed postings, made on first use from the shared arrays (most terms of a loaded index are never read). */
  private packedCache: PackedPostings | null = null;
  private removed = false;
  private readonly fieldId: number;
  private other: Map<number, Map<number, number>> | null = null;

  constructor(
    fieldId: number,
    private readonly docs: Int32Array,
    private readonly tfs: Uint16Array,
    private readonly start: number,
    private readonly end: number,
  ) {
    this.fieldId = fieldId;
  }

  private get packed(): PackedPostings | null {
    if (this.removed) return null;
    return (this.packedCache ??= new PackedPostings(this.docs, this.tfs, this.start, this.end));
  }

  private set packed(value: null) {
    this.removed = true;
    this.packedCache = value;
  }

  /** The packed postings of `fieldId`, or null. */
  postings(fieldId: number): PackedPostings | null {
    return fieldId === this.fieldId ? this.packed : null;
  }

  get(key: number): Map<number, number> | undefined {
    if (key === this.fieldId && this.packed) return this.packed;
    return this.other?.get(key);
  }
  has(key: number): boolean {
    return this.get(key) !== undefined;
  }
  set(key: number, value: Map<number, number>): this {
    if (key === this.fieldId) {
      this.packed = null;
      (this.other ??= new Map()).set(key, value);
    } else (this.other ??= new Map()).set(key, value);
    return this;
  }
  delete(key: number): boolean {
    if (key === this.fieldId && this.packed) {
      this.packed = null;
      return true;
    }
    return this.other?.delete(key) ?? false;
  }
  clear(): void {
    this.packed = null;
    this.other = null;
  }
  private all(): Map<number, Map<number, number>> {
    const map = new Map<number, Map<number, number>>();
    if (this.packed) map.set(this.fieldId, this.packed);
    if (this.other) for (const [k, v] of this.other) map.set(k, v);
    return map;
  }
  get size(): number {
    return (this.packed ? 1 : 0) + (this.other?.size ?? 0);
  }
  forEach(fn: (value: Map<number, number>, key: number, map: Map<number, Map<number, number>>) => void, thisArg?: unknown): void {
    this.all().forEach((value, key) => fn.call(thisArg, value, key, this));
  }
  keys(): MapIterator<number> {
    return this.all().keys();
  }
  values(): MapIterator<Map<number, number>> {
    return this.all().values();
  }
  entries(): MapIterator<[number, Map<number, number>]> {
    return this.all().entries();
  }
  [Symbol.iterator](): MapIterator<[number, Map<number, number>]> {
    return this.entries();
  }
  get [Symbol.toStringTag](): string {
    return 'PackedTermData';
  }
}

/** The packed, change-free postings of a term in `fieldId`, if it has them: the fast path reads these arrays directly. */
export function pristinePostings(data: Map<number, Map<number, number>>, fieldId: number): PackedPostings | null {
  if (!(data instanceof PackedTermData)) return null;
  const packed = data.postings(fieldId);
  return packed && packed.pristine ? packed : null;
}

/** Calls `visit(doc, tf)` for each posting of a term's data in `fieldId`, packed or not. */
export function forEachPosting(data: Map<number, Map<number, number>>, fieldId: number, visit: (doc: number, tf: number) => void): void {
  const packed = pristinePostings(data, fieldId);
  if (packed) {
    const { docs, tfs, end } = packed;
    for (let i = packed.start; i < end; i++) visit(docs[i]!, tfs[i]!);
    return;
  }
  const postings = data.get(fieldId);
  if (postings) for (const [doc, tf] of postings) visit(doc, tf);
}

/** Number of documents in a term's postings for `fieldId`. */
export function postingCount(data: Map<number, Map<number, number>>, fieldId: number): number {
  return data.get(fieldId)?.size ?? 0;
}
