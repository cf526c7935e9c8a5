import type { Article } from '../../corpus/article.js';
import { decodePostings, readSkipTable, type DecodedPostings, type SkipTable } from './postings-codec.js';
import { readPositionOffsets } from './read-position-offsets.js';
import { decodeStemForms } from './positions-codec.js';
import { isStemTerm } from '../../analysis/index-terms.js';
import { StoredText } from './stored-text.js';
import { decodeBlockPostings, readPostingsBlock, type PostingsBlock } from './postings-block.js';

import { blockTermPositions, readPositionsBlock, type PositionsBlock } from './positions-block.js';

export type { PostingsBlock } from './postings-block.js';
export type { PositionsBlock } from './positions-block.js';
import { ArticleIds } from './article-ids.js';
import {
  readHeader,
  readSection,
  SectionSource,
  verifySections,
  viewOf,
  viewOffsets,
  type SectionTable,
} from './segment-file.js';
import { termKey } from './utf8-order.js';
import { TermDictionary } from './term-dictionary.js';
import { StringTable } from './string-table.js';
import { columnFieldsOf, readArticleColumns, type ArticleColumns } from './article-columns.js';
import type { ArticleEntities } from '../../analysis/extract-entities.js';
import {
  SEGMENT_FORMAT_VERSION,
  type ENTITY_COLUMNS,
  type CollectionKey,
  type SegmentMeta,
  type StoredMeta,
} from './segment-writer.js';
import { CorruptIndexError } from '../../errors.js';

/** A term's encoded postings in one segment and its skip table (no block decoded): see `Segment.readTermBlocks`. */
export interface EncodedTerm {
  bytes: Buffer;
  skips: SkipTable;
  /** Documents of the term (deleted ones included). */
  count: number;
  /** Documents of the collection in the segment: every document number is below it. */
  limit: number;
}

/**
 * One immutable segment, opened for reading. At open only its header and the
 * tables every query reads (field lengths, each article's paragraphs and date)
 * are read and checked against their CRCs; the term dictionaries, the metadata
 * columns, the article ids and the stored text's offsets are read and checked
 * when first used (a corrupt one throws `CorruptIndexError` then, and the
 * background check finds it too); postings and stored text stay on disk and
 * are read by range when a query needs them, checked as they are decoded.
 * Deletions live beside it (`deleted`, one byte per article, set by the index).
 */
