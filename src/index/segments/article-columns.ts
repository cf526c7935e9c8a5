import type { ENTITY_COLUMNS } from './segment-writer.js';
import { StringTable } from './string-table.js';
import { viewOf } from './segment-file.js';
import type { ArticleIds } from './article-ids.js';
import type { ColumnFields } from './stored-text.js';

/** A segment's metadata columns (codes into `dict`), read together on first use. */
export interface ArticleColumns {
  dict: StringTable;
  source: Int32Array;
  section: Int32Array;
  file: Int32Array;
  authors: Int32Array;
  authorOffsets: Uint32Array;
  tags: Int32Array;
  tagOffsets: Uint32Array;
  entityCodes: Record<(typeof ENTITY_COLUMNS)[number], { codes: Int32Array; offsets: Uint32Array }>;
}

/**
 * Reads a segment's metadata columns (`read` gives a section checked against
 * its CRC): the string dictionary, source, section and file codes, authors,
 * tags and the entity columns, each checked against the `articles` count.
 */
export function readArticleColumns(read: (name: string) => Buffer, articles: number): ArticleColumns {
  const A = articles;
  const int32 = (name: string, length?: number) => viewOf(read(name), Int32Array, length);
  const offsets = (name: string) => viewOf(read(`${name}.off`), Uint32Array, A + 1);
  const column = (name: string) => {
    const off = offsets(`a.${name}`);
    return { codes: int32(`a.${name}`, off[A]), offsets: off };
  };
  const authorOffsets = offsets('a.authors');
  const tagOffsets = offsets('a.tags');
  return {
    dict: new StringTable(read('dict.utf8'), viewOf(read('dict.off'), Uint32Array)),
    source: int32('a.source', A),
    section: int32('a.section', A),
    file: int32('a.file', A),
    authorOffsets,
    authors: int32('a.authors', authorOffsets[A]),
    tagOffsets,
    tags: int32('a.tags', tagOffsets[A]),
    entityCodes: { people: column('people'), orgs: column('orgs'), places: column('places') },
  };
}

/** The fields of article `i` its segment's columns and ids hold: id, authors, source, section, tags, file. */
export function columnFieldsOf(columns: ArticleColumns, ids: ArticleIds, i: number): ColumnFields {
  const { dict } = columns;
  const strings = (codes: Int32Array, offsets: Uint32Array) => {
    const out: string[] = [];
    for (let k = offsets[i]!; k < offsets[i + 1]!; k++) out.push(dict.get(codes[k]!));
    return out;
  };
  const code = (column: Int32Array) => (column[i]! < 0 ? null : dict.get(column[i]!));
  return {
    id: ids.idOf(i),
    authors: strings(columns.authors, columns.authorOffsets),
    source: code(columns.source),
    section: code(columns.section),
    tags: strings(columns.tags, columns.tagOffsets),
    file: code(columns.file) ?? '',
  };
}
