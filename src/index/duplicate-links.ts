import { estimateSimilarity, mix32, SIGNATURE_HASHES } from './content-signature.js';

/** LSH bands, and slots per band: 16 × 4 = the signature's 64 slots. */
const BANDS = 16;
const ROWS = SIGNATURE_HASHES / BANDS;

/** The bucket key of band `b` of a signature (4 slots of 16 bits): 53 bits from two hashes of them (a collision only adds a candidate, checked anyway). */
function bandKey(signature: Uint16Array, b: number): number {
  let h1 = mix32(b + 1);
  let h2 = mix32(b + 0x51ed);
  for (let r = b * ROWS; r < (b + 1) * ROWS; r++) {
    h1 = mix32(h1 ^ signature[r]!);
    h2 = mix32(h2 + signature[r]!);
  }
  return (h1 & 0x1fffff) * 2 ** 32 + h2;
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
   * Band bucket → its members by component; a bucket of one member (most of them:
   * an article without duplicates) is that member's id alone, its component read
   * from `componentOf` (a map and an array less per band and article).
   */
  private readonly buckets = new Map<number, Bucket>();
  /** Components of two members or more. */
  private readonly multi = new Set<Component>();

  constructor(readonly similarity: number) {}

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
    this.link(id);
  }

  /** Removes an article; its component may split. */
  remove(id: string): void {
    const component = this.componentOf.get(id);
    if (!component) return;
    this.unfile(id, component);
    this.signatures.delete(id);
    this.componentOf.delete(id);
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
      const bucket = this.buckets.get(bandKey(signature, b));
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
      const bucket = this.buckets.get(key)!;
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
    const bucket = this.buckets.get(key);
    if (bucket === undefined) return;
    if (typeof bucket === 'string') {
      if (this.componentOf.get(bucket) === component) this.buckets.delete(key);
      return;
    }
    bucket.delete(component);
    if (bucket.size === 0) this.buckets.delete(key);
  }

  /** Whether an article of `signature` links to the known article `other` (similar enough). */
  private links(signature: Uint16Array, other: string): boolean {
    return estimateSimilarity(signature, this.signatures.get(other)!) >= this.similarity;
  }

  private file(id: string, component: Component): void {
    const signature = this.signatures.get(id)!;
    for (let b = 0; b < BANDS; b++) {
      const key = bandKey(signature, b);
      let bucket = this.buckets.get(key);
      if (bucket === undefined) {
        this.buckets.set(key, id);
        continue;
      }
      if (typeof bucket === 'string') {
        const lone = bucket;
        bucket = new Map([[this.componentOf.get(lone)!, [lone]]]);
        this.buckets.set(key, bucket);
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
      const bucket = this.buckets.get(key);
      if (bucket === undefined) continue;
      if (typeof bucket === 'string') {
        if (bucket === id) this.buckets.delete(key);
        continue;
      }
      const ids = bucket.get(component);
      if (!ids) continue;
      const at = ids.indexOf(id);
      if (at >= 0) ids.splice(at, 1);
      if (ids.length === 0) bucket.delete(component);
      if (bucket.size === 0) this.buckets.delete(key);
    }
  }
}
