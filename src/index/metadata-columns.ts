import type { ArchiveIndex, MetaField } from './archive-index.js';
import type { Segment } from './segments/segment-reader.js';

/**
 * Filters and facets over the articles' metadata columns (codes into each
 * segment's string dictionary): values are compared once per dictionary entry,
 * never read as strings per article.
 */

/** A list column of a segment (several values per article): its codes and each article's range of them. */
function listColumn(segment: Segment, field: Exclude<MetaField, 'source' | 'section'>): [Int32Array, Uint32Array] {
  if (field === 'authors') return [segment.authors, segment.authorOffsets];
  if (field === 'tags') return [segment.tags, segment.tagOffsets];
  const { codes, offsets } = segment.entityCodes[field];
  return [codes, offsets];
}

/**
 * Zeroes `filter[ord]` for each article whose `field` has no value that
 * `accept` takes (values are tested once per segment's dictionary entry used, not
 * per article).
 */
export function restrictByField(
  index: ArchiveIndex,
  field: MetaField,
  accept: (value: string) => boolean,
  filter: Uint8Array,
): void {
  index.segments.forEach((segment, s) => {
    // 0: not tested yet, 1: accepted, 2: refused. Tested on first use: the dictionary also holds other fields' values.
    const verdict = new Uint8Array(segment.dict.size);
    const accepted = (code: number) => {
      if (verdict[code] === 0) verdict[code] = accept(segment.dict.get(code)) ? 1 : 2;
      return verdict[code] === 1;
    };
    const base = index.articleBase[s]!;
    for (let i = 0; i < segment.articleCount; i++) {
      if (!filter[base + i]) continue;
      let ok = false;
      if (field === 'source' || field === 'section') {
        const code = (field === 'source' ? segment.source : segment.section)[i]!;
        ok = code >= 0 && accepted(code);
      } else {
        const [codes, offsets] = listColumn(segment, field);
        for (let k = offsets[i]!; k < offsets[i + 1]! && !ok; k++) ok = accepted(codes[k]!);
      }
      if (!ok) filter[base + i] = 0;
    }
  });
}

/** Counts, for the listed articles (each once per listing), the values of `field` (an article's repeated value counts once). */
export function countValues(
  index: ArchiveIndex,
  field: MetaField,
  ords: ArrayLike<number>,
  ordOf: (i: number) => number = (i) => ords[i]!,
): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (segment: Segment, code: number) => {
    if (code < 0) return;
    const value = segment.dict.get(code);
    if (value !== '') counts.set(value, (counts.get(value) ?? 0) + 1);
  };
  for (let i = 0; i < ords.length; i++) {
    const ord = ordOf(i);
    const s = index.segmentOf(ord);
    const segment = index.segments[s]!;
    const local = ord - index.articleBase[s]!;
    if (field === 'source') add(segment, segment.source[local]!);
    else if (field === 'section') add(segment, segment.section[local]!);
    else {
      const [codes, offsets] = listColumn(segment, field);
      const from = offsets[local]!;
      const to = offsets[local + 1]!;
      for (let k = from; k < to; k++) {
        let repeated = false;
        for (let j = from; j < k && !repeated; j++) repeated = codes[j] === codes[k];
        if (!repeated) add(segment, codes[k]!);
      }
    }
  }
  return counts;
}
