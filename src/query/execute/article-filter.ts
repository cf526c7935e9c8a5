import type { ArchiveIndex, MetaField } from '../../index/archive-index.js';
import { restrictByField } from '../../index/metadata-columns.js';
import type { SearchParams } from '../search-params.js';

const lower = (values: string[]) => new Set(values.map((v) => v.toLowerCase()));

/** Article ordinal → 1 when the article passes the date and metadata filters; null when there are none. */
export function buildArticleFilter(index: ArchiveIndex, params: SearchParams): Uint8Array | null {
  const { from, to } = params;
  const sources = lower(params.source);
  const sections = lower(params.section);
  const authors = lower(params.author);
  const tags = lower(params.tag);
  const entities = [
    ['people', lower(params.person)],
    ['orgs', lower(params.org)],
    ['places', lower(params.place)],
  ] as const;
  if (
    from === null &&
    to === null &&
    !sources.size &&
    !sections.size &&
    !authors.size &&
    !tags.size &&
    entities.every(([, set]) => !set.size)
  )
    return null;
  const filter = new Uint8Array(index.articleSlots);
  for (let ord = 0; ord < filter.length; ord++) {
    if (!index.isLive(ord)) continue;
    const time = index.articleTime[ord]!;
    if (from !== null && !(time >= from)) continue;
    if (to !== null && !(time <= to)) continue;
    filter[ord] = 1;
  }
  const restrict = (field: MetaField, wanted: Set<string>) => {
    if (wanted.size) restrictByField(index, field, (value) => wanted.has(value.toLowerCase()), filter);
  };
  restrict('source', sources);
  restrict('section', sections);
  restrict('authors', authors);
  restrict('tags', tags);
  for (const [field, wanted] of entities) restrict(field, wanted);
  return filter;
}
