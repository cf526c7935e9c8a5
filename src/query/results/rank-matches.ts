import type { ArchiveIndex } from '../../index/archive-index.js';
import { IdList } from '../../index/id-list.js';
import { TopScores, topK } from '../../index/top-k.js';
import type { QueryMatches } from '../execute/query-matches.js';
import { matchesMask, type MatchNode } from '../plan/match-tree.js';
import type { SearchParams } from '../search-params.js';

/** A ranking: every matching id and the best of them in order. */
export interface Ranked {
  /** Every matching article ordinal or paragraph short id, in no particular order (may be a view of a reused list). */
  ids: ArrayLike<number>;
  /** The best `limit` of them, best first. */
  top: number[];
}

/** The clause mask of a match of every one of `clauseCount` clauses (as a signed 32-bit number: `>>> 0` it). */
export function fullMask(clauseCount: number): number {
  return clauseCount >= 32 ? 0xffffffff : (1 << clauseCount) - 1;
}

/** Orders two publication times for a date sort; undated (NaN) last. 0 when equal. */
export function compareTimes(ta: number, tb: number, sort: 'date:desc' | 'date:asc'): number {
  const na = Number.isNaN(ta);
  const nb = Number.isNaN(tb);
  if (na || nb) return na === nb ? 0 : na ? 1 : -1;
  return sort === 'date:desc' ? tb - ta : ta - tb;
}

/**
 * The best `limit` of `ids`, best first: by date when the sort asks for it,
 * then by score (higher first), then by `tieKey` (lower first: article id order,
 * then paragraph order).
 */
function selectTop(
  ids: ArrayLike<number>,
  limit: number,
  sort: SearchParams['sort'],
  time: (id: number) => number,
  score: (id: number) => number,
  tieKey: (id: number) => number,
): number[] {
  const n = ids.length;
  if (sort === 'relevance') {
    const top = new TopScores(Math.min(limit, n));
    for (let i = 0; i < n; i++) top.offer(ids[i]!, score(ids[i]!), tieKey(ids[i]!));
    return top.best();
  }
  const scores = new Float64Array(n);
  const ties = new Float64Array(n);
  const times = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const id = ids[i]!;
    scores[i] = score(id);
    ties[i] = tieKey(id);
    times[i] = time(id);
  }
  const better = (a: number, b: number): boolean => {
    const d = compareTimes(times[a]!, times[b]!, sort);
    if (d !== 0) return d < 0;
    if (scores[a] !== scores[b]) return scores[a]! > scores[b]!;
    return ties[a]! < ties[b]!;
  };
  return topK(n, Math.min(limit, n), better).map((i) => ids[i]!);
}

/**
 * Lists reused by `rankMatches` for the matching ids (a common word matches tens of
 * thousands: a fresh array per query would be garbage to collect). Two, since
 * the typo fallback ranks a second time while the first ranking is still read.
 */
export const rankLists = { main: new IdList(), typo: new IdList() };

/** The documents (or articles) of `touched` that `accepts` and are not excluded, in `out` (a view of it is returned). */
function satisfying(touched: IdList, excluded: Uint8Array, accepts: (id: number) => boolean, out: IdList): Int32Array {
  out.clear();
  for (let i = 0; i < touched.length; i++) {
    const id = touched.ids[i]!;
    if (!excluded[id] && accepts(id)) out.push(id);
  }
  return out.ids.subarray(0, out.length);
}

/** Whether a clause mask is a match: by the query tree, or by the matching strategy (all clauses, or any). */
function maskTest(match: MatchNode | null, clauseCount: number, all: boolean): (mask: number) => boolean {
  const full = fullMask(clauseCount) >>> 0;
  if (match) return (mask) => matchesMask(match, mask);
  return all ? (mask) => mask >>> 0 === full : (mask) => mask !== 0;
}

/**
 * Ranks articles (groupBy=article) or paragraphs (groupBy=none) that match; keeps the best `limit` in order.
 * The score is the BM25 sum as it is: not multiplied by the number of query words matched, as MiniSearch's
 * `search()` does, which made a long query rank documents by how many of its words (common ones too) they
 * hold (nDCG@10 +2 to +5 % without it: `bench/results/RELEVANCE.md`).
 */
