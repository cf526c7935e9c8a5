import type { Article } from '../../corpus/article.js';
import { CorruptIndexError } from '../../errors.js';
import type { SectionSource } from './segment-file.js';
import type { StoredMeta, StoredRecord } from './segment-writer.js';

/** Most bytes read at once for several paragraphs of one article (the text between them read too). */
const ONE_READ_BYTES = 64 * 1024;

/** The fields of an article its segment's columns hold (not its stored record). */
export interface ColumnFields {
  id: string;
  authors: string[];
  source: string | null;
  section: string | null;
  tags: string[];
  file: string;
}

/** The stored records of articles `from … to)`, read at once: `bytes` from `start` (an offset in the section). */
export interface StoredRecords {
  from: number;
  to: number;
  start: number;
  bytes: Buffer;
}

/**
 * A segment's stored records (the `stored` section): each article's record
 * (`StoredRecord`: headline, date, URL; the rest of its metadata is in the
 * segment's columns, `columns`) followed by its paragraphs' text, read by range from the segment's file.
 * `articles` holds each article's start (A + 1 offsets) and `paragraphs` each
 * paragraph's (P + 1), both relative to `at`, the section's offset; article i's
 * paragraphs are `firstPara[i] … firstPara[i+1]` (the segment's own table).
 * `section` is the section's entry in the segment's header: offset, length, CRC-32.
 */
export class StoredText {
  private readonly at: number;
  constructor(
    private readonly source: SectionSource,
    readonly section: readonly [offset: number, length: number, crc: number],
    private readonly articles: Uint32Array | Float64Array,
    private readonly paragraphs: Uint32Array | Float64Array,
    private readonly firstPara: Uint32Array,
    /** The fields of article i its segment's columns hold. */
    private readonly columns: (i: number) => ColumnFields,
  ) {
    this.at = section[0];
  }

  /** Article `i`'s metadata from its stored record's JSON and its columns. Throws `CorruptIndexError` when the record is malformed. */
  private metaOf(i: number, json: string): StoredMeta {
    const record = JSON.parse(json) as StoredRecord;
    if (!Array.isArray(record) || record.length !== 3)
      throw new CorruptIndexError('segment stored record is malformed');
    const [title, date, url] = record;
    const { id, authors, source, section, tags, file } = this.columns(i);
    return [id, title, date, authors, source, section, url, tags, file];
  }

  /** The stored metadata of article `i`. Throws `CorruptIndexError` when the record is malformed. */
  storedMeta(i: number): StoredMeta {
    const { at, articles, paragraphs, firstPara } = this;
    const start = articles[i]!;
    const end = firstPara[i + 1]! > firstPara[i]! ? paragraphs[firstPara[i]!]! : articles[i + 1]!;
    return this.metaOf(i, this.source.read(at + start, end - start).toString('utf8'));
  }

  /** The whole article `i` (metadata and paragraphs), in one read. */
  article(i: number): Article {
    const { at, articles, paragraphs: textAt } = this;
    const start = articles[i]!;
    const bytes = this.source.read(at + start, articles[i + 1]! - start);
    const first = this.firstPara[i]!;
    const count = this.firstPara[i + 1]! - first;
    const metaEnd = count > 0 ? textAt[first]! - start : bytes.length;
    const [id, title, date, authors, source, section, url, tags, file] = this.metaOf(
      i,
      bytes.toString('utf8', 0, metaEnd),
    );
    const paragraphs: string[] = [];
    for (let k = 0; k < count; k++) {
      const from = textAt[first + k]! - start;
      const to = k + 1 < count ? textAt[first + k + 1]! - start : bytes.length;
      paragraphs.push(bytes.toString('utf8', from, to));
    }
    return { id, title, date, authors, source, section, url, tags, paragraphs, file };
  }

  /** Where article `i`'s record starts in the section (`i` = the article count: the section's end). */
  recordStart(i: number): number {
    return this.articles[i]!;
  }

  /** Where paragraph `k` (of the segment) starts in the section. */
  paragraphStart(k: number): number {
    return this.paragraphs[k]!;
  }

  /**
   * The records of articles `from … to)` in one read, `to` being the last article whose record still
   * fits in `maxBytes` bytes (at least one): a merge copies them as they are, with no text decoded.
   */
  readRecords(from: number, maxBytes: number): StoredRecords {
    const { articles } = this;
    const last = articles.length - 1;
    const start = articles[from]!;
    let to = from + 1;
    while (to < last && articles[to + 1]! - start <= maxBytes) to++;
    return { from, to, start, bytes: this.source.read(this.at + start, articles[to]! - start) };
  }

  /**
   * The texts of paragraphs `ks` of article `i` (each below its paragraph count: the caller checks), in
   * `ks`'s order: one read when the bytes from the first to the last of them are at most
   * {@link ONE_READ_BYTES} (a page of hits shows two or three paragraphs of each article), else one each.
   */
  paragraphTexts(i: number, ks: readonly number[]): string[] {
    if (ks.length < 2) return ks.map((k) => this.paragraphText(i, k));
    const { at, articles, paragraphs } = this;
    const first = this.firstPara[i]!;
    const count = this.firstPara[i + 1]! - first;
    const end = (k: number) => (k + 1 < count ? paragraphs[first + k + 1]! : articles[i + 1]!);
    const low = Math.min(...ks);
    const high = Math.max(...ks);
    const from = paragraphs[first + low]!;
    const to = end(high);
    if (to - from > ONE_READ_BYTES) return ks.map((k) => this.paragraphText(i, k));
    const bytes = this.source.read(at + from, to - from);
    return ks.map((k) => bytes.toString('utf8', paragraphs[first + k]! - from, end(k) - from));
  }

  /** The text of paragraph `k` of article `i`; `k` must be below the article's paragraph count (the caller checks). */
  paragraphText(i: number, k: number): string {
    const { at, articles, paragraphs } = this;
    const first = this.firstPara[i]!;
    const count = this.firstPara[i + 1]! - first;
    const from = paragraphs[first + k]!;
    const to = k + 1 < count ? paragraphs[first + k + 1]! : articles[i + 1]!;
    return this.source.read(at + from, to - from).toString('utf8');
  }
}
