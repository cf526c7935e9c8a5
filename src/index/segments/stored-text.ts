import type { Article } from '../../corpus/article.js';
import { CorruptIndexError } from '../../errors.js';
import type { OffsetTable } from './narrow-offsets.js';
import type { SectionSource } from './segment-file.js';
import type { StoredMeta } from './segment-writer.js';

/**
 * A segment's stored records (the `stored` section): each article's metadata
 * record followed by its paragraphs' text, read by range from the segment's file.
 * `articles` holds each article's start (A + 1 offsets) and `paragraphs` each
 * paragraph's (P + 1), both relative to `at`, the section's offset; article i's
 * paragraphs are `firstPara[i] … firstPara[i+1]` (the segment's own table).
 */
export class StoredText {
  constructor(
    private readonly source: SectionSource,
    private readonly at: number,
    private readonly articles: OffsetTable,
    private readonly paragraphs: OffsetTable,
    private readonly firstPara: Uint32Array,
  ) {}

  /** The stored metadata of article `i`. Throws `CorruptIndexError` when the record is malformed. */
  storedMeta(i: number): StoredMeta {
    const { at, articles, paragraphs, firstPara } = this;
    const start = articles[i]!;
    const end = firstPara[i + 1]! > firstPara[i]! ? paragraphs[firstPara[i]!]! : articles[i + 1]!;
    const meta = JSON.parse(this.source.read(at + start, end - start).toString('utf8')) as StoredMeta;
    if (!Array.isArray(meta) || meta.length !== 9) throw new CorruptIndexError('segment stored record is malformed');
    return meta;
  }

  /** The whole article `i` (metadata and paragraphs), in one read. */
  article(i: number): Article {
    const { at, articles, paragraphs: textAt } = this;
    const start = articles[i]!;
    const bytes = this.source.read(at + start, articles[i + 1]! - start);
    const first = this.firstPara[i]!;
    const count = this.firstPara[i + 1]! - first;
    const metaEnd = count > 0 ? textAt[first]! - start : bytes.length;
    const [id, title, date, authors, source, section, url, tags, file] = JSON.parse(
      bytes.toString('utf8', 0, metaEnd),
    ) as StoredMeta;
    const paragraphs: string[] = [];
    for (let k = 0; k < count; k++) {
      const from = textAt[first + k]! - start;
      const to = k + 1 < count ? textAt[first + k + 1]! - start : bytes.length;
      paragraphs.push(bytes.toString('utf8', from, to));
    }
    return { id, title, date, authors, source, section, url, tags, paragraphs, file };
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
