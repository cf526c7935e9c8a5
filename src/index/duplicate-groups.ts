import type { ArchiveIndex } from './archive-index.js';
import { estimateSimilarity, isEmptySignature, SIGNATURE_HASHES } from './content-signature.js';
import { DuplicateLinks } from './duplicate-links.js';
import type { Segment } from './segments/segment-reader.js';
import { openSegmentSignatures } from './segments/signature-file.js';
import type { SignatureSource } from './signature-source.js';

/**
 * Groups of near-duplicate articles (a wire story, its updates, a paper's
 * rewrite of it), kept in step with the index.
 *
 * Two live articles are *linked* when their estimated Jaccard similarity (5-word
 * shingles, see `content-signature.ts`) is at least the threshold and they share
 * an LSH band — 16 bands of 4 slots: a pair at similarity 0.8 shares one with
 * probability 0.9998, a pair at 0.5 with 0.64, each candidate then checked on all
 * 64 slots. A *group* is a connected component of links with two members or
 * more. Both are functions of the set of live articles alone, so the groups are
 * the same however the archive was built, cut into segments, merged or
 * updated, and after a restart.
 *
 * Kept incrementally: articles of new segments are added (their candidates
 * looked up in the band buckets, groups joined), deleted ones removed (their
 * group's links found again among the members left, which may split it).
 */

/** Default similarity (estimated Jaccard, 0–1) from which two articles are duplicates: measured in `docs/duplicates-and-versions.md`. */
export const DEFAULT_DUPLICATE_SIMILARITY = 0.7;
let duplicateSimilarity = DEFAULT_DUPLICATE_SIMILARITY;

/** Sets the similarity (0.5–1) from which articles are grouped, for every index from now on (`DUPLICATE_SIMILARITY`). */
export function configureDuplicateSimilarity(similarity: number): void {
  if (!(similarity >= 0.5 && similarity <= 1))
    throw new RangeError(`duplicate similarity must be within 0.5–1, got ${similarity}`);
  duplicateSimilarity = similarity;
}

/**
 * Where a live article is: its segment and number there, its signature and the segment's signatures it is
 * a view of (kept by slot, not as this object).
 */
interface Member {
  segment: Segment;
  local: number;
  signature: Uint16Array;
  signatures: SignatureSource;
}

/**
 * What the groups know of a segment: where its signatures are read, which of its articles they hold, its
 * deletions when last synced, its number in `segmentAt`.
 */
interface SegmentState {
  source: SignatureSource;
  /** Article → its slot in `links`, -1 when the groups do not hold it. */
  slots: Int32Array;
  deletedCount: number;
  number: number;
}

/** The groups as one generation of an index sees them, by article number. */
export interface DuplicateView {
  /** Article number → its group's number, -1 for an article with no duplicate. */
  groupOf: Int32Array;
  /** Group number → its members' article numbers, earliest published first (undated last; ties by id). */
  members: number[][];
}

/** Articles added to the groups between two yields to the event loop while they are first built. */
const WARM_BATCH = 500;

/**
 * The groups of one index over time (see the module comment), shared by its
 * point-in-time readers: `view(reader)` brings them in step with that reader,
 * adding and removing only what changed since the last one.
 */
export class DuplicateGroups {
  private readonly links: DuplicateLinks;
  private readonly segmentState = new Map<Segment, SegmentState>();
  /** Segment number → the segment (null: a number free for the next segment). */
  private readonly segmentAt: (Segment | null)[] = [];
  /**
   * Each live article's place by its slot in `links` (typed arrays, not an object an article: at a million
   * articles those objects made the heap's major GCs last a second); its time and id are read there.
   */
  private segmentOf = new Int32Array(1024);
  private localOf = new Int32Array(1024);
  private cachedFor: ArchiveIndex | null = null;
  private cached: DuplicateView | null = null;
  /** True while `warm` adds the articles a batch at a time: views meanwhile hold what it has added so far. */
  private warming = false;
  /**
   * While `warm` runs: the slot of each id it holds (a million lookups by id, one an article added, too many
   * to search every segment's id table for each). Dropped after: the ids stay in the segments only.
   */
  private warmSlots: Map<string, number> | null = null;