export function rankMatches(
  index: ArchiveIndex,
  params: SearchParams,
  matches: QueryMatches,
  limit: number,
  filter: Uint8Array | null,
  list: IdList,
  match: MatchNode | null,
): Ranked {
  const all = params.matchingStrategy === 'all';
  if (matches.clauseCount === 0) return browseRank(index, params, matches, limit, filter);
  const articleTime = (ord: number) => index.articleTime[ord]!;
  const test = maskTest(match, matches.clauseCount, all);
  if (params.groupBy === 'article' && params.sort === 'relevance' && match) {
    const top = new TopScores(limit);
    const ids = satisfying(
      matches.articleTouched,
      matches.articleExcluded,
      (ord) => test(matches.articleMask[ord]!),
      list,
    );
    for (const ord of ids) top.offer(ord, matches.articleScore[ord]!, ord);
    return { ids, top: top.best() };
  }
  if (params.groupBy === 'article' && params.sort === 'relevance') {
    // The default: one pass over the touched articles, keeping the matches and the best ones.
    const full = fullMask(matches.clauseCount) >>> 0;
    const { articleTouched, articleMask, articleScore, articleExcluded } = matches;
    const top = new TopScores(limit);
    list.clear();
    for (let i = 0; i < articleTouched.length; i++) {
      const ord = articleTouched.ids[i]!;
      const mask = articleMask[ord]!;
      if (articleExcluded[ord] || (all ? mask >>> 0 !== full : mask === 0)) continue;
      list.push(ord);
      top.offer(ord, articleScore[ord]!, ord);
    }
    return { ids: list.ids.subarray(0, list.length), top: top.best() };
  }
  if (params.groupBy === 'article') {
    const ids = satisfying(
      matches.articleTouched,
      matches.articleExcluded,
      (ord) => test(matches.articleMask[ord]!),
      list,
    );
    const score = (ord: number) => matches.articleScore[ord]!;
    return { ids, top: selectTop(ids, limit, params.sort, articleTime, score, (ord) => ord) };
  }
  // A headline or metadata clause matches every paragraph of its article; a NOT-only clause alone is no match.
  const { paraMask, articleMask, articleBits, scoringBits } = matches;
  const ids = satisfying(
    matches.paraTouched,
    matches.paraExcluded,
    (doc) =>
      (paraMask[doc]! & scoringBits) !== 0 &&
      test(paraMask[doc]! | (articleMask[index.paraArticle[doc]!]! & articleBits)),
    list,
  );
  const score = (doc: number) => matches.paraScore[doc]!;
  const time = (doc: number) => articleTime(index.paraArticle[doc]!);
  return { ids, top: selectTop(ids, limit, params.sort, time, score, (doc) => paragraphOrder(index, doc)) };
}

/** A number that orders paragraphs by article id, then by position in the article. */
export function paragraphOrder(index: ArchiveIndex, doc: number): number {
  return index.paraArticle[doc]! * 1_048_576 + index.paragraphIndex(doc);
}

/** Browse mode (no positive clause): every article (or paragraph) passing filters and exclusions, newest first by default. */
function browseRank(
  index: ArchiveIndex,
  params: SearchParams,
  matches: QueryMatches,
  limit: number,
  filter: Uint8Array | null,
): Ranked {
  const ords: number[] = [];
  for (let ord = 0; ord < index.articleSlots; ord++) {
    if (!index.isLive(ord) || (filter && !filter[ord])) continue;
    if (matches.articleExcluded[ord]) continue;
    ords.push(ord);
  }
  const sort = params.sort === 'relevance' ? 'date:desc' : params.sort;
  const none = () => 0;
  if (params.groupBy === 'article') {
    return {
      ids: ords,
      top: selectTop(
        ords,
        limit,
        sort,
        (ord) => index.articleTime[ord]!,
        none,
        (ord) => ord,
      ),
    };
  }
  const ids: number[] = [];
  for (const ord of ords) {
    for (let doc = index.articleFirstPara[ord]!; doc < index.articleFirstPara[ord + 1]!; doc++)
      if (!matches.paraExcluded[doc]) ids.push(doc);
  }
  const time = (doc: number) => index.articleTime[index.paraArticle[doc]!]!;
  return { ids, top: selectTop(ids, limit, sort, time, none, (doc) => paragraphOrder(index, doc)) };
}
