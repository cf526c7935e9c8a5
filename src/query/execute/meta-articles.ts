import { tokenize } from '../../analysis/tokenize.js';
import type { ArchiveIndex, MetaField } from '../../index/archive-index.js';
import { restrictByField } from '../../index/metadata-columns.js';
import type { MetaItem } from '../parse/query-tree.js';
import { matchGlob } from '../plan/wildcard.js';

/** The metadata column each query field reads. */
const COLUMNS = {
  author: 'authors',
  source: 'source',
  section: 'section',
  tag: 'tags',
  person: 'people',
  org: 'orgs',
  place: 'places',
} as const satisfies Record<MetaItem['field'], MetaField>;

/**
 * True when a metadata value holds the item's forms as consecutive tokens, each
 * token folded as the analyzer folds words (`Michael Ríos` holds `rios` and
 * `michael rios`); a form with `*` or `?` matches as a pattern.
 */
export function valueMatches(value: string, forms: readonly string[]): boolean {
  const tokens = tokenize(value);
  const equal = (form: string, token: string) => (/[*?]/.test(form) ? matchGlob(form, token) : form === token);
  outer: for (let i = 0; i + forms.length <= tokens.length; i++) {
    for (let k = 0; k < forms.length; k++) if (!equal(forms[k]!, tokens[i + k]!.form)) continue outer;
    return true;
  }
  return false;
}

/**
 * Article ordinal → 1 for each live article passing `filter` (null: all) whose
 * field matches the item (see {@link valueMatches}); each distinct value is tested once per segment.
 */
export function metaArticles(index: ArchiveIndex, item: MetaItem, filter: Uint8Array | null): Uint8Array {
  const accepted = new Uint8Array(index.articleSlots);
  for (let ord = 0; ord < accepted.length; ord++)
    accepted[ord] = index.isLive(ord) && (filter === null || filter[ord]) ? 1 : 0;
  restrictByField(index, COLUMNS[item.field], (value) => valueMatches(value, item.forms), accepted);
  return accepted;
}

/** Zeroes `filter[ord]` for each article that a query's metadata filter leaves out (any of `items`; `negated`: none of them). */
export function applyMetaFilter(
  index: ArchiveIndex,
  items: readonly MetaItem[],
  negated: boolean,
  filter: Uint8Array,
): void {
  const any = new Uint8Array(filter.length);
  for (const item of items) {
    const accepted = metaArticles(index, item, filter);
    for (let ord = 0; ord < any.length; ord++) any[ord] = any[ord]! | accepted[ord]!;
  }
  for (let ord = 0; ord < filter.length; ord++) if (any[ord] === (negated ? 1 : 0)) filter[ord] = 0;
}
