import type { Segment } from './segments/segment-reader.js';
import type { CollectionKey } from './segments/segment-writer.js';
import { decodeTermPostings, extendTermPostings, type TermPostings } from './term-postings.js';

/** Most decoded postings kept across queries (6 bytes each): 32 M ≈ 190 MB; least recently used out first. */
export const MAX_CACHED_POSTINGS = 32_000_000;

/** A term's cached postings, and the index they were decoded over: its segment count and deletion count then. */
interface CachedPostings {
  postings: TermPostings | null;
  segments: number;
  deletions: number;
}

/** What the cache reads of the index: its segments, numbering and live tables of a collection. */
export interface PostingsSource {
  segments: readonly Segment[];
  /** Bumped by every deletion of articles of the segments. */
  deletions: number;
  bases: Int32Array;
  live: Int32Array;
}

/**
 * Decoded postings of the terms queries used, least recently used out first,
 * bounded by {@link MAX_CACHED_POSTINGS}. An entry decoded before a write
 * (segments added, articles deleted) is brought up to date on use — the new
 * segments' postings appended, the live count taken again — instead of decoded
 * again. Shared by the readers that follow one another without renumbering
 * (a merge starts a new cache); an older reader still in use decodes past
 * entries a newer one updated.
 */
export class PostingsCache {
  private readonly entries = new Map<string, CachedPostings>();
  private held = 0;

  /** A term's postings over every segment of `source`. */
  get(c: CollectionKey, term: string, source: PostingsSource): TermPostings | null {
    const key = c + term;
    const known = this.entries.get(key);
    // An entry a newer reader brought up to date is not this (older) reader's: decode without keeping it.
    if (known !== undefined && (known.segments > source.segments.length || known.deletions > source.deletions)) {
      return decodeTermPostings(source.segments, c, term, source.bases, source.live);
    }
    let postings: TermPostings | null;
    if (known !== undefined) {
      this.entries.delete(key);
      this.held -= (known.postings?.end ?? 0) + 1;
      postings =
        known.segments === source.segments.length && known.deletions === source.deletions
          ? known.postings
          : extendTermPostings(
              known.postings,
              source.segments,
              known.segments,
              known.deletions !== source.deletions,
              c,
              term,
              source.bases,
              source.live,
            );
    } else postings = decodeTermPostings(source.segments, c, term, source.bases, source.live);
    const total = postings?.end ?? 0;
    for (const [oldest, value] of this.entries) {
      if (this.held + total + 1 <= MAX_CACHED_POSTINGS) break;
      this.entries.delete(oldest);
      this.held -= (value.postings?.end ?? 0) + 1;
    }
    // Most recently used: at the end of the eviction order.
    this.entries.set(key, { postings, segments: source.segments.length, deletions: source.deletions });
    this.held += total + 1;
    return postings;
  }
}
