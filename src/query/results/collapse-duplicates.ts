import type { ArchiveIndex } from '../../index/archive-index.js';
import type { DuplicateView } from '../../index/duplicate-groups.js';
import { topK } from '../../index/top-k.js';
import type { SearchParams } from '../search-params.js';

/** Most other members a hit lists under `duplicates.articleIds` (the count covers all). */
export const MAX_LISTED_DUPLICATES = 100;

/** A hit's group of near-duplicates: how many other articles it has, and their ids (earliest first). */
export interface HitDuplicates {
  count: number;
  articleIds: string[];
}

/** A ranking collapsed to one article per group of duplicates. */
export interface CollapsedRanking {
  /** The best `limit` groups' representatives, best first. */
  top: number[];
  /** Groups matched (an article without duplicates is a group of its own). */
  groups: number;
}

/**
 * Collapses matching articles (`ids`, article numbers) to one per duplicate
 * group and keeps the best `limit`, best first. A group ranks where its
 * best-ranked matching member does: by date when the sort asks for it, then by
 * score (higher first), ties to the earliest published, then article number.
 * It is represented by that member (`prefer=best`), or by its earliest
 * (`original`) or latest (`latest`) matching member. `score` is an article's
 * score (0 in browse mode, whose `relevance` sort is newest first).
 */
export function collapseDuplicates(
  index: ArchiveIndex,
  view: DuplicateView,
  ids: ArrayLike<number>,
  limit: number,
  params: Pick<SearchParams, 'sort' | 'prefer'>,
  score: (ord: number) => number,
  browse: boolean,
): CollapsedRanking {
  const time = (ord: number) => index.articleTime[ord]!;
  const sort = browse && params.sort === 'relevance' ? 'date:desc' : params.sort;
  const earlier = (a: number, b: number) => {
    const ta = time(a);
    const tb = time(b);
    if (Number.isNaN(ta) !== Number.isNaN(tb)) return Number.isNaN(tb);
    return ta !== tb ? ta < tb : a < b;
  };
  const better = (a: number, b: number): boolean => {
    if (sort !== 'relevance') {
      const ta = time(a);
      const tb = time(b);
      if (Number.isNaN(ta) !== Number.isNaN(tb)) return Number.isNaN(tb);
      if (ta !== tb && !Number.isNaN(ta)) return sort === 'date:desc' ? ta > tb : ta < tb;
    }
    const sa = score(a);
    const sb = score(b);
    if (sa !== sb) return sa > sb;
    return earlier(a, b);
  };
  const best = new Map<number, number>();
  const represent = new Map<number, number>();
  const candidates: number[] = [];
  for (let i = 0; i < ids.length; i++) {
    const ord = ids[i]!;
    const g = view.groupOf[ord] ?? -1;
    if (g < 0) {
      candidates.push(ord);
      continue;
    }
    const kept = best.get(g);
    if (kept === undefined || better(ord, kept)) best.set(g, ord);
    const rep = represent.get(g);
    if (
      rep === undefined ||
      (params.prefer === 'original' ? earlier(ord, rep) : params.prefer === 'latest' ? earlier(rep, ord) : false)
    )
      represent.set(g, ord);
  }
  for (const ord of best.values()) candidates.push(ord);
  const top = topK(candidates.length, Math.min(limit, candidates.length), (a, b) =>
    better(candidates[a]!, candidates[b]!),
  ).map((i) => candidates[i]!);
  const shown = params.prefer === 'best' ? top : top.map((ord) => represent.get(view.groupOf[ord]!) ?? ord);
  return { top: shown, groups: candidates.length };
}

/** The other members of `ord`'s group (earliest first), for a hit's `duplicates`. */
export function hitDuplicates(index: ArchiveIndex, view: DuplicateView, ord: number): HitDuplicates {
  const g = view.groupOf[ord] ?? -1;
  if (g < 0) return { count: 0, articleIds: [] };
  const others = view.members[g]!.filter((m) => m !== ord);
  return {
    count: others.length,
    articleIds: others.slice(0, MAX_LISTED_DUPLICATES).map((m) => index.articleMeta(m).id),
  };
}
