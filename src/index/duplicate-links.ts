import { mix32, SIGNATURE_HASHES } from './content-signature.js';
import { IntTable } from './int-table.js';
import { SignatureSource } from './signature-source.js';

/** LSH bands, and slots per band: 16 × 4 = the signature's 64 slots. */
const BANDS = 16;
const ROWS = SIGNATURE_HASHES / BANDS;

/**
 * The bucket key of band `b` of the signature at `offset` in `signatures` (4 slots of 16 bits): 30 bits of a hash of
 * them, so that a key is a small integer (no heap number per bucket). A collision only adds a candidate, checked
 * on all 64 slots anyway.
 */
function bandKey(signatures: Uint16Array, offset: number, b: number): number {
  let h = mix32(b + 1);
  for (let r = offset + b * ROWS; r < offset + (b + 1) * ROWS; r++) h = mix32(h ^ signatures[r]!);
  return h & 0x3fffffff;
}

/**
 * A band bucket of members of several components: per component, its one member's slot (most of them:
 * articles that share a band and are not alike) or its members' slots. A plain array and a number a
 * component, not a `Map` (about 300 bytes a bucket: 120 MB of heap at a million articles).
 */
interface MixedBucket {
  byComponent: (number | number[])[];
}

/**
 * A band bucket of several members: their slots when they are all of one component (most such buckets: an
 * article and its near copies), else a {@link MixedBucket}.
 */
type SharedBucket = number[] | MixedBucket;

/**
 * The links between articles and their connected components. Two
 * articles are linked when they share an LSH band (16 bands of 4 slots: a
 * pair at similarity 0.7 shares one with probability 0.99) and their estimated
 * similarity, on all 64 slots, is at least `similarity`.
 *
 * Each band bucket keeps its members sorted by component, so adding an article
 * checks one member per component until one links (a template repeated ten
 * thousand times is one component: one check per band, not ten thousand).
 * Components merge smaller into larger. A removal dissolves its component and
 * adds the members left again, which finds how it splits.
 *
 * Compact at millions of articles (no JS object per article: at a million, one
 * each cost 600 MB of heap and long major GCs): every article is a *slot*, a
 * small integer kept from `add` to `remove` and reused after, its id asked of
 * the caller when needed (`idOf`: the ids are the index's, not held twice); its signature is
 * read where the caller keeps it (a source of many articles' signatures, such as
 * a segment's, and an offset: no copy; see `SignatureSource`), its component an integer. A component is
 * named by one of its members' slots; only components of two members or more
 * have a member list.
 */
export class DuplicateLinks {
  private readonly freeSlots: number[] = [];
  /** Slots in use (added, not removed). */
  private live = 0;
  /** Slot → the source of its signature (shared by many slots), and the signature's offset there. */
  private readonly sourceOf: (SignatureSource | null)[] = [];
  /** The offset in the array `locate` returned last of the signature it was asked for. */
  private located = 0;
  private offsetOf = new Int32Array(1024);
  /** Slot → its component (a slot naming it: its own for an article without links). */
  private componentOf = new Int32Array(1024);
  /** Components of two members or more → their members' slots. */
  private readonly multi = new Map<number, number[]>();
  /**
   * Band bucket → its members by component, in a table of integers (16 buckets an
   * article: a `Map` of them cost about 1.5 kB an article). A bucket of one member
   * (most of them: an article without duplicates) is that member's slot (≥ 0), its
   * component read from `componentOf`; a bucket of several is `-(k + 1)`, `k` its place in `shared`.
   */
  private readonly buckets = new IntTable(1 << 16);
  private readonly shared: (SharedBucket | null)[] = [];
  private readonly freeShared: number[] = [];

  /** `idOf`: the id of the article at a slot in use (the order in which a split component's members are linked again). */
  constructor(
    readonly similarity: number,
    private readonly idOf: (slot: number) => string,
  ) {}

  /** Makes room for `articles` more articles at once (band buckets, see `IntTable.reserve`, and slots), before adding them in batches. */
  reserve(articles: number): void {
    this.buckets.reserve(this.buckets.size + articles * BANDS);
    this.growSlots(this.live + articles);
  }

  /** The components of two members or more, as their members' slots. */
  groups(): Iterable<readonly number[]> {
    return this.multi.values();
  }

  /** A copy of the signature of the article at `slot` (a slot in use). */
  signatureOf(slot: number): Uint16Array {
    return this.sourceOf[slot]!.read(this.offsetOf[slot]!).slice();
  }

  /**
   * Adds an article, its signature the 64 entries of `signatures` from `offset` (kept, not copied: they must
   * not change while it is added); returns its slot, kept until it is removed.
   */
  add(signatures: SignatureSource | Uint16Array, offset = 0): number {
    const slot = this.freeSlots.pop() ?? this.sourceOf.length;
    this.growSlots(slot + 1);
    this.sourceOf[slot] = signatures instanceof SignatureSource ? signatures : SignatureSource.held(signatures);
    this.offsetOf[slot] = offset;
    this.live++;
    this.link(slot);
    return slot;
  }

