/**
 * The merge policy: which segments to merge next, so that the number of
 * segments stays logarithmic in the archive while each article is rewritten
 * only a logarithmic number of times.
 *
 * Tiered, in the spirit of Lucene's TieredMergePolicy and Tantivy's
 * LogMergePolicy: segments are sized by their live paragraphs (below a floor,
 * every segment counts as the floor, so tiny flushes group together) and
 * grouped into tiers whose bounds grow by `mergeFactor`: tier 0 holds sizes
 * below `floor × mergeFactor`, tier 1 below `floor × mergeFactor²`, and so on.
 * When a tier holds `mergeFactor` segments, they merge into one segment of the
 * next tier up. Live paragraphs add up exactly under a merge (bytes do not:
 * merged dictionaries share terms), so ten segments of a tier always make one
 * of the next and never one that stays behind to be merged again.
 *
 * Deletions count twice: a segment's size is pro-rated by its live articles,
 * and within a tier the segments with the most deletions merge first. A
 * segment whose deleted share passes `maxDeletedFraction` is rewritten on its
 * own when no tier needs merging.
 *
 * Merged size is capped (`maxMergedBytes`, estimated from the sources' live
 * bytes): segments past half the cap no longer take part in tier merges, so
 * past that size the number of segments grows linearly, by design (a segment
 * rewritten whole for every few new articles would cost more than it saves).
 *
 * Pure: it reads sizes and returns names; the index writer runs the merge.
 */

/** What the policy knows of a segment. */
export interface MergeCandidate {
  /** The segment's name in the commit. */
  name: string;
  /** Articles in the segment, deleted ones included. */
  articles: number;
  /** Paragraphs in the segment, deleted ones included. */
  paragraphs: number;
  /** Articles marked deleted (0 … articles). */
  deleted: number;
  /** Size of the segment file, in bytes. */
  bytes: number;
}

/** Options of {@link selectMerge}. */
export interface MergePolicyOptions {
  /**
   * Segments a tier holds before they merge, and the ratio between the size
   * bounds of consecutive tiers. Integer, 2 … 1,000; default 10. Lower: fewer
   * segments to search, more rewriting; higher: the reverse.
   */
  mergeFactor?: number;
  /**
   * Most segments merged at once. Integer, 2 … 1,000; default `mergeFactor`.
   * Below `mergeFactor`, a full tier is merged a part at a time.
   */
  maxMergeAtOnce?: number;
  /**
   * Live paragraphs under which a segment counts as this many for its tier.
   * Integer ≥ 1; default 10,000 (about 2,000 news articles, a few MB).
   */
  floorParagraphs?: number;
  /**
   * Largest merged segment, in bytes, estimated as the sum of the sources'
   * file sizes pro-rated by their live articles. > 0; default 4 GiB.
   * Segments above half of it join no tier merge. 4 GiB keeps every offset a
   * segment stores far inside what its tables address exactly (Float64
   * offsets into stored text and postings: 2^53; Uint32 term and id offsets and
   * paragraph numbers: 2^32) and each section it reads whole well below the
   * largest Buffer Node allocates.
   */
  maxMergedBytes?: number;
  /**
   * Share of a segment's articles deleted past which it is rewritten alone,
   * without them, when no tier needs merging. 0 < x ≤ 1; default 0.3
   * (1: never rewrite for deletions alone; they still go at the next tier merge).
   */
  maxDeletedFraction?: number;
}

const GiB = 2 ** 30;

interface Sized {
  index: number;
  name: string;
  /** Deleted share of the articles (0 for an empty segment). */
  deletedFraction: number;
  /** Estimated bytes once deletions are dropped. */
  liveBytes: number;
  tier: number;
}

function integerOption(value: number | undefined, fallback: number, min: number, max: number, name: string): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min || v > max)
    throw new RangeError(`${name} must be an integer from ${min} to ${max} (got ${v})`);
  return v;
}