  constructor(readonly similarity: number) {
    this.links = new DuplicateLinks(similarity, (slot) => this.idOf(slot));
  }

  /** The publication time of the article at `slot` (ms since the epoch, NaN when unknown), read from its segment. */
  private timeOf(slot: number): number {
    return this.segmentAt[this.segmentOf[slot]!]!.time[this.localOf[slot]!]!;
  }

  /** The id of the article at `slot`, read from its segment. */
  private idOf(slot: number): string {
    return this.segmentAt[this.segmentOf[slot]!]!.articleId(this.localOf[slot]!);
  }

  /** The slot of the article the groups hold with this id, or -1 (`skip`: segments not to look in). */
  private slotOfId(id: string, skip?: ReadonlySet<SegmentState>): number {
    if (this.warmSlots) return this.warmSlots.get(id) ?? -1;
    for (const [segment, state] of this.segmentState) {
      if (skip?.has(state)) continue;
      const local = segment.findArticle(id);
      if (local >= 0 && state.slots[local]! >= 0) return state.slots[local]!;
    }
    return -1;
  }

  /** The groups of `index` (synced when it is not the reader of the last call). */
  view(index: ArchiveIndex): DuplicateView {
    if (this.cached && this.cachedFor === index) return this.cached;
    this.sync(index, !this.warming);
    const segmentNumber = new Map(index.segments.map((s, i) => [s, i]));
    const groupOf = new Int32Array(index.articleSlots).fill(-1);
    const members: number[][] = [];
    for (const group of this.links.groups()) {
      const ords: number[] = [];
      for (const slot of [...group].sort((a, b) => this.compareSlots(a, b))) {
        const s = segmentNumber.get(this.segmentAt[this.segmentOf[slot]!]!);
        // A member of a segment this (older) reader does not hold is left out of its view.
        if (s !== undefined) ords.push(index.articleBase[s]! + this.localOf[slot]!);
      }
      if (ords.length < 2) continue;
      for (const ord of ords) groupOf[ord] = members.length;
      members.push(ords);
    }
    this.cachedFor = index;
    this.cached = { groupOf, members };
    return this.cached;
  }

  /** The signature of the live article `ord` of `index` (null when the groups do not hold it: without words). */
  signatureOf(index: ArchiveIndex, ord: number): Uint16Array | null {
    this.view(index);
    const s = index.segmentOf(ord);
    const slot = this.segmentState.get(index.segments[s]!)?.slots[ord - index.articleBase[s]!] ?? -1;
    return slot < 0 ? null : this.links.signatureOf(slot);
  }

  /**
   * Adds the articles of `index` to the groups a batch at a time, yielding to the
   * event loop between batches, so a service that starts on a large archive keeps
   * answering while its groups are built (a grouped search meanwhile groups the
   * articles added so far). Resolves once every segment is in.
   */
  async warm(index: ArchiveIndex): Promise<void> {
    if (this.warming) return;
    this.warming = true;
    this.warmSlots = new Map();
    for (const state of this.segmentState.values())
      for (const slot of state.slots) if (slot >= 0) this.warmSlots.set(this.idOf(slot), slot);
    let seen = 0;
    try {
      // Start after the requests already waiting (the first health probe among them).
      await new Promise((resolve) => setImmediate(resolve));
      // Room for every article at once: growing the buckets' table as it fills would stop the event loop for each rehash.
      this.links.reserve(
        index.segments.reduce((n, segment) => n + (this.segmentState.has(segment) ? 0 : segment.liveCount), 0),
      );
      for (const segment of index.segments) {
        if (this.segmentState.has(segment)) continue;
        const source = openSegmentSignatures(segment);
        const signatures = source.array!;
        const slots = new Int32Array(segment.articleCount).fill(-1);
        this.segmentState.set(segment, { source, slots, deletedCount: 0, number: this.numberSegment(segment) });
        for (let i = 0; i < segment.articleCount; i++) {
          if (++seen % WARM_BATCH === 0) {
            this.cached = null;
            await new Promise((resolve) => setImmediate(resolve));
          }
          if (segment.deleted[i]) continue;
          const signature = signatures.subarray(i * SIGNATURE_HASHES, (i + 1) * SIGNATURE_HASHES);
          if (isEmptySignature(signature)) continue;
          const id = segment.articleId(i);
          if (this.warmSlots.has(id)) continue;
          slots[i] = this.add({ segment, local: i, signature, signatures: source });
          this.warmSlots.set(id, slots[i]!);
        }
        // Deletions made while this segment was added are picked up by the next sync.
        this.segmentState.get(segment)!.deletedCount = -1;
      }
    } finally {
      this.warming = false;
      this.warmSlots = null;
      this.cached = null;
      this.releaseSignatures();
    }
  }

