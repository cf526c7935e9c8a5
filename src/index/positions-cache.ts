import type { Segment } from './segments/segment-reader.js';
import type { CollectionKey } from './segments/segment-writer.js';

/** Most bytes of encoded positions kept across queries (least recently used out first). */
export const MAX_CACHED_POSITION_BYTES = 32 << 20;

/**
 * The encoded token positions of the terms phrase and proximity queries read
 * (`Segment.readTermPositions`), kept across queries up to
 * {@link MAX_CACHED_POSITION_BYTES}: a common word's positions (hundreds of
 * kilobytes at 1×) are then read from the file once, not once per query.
 * Keyed by the segment itself (segments are immutable), so a merged-away
 * segment's entries simply age out.
 */
export class PositionsCache {
  private readonly entries = new Map<string, { segment: Segment; bytes: Buffer }>();
  private readonly ids = new WeakMap<Segment, number>();
  private nextId = 0;
  private held = 0;

  /** The positions of the term at dictionary position `i` of collection `c` of `segment`. */
  get(segment: Segment, c: CollectionKey, i: number): Buffer {
    let id = this.ids.get(segment);
    if (id === undefined) {
      id = this.nextId++;
      this.ids.set(segment, id);
    }
    const key = `${id}${c}${i}`;
    const known = this.entries.get(key);
    if (known) {
      // Most recently used: to the end of the eviction order.
      this.entries.delete(key);
      this.entries.set(key, known);
      return known.bytes;
    }
    const bytes = segment.readTermPositions(c, i);
    if (bytes.length > MAX_CACHED_POSITION_BYTES / 4) return bytes;
    for (const [oldest, value] of this.entries) {
      if (this.held + bytes.length <= MAX_CACHED_POSITION_BYTES) break;
      this.entries.delete(oldest);
      this.held -= value.bytes.length;
    }
    this.entries.set(key, { segment, bytes });
    this.held += bytes.length;
    return bytes;
  }
}

/** The process's cache of positions (one for every index: entries are keyed by segment). */
export const positionsCache = new PositionsCache();
