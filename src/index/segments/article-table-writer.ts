import type { Article } from '../../corpus/article.js';
import { extractEntities, type ArticleEntities } from '../../analysis/extract-entities.js';
import { offsetsTable, type SectionWriter } from './segment-file.js';
import { ByteSink } from './postings-codec.js';

/** The entity columns of a segment, one per kind (`a.people`, `a.orgs`, `a.places`). */
export const ENTITY_COLUMNS = ['people', 'orgs', 'places'] as const satisfies readonly (keyof ArticleEntities)[];

/** An article's metadata as a segment gives it back: `[id, title, date, authors, source, section, url, tags, file]`. */
export type StoredMeta = [
  string,
  string,
  string | null,
  string[],
  string | null,
  string | null,
  string | null,
  string[],
  string,
];

/**
 * An article's stored record, as JSON: `[title, date, url]`, what its columns do not hold (segment format 8;
 * its id, authors, source, section, tags and file are read from the columns, `StoredText`).
 */
export type StoredRecord = [title: string, date: string | null, url: string | null];

/** The stored record of an article. */
export function storedRecordOf(a: Article): StoredRecord {
  return [a.title, a.date, a.url];
}

/** An article's row as a merge copies it (see `ArticleTableWriter.addCopiedRow`); codes are the source's. */
export interface CopiedRow {
  recordAt: number;
  paragraphAts: readonly number[];
  time: number;
  id: string;
  source: number;
  section: number;
  file: number;
  authors: ArrayLike<number> & Iterable<number>;
  tags: ArrayLike<number> & Iterable<number>;
  /** Codes of each entity column, in the order of {@link ENTITY_COLUMNS}. */
  entities: readonly (ArrayLike<number> & Iterable<number>)[];
}

/**
 * Writes the article tables of a segment, one article at a time: the stored
 * text (each article's record, {@link StoredRecord}, then its paragraphs' UTF-8, streamed), the
 * paragraph and article offsets into it, paragraphs per article, publication
 * times, the metadata columns filters and facets read (codes into one string
 * dictionary) and the article ids with their sorted order.
 *
 * Sections: `stored`; `a.stored` (A + 1: each article's record) and `p.text` (P + 1: each
 * paragraph's text), Uint32 while the stored text is below 4 GiB, else Float64; `a.firstPara` (Uint32, A + 1);
 * `a.time` (Float64, ms since the epoch, NaN unknown); `dict.utf8` / `dict.off`;
 * `a.source`, `a.section`, `a.file` (Int32 codes, -1 none); `a.authors` / `a.tags`
 * (Int32 codes) with `a.authors.off` / `a.tags.off` (Uint32, A + 1); `a.ids.utf8` /
 * `a.ids.off`; `a.idOrder` (Uint32: article numbers sorted by id); `a.people`, `a.orgs`,
 * `a.places` (Int32 codes: the article's entities, see `extract-entities.ts`) with their `.off`.
 */
export class ArticleTableWriter {
  private readonly dict = new Map<string, number>();
  private readonly dictBytes = new ByteSink();
  private readonly dictOffsets: number[] = [0];
  private readonly storedOffsets: number[] = [];
  private readonly textOffsets: number[] = [];
  private readonly firstPara: number[] = [0];
  private readonly times: number[] = [];
  private readonly sources: number[] = [];
  private readonly sections: number[] = [];
  private readonly files: number[] = [];
  private readonly authors: number[] = [];
  private readonly authorOffsets: number[] = [0];
  private readonly tags: number[] = [];
  private readonly tagOffsets: number[] = [0];
  private readonly entities = ENTITY_COLUMNS.map(() => ({ codes: [] as number[], offsets: [0] }));
  private readonly ids: string[] = [];
  private stored = 0;

  constructor(private readonly writer: SectionWriter) {
    writer.begin('stored');
  }

  private code(value: string | null): number {
    if (value === null) return -1;
    let code = this.dict.get(value);
    if (code === undefined) {
      code = this.dict.size;
      this.dict.set(value, code);
      this.dictBytes.utf8(value);
      this.dictOffsets.push(this.dictBytes.length);
    }
    return code;
  }

  private store(bytes: Uint8Array): void {
    this.writer.append(bytes);
    this.stored += bytes.length;
  }

