import MiniSearch from 'minisearch';

/** Postings of one index term: field id → (document short id → term frequency). */
export type TermData = Map<number, Map<number, number>>;

/** The radix tree MiniSearch keeps its terms in (its `SearchableMap`). */
export interface TermTree {
  get(term: string): TermData | undefined;
  has(term: string): boolean;
  atPrefix(prefix: string): Iterable<[string, TermData]>;
  fuzzyGet(term: string, maxDistance: number): Map<string, [TermData, number]>;
  readonly size: number;
}

/**
 * The parts of a MiniSearch 7 instance that the fast search path reads. MiniSearch
 * keeps them as TypeScript-private fields; reading them lets a query skip building a
 * result object per matching document (the cost that dominates `search()`), while
 * MiniSearch stays the one index that is built, updated and saved.
 */
export interface MiniSearchInternals {
  _index: TermTree;
  _documentCount: number;
  _documentIds: Map<number, string>;
  _idToShortId: Map<string, number>;
  _fieldIds: Record<string, number>;
  _fieldLength: Map<number, number[]>;
  _avgFieldLength: number[];
  _nextId: number;
  _dirtCount: number;
}

/**
 * The internals of a MiniSearch instance, checked: throws if this MiniSearch
 * version lays them out differently (the package version is pinned, and the
 * snapshot manifest records it).
 */
export function internalsOf(miniSearch: MiniSearch): MiniSearchInternals {
  const m = miniSearch as unknown as MiniSearchInternals;
  if (
    typeof m._documentIds?.get !== 'function' ||
    typeof m._fieldLength?.get !== 'function' ||
    typeof m._idToShortId?.get !== 'function' ||
    typeof m._index?.get !== 'function' ||
    typeof m._index?.atPrefix !== 'function' ||
    typeof m._index?.fuzzyGet !== 'function' ||
    !Array.isArray(m._avgFieldLength)
  ) {
    throw new Error('MiniSearch internals have an unexpected shape: this MiniSearch version is not supported');
  }
  return m;
}
