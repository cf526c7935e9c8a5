import type { Article } from '../../corpus/article.js';
import { decodePostings, readSkipTable, type DecodedPostings, type SkipTable } from './postings-codec.js';
import { readHeader, readSection, SectionSource, verifySections, viewOf, type SectionTable } from './segment-file.js';
import { compareUtf8, termKey } from './utf8-order.js';
import type { ArticleEntities } from '../../analysis/extract-entities.js';
import {
  SEGMENT_FORMAT_VERSION,
  type ENTITY_COLUMNS,
  type CollectionKey,
  type SegmentMeta,
  type StoredMeta,
} from './segment-writer.js';
import { CorruptIndexError } from '../../errors.js';

/** The encoded postings of dictionary terms `from … to)` of collection `c`, read at once (see `Segment.readPostingsBlock`). */
export interface PostingsBlock {
  c: CollectionKey;
  from: number;
  to: number;
  bytes: Buffer;
}

/** A term's encoded postings in one segment and its skip table (no block decoded): see `Segment.readTermBlocks`. */
export interface EncodedTerm {
  bytes: Buffer;
  skips: SkipTable;
  /** Documents of the term (deleted ones included). */
  count: number;
  /** Documents of the collection in the segment: every document number is below it. */
  limit: number;
}

/** A segment's term dictionary for one collection, viewed in place. */
class TermDictionary {
  constructor(
    readonly bytes: Buffer,
    readonly offsets: Uint32Array,
    readonly df: Uint32Array,
    readonly postOffsets: Float64Array,
    /** Where the collection's postings start in the file. */
    readonly postingsAt: number,
  ) {
    const count = df.length;
    if (offsets.length !== count + 1 || postOffsets.length !== count + 1 || offsets[count] !== bytes.length)
      throw new CorruptIndexError('segment term dictionary disagrees');
  }

  get size(): number {
    return this.df.length;
  }

  term(i: number): string {
    return this.bytes.toString('utf8', this.offsets[i]!, this.offsets[i + 1]!);
  }