  /**
   * Appends one article (its paragraphs become the segment's next paragraphs), with its
   * entities: given (a merge copies them), else extracted from its text here.
   */
  add(article: Article, entities: ArticleEntities = extractEntities(article)): void {
    this.storedOffsets.push(this.stored);
    this.store(Buffer.from(JSON.stringify(storedRecordOf(article)), 'utf8'));
    for (const text of article.paragraphs) {
      this.textOffsets.push(this.stored);
      this.store(Buffer.from(text, 'utf8'));
    }
    this.firstPara.push(this.firstPara[this.firstPara.length - 1]! + article.paragraphs.length);
    this.times.push(article.date ? Date.parse(article.date) : NaN);
    this.sources.push(this.code(article.source));
    this.sections.push(this.code(article.section));
    this.files.push(this.code(article.file));
    for (const author of article.authors) this.authors.push(this.code(author));
    this.authorOffsets.push(this.authors.length);
    for (const tag of article.tags) this.tags.push(this.code(tag));
    this.tagOffsets.push(this.tags.length);
    ENTITY_COLUMNS.forEach((column, k) => {
      const { codes, offsets } = this.entities[k]!;
      for (const name of entities[column]) codes.push(this.code(name));
      offsets.push(codes.length);
    });
    this.ids.push(article.id);
  }

  /**
   * Stores bytes copied as they are from another segment's stored section (a merge's run of whole
   * records: see `copy-articles.ts`); returns where they start in this one. Each of their articles
   * then gets its row from {@link addCopiedRow}, in order.
   */
  storeCopied(bytes: Uint8Array): number {
    const at = this.stored;
    this.store(bytes);
    return at;
  }

  /**
   * Adds the row of an article whose record {@link storeCopied} stored: its record at `recordAt` and its
   * paragraphs at `paragraphAts` (offsets in this stored section), its publication time and id, and its
   * column values as codes of the source's dictionary, made this one's by `recode` (see {@link recoder}),
   * in the order {@link add} codes them. The same tables as `add` of the article would make.
   */
  addCopiedRow(row: CopiedRow, recode: (code: number) => number): void {
    this.storedOffsets.push(row.recordAt);
    for (const at of row.paragraphAts) this.textOffsets.push(at);
    this.firstPara.push(this.firstPara[this.firstPara.length - 1]! + row.paragraphAts.length);
    this.times.push(row.time);
    this.sources.push(recode(row.source));
    this.sections.push(recode(row.section));
    this.files.push(recode(row.file));
    for (const code of row.authors) this.authors.push(recode(code));
    this.authorOffsets.push(this.authors.length);
    for (const code of row.tags) this.tags.push(recode(code));
    this.tagOffsets.push(this.tags.length);
    ENTITY_COLUMNS.forEach((_, k) => {
      const { codes, offsets } = this.entities[k]!;
      for (const code of row.entities[k]!) codes.push(recode(code));
      offsets.push(codes.length);
    });
    this.ids.push(row.id);
  }

  /** Codes of `dict` (another segment's) → this writer's codes, each looked up once (-1, none, stays -1). */
  recoder(dict: { get(code: number): string; readonly size: number }): (code: number) => number {
    const map = new Int32Array(dict.size).fill(-1);
    return (code) => {
      if (code < 0) return -1;
      let mine = map[code]!;
      if (mine < 0) map[code] = mine = this.code(dict.get(code));
      return mine;
    };
  }

  /** Number of articles added. */
  get count(): number {
    return this.ids.length;
  }

  /** Ends the stored text and writes the tables. */
  finish(): void {
    const w = this.writer;
    w.end();
    this.storedOffsets.push(this.stored);
    this.textOffsets.push(this.stored);
    w.add('a.stored', offsetsTable(this.storedOffsets));
    w.add('p.text', offsetsTable(this.textOffsets));
    w.add('a.firstPara', Uint32Array.from(this.firstPara));
    w.add('a.time', Float64Array.from(this.times));
    w.add('dict.utf8', this.dictBytes.view());
    w.add('dict.off', Uint32Array.from(this.dictOffsets));
    w.add('a.source', Int32Array.from(this.sources));
    w.add('a.section', Int32Array.from(this.sections));
    w.add('a.file', Int32Array.from(this.files));
    w.add('a.authors', Int32Array.from(this.authors));
    w.add('a.authors.off', Uint32Array.from(this.authorOffsets));
    w.add('a.tags', Int32Array.from(this.tags));
    w.add('a.tags.off', Uint32Array.from(this.tagOffsets));
    ENTITY_COLUMNS.forEach((column, k) => {
      w.add(`a.${column}`, Int32Array.from(this.entities[k]!.codes));
      w.add(`a.${column}.off`, Uint32Array.from(this.entities[k]!.offsets));
    });
    const idBytes = new ByteSink();
    const idOffsets: number[] = [0];
    for (const id of this.ids) {
      idBytes.utf8(id);
      idOffsets.push(idBytes.length);
    }
    w.add('a.ids.utf8', idBytes.view());
    w.add('a.ids.off', Uint32Array.from(idOffsets));
    const order = Array.from(this.ids, (_, i) => i).sort((a, b) =>
      this.ids[a]! < this.ids[b]! ? -1 : this.ids[a]! > this.ids[b]! ? 1 : 0,
    );
    w.add('a.idOrder', Uint32Array.from(order));
  }
}
