/** No key in this place of the table (a new typed array is all of these: nothing to fill). */
const EMPTY = 0;
/** A key was deleted here: probing goes on past it. */
const DELETED = -1;
/**
 * The table is rehashed once this share of its places holds a key or a deletion mark. Linear probing at
 * 0.8 looks at about 3 places to find a key and 13 to miss one, all in one or two cache lines; the places
 * are 8 bytes each, so a table sized for its keys at 0.8 holds 10 bytes a key (a power-of-two table at 0.6
 * held 8–27: 268 MB for the 16 million band buckets of a million articles, 162 MB now).
 */
const MAX_LOAD = 0.8;
/** Load after a rehash that grows the table: room for a quarter more keys before the next. */
const REHASHED_LOAD = 0.6;

export class IntTable {
  private keys: Int32Array;
  private values: Int32Array;
  /** Places holding a key or a deletion mark. */
  private filled = 0;
  /** Keys held. */
  size = 0;

  constructor(capacity = 1024) {
    const places = placesFor(capacity, MAX_LOAD);
    this.keys = new Int32Array(places);
    this.values = new Int32Array(places);
  }

  /** Places in the table: it changes only when the table is rehashed. */
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
    this.refill(placesFor(capacity, MAX_LOAD));
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
    const places = this.keys.length;
    let i = homeOf(key, places);
    while (this.keys[i]! > 0) i = i + 1 === places ? 0 : i + 1;
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
    const places = keys.length;
    const stored = key + 1;
    for (let i = homeOf(key, places); ; i = i + 1 === places ? 0 : i + 1) {
      const k = keys[i]!;
      if (k === stored) return i;
      if (k === EMPTY) return -1;
    }
  }

  /** Places the keys again in a table sized for them at {@link REHASHED_LOAD}, dropping deletion marks. */
  private rehash(): void {
    this.refill(placesFor(this.size, REHASHED_LOAD));
  }

  /** Places the keys held in a new table of `places` places, dropping deletion marks. */
  private refill(places: number): void {
    const { keys, values } = this;
    this.keys = new Int32Array(places);
    this.values = new Int32Array(places);
    this.filled = 0;
    this.size = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i]! > 0) this.set(keys[i]! - 1, values[i]!);
  }
}

/** Places for `capacity` keys at `load` (at least 16). */
function placesFor(capacity: number, load: number): number {
  return Math.max(16, Math.ceil((capacity + 1) / load));
}

/** The first place of `key` in a table of `places`: a multiplicative hash of it, scaled to the table. */
function homeOf(key: number, places: number): number {
  // The hash spreads keys that are not hashes already (small integers); the scaling keeps its high bits.
  const i = Math.floor((Math.imul(key, 0x9e3779b1) >>> 0) * (places / 4294967296));
  return i < places ? i : places - 1;
}