  /** Index of the first term ≥ `text` (JavaScript string order); on bytes when `key` (its UTF-8) is given. */
  lowerBound(text: string, key: Buffer | null = termKey(text)): number {
    let lo = 0;
    let hi = this.df.length;
    if (key === null) {
      // A lone surrogate has no exact UTF-8 form: compare decoded strings.
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (this.term(mid) < text) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    }
    const { bytes, offsets } = this;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareUtf8(bytes, offsets[mid]!, offsets[mid + 1]!, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  find(term: string, key: Buffer | null = termKey(term)): number {
    const i = this.lowerBound(term, key);
    if (i >= this.df.length) return -1;
    const equal =
      key === null ? this.term(i) === term : compareUtf8(this.bytes, this.offsets[i]!, this.offsets[i + 1]!, key) === 0;
    return equal ? i : -1;
  }
}

/** A string dictionary (UTF-8 bytes and offsets): the codes of the metadata columns. */
class StringTable {
  private readonly cache: (string | undefined)[];
  constructor(
    private readonly bytes: Buffer,
    private readonly offsets: Uint32Array,
  ) {
    if (offsets.length < 1 || offsets[offsets.length - 1] !== bytes.length)
      throw new CorruptIndexError('segment string table disagrees');
    this.cache = new Array(offsets.length - 1);
  }
  get size(): number {
    return this.offsets.length - 1;
  }
  /** The string of `code` (decoded once, then remembered: dictionaries hold few distinct values). */
  get(code: number): string {
    let value = this.cache[code];
    if (value === undefined)
      this.cache[code] = value = this.bytes.toString('utf8', this.offsets[code]!, this.offsets[code + 1]!);
    return value;
  }
  /** The string at `i` without remembering it (article ids: many, each read rarely). */
  peek(i: number): string {
    return this.bytes.toString('utf8', this.offsets[i]!, this.offsets[i + 1]!);
  }
}

/**
 * One immutable segment, opened for reading: its header, term dictionaries,
 * field lengths and article tables are read (and checked) at open; postings and
 * stored text stay on disk and are read by range when a query needs them.
 * Deletions live beside it (`deleted`, one byte per article, set by the index).
 */
export class Segment {
  readonly meta: SegmentMeta;
  private readonly sections: SectionTable;
  private readonly dictionaries: Record<CollectionKey, TermDictionary>;
  readonly paraLength: Uint16Array;
  readonly titleLength: Uint16Array;
  /** Paragraphs of article i are `firstPara[i] … firstPara[i+1]` (segment-local). */
  readonly firstPara: Uint32Array;
  readonly time: Float64Array;
  private readonly storedAt: number;
  private readonly storedOffsets: Float64Array;
  private readonly textOffsets: Float64Array;
  readonly dict: StringTable;
  readonly source: Int32Array;
  readonly section: Int32Array;
  readonly file: Int32Array;
  readonly authors: Int32Array;
  readonly authorOffsets: Uint32Array;
  readonly tags: Int32Array;
  readonly tagOffsets: Uint32Array;
  /** Per entity column (`people`, `orgs`, `places`): codes into `dict`, and each article's range of them (A + 1). */
  readonly entityCodes: Record<(typeof ENTITY_COLUMNS)[number], { codes: Int32Array; offsets: Uint32Array }>;
  private readonly ids: StringTable;
  private readonly idOrder: Uint32Array;
  /** Article i deleted when `deleted[i]` is 1. */
  deleted: Uint8Array;
  deletedCount = 0;
  /** Paragraphs of deleted articles. */
  private deletedParagraphs = 0;
  /** Per collection: where each term's positions start in `<c>.positions` (read on first use: only phrase and proximity queries need them). */
  private readonly positionOffsets: Partial<Record<CollectionKey, Uint32Array | Float64Array>> = {};

  private constructor(
    /** The segment's file name in the cache folder (or a name for one held in memory). */
    readonly name: string,
    private readonly source_: SectionSource,
    /** Its file's path, or null for one held in memory. */
    readonly path: string | null = null,
  ) {
    const header = readHeader<SegmentMeta>(source_);
    if (header.formatVersion !== SEGMENT_FORMAT_VERSION)
      throw new CorruptIndexError(`segment format ${header.formatVersion} (expected ${SEGMENT_FORMAT_VERSION})`);
    const meta = header.meta;
    if (!meta || !Number.isSafeInteger(meta.articles) || !Number.isSafeInteger(meta.paragraphs))
      throw new CorruptIndexError('segment meta is malformed');
    this.meta = meta;
    this.sections = header.sections;
    const read = (name: string) => readSection(source_, this.sections, name);
    const A = meta.articles;
    const P = meta.paragraphs;
    const dictionary = (c: CollectionKey) =>
      new TermDictionary(
        read(`${c}.terms.utf8`),
        viewOf(read(`${c}.terms.off`), Uint32Array),
        viewOf(read(`${c}.df`), Uint32Array),
        viewOf(read(`${c}.post.off`), Float64Array),
        this.sections[`${c}.postings`]![0],
      );
    this.dictionaries = { p: dictionary('p'), t: dictionary('t') };
    this.paraLength = viewOf(read('p.length'), Uint16Array, P);
    this.titleLength = viewOf(read('t.length'), Uint16Array, A);
    this.firstPara = viewOf(read('a.firstPara'), Uint32Array, A + 1);
    if (this.firstPara[A] !== P) throw new CorruptIndexError('segment paragraph table disagrees');
    this.time = viewOf(read('a.time'), Float64Array, A);
    this.storedAt = this.sections['stored']![0];
    this.storedOffsets = viewOf(read('a.stored'), Float64Array, A + 1);
    this.textOffsets = viewOf(read('p.text'), Float64Array, P + 1);
    this.dict = new StringTable(read('dict.utf8'), viewOf(read('dict.off'), Uint32Array));
    this.source = viewOf(read('a.source'), Int32Array, A);
    this.section = viewOf(read('a.section'), Int32Array, A);
    this.file = viewOf(read('a.file'), Int32Array, A);
    this.authorOffsets = viewOf(read('a.authors.off'), Uint32Array, A + 1);
    this.authors = viewOf(read('a.authors'), Int32Array, this.authorOffsets[A]);
    this.tagOffsets = viewOf(read('a.tags.off'), Uint32Array, A + 1);
    this.tags = viewOf(read('a.tags'), Int32Array, this.tagOffsets[A]);
    const column = (name: string) => {
      const offsets = viewOf(read(`a.${name}.off`), Uint32Array, A + 1);
      return { codes: viewOf(read(`a.${name}`), Int32Array, offsets[A]), offsets };
    };
    this.entityCodes = { people: column('people'), orgs: column('orgs'), places: column('places') };
    this.ids = new StringTable(read('a.ids.utf8'), viewOf(read('a.ids.off'), Uint32Array, A + 1));
    this.idOrder = viewOf(read('a.idOrder'), Uint32Array, A);
    this.deleted = new Uint8Array(A);
  }

  /** Opens a segment file. Throws with a reason when it is missing, truncated, corrupt or of another version. */
  static open(file: string, name: string): Segment {
    const source = SectionSource.ofFile(file);
    try {
      return new Segment(name, source, file);
    } catch (error) {
      source.close();
      throw error;
    }
  }

  /** A segment held in memory (built for a small index or a test). */
  static fromBytes(bytes: Buffer, name: string): Segment {
    return new Segment(name, SectionSource.ofBytes(bytes));
  }

  /** Reads every byte and checks every section's checksum (slow: for `--verify` and after writing). */
  verify(): void {
    verifySections(this.source_, this.sections);
  }

  close(): void {
    this.source_.close();
  }

  get articleCount(): number {
    return this.meta.articles;
  }

  get paragraphCount(): number {
    return this.meta.paragraphs;
  }

  /** Terms in the collection's dictionary. */
  termCount(c: CollectionKey): number {
    return this.dictionaries[c].size;
  }

  /**
   * Position of `term` in the collection's dictionary, or -1: a binary search on
   * the dictionary's bytes. `key` is the term's UTF-8 (`termKey`), encoded once by
   * a caller that looks the term up in every segment.
   */
  findTerm(c: CollectionKey, term: string, key: Buffer | null = termKey(term)): number {
    return this.dictionaries[c].find(term, key);
  }

  /** Position of the first term ≥ `text`. */
  lowerBound(c: CollectionKey, text: string): number {
    return this.dictionaries[c].lowerBound(text);
  }

  /** The term at a dictionary position. */
  term(c: CollectionKey, i: number): string {
    return this.dictionaries[c].term(i);
  }

  /** Documents (deleted ones included) holding the term at dictionary position `i`. */
  termDf(c: CollectionKey, i: number): number {
    return this.dictionaries[c].df[i]!;
  }

  /**
   * Decodes the postings of the term at dictionary position `i` into
   * `out.docs / out.tfs` from position `at`, each document plus `base`.
   */
  readPostings(c: CollectionKey, i: number, out: DecodedPostings, at: number, base: number): void {
    const d = this.dictionaries[c];
    const from = d.postOffsets[i]!;
    const bytes = this.source_.read(d.postingsAt + from, d.postOffsets[i + 1]! - from);
    const limit = c === 'p' ? this.meta.paragraphs : this.meta.articles;
    decodePostings(bytes, d.df[i]!, base, limit, out, at);
  }

  /**
   * The encoded postings of the term at dictionary position `i` with its skip
   * table, read from the file but not decoded: a reader decodes the blocks it
   * needs (`decodeBlock`). Throws when the skip table disagrees with the bytes.
   */
  readTermBlocks(c: CollectionKey, i: number): EncodedTerm {
    const d = this.dictionaries[c];
    const from = d.postOffsets[i]!;
    const bytes = this.source_.read(d.postingsAt + from, d.postOffsets[i + 1]! - from);
    const limit = c === 'p' ? this.meta.paragraphs : this.meta.articles;
    const count = d.df[i]!;
    return { bytes, skips: readSkipTable(bytes, count, limit), count, limit };
  }

  /**
   * The encoded token positions of the term at dictionary position `i`
   * (`positions-codec.ts`), read from the file: the first call for a collection
   * reads and checks its table of offsets. Throws when the table disagrees.
   */
  readTermPositions(c: CollectionKey, i: number): Buffer {
    let offsets = this.positionOffsets[c];
    const section = this.sections[`${c}.positions`];
    if (!offsets) {
      const table = readSection(this.source_, this.sections, `${c}.pos.off`);
      const entries = this.termCount(c) + 1;
      // Uint32 offsets for a section below 4 GiB, Float64 above (see `writeTerms`).
      offsets =
        table.byteLength === entries * 4 ? viewOf(table, Uint32Array, entries) : viewOf(table, Float64Array, entries);
      if (!section || offsets[offsets.length - 1] !== section[1])
        throw new CorruptIndexError('segment positions table disagrees');
      this.positionOffsets[c] = offsets;
    }
    const from = offsets[i]!;
    const to = offsets[i + 1]!;
    if (!(to >= from)) throw new CorruptIndexError('segment positions table disagrees');
    return this.source_.read(section![0] + from, to - from);
  }

  // Block reads of postings, for scans of a whole dictionary in term order (merges): one read per block, not per term.

  /**
   * Reads the encoded postings of the dictionary terms `from … to)` at once,
   * `to` being the last term whose postings still fit in `maxBytes` bytes (at
   * least one term, whatever its size). Decode them with `decodeBlockPostings`.
   */
  readPostingsBlock(c: CollectionKey, from: number, maxBytes: number): PostingsBlock {
    const d = this.dictionaries[c];
    const start = d.postOffsets[from]!;
    let to = from + 1;
    while (to < d.size && d.postOffsets[to + 1]! - start <= maxBytes) to++;
    return { c, from, to, bytes: this.source_.read(d.postingsAt + start, d.postOffsets[to]! - start) };
  }

  /** Decodes the postings of term `i` (in the block) as `readPostings` does, without reading the file. */
  decodeBlockPostings(block: PostingsBlock, i: number, out: DecodedPostings, at: number, base: number): void {
    if (i < block.from || i >= block.to) throw new RangeError('term outside the postings block');
    const d = this.dictionaries[block.c];
    const start = d.postOffsets[block.from]!;
    const limit = block.c === 'p' ? this.meta.paragraphs : this.meta.articles;
    decodePostings(
      block.bytes.subarray(d.postOffsets[i]! - start, d.postOffsets[i + 1]! - start),
      d.df[i]!,
      base,
      limit,
      out,
      at,
    );
  }

  /** The stored metadata of article `i`. */
  storedMeta(i: number): StoredMeta {
    const start = this.storedOffsets[i]!;
    const end =
      this.firstPara[i + 1]! > this.firstPara[i]! ? this.textOffsets[this.firstPara[i]!]! : this.storedOffsets[i + 1]!;
    const meta = JSON.parse(this.source_.read(this.storedAt + start, end - start).toString('utf8')) as StoredMeta;
    if (!Array.isArray(meta) || meta.length !== 9) throw new CorruptIndexError('segment stored record is malformed');
    return meta;
  }

  /** The whole article `i` (metadata and paragraphs), in one read. */
  article(i: number): Article {
    const start = this.storedOffsets[i]!;
    const bytes = this.source_.read(this.storedAt + start, this.storedOffsets[i + 1]! - start);
    const first = this.firstPara[i]!;
    const count = this.firstPara[i + 1]! - first;
    const metaEnd = count > 0 ? this.textOffsets[first]! - start : bytes.length;
    const [id, title, date, authors, source, section, url, tags, file] = JSON.parse(
      bytes.toString('utf8', 0, metaEnd),
    ) as StoredMeta;
    const paragraphs: string[] = [];
    for (let k = 0; k < count; k++) {
      const from = this.textOffsets[first + k]! - start;
      const to = k + 1 < count ? this.textOffsets[first + k + 1]! - start : bytes.length;
      paragraphs.push(bytes.toString('utf8', from, to));
    }
    return { id, title, date, authors, source, section, url, tags, paragraphs, file };
  }

  /** The entities of article `i`, as extracted when it was indexed. */
  entitiesOf(i: number): ArticleEntities {
    const names = (column: (typeof ENTITY_COLUMNS)[number]) => {
      const { codes, offsets } = this.entityCodes[column];
      const out: string[] = [];
      for (let k = offsets[i]!; k < offsets[i + 1]!; k++) out.push(this.dict.get(codes[k]!));
      return out;
    };
    return { people: names('people'), orgs: names('orgs'), places: names('places') };
  }

  /** The text of paragraph `k` of article `i`. */
  paragraphText(i: number, k: number): string {
    const first = this.firstPara[i]!;
    const count = this.firstPara[i + 1]! - first;
    if (k < 0 || k >= count) throw new Error('no such paragraph');
    const from = this.textOffsets[first + k]!;
    const to = k + 1 < count ? this.textOffsets[first + k + 1]! : this.storedOffsets[i + 1]!;
    return this.source_.read(this.storedAt + from, to - from).toString('utf8');
  }

  /** The id of article `i`. */
  articleId(i: number): string {
    return this.ids.peek(i);
  }

  /** Article number of `id` in this segment (deleted or not), or -1. */
  findArticle(id: string): number {
    let lo = 0;
    let hi = this.idOrder.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ids.peek(this.idOrder[mid]!) < id) lo = mid + 1;
      else hi = mid;
    }
    const at = lo < this.idOrder.length ? this.idOrder[lo]! : -1;
    return at >= 0 && this.ids.peek(at) === id ? at : -1;
  }

  /** Marks article `i` deleted; false when it already was. */
  deleteArticle(i: number): boolean {
    if (this.deleted[i]) return false;
    this.deleted[i] = 1;
    this.deletedCount++;
    this.deletedParagraphs += this.firstPara[i + 1]! - this.firstPara[i]!;
    return true;
  }

  /** Replaces the deletions (from a live-documents file); counts them. */
  setDeleted(deleted: Uint8Array): void {
    if (deleted.length !== this.meta.articles)
      throw new CorruptIndexError('live-documents file disagrees with its segment');
    this.deleted = deleted;
    let n = 0;
    let paragraphs = 0;
    for (let i = 0; i < deleted.length; i++) {
      if (!deleted[i]) continue;
      n++;
      paragraphs += this.firstPara[i + 1]! - this.firstPara[i]!;
    }
    this.deletedCount = n;
    this.deletedParagraphs = paragraphs;
  }

  /** Live articles. */
  get liveCount(): number {
    return this.meta.articles - this.deletedCount;
  }

  /** Paragraphs of live articles. */
  get liveParagraphCount(): number {
    return this.meta.paragraphs - this.deletedParagraphs;
  }

  /** Size of the segment in bytes. */
  get byteSize(): number {
    return this.source_.size;
  }
}
