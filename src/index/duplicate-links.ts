import { estimateSimilarity, mix32, SIGNATURE_HASHES } from './content-signature.js';
import { IntTable } from './int-table.js';

/** LSH bands, and slots per band: 16 × 4 = the signature's 64 slots. */
const BANDS = 16;
const ROWS = SIGNATURE_HASHES / BANDS;

/**
 * The bucket key of band `b` of a signature (4 slots of 16 bits): 30 bits of a hash of them, so that a key is a
 * small integer (no heap number per bucket). A collision only adds a candidate, checked on all 64 slots anyway.
 */
function bandKey(signature: Uint16Array, b: number): number {
  let h = mix32(b + 1);
  for (let r = b * ROWS; r < (b + 1) * ROWS; r++) h = mix32(h ^ signature[r]!);
  return h & 0x3fffffff;
}

/** A connected component of links: its members' ids. */
type Component = Set<string>;

/** A band bucket: its one member's id, or its members by component. */
type Bucket = string | Map<Component, string[]>;

/**
 * The links between articles and their connected components, by id. Two
 * articles are linked when they share an LSH band (16 bands of 4 slots: a
 * pair at similarity 0.7 shares one with probability 0.99) and their estimated
 * similarity, on all 64 slots, is at least `similarity`.
 *
 * Each band bucket keeps its members sorted by component, so adding an article
 * checks one member per component until one links (a template repeated ten
 * thousand times is one component: one check per band, not ten thousand).
 * Components merge smaller into larger. A removal dissolves its component and
 * adds the members left again, which finds how it splits.
 */
export class DuplicateLinks {
  private readonly signatures = new Map<string, Uint16Array>();
  private readonly componentOf = new Map<string, Component>();
  /**
   * Band bucket → its members by component, in a table of integers (16 buckets an
   * article: a `Map` of them cost about 1.5 kB an article). A bucket of one member
   * (most of them: an article without duplicates) is that member's slot (≥ 0), its
   * component read from `componentOf`; a bucket of several is `-(k + 1)`, `k` its place in `shared`.
   */
  private readonly buckets = new IntTable(1 << 16);
  private readonly shared: (Map<Component, string[]> | null)[] = [];
  private readonly freeShared: number[] = [];
  /** Article id → its slot (a small integer, kept from `add` to `remove`), and back. */
  private readonly slotOf = new Map<string, number>();
  private readonly idAt: string[] = [];
  private readonly freeSlots: number[] = [];
  /** Components of two members or more. */
  private readonly multi = new Set<Component>();

  constructor(readonly similarity: number) {}

  /** Makes room for `articles` more articles' band buckets at once (see `IntTable.reserve`), before adding them in batches. */
  reserve(articles: number): void {
    this.buckets.reserve(this.buckets.size + articles * BANDS);
  }

  /** The components of two members or more. */
  groups(): Iterable<ReadonlySet<string>> {
    return this.multi;
  }

  /** True when the article `id` was added (and not removed). */
  has(id: string): boolean {
    return this.signatures.has(id);
  }

  /** The signature an added article was given. */
  signatureOf(id: string): Uint16Array | undefined {
    return this.signatures.get(id);
  }

  /** Adds an article (its id must not be known). */
  add(id: string, signature: Uint16Array): void {
    this.signatures.set(id, signature);
    const slot = this.freeSlots.pop() ?? this.idAt.length;
    this.idAt[slot] = id;
    this.slotOf.set(id, slot);
    this.link(id);
  }

  /** Removes an article; its component may split. */
  remove(id: string): void {
    const component = this.componentOf.get(id);
    if (!component) return;
    this.unfile(id, component);
    this.signatures.delete(id);
    this.componentOf.delete(id);
    this.freeSlots.push(this.slotOf.get(id)!);
    this.slotOf.delete(id);
    component.delete(id);
    this.multi.delete(component);
    if (component.size === 0) return;
    // Dissolved, then its members linked again one by one: whatever the order, the components come out the same.
    for (const key of this.keysOf(component)) this.dropFiled(key, component);
    for (const m of [...component].sort()) this.link(m);
  }

