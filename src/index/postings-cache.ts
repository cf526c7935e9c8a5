import { isStemTerm } from '../analysis/index-terms.js';
import type { Segment } from './segments/segment-reader.js';
import type { CollectionKey } from './segments/segment-writer.js';
import { decodeTermPostings, extendTermPostings, type TermPostings } from './term-postings.js';
import { termKey } from './segments/utf8-order.js';

/**
 * Most bytes of postings kept across queries by default (`POSTINGS_CACHE_MB`) (decoded lists, with the encoded bytes and skip tables of the
 * blocks not decoded yet): 192 MiB, least recently used out first. A decoded posting is 6 bytes (about 32
 * million of them).
 */
export const MAX_CACHED_POSTINGS_BYTES = 192 << 20;

let cacheBytes = MAX_CACHED_POSTINGS_BYTES;

/** Sets the bytes the postings cache of every index opened from now on may hold (`POSTINGS_CACHE_MB`). */
export function configurePostingsCache(bytes: number): void {
  if (!(bytes >= 1)) throw new RangeError(`postings cache must hold at least a byte, got ${bytes}`);
  cacheBytes = bytes;
}

/** The bytes a postings cache made now may hold (`MAX_CACHED_POSTINGS_BYTES` unless configured). */
export function postingsCacheBytes(): number {
  return cacheBytes;
}

/** Bytes a block of a term's postings holds in its tables beside the postings (`PostingBlocks`: 6 numbers and a flag). */
const BLOCK_TABLE_BYTES = 4 * 6 + 2 * 2 + 1;

/**
 * Bytes a term's cached postings hold: its lists (sized for every posting, decoded or not), its blocks'
 * tables and, while blocks are pending, the encoded bytes they are decoded from.
 */
export function postingsBytes(postings: TermPostings | null): number {
  if (postings === null) return 16;
  const blocks = postings.blocks;
  let bytes = postings.docs.byteLength + postings.tfs.byteLength + blocks.count * BLOCK_TABLE_BYTES;
  for (const encoded of blocks.encoded) bytes += encoded.bytes.length;
  return bytes;
}

/** Stem terms whose shared form is remembered at most (past it the memo starts again). */
const MAX_SHARED_FORMS = 100_000;

/** A term's cached postings, and the index they were decoded over: its segment count and deletion count then. */
interface CachedPostings {
  postings: TermPostings | null;
  /** Its bytes when it was kept (`postingsBytes`; decoding pending blocks later only frees their encoded bytes). */
  bytes: number;
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
 * bounded by {@link MAX_CACHED_POSTINGS_BYTES}. An entry decoded before a write
 * (segments added, articles deleted) is brought up to date on use — the new
 * segments' postings appended, the live count taken again — instead of decoded
 * again. Shared by the readers that follow one another without renumbering
 * (a merge starts a new cache); an older reader still in use decodes past
 * entries a newer one updated.
 */
export class PostingsCache {
  private readonly entries = new Map<string, CachedPostings>();
  /** Per stem term asked for: the form whose postings it shares in every segment (null: none), and over how many segments. */
  private readonly shared = new Map<string, { segments: number; form: string | null }>();
  private held = 0;

  /** A cache that keeps at most `maxBytes` (see {@link postingsBytes}; one list larger than that is kept alone). */
  constructor(private readonly maxBytes = postingsCacheBytes()) {}

  /** Bytes the kept postings hold, as counted when each was last used. */
  get bytes(): number {
    return this.held;
  }

  /**
   * A term's postings over every segment of `source`. A stem term whose postings are, in every segment
   * holding it, those of one and the same form (a word no other word shares a stem with) is that form's
   * entry: decoded and kept once for the two.
   */
  get(c: CollectionKey, term: string, source: PostingsSource): TermPostings | null {
    const form = isStemTerm(term) ? this.sharedForm(c, term, source) : null;
    return form === null ? this.getOwn(c, term, source) : this.getOwn(c, form, source);
  }

  /** The form every segment of `source` holding stem term `term` shares its postings with, or null (remembered per segment count). */
  private sharedForm(c: CollectionKey, term: string, source: PostingsSource): string | null {
    const key = c + term;
    const known = this.shared.get(key);
    if (known !== undefined && known.segments === source.segments.length) return known.form;
    let form: string | null = null;
    const bytes = termKey(term);
    for (const segment of source.segments) {
      const i = segment.findTerm(c, term, bytes);
      if (i < 0) continue;
      const shared = segment.sharedForm(c, i);
      if (shared === null || (form !== null && shared !== form)) {
        form = null;
        break;
      }
      form = shared;
    }
    // Remembered for the newest reader only (an older one, with fewer segments, asks again).
    if (known === undefined || known.segments < source.segments.length) {
      if (known === undefined && this.shared.size >= MAX_SHARED_FORMS) this.shared.clear();
      this.shared.set(key, { segments: source.segments.length, form });
    }
    return form;
  }

  private getOwn(c: CollectionKey, term: string, source: PostingsSource): TermPostings | null {
    const key = c + term;
    const known = this.entries.get(key);
    // An entry a newer reader brought up to date is not this (older) reader's: decode without keeping it.
    if (known !== undefined && (known.segments > source.segments.length || known.deletions > source.deletions)) {
      return decodeTermPostings(source.segments, c, term, source.bases, source.live);
    }
    let postings: TermPostings | null;
    if (known !== undefined) {
      this.entries.delete(key);
      this.held -= known.bytes;
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
    const bytes = postingsBytes(postings);
    for (const [oldest, value] of this.entries) {
      if (this.held + bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.held -= value.bytes;
    }
    // Most recently used: at the end of the eviction order.
    this.entries.set(key, { postings, bytes, segments: source.segments.length, deletions: source.deletions });
    this.held += bytes;
    return postings;
  }
}