/** The options with their defaults, checked; throws a RangeError for one out of range. */
export function mergePolicyOptions(options: MergePolicyOptions = {}): Required<MergePolicyOptions> {
  const mergeFactor = integerOption(options.mergeFactor, 10, 2, 1000, 'mergeFactor');
  const maxMergeAtOnce = integerOption(options.maxMergeAtOnce, mergeFactor, 2, 1000, 'maxMergeAtOnce');
  const floorParagraphs = integerOption(options.floorParagraphs, 10_000, 1, Number.MAX_SAFE_INTEGER, 'floorParagraphs');
  const maxMergedBytes = options.maxMergedBytes ?? 4 * GiB;
  if (!(maxMergedBytes > 0) || !Number.isFinite(maxMergedBytes))
    throw new RangeError(`maxMergedBytes must be a positive number of bytes (got ${maxMergedBytes})`);
  const maxDeletedFraction = options.maxDeletedFraction ?? 0.3;
  if (!(maxDeletedFraction > 0 && maxDeletedFraction <= 1))
    throw new RangeError(`maxDeletedFraction must be in (0, 1] (got ${maxDeletedFraction})`);
  return { mergeFactor, maxMergeAtOnce, floorParagraphs, maxMergedBytes, maxDeletedFraction };
}

/** Tier of a segment of `size` live paragraphs: 0 below floor × f, k below floor × f^(k+1). */
function tierOf(size: number, floor: number, factor: number): number {
  let tier = 0;
  // Multiplying up, not Math.log: log(1000)/log(10) is 2.9999999999999996.
  for (let bound = floor * factor; size >= bound; bound *= factor) tier++;
  return tier;
}

function sizeUp(segment: MergeCandidate, index: number, o: Required<MergePolicyOptions>): Sized {
  const { name, articles, paragraphs, deleted, bytes } = segment;
  const counts = [articles, paragraphs, deleted, bytes];
  if (!counts.every((n) => Number.isFinite(n) && n >= 0) || deleted > articles)
    throw new RangeError(`segment ${name} has impossible sizes`);
  const live = articles > 0 ? (articles - deleted) / articles : 0;
  const size = Math.max(o.floorParagraphs, paragraphs * live);
  return {
    index,
    name,
    deletedFraction: articles > 0 ? deleted / articles : 0,
    liveBytes: bytes * live,
    tier: tierOf(size, o.floorParagraphs, o.mergeFactor),
  };
}

/** Names of the chosen segments, in the order they were given (the merged segment keeps the archive's order). */
function namesOf(chosen: readonly Sized[]): string[] {
  return [...chosen].sort((a, b) => a.index - b.index).map((s) => s.name);
}

/**
 * The next merge to run: names of the segments to merge into one (in the
 * order given, at least two, or one to drop its deletions), or null when
 * nothing needs merging. `segments` are the committed segments, oldest first,
 * not counting those already being merged. Applying the returned merges one
 * after another always ends (each lowers the number of segments or of
 * deletions). Throws a RangeError for an option out of range or impossible sizes.
 */
export function selectMerge(segments: readonly MergeCandidate[], options?: MergePolicyOptions): string[] | null {
  const o = mergePolicyOptions(options);
  const sized = segments.map((s, i) => sizeUp(s, i, o));
  const tiers = new Map<number, Sized[]>();
  for (const s of sized) {
    if (s.liveBytes > o.maxMergedBytes / 2) continue;
    const members = tiers.get(s.tier);
    if (members) members.push(s);
    else tiers.set(s.tier, [s]);
  }
  // The lowest full tier first: the cheapest merge that removes the most segments per byte rewritten.
  for (const tier of [...tiers.keys()].sort((a, b) => a - b)) {
    const members = tiers.get(tier)!;
    if (members.length < o.mergeFactor) continue;
    members.sort((a, b) => b.deletedFraction - a.deletedFraction || a.liveBytes - b.liveBytes || a.index - b.index);
    const chosen: Sized[] = [];
    let bytes = 0;
    for (const s of members) {
      if (chosen.length === o.maxMergeAtOnce) break;
      if (bytes + s.liveBytes > o.maxMergedBytes) continue;
      chosen.push(s);
      bytes += s.liveBytes;
    }
    // Members are each at most half the cap, so at least two always fit.
    if (chosen.length >= 2) return namesOf(chosen);
  }
  let worst: Sized | null = null;
  for (const s of sized) {
    if (s.deletedFraction > o.maxDeletedFraction && s.deletedFraction > (worst?.deletedFraction ?? 0)) worst = s;
  }
  return worst ? [worst.name] : null;
}
