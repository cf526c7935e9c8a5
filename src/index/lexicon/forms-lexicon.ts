import { crc32 } from 'node:zlib';
import { compareUtf8, startsWithUtf8, termKey } from '../segments/utf8-order.js';
import { topK } from '../top-k.js';
import { editRow } from './edit-row.js';
import { FormsTrie } from './forms-trie.js';
import { CorruptIndexError } from '../../errors.js';
import {
  encodeMerged,
  encodeSorted,
  LEXICON_HEADER,
  LEXICON_MAGIC,
  LexiconEncoder,
  lexiconLayout,
  type LexiconEntry,
} from './forms-lexicon-encoding.js';

export type { LexiconEntry } from './forms-lexicon-encoding.js';

const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/**
 * Every word form of an archive (never stem terms), sorted in JavaScript string
 * order (UTF-16 code units, as `<` compares), with its document frequency; what
 * prefix search, typo expansion and `/suggest` choose from.
 *
 * Held off the JS heap in one Buffer: the forms' UTF-8 concatenated, their byte
 * offsets and their dfs as typed-array views. Opening a million-form lexicon makes
 * no string per form; a string is decoded only when compared (a binary search
 * decodes ~20) or returned. Immutable: changes build a new one (`merge`, `fromSorted`).
 */
export class FormsLexicon {
  /** The lexicons of the forms in at least so many documents, by that number (see `atLeast`). */
  private readonly common = new Map<number, FormsLexicon>();
  /** This lexicon's forms as a trie, made at the first `fuzzyAtLeast` that walks it. */
  private trie: FormsTrie | null = null;

  private constructor(
    private readonly bytes: Buffer,
    private readonly offsets: Uint32Array,
    private readonly dfs: Int32Array,
    private readonly utf8: Buffer,
  ) {}

  /** Number of distinct word forms. */
  get size(): number {
    return this.dfs.length;
  }

  /**
   * Builds a lexicon from entries already sorted by `<` and distinct (throws
   * otherwise). Stem terms and entries with df ≤ 0 are skipped; dfs must be integers < 2³¹.
   */
  static fromSorted(entries: Iterable<LexiconEntry>): FormsLexicon {
    return FormsLexicon.decode(encodeSorted(entries), { checkBody: false });
  }

  /**
   * Merges sorted lists (one per segment and collection, each as `fromSorted`
   * takes), summing the dfs of equal forms. Streams: holds one entry per list in a
   * small heap, never all forms in one JS array.
   */
  static merge(lists: Iterable<LexiconEntry>[]): FormsLexicon {
    return FormsLexicon.decode(encodeMerged(lists), { checkBody: false });
  }

  /**
   * Opens an encoded lexicon as views on `bytes` (copied once if its offset is not
   * 4-byte aligned), so `bytes` must not change afterwards. Checks the magic, the
   * header's CRC, every length and offset, and (unless `checkBody` is false, for
   * bytes a container has already checksummed) the body's CRC: a truncated or
   * corrupt buffer throws instead of giving wrong results.
   */
  static decode(bytes: Buffer, { checkBody = true }: { checkBody?: boolean } = {}): FormsLexicon {
    if (!LITTLE_ENDIAN) throw new Error('forms lexicon: big-endian machines are not supported');
    if (bytes.length < LEXICON_HEADER || bytes.toString('latin1', 0, 8) !== LEXICON_MAGIC)
      throw new CorruptIndexError('forms lexicon: bad magic');
    if (crc32(bytes.subarray(0, 20)) !== bytes.readUInt32LE(20))
      throw new CorruptIndexError('forms lexicon: header fails its checksum');
    const n = bytes.readUInt32LE(8);
    const byteLength = bytes.readUInt32LE(12);
    const { dfsAt, utf8At, total } = lexiconLayout(n, byteLength);
    if (bytes.length !== total)
      throw new CorruptIndexError(`forms lexicon: ${bytes.length} bytes where the header says ${total}`);
    if (checkBody && crc32(bytes.subarray(LEXICON_HEADER)) !== bytes.readUInt32LE(16))
      throw new CorruptIndexError('forms lexicon: body fails its checksum');
    if (bytes.byteOffset % 4 !== 0) {
      const copy = Buffer.alloc(bytes.length);
      bytes.copy(copy);
      bytes = copy;
    }
    const offsets = new Uint32Array(bytes.buffer, bytes.byteOffset + LEXICON_HEADER, n + 1);
    const dfs = new Int32Array(bytes.buffer, bytes.byteOffset + dfsAt, n);
    if (offsets[0] !== 0 || offsets[n] !== byteLength)
      throw new CorruptIndexError('forms lexicon: offsets do not span the forms');
    for (let i = 0; i < n; i++) {
      if (offsets[i]! > offsets[i + 1]!) throw new CorruptIndexError('forms lexicon: offsets decrease');
      if (dfs[i]! <= 0) throw new CorruptIndexError('forms lexicon: a df is not positive');
    }
    return new FormsLexicon(bytes, offsets, dfs, bytes.subarray(utf8At, total));
  }