  /**
   * Follows `index`: articles of segments new since the last sync added (unless
   * `addNew` is false: a warm-up is adding them), articles deleted (or of segments
   * gone) removed.
   */
  private sync(index: ArchiveIndex, addNew: boolean): void {
    const current = new Set(index.segments);
    /** Articles the groups no longer hold as they are: their slot and signature, by id. */
    const removed = new Map<string, { slot: number; signature: Uint16Array }>();
    const added: { id: string; member: Member; slots: Int32Array }[] = [];
    const gone: SegmentState[] = [];
    const fresh = new Set<SegmentState>();
    for (const [segment, state] of this.segmentState) {
      if (current.has(segment)) continue;
      // Read whole: a merge moves every live article of its sources.
      const signatures = state.source.readAll(segment.articleCount);
      for (let i = 0; i < state.slots.length; i++) {
        const slot = state.slots[i]!;
        if (slot >= 0)
          removed.set(segment.articleId(i), {
            slot,
            signature: signatures.subarray(i * SIGNATURE_HASHES, (i + 1) * SIGNATURE_HASHES),
          });
      }
      gone.push(state);
      this.segmentState.delete(segment);
    }
    for (const segment of index.segments) {
      const state = this.segmentState.get(segment);
      if (!state) {
        if (!addNew) continue;
        const source = openSegmentSignatures(segment);
        const signatures = source.array!;
        const slots = new Int32Array(segment.articleCount).fill(-1);
        for (let i = 0; i < segment.articleCount; i++) {
          if (segment.deleted[i]) continue;
          const signature = signatures.subarray(i * SIGNATURE_HASHES, (i + 1) * SIGNATURE_HASHES);
          if (isEmptySignature(signature)) continue;
          added.push({
            id: segment.articleId(i),
            member: { segment, local: i, signature, signatures: source },
            slots,
          });
        }
        const entered = { source, slots, deletedCount: segment.deletedCount, number: this.numberSegment(segment) };
        this.segmentState.set(segment, entered);
        fresh.add(entered);
      } else if (state.deletedCount !== segment.deletedCount) {
        for (let i = 0; i < state.slots.length; i++) {
          const slot = state.slots[i]!;
          if (slot < 0 || !segment.deleted[i]) continue;
          state.slots[i] = -1;
          removed.set(segment.articleId(i), { slot, signature: state.source.read(i * SIGNATURE_HASHES) });
        }
        state.deletedCount = segment.deletedCount;
      }
    }
    // An article that only moved (a merge) keeps its links: only its place changes.
    const moved = new Set<string>();
    // The slots of the articles of new segments by id, as they are placed (the other segments' are looked up).
    const freshSlots = new Map<string, number>();
    for (const { id, member, slots } of added) {
      const before = removed.get(id);
      if (before && estimateSimilarity(before.signature, member.signature) === 1) {
        this.place(before.slot, member);
        this.links.moveSignature(before.slot, member.signatures, member.local * SIGNATURE_HASHES);
        slots[member.local] = before.slot;
        freshSlots.set(id, before.slot);
        moved.add(id);
        removed.delete(id);
      }
    }
    for (const { slot } of removed.values()) this.remove(slot);
    for (const { id, member, slots } of added) {
      if (moved.has(id)) continue;
      const known = freshSlots.get(id) ?? this.slotOfId(id, fresh);
      if (known >= 0) this.remove(known);
      slots[member.local] = this.add(member);
      freshSlots.set(id, slots[member.local]!);
    }
    // No slot reads a signature of a segment gone any more (moved to its new place, or removed), nor its id.
    for (const state of gone) {
      state.source.close();
      this.segmentAt[state.number] = null;
    }
    if (!this.warming) this.releaseSignatures();
  }

