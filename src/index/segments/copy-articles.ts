import { crc32 } from 'node:zlib';
import { CorruptIndexError } from '../../errors.js';
import type { Segment } from './segment-reader.js';
import { ENTITY_COLUMNS, type ArticleTableWriter } from './segment-writer.js';

/**
 * Copies the live articles of `segment` (those `deleted` does not mark) into a merge's article
 * tables, in order: the stored records byte for byte, read `blockBytes` at a time (at least one
 * record) and stored a run of live records at once, each article's row from the segment's own
 * columns (metadata codes and entities recoded into the merged dictionary, in the order a build
 * codes them). Nothing is decoded or encoded again: the same bytes as `ArticleTableWriter.add` of
 * each article with its entities (parsing the record and writing it again gives the same JSON and
 * UTF-8), at a share of the cost. The blocks cover the whole stored section, so its CRC-32 is checked
 * on the way: a damaged record throws `CorruptIndexError` instead of going into the merged segment.
 */
export function copyArticles(
  table: ArticleTableWriter,
  segment: Segment,
  deleted: Uint8Array,
  blockBytes: number,
): void {
  const stored = segment.stored();
  const recode = table.recoder(segment.dict);
  const { firstPara, time, source, section, file, authors, authorOffsets, tags, tagOffsets } = segment;
  const entityColumns = ENTITY_COLUMNS.map((column) => segment.entityCodes[column]);
  const count = segment.articleCount;
  let crc = 0;
  for (let from = 0; from < count; ) {
    const block = stored.readRecords(from, blockBytes);
    crc = crc32(block.bytes, crc);
    for (let i = block.from; i < block.to; ) {
      if (deleted[i]) {
        i++;
        continue;
      }
      let end = i + 1;
      while (end < block.to && !deleted[end]) end++;
      const runStart = stored.recordStart(i);
      const shift =
        table.storeCopied(block.bytes.subarray(runStart - block.start, stored.recordStart(end) - block.start)) -
        runStart;
      for (let a = i; a < end; a++) {
        const paragraphAts: number[] = [];
        for (let k = firstPara[a]!; k < firstPara[a + 1]!; k++) paragraphAts.push(stored.paragraphStart(k) + shift);
        table.addCopiedRow(
          {
            recordAt: stored.recordStart(a) + shift,
            paragraphAts,
            time: time[a]!,
            id: segment.articleId(a),
            source: source[a]!,
            section: section[a]!,
            file: file[a]!,
            authors: authors.subarray(authorOffsets[a]!, authorOffsets[a + 1]!),
            tags: tags.subarray(tagOffsets[a]!, tagOffsets[a + 1]!),
            entities: entityColumns.map(({ codes, offsets }) => codes.subarray(offsets[a]!, offsets[a + 1]!)),
          },
          recode,
        );
      }
      i = end;
    }
    from = block.to;
  }
  const [, length, expected] = stored.section;
  if (stored.recordStart(0) !== 0 || stored.recordStart(count) !== length || crc !== expected)
    throw new CorruptIndexError(`${segment.name}: stored text fails its checksum`);
}