  /** The encoded lexicon (see {@link FormsLexicon.decode}): the Buffer it lives in, shared, not to be modified. */
  encode(): Buffer {
    return this.bytes;
  }

  /** The form at position `i` (0 ≤ i < size), decoded. */
  private formAt(i: number): string {
    return this.utf8.toString('utf8', this.offsets[i]!, this.offsets[i + 1]!);
  }

  /** The form at `i` against `text` (its UTF-8 `key`; null for a lone surrogate: strings are compared): < 0, 0, > 0. */
  private compareAt(i: number, text: string, key: Buffer | null): number {
    if (key === null) return this.formAt(i) < text ? -1 : this.formAt(i) === text ? 0 : 1;
    return compareUtf8(this.utf8, this.offsets[i]!, this.offsets[i + 1]!, key);
  }

  /** Position of the first form ≥ `text` (size when none): a binary search on the forms' bytes. */
  private lowerBound(text: string, key: Buffer | null = termKey(text)): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compareAt(mid, text, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Position of the first form at or after `from` that does not begin with `prefix`, given that `from` is ≥ its first form that does. */
  private prefixEnd(prefix: string, from: number): number {
    // Forms beginning with `prefix` are contiguous and followed only by larger forms that don't.
    const key = termKey(prefix);
    let lo = from;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const begins =
        key === null
          ? this.formAt(mid).startsWith(prefix)
          : startsWithUtf8(this.utf8, this.offsets[mid]!, this.offsets[mid + 1]!, key);
      if (begins) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Document frequency of a form (0 when absent). */
  frequency(form: string): number {
    const key = termKey(form);
    const i = this.lowerBound(form, key);
    return i < this.size && this.compareAt(i, form, key) === 0 ? this.dfs[i]! : 0;
  }

  /**
   * The `k` most frequent forms beginning with `prefix` (ties alphabetical), most
   * frequent first, `prefix` itself included unless `excludeSelf`. O(log size + m log k)
   * for m forms beginning with `prefix`.
   */
  completions(prefix: string, k: number, excludeSelf = false): LexiconEntry[] {
    let lo = this.lowerBound(prefix);
    if (excludeSelf && lo < this.size && this.formAt(lo) === prefix) lo++;
    const hi = this.prefixEnd(prefix, lo);
    const dfs = this.dfs;
    // Positions are in string order, so the smaller position is the alphabetical tie-break.
    const better = (a: number, b: number) => dfs[lo + a]! > dfs[lo + b]! || (dfs[lo + a] === dfs[lo + b] && a < b);
    return topK(hi - lo, k, better).map((i) => ({ form: this.formAt(lo + i), df: dfs[lo + i]! }));
  }

  /**
   * The `k` most frequent forms beginning with `prefix` that `accept` takes, most frequent first
   * (ties alphabetical), testing at most `maxTested` forms (the first in string order); `complete`
   * is false when some forms beginning with `prefix` were left untested; `tested` counts the forms tested.
   */
  filteredCompletions(
    prefix: string,
    accept: (form: string) => boolean,
    k: number,
    maxTested: number,
  ): { entries: LexiconEntry[]; complete: boolean; tested: number } {
    const lo = this.lowerBound(prefix);
    const hi = this.prefixEnd(prefix, lo);
    const end = Math.min(hi, lo + maxTested);
    const kept: number[] = [];
    for (let i = lo; i < end; i++) if (accept(this.formAt(i))) kept.push(i);
    const dfs = this.dfs;
    const better = (a: number, b: number) =>
      dfs[kept[a]!]! > dfs[kept[b]!]! || (dfs[kept[a]!] === dfs[kept[b]!] && a < b);
    return {
      entries: topK(kept.length, k, better).map((j) => ({ form: this.formAt(kept[j]!), df: dfs[kept[j]!]! })),
      complete: end === hi,
      tested: end - lo,
    };
  }

  /**
   * Every form within Levenshtein distance `maxDistance` (insertions, deletions,
   * substitutions of UTF-16 code units, as MiniSearch's `fuzzyGet` counts) of
   * `form`, with its distance (0 for `form` itself when present). `maxDistance` is
   * an integer from 0 to 254 (1 or 2 in practice: the work grows fast with it).
   *
   * Walks the sorted forms as a trie: one row of the edit-distance table per code
   * unit of the current form, the rows of the prefix it shares with the previous
   * form reused, and, once a row's minimum exceeds `maxDistance`, every form with
   * that prefix skipped by a galloping search. Only a band of 2·maxDistance + 1
   * cells per row can stay within the distance, so only those are computed.
   */
  fuzzy(form: string, maxDistance: number): Map<string, number> {
    if (!Number.isInteger(maxDistance) || maxDistance < 0 || maxDistance > 254)
      throw new RangeError('maxDistance must be an integer from 0 to 254');
    const out = new Map<string, number>();
    const m = form.length;
    const query = Uint16Array.from({ length: m }, (_, k) => form.charCodeAt(k));
    const width = m + 1;
    const far = maxDistance + 1;
    // Past depth m + maxDistance every cell exceeds maxDistance, so no deeper row is ever needed.
    const depth = m + maxDistance + 1;
    // Row j's band is the same for every form, so the cells outside it keep this "too far" for good.
    const rows = new Uint8Array((depth + 2) * width).fill(far);
    for (let k = 0; k <= Math.min(m, maxDistance); k++) rows[k] = k;
    let units = new Uint16Array(depth + 2);
    let shared = new Uint16Array(depth + 2);
    const unitEnd = new Int32Array(depth + 2); // byte length of the current form's first j code units
    let known = 0; // rows 0..known hold the table for shared[0..known)
    const { utf8, offsets } = this;
    let i = 0;
    while (i < this.size) {
      const start = offsets[i]!;
      const end = offsets[i + 1]!;
      // Decode at most `depth` code units (plus the low half of a last pair) without making a string.
      let len = 0;
      let b = start;
      while (b < end && len < depth) {
        const c = utf8[b]!;
        const size = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
        let cp = size === 1 ? c : c & (0xff >> (size + 1));
        for (let q = 1; q < size; q++) cp = (cp << 6) | (utf8[b + q]! & 0x3f);
        b += size;
        if (cp < 0x10000) units[len++] = cp;
        else {
          units[len++] = 0xd800 + ((cp - 0x10000) >> 10);
          unitEnd[len] = -1; // between the halves of a pair: no byte boundary to skip by
          units[len++] = 0xdc00 + ((cp - 0x10000) & 0x3ff);
        }
        unitEnd[len] = b - start;
      }
      let j = 0;
      const limit = Math.min(known, len);
      while (j < limit && units[j] === shared[j]) j++;
      let dead = false;
      while (!dead && j < len) {
        j++;
        const best = editRow(rows, query, j, units[j - 1]!, maxDistance);
        dead = best > maxDistance;
      }
      [units, shared] = [shared, units];
      known = j;
      if (dead) {
        // A prefix ending inside a surrogate pair has no byte boundary to skip by: step to
        // the next form instead, whose rows then go on from this dead row and die at once.
        i = unitEnd[j]! < 0 ? i + 1 : this.skipPrefix(i, start, start + unitEnd[j]!);
        continue;
      }
      const distance = Math.abs(len - m) <= maxDistance ? rows[len * width + m]! : far;
      if (distance <= maxDistance) out.set(this.formAt(i), distance);
      i++;
    }
    return out;
  }

  /** Position of the first form after `i` whose UTF-8 does not begin with bytes `from..to` (form i's first bytes). */
  private skipPrefix(i: number, from: number, to: number): number {
    // Gallop, since most skipped ranges are short, then binary search the last step.
    let step = 1;
    while (i + step < this.size && this.hasBytes(i + step, from, to)) step *= 2;
    let lo = i + (step >> 1) + 1;
    let hi = Math.min(i + step, this.size);
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.hasBytes(mid, from, to)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** True when form `t`'s UTF-8 begins with bytes `from..to` of the forms' UTF-8. (A method, not a closure: no allocation per skip.) */
  private hasBytes(t: number, from: number, to: number): boolean {
    const { utf8, offsets } = this;
    const at = offsets[t]!;
    if (offsets[t + 1]! - at < to - from) return false;
    for (let q = 0; q < to - from; q++) if (utf8[at + q] !== utf8[from + q]) return false;
    return true;
  }

  /**
   * The forms in at least `minDf` documents, as a lexicon of their own: made at the first call for
   * each threshold, then kept (this lexicon never changes). Most of a vocabulary is rare forms, so a
   * fuzzy walk over it is several times shorter, for look-ups that only want common spellings.
   */
  atLeast(minDf: number): FormsLexicon {
    let kept = this.common.get(minDf);
    if (!kept) {
      const encoder = new LexiconEncoder();
      for (let i = 0; i < this.size; i++) if (this.dfs[i]! >= minDf) encoder.push(this.formAt(i), this.dfs[i]!);
      kept = FormsLexicon.decode(encoder.finish(), { checkBody: false });
      this.common.set(minDf, kept);
    }
    return kept;
  }

  /**
   * `fuzzy` over the forms in at least `minDf` documents only, walked as a trie (made once per
   * threshold: a few bytes a form of a list several times shorter than the lexicon).
   */
  fuzzyAtLeast(form: string, maxDistance: number, minDf: number): Map<string, number> {
    return this.atLeast(minDf).fuzzyByTrie(form, maxDistance);
  }

  private fuzzyByTrie(form: string, maxDistance: number): Map<string, number> {
    if (!Number.isInteger(maxDistance) || maxDistance < 0 || maxDistance > 254)
      throw new RangeError('maxDistance must be an integer from 0 to 254');
    this.trie ??= FormsTrie.of(Array.from({ length: this.size }, (_, i) => this.formAt(i)));
    const out = new Map<string, number>();
    for (const [i, distance] of this.trie.within(form, maxDistance)) out.set(this.formAt(i), distance);
    return out;
  }

  /** Every form with its df, in string order. */
  *entries(): IterableIterator<LexiconEntry> {
    for (let i = 0; i < this.size; i++) yield { form: this.formAt(i), df: this.dfs[i]! };
  }
}
