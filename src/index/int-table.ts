/** No key in this place of the table (a new typed array is all of these: nothing to fill). */
const EMPTY = 0;
/** A key was deleted here: probing goes on past it. */
const DELETED = -1;
/** The table grows once this share of its places holds a key or a deletion mark. */
const MAX_LOAD = 0.6;

/**
 * A hash table from non-negative integers below 2^31 − 1 (keys that are hashes already)
 * to 32-bit integers, in two typed arrays: open addressing, linear probing, each key
 * stored plus one so that an empty place is 0. For millions of small entries where a
 * `Map` would spend about five times the memory (the band buckets of the
 * near-duplicate links: 16 per article).
 */
export class IntTable {
  private keys: Int32Array;
  private values: Int32Array;
  /** Places holding a key or a deletion mark. */
  private filled = 0;
  /** Keys held. */
  size = 0;

  constructor(capacity = 1024) {
    let places = 16;
    while (places * MAX_LOAD < capacity) places *= 2;
    this.keys = new Int32Array(places);
    this.values = new Int32Array(places);
  }

  /** Places in the table (a power of two): it changes only when the table is rehashed. */
  get places(): number {
    return this.keys.length;
  }

  /**
   * Makes room for `capacity` keys at once, so that adding them rehashes nothing: a table filled to
   * millions of keys between requests would otherwise stop the event loop for a whole rehash (a
   * quarter of a second at 2.4 million keys on a busy machine) each time it doubles.
   */
  reserve(capacity: number): void {
    if ((capacity + 1) / this.keys.length <= MAX_LOAD) return;
    let places = this.keys.length;
    while ((capacity + 1) / places > MAX_LOAD) places *= 2;
    this.refill(places);
  }

  /** The value of `key`, or undefined. */
  get(key: number): number | undefined {
    const at = this.find(key);
    return at < 0 ? undefined : this.values[at];
  }

  /** Sets the value of `key` (`key` ≥ 0, below 2^31 − 1). */
  set(key: number, value: number): void {
    const at = this.find(key);
    if (at >= 0) {
      this.values[at] = value;
      return;
    }
    if ((this.filled + 1) / this.keys.length > MAX_LOAD) this.rehash();
    const mask = this.keys.length - 1;
    let i = key & mask;
    while (this.keys[i]! > 0) i = (i + 1) & mask;
    if (this.keys[i] === EMPTY) this.filled++;
    this.keys[i] = key + 1;
    this.values[i] = value;
    this.size++;
  }

  /** Removes `key` (nothing when it is absent). */
  delete(key: number): void {
    const at = this.find(key);
    if (at < 0) return;
    this.keys[at] = DELETED;
    this.size--;
  }

  /** The place of `key`, or -1. */
  private find(key: number): number {
    const keys = this.keys;
    const mask = keys.length - 1;
    const stored = key + 1;
    for (let i = key & mask; ; i = (i + 1) & mask) {
      const k = keys[i]!;
      if (k === stored) return i;
      if (k === EMPTY) return -1;
    }
  }

  /** Places the keys again in a table sized for them (twice as many places when they fill it), dropping deletion marks. */
  private rehash(): void {
    let places = this.keys.length;
    while ((this.size + 1) / places > MAX_LOAD / 2) places *= 2;
    this.refill(places);
  }

  /** Places the keys held in a new table of `places` places (a power of two), dropping deletion marks. */
  private refill(places: number): void {
    const { keys, values } = this;
    this.keys = new Int32Array(places);
    this.values = new Int32Array(places);
    this.filled = 0;
    this.size = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i]! > 0) this.set(keys[i]! - 1, values[i]!);
  }
}