export class Segment {
  readonly meta: SegmentMeta;
  private readonly sections: SectionTable;
  readonly paraLength: Uint16Array;
  readonly titleLength: Uint16Array;
  /** Paragraphs of article i are `firstPara[i] … firstPara[i+1]` (segment-local). */
  readonly firstPara: Uint32Array;
  readonly time: Float64Array;
  /** Deletions: article i deleted when `deleted[i]` is 1. */
  deleted: Uint8Array;
  deletedCount = 0;
  /** Paragraphs of deleted articles. */
  private deletedParagraphs = 0;
  // Read, and checked against their CRCs, on first use (see the class comment).
  private dictionaries_: Partial<Record<CollectionKey, TermDictionary>> = {};
  private stored_: StoredText | null = null;
  private columns_: ArticleColumns | null = null;
  private ids_: ArticleIds | null = null;
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
    const A = meta.articles;
    const P = meta.paragraphs;
    this.paraLength = viewOf(this.read('p.length'), Uint16Array, P);
    this.titleLength = viewOf(this.read('t.length'), Uint16Array, A);
    this.firstPara = viewOf(this.read('a.firstPara'), Uint32Array, A + 1);
    if (this.firstPara[A] !== P) throw new CorruptIndexError('segment paragraph table disagrees');
    this.time = viewOf(this.read('a.time'), Float64Array, A);
    this.deleted = new Uint8Array(A);
  }

  /** A whole section, checked against its CRC; a fault names the segment. */
  private read(name: string): Buffer {
    try {
      return readSection(this.source_, this.sections, name);
    } catch (error) {
      if (error instanceof CorruptIndexError) throw new CorruptIndexError(`${this.name}: ${error.message}`);
      throw error;
    }
  }

  /** The collection's term dictionary, read and checked on first use. */
  private dictionary(c: CollectionKey): TermDictionary {
    let d = this.dictionaries_[c];
    if (d === undefined) {
      const df = viewOf(this.read(`${c}.df`), Uint32Array);
      this.dictionaries_[c] = d = new TermDictionary(
        this.read(`${c}.terms.utf8`),
        viewOf(this.read(`${c}.terms.off`), Uint32Array),
        df,
        viewOffsets(this.read(`${c}.post.off`), df.length + 1),
        this.sections[`${c}.postings`]![0],
      );
    }
    return d;
  }

  /** The stored records' reader (their offsets read and checked on first use); a merge copies records from it. */
  stored(): StoredText {
    this.stored_ ??= new StoredText(
      this.source_,
      this.sections['stored']!,
      viewOffsets(this.read('a.stored'), this.meta.articles + 1),
      viewOffsets(this.read('p.text'), this.meta.paragraphs + 1),
      this.firstPara,
      (i) => columnFieldsOf(this.columns(), this.idTable(), i),
    );
    return this.stored_;
  }

  private columns(): ArticleColumns {
    this.columns_ ??= readArticleColumns((name) => this.read(name), this.meta.articles);
    return this.columns_;
  }

  private idTable(): ArticleIds {
    const A = this.meta.articles;
    this.ids_ ??= new ArticleIds(
      new StringTable(this.read('a.ids.utf8'), viewOf(this.read('a.ids.off'), Uint32Array, A + 1)),
      viewOf(this.read('a.idOrder'), Uint32Array, A),
    );
    return this.ids_;
  }

  /** The metadata columns' string dictionary. */
  get dict(): StringTable {
    return this.columns().dict;
  }
  /** Article → code of its source in `dict`. */
  get source(): Int32Array {
    return this.columns().source;
  }
  /** Article → code of its section in `dict`. */
  get section(): Int32Array {
    return this.columns().section;
  }
  /** Article → code of its corpus file in `dict`. */
  get file(): Int32Array {
    return this.columns().file;
  }
  /** Codes of every article's authors; article i's are `authorOffsets[i] … authorOffsets[i+1]`. */
  get authors(): Int32Array {
    return this.columns().authors;
  }
  get authorOffsets(): Uint32Array {
    return this.columns().authorOffsets;
  }
  /** Codes of every article's tags; article i's are `tagOffsets[i] … tagOffsets[i+1]`. */
  get tags(): Int32Array {
    return this.columns().tags;
  }
  get tagOffsets(): Uint32Array {
    return this.columns().tagOffsets;
  }
  /** Per entity column (`people`, `orgs`, `places`): codes into `dict`, and each article's range of them (A + 1). */
  get entityCodes(): ArticleColumns['entityCodes'] {
    return this.columns().entityCodes;
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
    return this.dictionary(c).size;
  }

  /**
   * Position of `term` in the collection's dictionary, or -1: a binary search on
   * the dictionary's bytes. `key` is the term's UTF-8 (`termKey`), encoded once by
   * a caller that looks the term up in every segment.
   */
  findTerm(c: CollectionKey, term: string, key: Buffer | null = termKey(term)): number {
    return this.dictionary(c).find(term, key);
  }

  /** Position of the first term ≥ `text`. */
  lowerBound(c: CollectionKey, text: string): number {
    return this.dictionary(c).lowerBound(text);
  }

  /** The term at a dictionary position. */
  term(c: CollectionKey, i: number): string {
    return this.dictionary(c).term(i);
  }

  /** Documents (deleted ones included) holding the term at dictionary position `i`. */
  termDf(c: CollectionKey, i: number): number {
    return this.dictionary(c).df[i]!;
  }

  /**
   * Decodes the postings of the term at dictionary position `i` into
   * `out.docs / out.tfs` from position `at`, each document plus `base`.
   */
  readPostings(c: CollectionKey, i: number, out: DecodedPostings, at: number, base: number): void {
    const d = this.dictionary(c);
    i = this.postingsOf(c, i);
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
    const d = this.dictionary(c);
    i = this.postingsOf(c, i);
    const from = d.postOffsets[i]!;
    const bytes = this.source_.read(d.postingsAt + from, d.postOffsets[i + 1]! - from);
    const limit = c === 'p' ? this.meta.paragraphs : this.meta.articles;
    const count = d.df[i]!;
    return { bytes, skips: readSkipTable(bytes, count, limit), count, limit };
  }

  /**
   * Where the postings of the term at dictionary position `i` are: its own position, or, for a stem term
   * of one form written without postings of its own (`writeTerms`), its form's. Throws when such a term's
   * positions entry does not list exactly one form with as many documents.
   */
  private postingsOf(c: CollectionKey, i: number): number {
    const d = this.dictionary(c);
    if (d.postOffsets[i + 1] !== d.postOffsets[i] || d.df[i] === 0) return i;
    const forms = decodeStemForms(this.readTermPositions(c, i), d.size);
    if (forms.length !== 1 || !isStemTerm(d.term(i)) || d.df[forms[0]!] !== d.df[i])
      throw new CorruptIndexError(`${this.name}: a term without postings is not a stem of one form`);
    return forms[0]!;
  }

  /** True when the term at dictionary position `i` has no postings bytes of its own: a stem term of one form, whose postings are its form's. */
  sharesFormPostings(c: CollectionKey, i: number): boolean {
    const d = this.dictionary(c);
    return d.postOffsets[i + 1] === d.postOffsets[i] && d.df[i]! > 0;
  }

  /** The form whose postings the term at dictionary position `i` shares (see {@link sharesFormPostings}), or null when it has its own. */
  sharedForm(c: CollectionKey, i: number): string | null {
    return this.sharesFormPostings(c, i) ? this.term(c, this.postingsOf(c, i)) : null;
  }

  /**
   * The encoded token positions of the term at dictionary position `i`
   * (`positions-codec.ts`), read from the file: the first call for a collection
   * reads and checks its table of offsets. Throws when the table disagrees.
   */
  readTermPositions(c: CollectionKey, i: number): Buffer {
    const offsets = this.positionsTable(c);
    const section = this.sections[`${c}.positions`];
    const from = offsets[i]!;
    const to = offsets[i + 1]!;
    if (!(to >= from)) throw new CorruptIndexError('segment positions table disagrees');
    return this.source_.read(section![0] + from, to - from);
  }

  /** The collection's positions offsets, read and checked on first use. */
  private positionsTable(c: CollectionKey): Uint32Array | Float64Array {
    let offsets = this.positionOffsets[c];
    if (!offsets) {
      const section = this.sections[`${c}.positions`];
      this.positionOffsets[c] = offsets = readPositionOffsets(this.read(`${c}.pos.off`), this.termCount(c), section);
    }
    return offsets;
  }

  /** The encoded positions of the terms `from …` at once, as many as fit in `maxBytes` (at least one): see `positions-block.ts`. */
  readPositionsBlock(c: CollectionKey, from: number, maxBytes: number): PositionsBlock {
    const at = this.sections[`${c}.positions`]![0];
    return readPositionsBlock(this.source_, this.positionsTable(c), at, c, from, maxBytes);
  }

  /** The encoded positions of term `i` from `block`, as {@link readTermPositions} gives them, without reading the file. */
  blockTermPositions(block: PositionsBlock, i: number): Buffer {
    return blockTermPositions(block, this.positionsTable(block.c), i);
  }

  // Block reads of postings, for scans of a whole dictionary in term order (merges): one read per block, not per term.

  /**
   * Reads the encoded postings of the dictionary terms `from … to)` at once,
   * `to` being the last term whose postings still fit in `maxBytes` bytes (at
   * least one term, whatever its size). Decode them with `decodeBlockPostings`.
   */
  readPostingsBlock(c: CollectionKey, from: number, maxBytes: number): PostingsBlock {
    return readPostingsBlock(this.source_, this.dictionary(c), c, from, maxBytes);
  }

  /**
   * Decodes the postings of term `i` (in the block) as `readPostings` does, without reading the file; but
   * a stem term of one form's, which are its form's, outside the block: those are read.
   */
  decodeBlockPostings(block: PostingsBlock, i: number, out: DecodedPostings, at: number, base: number): void {
    if (i < block.from || i >= block.to) throw new RangeError('term outside the postings block');
    if (this.sharesFormPostings(block.c, i)) {
      this.readPostings(block.c, i, out, at, base);
      return;
    }
    const limit = block.c === 'p' ? this.meta.paragraphs : this.meta.articles;
    decodeBlockPostings(this.dictionary(block.c), block, i, limit, out, at, base);
  }

  /** The stored metadata of article `i`. */
  storedMeta(i: number): StoredMeta {
    return this.stored().storedMeta(i);
  }

  /** The whole article `i` (metadata and paragraphs), in one read. */
  article(i: number): Article {
    return this.stored().article(i);
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

  /** The texts of paragraphs `ks` of article `i`, in `ks`'s order (read at once when they are near each other). */
  paragraphTexts(i: number, ks: readonly number[]): string[] {
    const count = this.firstPara[i + 1]! - this.firstPara[i]!;
    if (ks.some((k) => k < 0 || k >= count)) throw new Error('no such paragraph');
    return this.stored().paragraphTexts(i, ks);
  }

  /** The text of paragraph `k` of article `i`. */
  paragraphText(i: number, k: number): string {
    const count = this.firstPara[i + 1]! - this.firstPara[i]!;
    if (k < 0 || k >= count) throw new Error('no such paragraph');
    return this.stored().paragraphText(i, k);
  }

  /** The id of article `i`. */
  articleId(i: number): string {
    return this.idTable().idOf(i);
  }

  /** Article number of `id` in this segment (deleted or not), or -1. */
  findArticle(id: string): number {
    return this.idTable().find(id);
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