  /** Files a known article in a component of its own, then joins every component it links to. */
  private link(id: string): void {
    const signature = this.signatures.get(id)!;
    let own: Component = new Set([id]);
    this.componentOf.set(id, own);
    const joined = new Set<Component>();
    for (let b = 0; b < BANDS; b++) {
      const bucket = this.bucket(bandKey(signature, b));
      if (bucket === undefined) continue;
      if (typeof bucket === 'string') {
        const component = this.componentOf.get(bucket)!;
        if (!joined.has(component) && this.links(signature, bucket)) joined.add(component);
        continue;
      }
      for (const [component, ids] of bucket) {
        if (joined.has(component)) continue;
        if (ids.some((other) => this.links(signature, other))) joined.add(component);
      }
    }
    this.file(id, own);
    for (const component of joined) own = this.merge(own, component);
    if (own.size > 1) this.multi.add(own);
  }

  /** Merges two components, the smaller into the larger; returns the larger. */
  private merge(a: Component, b: Component): Component {
    const [large, small] = a.size >= b.size ? [a, b] : [b, a];
    this.multi.delete(small);
    // Whole lists move, bucket by bucket: O(size of the smaller × bands).
    for (const key of this.keysOf(small)) {
      const bucket = this.bucket(key)!;
      // A lone member's bucket follows its component through `componentOf` (set below).
      if (typeof bucket === 'string') continue;
      const moved = bucket.get(small);
      if (!moved) continue;
      bucket.delete(small);
      const kept = bucket.get(large);
      if (kept) for (const id of moved) kept.push(id);
      else bucket.set(large, moved);
    }
    for (const id of small) {
      large.add(id);
      this.componentOf.set(id, large);
    }
    return large;
  }

  /** The band buckets the members of `component` are filed in. */
  private keysOf(component: Component): Set<number> {
    const keys = new Set<number>();
    for (const id of component) {
      const signature = this.signatures.get(id)!;
      for (let b = 0; b < BANDS; b++) keys.add(bandKey(signature, b));
    }
    return keys;
  }

  /** Removes a component's list from a bucket (and the bucket when empty). */
  private dropFiled(key: number, component: Component): void {
    const bucket = this.bucket(key);
    if (bucket === undefined) return;
    if (typeof bucket === 'string') {
      if (this.componentOf.get(bucket) === component) this.dropBucket(key);
      return;
    }
    bucket.delete(component);
    if (bucket.size === 0) this.dropBucket(key);
  }

  /** The bucket of band key `key`: its lone member's id, its members by component, or undefined when empty. */
  private bucket(key: number): Bucket | undefined {
    const value = this.buckets.get(key);
    if (value === undefined) return undefined;
    return value >= 0 ? this.idAt[value] : this.shared[-value - 1]!;
  }

  /** Makes the bucket of `key` a bucket of several members, `members`. */
  private shareBucket(key: number, members: Map<Component, string[]>): void {
    const k = this.freeShared.pop() ?? this.shared.length;
    this.shared[k] = members;
    this.buckets.set(key, -(k + 1));
  }

  /** Empties the bucket of `key`. */
  private dropBucket(key: number): void {
    const value = this.buckets.get(key);
    if (value === undefined) return;
    if (value < 0) {
      this.shared[-value - 1] = null;
      this.freeShared.push(-value - 1);
    }
    this.buckets.delete(key);
  }

  /** Whether an article of `signature` links to the known article `other` (similar enough). */
  private links(signature: Uint16Array, other: string): boolean {
    return estimateSimilarity(signature, this.signatures.get(other)!) >= this.similarity;
  }

  private file(id: string, component: Component): void {
    const signature = this.signatures.get(id)!;
    for (let b = 0; b < BANDS; b++) {
      const key = bandKey(signature, b);
      let bucket = this.bucket(key);
      if (bucket === undefined) {
        this.buckets.set(key, this.slotOf.get(id)!);
        continue;
      }
      if (typeof bucket === 'string') {
        const lone = bucket;
        bucket = new Map([[this.componentOf.get(lone)!, [lone]]]);
        this.shareBucket(key, bucket);
      }
      const ids = bucket.get(component);
      if (ids) ids.push(id);
      else bucket.set(component, [id]);
    }
  }

  private unfile(id: string, component: Component): void {
    const signature = this.signatures.get(id)!;
    for (let b = 0; b < BANDS; b++) {
      const key = bandKey(signature, b);
      const bucket = this.bucket(key);
      if (bucket === undefined) continue;
      if (typeof bucket === 'string') {
        if (bucket === id) this.dropBucket(key);
        continue;
      }
      const ids = bucket.get(component);
      if (!ids) continue;
      const at = ids.indexOf(id);
      if (at >= 0) ids.splice(at, 1);
      if (ids.length === 0) bucket.delete(component);
      if (bucket.size === 0) this.dropBucket(key);
    }
  }
}