  /** Removes the article at `slot` (a slot in use); its component may split. */
  remove(slot: number): void {
    const component = this.componentOf[slot]!;
    this.unfile(slot, component);
    this.sourceOf[slot] = null;
    this.freeSlots.push(slot);
    this.live--;
    const members = this.multi.get(component);
    if (!members) return;
    this.multi.delete(component);
    members.splice(members.indexOf(slot), 1);
    // Dissolved, then its members linked again one by one: whatever the order, the components come out the same.
    for (const key of this.keysOf(members)) this.dropFiled(key, component);
    // In the order of their ids (code units), as they were linked when this kept the ids itself.
    const byId = members.map((m) => ({ m, id: this.idOf(m) })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const { m } of byId) this.link(m);
  }

  /**
   * Reads the signature of the article at `slot` from now on at `offset` in `signatures`, which must hold the
   * same 64 entries (an article moved to another segment, so that the old one's source can be closed).
   */
  moveSignature(slot: number, signatures: SignatureSource, offset: number): void {
    this.sourceOf[slot] = signatures;
    this.offsetOf[slot] = offset;
  }

  /** Makes the slot arrays hold at least `slots` slots (doubling). */
  private growSlots(slots: number): void {
    if (slots <= this.componentOf.length) return;
    let length = this.componentOf.length;
    while (length < slots) length *= 2;
    const componentOf = new Int32Array(length);
    componentOf.set(this.componentOf);
    this.componentOf = componentOf;
    const offsetOf = new Int32Array(length);
    offsetOf.set(this.offsetOf);
    this.offsetOf = offsetOf;
  }

  /** Files a known article in a component of its own, then joins every component it links to. */
  private link(slot: number): void {
    this.componentOf[slot] = slot;
    const joined = new Set<number>();
    for (let b = 0; b < BANDS; b++) {
      const value = this.buckets.get(this.keyOf(slot, b));
      if (value === undefined) continue;
      if (value >= 0) {
        const component = this.componentOf[value]!;
        if (!joined.has(component) && this.links(slot, value)) joined.add(component);
        continue;
      }
      const bucket = this.shared[-value - 1]!;
      for (const entry of Array.isArray(bucket) ? [bucket] : bucket.byComponent) {
        const component = this.componentOfEntry(entry);
        if (joined.has(component)) continue;
        if (typeof entry === 'number' ? this.links(slot, entry) : entry.some((other) => this.links(slot, other)))
          joined.add(component);
      }
    }
    this.file(slot, slot);
    let own = slot;
    for (const component of joined) own = this.merge(own, component);
  }

  /** The component of an entry of a bucket (a slot, or slots of one component). */
  private componentOfEntry(entry: number | readonly number[]): number {
    return this.componentOf[typeof entry === 'number' ? entry : entry[0]!]!;
  }

  /** The place in `bucket` of the entry of `component`, or -1. */
  private entryOf(bucket: MixedBucket, component: number): number {
    const entries = bucket.byComponent;
    for (let i = 0; i < entries.length; i++) if (this.componentOfEntry(entries[i]!) === component) return i;
    return -1;
  }

  /** The bucket key of band `b` of the article at `slot`. */
  private keyOf(slot: number, b: number): number {
    const array = this.locate(slot);
    return bandKey(array, this.located, b);
  }

  /**
   * The array holding the signature of the article at `slot`, at offset `this.located` (its source's
   * array while it holds one, else the signature read from its file).
   */
  private locate(slot: number): Uint16Array {
    const source = this.sourceOf[slot]!;
    const offset = this.offsetOf[slot]!;
    const held = source.array;
    if (held !== null) {
      this.located = offset;
      return held;
    }
    this.located = 0;
    return source.read(offset);
  }

  /** The members' slots of `component`. */
  private membersOf(component: number): readonly number[] {
    return this.multi.get(component) ?? [component];
  }

  /** Merges two components, the smaller into the larger; returns the larger. */
  private merge(a: number, b: number): number {
    const sizeA = this.multi.get(a)?.length ?? 1;
    const sizeB = this.multi.get(b)?.length ?? 1;
    const [large, small] = sizeA >= sizeB ? [a, b] : [b, a];
    const smallMembers = this.membersOf(small);
    // Whole lists move, bucket by bucket: O(size of the smaller × bands).
    for (const key of this.keysOf(smallMembers)) {
      const value = this.buckets.get(key)!;
      // A bucket of one component follows it through `componentOf` (set below).
      if (value >= 0) continue;
      const bucket = this.shared[-value - 1]!;
      if (Array.isArray(bucket)) continue;
      const from = this.entryOf(bucket, small);
      if (from < 0) continue;
      const moved = bucket.byComponent[from]!;
      bucket.byComponent.splice(from, 1);
      const to = this.entryOf(bucket, large);
      if (to < 0) bucket.byComponent.push(moved);
      else {
        const kept = bucket.byComponent[to]!;
        const joinedSlots = typeof kept === 'number' ? [kept] : kept;
        if (typeof moved === 'number') joinedSlots.push(moved);
        else for (const s of moved) joinedSlots.push(s);
        bucket.byComponent[to] = joinedSlots;
      }
      this.settle(key);
    }
    let largeMembers = this.multi.get(large);
    if (!largeMembers) {
      largeMembers = [large];
      this.multi.set(large, largeMembers);
    }
    for (const s of smallMembers) {
      largeMembers.push(s);
      this.componentOf[s] = large;
    }
    this.multi.delete(small);
    return large;
  }

