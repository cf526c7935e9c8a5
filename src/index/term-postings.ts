import type { Segment } from './segments/segment-reader.js';
import type { CollectionKey } from './segments/segment-writer.js';
import { termKey } from './segments/utf8-order.js';

/** A term's postings over the whole index: `docs[start … end)` ascending (global numbers), `tfs` parallel. */
export interface TermPostings {
  docs: Int32Array;
  tfs: Uint16Array;
  start: number;
  end: number;
  /** Live documents among them (deleted ones stay in the postings until a merge; scoring skips them). */
  df: number;
}

/**
 * A term's postings over every segment, decoded into one sorted array:
 * segment after segment, each document number plus its segment's `bases[s]`
 * (so the concatenation stays ascending). Deleted documents stay in (scoring
 * skips them by their norm); `df` counts the live ones, read from `live`
 * (document → article number, -1 when deleted) only for segments with
 * deletions. Null when no segment holds the term.
 */
export function decodeTermPostings(
  segments: readonly Segment[],
  c: CollectionKey,
  term: string,
  bases: Int32Array,
  live: Int32Array,
  from = 0,
): TermPostings | null {
  let total = 0;
  const found: number[] = new Array(from).fill(-1);
  // The term's bytes, encoded once for every segment's dictionary.
  const key = termKey(term);
  for (let s = from; s < segments.length; s++) {
    const i = segments[s]!.findTerm(c, term, key);
    found.push(i);
    if (i >= 0) total += segments[s]!.termDf(c, i);
  }
  if (total === 0) return null;
  const out = { docs: new Int32Array(total), tfs: new Uint16Array(total) };
  let at = 0;
  let df = 0;
  for (let s = from; s < segments.length; s++) {
    const i = found[s]!;
    if (i < 0) continue;
    const segment = segments[s]!;
    const n = segment.termDf(c, i);
    segment.readPostings(c, i, out, at, bases[s]!);
    if (segment.deletedCount === 0) df += n;
    else for (let k = at; k < at + n; k++) if (live[out.docs[k]!]! >= 0) df++;
    at += n;
  }
  return { docs: out.docs, tfs: out.tfs, start: 0, end: total, df };
}

/**
 * Postings decoded over the first segments brought up to date after a write:
 * the new segments' postings appended (their documents come after), and the
 * live count taken again when articles were deleted since.
 */
export function extendTermPostings(
  known: TermPostings | null,
  segments: readonly Segment[],
  knownSegments: number,
  deletedSince: boolean,
  c: CollectionKey,
  term: string,
  bases: Int32Array,
  live: Int32Array,
): TermPostings | null {
  const added = decodeTermPostings(segments, c, term, bases, live, knownSegments);
  if (!known) return added;
  let df = known.df;
  if (deletedSince) {
    df = 0;
    for (let k = known.start; k < known.end; k++) if (live[known.docs[k]!]! >= 0) df++;
  }
  if (!added) return df === known.df ? known : { ...known, df };
  const n = known.end - known.start;
  const docs = new Int32Array(n + added.end);
  const tfs = new Uint16Array(n + added.end);
  docs.set(known.docs.subarray(known.start, known.end));
  tfs.set(known.tfs.subarray(known.start, known.end));
  docs.set(added.docs, n);
  tfs.set(added.tfs, n);
  return { docs, tfs, start: 0, end: n + added.end, df: df + added.df };
}
