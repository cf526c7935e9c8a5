/**
 * One index term's postings in MiniSearch's shape — field id → (document short
 * id → term frequency) — kept packed in typed arrays until something needs a real
 * Map. The search path reads `docs` and `tfs` directly; MiniSearch itself (adding,
 * removing, its own `search()`) calls Map methods, which unpack the postings into
 * this Map once, transparently. Packed postings cost a fraction of a Map's memory
 * and load from a snapshot without building millions of Map entries.
 */
export class PackedTermData extends Map<number, Map<number, number>> {
  /** Document short ids, ascending; null once unpacked. */
  docs: Int32Array | null;
  /** Term frequencies, parallel to `docs`; null once unpacked. */
  tfs: Uint16Array | null;
  /** The field these postings belong to (the index has one field per MiniSearch instance). */
  readonly fieldId: number;

  constructor(fieldId: number, docs: Int32Array, tfs: Uint16Array) {
    super();
    this.fieldId = fieldId;
    this.docs = docs;
    this.tfs = tfs;
  }

  /** Turns the packed arrays into a real Map entry (once). */
  unpack(): void {
    const { docs, tfs } = this;
    if (!docs || !tfs) return;
    this.docs = null;
    this.tfs = null;
    const postings = new Map<number, number>();
    for (let i = 0; i < docs.length; i++) postings.set(docs[i]!, tfs[i]!);
    super.set(this.fieldId, postings);
  }

  override get(key: number): Map<number, number> | undefined {
    this.unpack();
    return super.get(key);
  }
  override has(key: number): boolean {
    this.unpack();
    return super.has(key);
  }
  override set(key: number, value: Map<number, number>): this {
    this.unpack();
    return super.set(key, value);
  }
  override delete(key: number): boolean {
    this.unpack();
    return super.delete(key);
  }
  override clear(): void {
    this.docs = null;
    this.tfs = null;
    super.clear();
  }
  override forEach(fn: (value: Map<number, number>, key: number, map: Map<number, Map<number, number>>) => void, thisArg?: unknown): void {
    this.unpack();
    super.forEach(fn, thisArg);
  }
  override get size(): number {
    this.unpack();
    return super.size;
  }
  override keys(): MapIterator<number> {
    this.unpack();
    return super.keys();
  }
  override values(): MapIterator<Map<number, number>> {
    this.unpack();
    return super.values();
  }
  override entries(): MapIterator<[number, Map<number, number>]> {
    this.unpack();
    return super.entries();
  }
  override [Symbol.iterator](): MapIterator<[number, Map<number, number>]> {
    return this.entries();
  }
}

/** Calls `visit(doc, tf)` for each posting of a term's data in `fieldId`, packed or not. */
export function forEachPosting(data: Map<number, Map<number, number>>, fieldId: number, visit: (doc: number, tf: number) => void): void {
  if (data instanceof PackedTermData && data.docs && data.tfs) {
    const { docs, tfs } = data;
    for (let i = 0; i < docs.length; i++) visit(docs[i]!, tfs[i]!);
    return;
  }
  const postings = data.get(fieldId);
  if (postings) for (const [doc, tf] of postings) visit(doc, tf);
}

/** Number of documents in a term's postings for `fieldId`, without unpacking. */
export function postingCount(data: Map<number, Map<number, number>>, fieldId: number): number {
  if (data instanceof PackedTermData && data.docs) return data.fieldId === fieldId ? data.docs.length : 0;
  return data.get(fieldId)?.size ?? 0;
}
