import { IdList } from '../../index/id-list.js';

/** Per-document and per-article scores and clause masks of one query. */
export interface QueryMatches {
  /** Number of positive clauses (bits in the masks). */
  clauseCount: number;
  /** Paragraph short id → summed weighted BM25 (before the clause-count factor). */
  paraScore: Float64Array;
  /** Paragraph short id → bit i set when clause i matched in the paragraph. */
  paraMask: Uint32Array;
  /** Paragraphs with a non-zero mask, each once. */
  paraTouched: IdList;
  /** Article ordinal → score from its headline, its best paragraphs and the passage bonus (before the clause-count factor). */
  articleScore: Float64Array;
  /** Article ordinal → bit i set when clause i matched in the headline or any paragraph. */
  articleMask: Uint32Array;
  articleTouched: IdList;
  /** Paragraph short id → 1 when it contains an excluded item. */
  paraExcluded: Uint8Array;
  /** Article ordinal → 1 when its headline or a paragraph contains an excluded item. */
  articleExcluded: Uint8Array;
  /** True when the plan had exclusions (then `articleExcluded` may have marks to clear). */
  excludedAny: boolean;
  /** Paragraphs marked in `paraExcluded` (their articles are the ones marked in `articleExcluded`, with headline matches). */
  excludedTouched: IdList;
  /** Index terms that matched at least one live document (for highlighting). */
  matchedTerms: Set<string>;
  /** True when a `w/s` or `w/p` check had more candidates than {@link MAX_PHRASE_CHECKS}, or the deadline cut a phrase or proximity check short: the rest were not checked. */
  phraseLimitReached: boolean;
  /** Clause bits that score (the others are only under NOT in a query tree): a paragraph shows as a snippet for these. */
  scoringBits: number;
  /**
   * True when MaxScore left articles out or scored them in part (`executeQuery`'s `topK`): the best
   * `topK` are exact, the list of matching articles is not (it holds at least the best).
   */
  pruned: boolean;
  /**
   * Matching paragraphs counted but not listed in `paraTouched` (the one-word top-k's: those of the
   * articles it left out of the scoring): the count of matching paragraphs is `paraTouched.length` plus this.
   */
  unlistedParagraphs: number;
  /** Matching articles counted but not listed in `articleTouched` (as `unlistedParagraphs`): hits too. */
  unlistedArticles: number;
  /** Clause bits matched per article only (headline or metadata terms): a paragraph inherits them from its article's mask. */
  articleBits: number;
}

const matchesPool: QueryMatches[] = [];

/** A zeroed QueryMatches for an index of this size, from the pool when one fits. */
export function acquireMatches(paraCount: number, articleCount: number, clauseCount: number): QueryMatches {
  const pooled = matchesPool.pop();
  if (pooled && pooled.paraScore.length === paraCount && pooled.articleScore.length === articleCount) {
    pooled.clauseCount = clauseCount;
    return pooled;
  }
  return {
    clauseCount,
    paraScore: new Float64Array(paraCount),
    paraMask: new Uint32Array(paraCount),
    paraTouched: new IdList(),
    articleScore: new Float64Array(articleCount),
    articleMask: new Uint32Array(articleCount),
    articleTouched: new IdList(),
    paraExcluded: new Uint8Array(paraCount),
    articleExcluded: new Uint8Array(articleCount),
    excludedAny: false,
    excludedTouched: new IdList(),
    matchedTerms: new Set(),
    phraseLimitReached: false,
    pruned: false,
    unlistedParagraphs: 0,
    unlistedArticles: 0,
    scoringBits: 0xffffffff,
    articleBits: 0,
  };
}

/**
 * Gives a QueryMatches back for reuse by a later query, zeroing what it touched
 * (large typed arrays allocated per query would cost garbage-collection time).
 * The caller must not read it afterwards.
 */
export function releaseMatches(matches: QueryMatches): void {
  const { paraScore, paraMask, articleScore, articleMask, paraExcluded } = matches;
  const paras = matches.paraTouched.ids;
  for (let i = 0; i < matches.paraTouched.length; i++) {
    paraScore[paras[i]!] = 0;
    paraMask[paras[i]!] = 0;
  }
  const ords = matches.articleTouched.ids;
  for (let i = 0; i < matches.articleTouched.length; i++) {
    articleScore[ords[i]!] = 0;
    articleMask[ords[i]!] = 0;
  }
  const excluded = matches.excludedTouched.ids;
  for (let i = 0; i < matches.excludedTouched.length; i++) paraExcluded[excluded[i]!] = 0;
  if (matches.excludedAny) matches.articleExcluded.fill(0);
  matches.excludedAny = false;
  matches.paraTouched.clear();
  matches.articleTouched.clear();
  matches.excludedTouched.clear();
  matches.matchedTerms = new Set();
  matches.phraseLimitReached = false;
  matches.pruned = false;
  matches.unlistedParagraphs = 0;
  matches.unlistedArticles = 0;
  matches.scoringBits = 0xffffffff;
  matches.articleBits = 0;
  if (matchesPool.length < 4) matchesPool.push(matches);
}

/** Zero-filled scratch arrays, reused across queries (one query runs at a time on a thread). */
export class Scratch {
  private arrays = new Map<string, Float64Array | Uint8Array | Uint32Array | Int32Array>();
  private lists = new Map<string, IdList>();

  /** An empty IdList for `name` (its capacity kept from earlier queries). */
  list(name: string): IdList {
    let list = this.lists.get(name);
    if (!list) this.lists.set(name, (list = new IdList()));
    list.clear();
    return list;
  }

  /** A zeroed array of at least `size` for `name`, made by `make` when missing or too small; the caller must zero what it touched before the next query. */
  private zeroed<T extends Float64Array | Uint8Array | Uint32Array | Int32Array>(
    name: string,
    size: number,
    make: (size: number) => T,
  ): T {
    let array = this.arrays.get(name) as T | undefined;
    if (!array || array.length < size) {
      array = make(size);
      this.arrays.set(name, array);
    }
    return array;
  }

  bytes(name: string, size: number): Uint8Array {
    return this.zeroed(name, size, (n) => new Uint8Array(n));
  }

  ints(name: string, size: number): Int32Array {
    return this.zeroed(name, size, (n) => new Int32Array(n));
  }

  floats(name: string, size: number): Float64Array {
    return this.zeroed(name, size, (n) => new Float64Array(n));
  }
}

/** The scratch arrays of the query running on this thread. */
export const scratch = new Scratch();