  /** The band buckets the articles at `slots` are filed in. */
  private keysOf(slots: readonly number[]): Set<number> {
    const keys = new Set<number>();
    for (const slot of slots) for (let b = 0; b < BANDS; b++) keys.add(this.keyOf(slot, b));
    return keys;
  }

  /** Removes a component's list from a bucket (and the bucket when empty). */
  private dropFiled(key: number, component: number): void {
    const value = this.buckets.get(key);
    if (value === undefined) return;
    if (value >= 0) {
      if (this.componentOf[value] === component) this.dropBucket(key);
      return;
    }
    const bucket = this.shared[-value - 1]!;
    if (Array.isArray(bucket)) {
      if (this.componentOf[bucket[0]!] === component) this.dropBucket(key);
      return;
    }
    const at = this.entryOf(bucket, component);
    if (at >= 0) bucket.byComponent.splice(at, 1);
    this.settle(key);
  }

  /**
   * Puts the shared bucket of `key` in its most compact form: a bucket of one component becomes
   * a list of slots, a bucket of one member that member's slot, an empty bucket none.
   */
  private settle(key: number): void {
    const value = this.buckets.get(key)!;
    const k = -value - 1;
    let bucket = this.shared[k]!;
    if (!Array.isArray(bucket) && bucket.byComponent.length <= 1) {
      const only = bucket.byComponent[0];
      bucket = only === undefined ? [] : typeof only === 'number' ? [only] : only;
      this.shared[k] = bucket;
    }
    if (!Array.isArray(bucket) || bucket.length > 1) return;
    this.dropBucket(key);
    if (bucket.length === 1) this.buckets.set(key, bucket[0]!);
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

  /** Whether the articles at slots `a` and `b` link (similar enough). */
  private links(a: number, b: number): boolean {
    // `estimateSimilarity` read in place: no view made an article compared (while the signatures are held).
    const x = this.locate(a);
    const ox = this.located;
    const y = this.locate(b);
    const oy = this.located;
    let same = 0;
    for (let i = 0; i < SIGNATURE_HASHES; i++) if (x[ox + i] === y[oy + i]) same++;
    return same / SIGNATURE_HASHES >= this.similarity;
  }

  /** Files the article at `slot` in its band buckets, in the list of `component`. */
  private file(slot: number, component: number): void {
    for (let b = 0; b < BANDS; b++) {
      const key = this.keyOf(slot, b);
      const value = this.buckets.get(key);
      if (value === undefined) {
        this.buckets.set(key, slot);
        continue;
      }
      if (value >= 0) {
        const k = this.freeShared.pop() ?? this.shared.length;
        this.shared[k] = [value];
        this.buckets.set(key, -(k + 1));
        this.fileShared(k, slot, component);
      } else this.fileShared(-value - 1, slot, component);
    }
  }

  /** Adds the article at `slot`, of `component`, to the shared bucket at `k` in `shared`. */
  private fileShared(k: number, slot: number, component: number): void {
    let bucket = this.shared[k]!;
    if (Array.isArray(bucket)) {
      const of = this.componentOf[bucket[0]!]!;
      if (of === component) {
        bucket.push(slot);
        return;
      }
      bucket = { byComponent: [bucket.length === 1 ? bucket[0]! : bucket] };
      this.shared[k] = bucket;
    }
    const at = this.entryOf(bucket, component);
    if (at < 0) bucket.byComponent.push(slot);
    else {
      const entry = bucket.byComponent[at]!;
      if (typeof entry === 'number') bucket.byComponent[at] = [entry, slot];
      else entry.push(slot);
    }
  }

  /** Takes the article at `slot` out of its band buckets (it is in the list of `component`). */
  private unfile(slot: number, component: number): void {
    for (let b = 0; b < BANDS; b++) {
      const key = this.keyOf(slot, b);
      const value = this.buckets.get(key);
      if (value === undefined) continue;
      if (value >= 0) {
        if (value === slot) this.dropBucket(key);
        continue;
      }
      const bucket = this.shared[-value - 1]!;
      if (Array.isArray(bucket)) {
        const at = bucket.indexOf(slot);
        if (at < 0) continue;
        bucket.splice(at, 1);
      } else {
        const e = this.entryOf(bucket, component);
        if (e < 0) continue;
        const entry = bucket.byComponent[e]!;
        if (typeof entry === 'number') {
          if (entry !== slot) continue;
          bucket.byComponent.splice(e, 1);
        } else {
          const at = entry.indexOf(slot);
          if (at < 0) continue;
          entry.splice(at, 1);
          if (entry.length === 1) bucket.byComponent[e] = entry[0]!;
        }
      }
      this.settle(key);
    }
  }
}
