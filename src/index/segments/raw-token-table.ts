/**
 * A hash table of tokens as written (`text[start, end)`), looked up by their
 * characters in place: a repeated token costs a hash over its code units and one
 * comparison, with no string made for it. The build's inner loop meets each
 * distinct token as written once and every other time by this table (a
 * 100,000-paragraph batch has about 3 million tokens and 100,000 distinct ones).
 */
export class RawTokenTable {
  /** Open addressing: entry + 1 per slot, 0 when empty; the length is a power of two. */
  private slots = new Int32Array(1 << 16);
  /** Per entry: its hash, where its code units start in `units`, and how many there are. */
  private hashes: Int32Array = new Int32Array(1 << 15);
  private starts: Int32Array = new Int32Array(1 << 15);
  private lengths: Int32Array = new Int32Array(1 << 15);
  /** The entries' code units, one after the other. */
  private units = new Uint16Array(1 << 18);
  private unitsUsed = 0;
  /** The hash of the last token looked up with {@link find}, which {@link add} reuses. */
  private lastHash = 0;
  /** Number of entries, numbered from 0 in the order they were added. */
  size = 0;

  /** The entry of the token `text[start, end)`, or -1 when it has none (then {@link add} may add it). */
  find(text: string, start: number, end: number): number {
    let hash = 0x811c9dc5;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
    this.lastHash = hash;
    const mask = this.slots.length - 1;
    const length = end - start;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot]! - 1;
      if (entry < 0) return -1;
      if (this.hashes[entry] !== hash || this.lengths[entry] !== length) continue;
      const at = this.starts[entry]!;
      let i = 0;
      while (i < length && this.units[at + i] === text.charCodeAt(start + i)) i++;
      if (i === length) return entry;
    }
  }

  /** Adds the token `text[start, end)`, which the last {@link find} did not find; returns its entry. */
  add(text: string, start: number, end: number): number {
    const entry = this.size++;
    const length = end - start;
    if (entry === this.hashes.length) {
      this.hashes = grow(this.hashes, entry * 2);
      this.starts = grow(this.starts, entry * 2);
      this.lengths = grow(this.lengths, entry * 2);
    }
    if (this.unitsUsed + length > this.units.length) {
      const units = new Uint16Array(Math.max(this.units.length * 2, this.unitsUsed + length));
      units.set(this.units);
      this.units = units;
    }
    for (let i = 0; i < length; i++) this.units[this.unitsUsed + i] = text.charCodeAt(start + i);
    this.hashes[entry] = this.lastHash;
    this.starts[entry] = this.unitsUsed;
    this.lengths[entry] = length;
    this.unitsUsed += length;
    // At most half full, so that probes stay short.
    if (this.size * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    else this.place(entry);
    return entry;
  }

  private place(entry: number): void {
    const mask = this.slots.length - 1;
    let slot = this.hashes[entry]! & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = entry + 1;
  }

  private rehash(capacity: number): void {
    this.slots = new Int32Array(capacity);
    for (let entry = 0; entry < this.size; entry++) this.place(entry);
  }
}

function grow(array: Int32Array, length: number): Int32Array {
  const grown = new Int32Array(length);
  grown.set(array);
  return grown;
}