  /** Lets every segment's signatures be read from its side file from now on (see `SignatureSource`) instead of held. */
  private releaseSignatures(): void {
    for (const state of this.segmentState.values()) state.source.release();
  }

  /** The number of a segment new to the groups: a free one, else the next. */
  private numberSegment(segment: Segment): number {
    let number = this.segmentAt.indexOf(null);
    if (number < 0) number = this.segmentAt.length;
    this.segmentAt[number] = segment;
    return number;
  }

  /** Adds an article to the links and records where it is; returns its slot. */
  private add(member: Member): number {
    const slot = this.links.add(member.signatures, member.local * SIGNATURE_HASHES);
    if (slot >= this.segmentOf.length) {
      let length = this.segmentOf.length;
      while (length <= slot) length *= 2;
      this.segmentOf = grown(this.segmentOf, new Int32Array(length));
      this.localOf = grown(this.localOf, new Int32Array(length));
    }
    this.place(slot, member);
    return slot;
  }

  /** Records where the article at `slot` is (its segment must be numbered: in `segmentState`). */
  private place(slot: number, member: Member): void {
    this.segmentOf[slot] = this.segmentState.get(member.segment)!.number;
    this.localOf[slot] = member.local;
  }

  /** Removes the article at `slot` from the links (and from its segment's slots, when the groups still hold that segment). */
  private remove(slot: number): void {
    const segment = this.segmentAt[this.segmentOf[slot]!]!;
    const local = this.localOf[slot]!;
    const state = this.segmentState.get(segment);
    if (state && state.slots[local] === slot) state.slots[local] = -1;
    this.warmSlots?.delete(segment.articleId(local));
    this.links.remove(slot);
  }

  /** Earliest published first, undated last, then by id (code-unit order). */
  private compareSlots(a: number, b: number): number {
    const ta = this.timeOf(a);
    const tb = this.timeOf(b);
    const na = Number.isNaN(ta);
    const nb = Number.isNaN(tb);
    if (na !== nb) return na ? 1 : -1;
    if (!na && ta !== tb) return ta - tb;
    const idA = this.idOf(a);
    const idB = this.idOf(b);
    return idA < idB ? -1 : idA > idB ? 1 : 0;
  }
}

/** `to` (a longer array) with the entries of `from` at its start. */
function grown(from: Int32Array, to: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  to.set(from);
  return to;
}

/** The groups of each index, by the lineage its readers share (see `ArchiveIndex.lineage`). */
const groupsByLineage = new WeakMap<object, DuplicateGroups>();

/**
 * The duplicate groups of the index `reader` is a point in time of, at the
 * configured similarity: made on first use, then shared by every later reader
 * of that index, each view synced with what changed since the one before.
 */
export function duplicateGroupsOf(reader: ArchiveIndex): DuplicateGroups {
  let groups = groupsByLineage.get(reader.lineage);
  if (!groups || groups.similarity !== duplicateSimilarity) {
    groups = new DuplicateGroups(duplicateSimilarity);
    groupsByLineage.set(reader.lineage, groups);
  }
  return groups;
}

/** The duplicate groups of `index` as it is now (see {@link DuplicateGroups.view}). */
export function duplicateView(index: ArchiveIndex): DuplicateView {
  return duplicateGroupsOf(index).view(index);
}
