import { tokenize, type Token } from '../analysis/tokenize.js';
import { findPhrase } from '../analysis/find-phrase.js';
import { BM25, type ArchiveIndex } from '../index/archive-index.js';
import type { TermExpansion } from './expand-terms.js';
import { topKByScore } from '../index/top-k.js';
import { forEachPosting, PackedPostings, postingCount, pristinePostings } from '../index/packed-term-data.js';
import type { TermData } from '../index/minisearch-internals.js';
import { IdList } from '../index/id-list.js';
import { popCount } from '../pop-count.js';
import { miniSearchIdf, termIdf } from './term-idf.js';

export { popCount };

/** A query word with the index terms it expands to. */
export interface CompiledWord {
  type: 'word';
  form: string;
  expansions: TermExpansion[];
}

/** A phrase: exact forms, adjacent, in order. */
export interface CompiledPhrase {
  type: 'phrase';
  forms: string[];
}

export type CompiledItem = CompiledWord | CompiledPhrase;

/** What the engine runs: positive clauses (each a list of OR-ed items) and exclusions. */
export interface QueryPlan {
  clauses: CompiledItem[][];
  excluded: CompiledItem[];
}

/** Which MiniSearch instance a term is scored in. */
export type Collection = 'paragraphs' | 'titles';

/**
 * Scores one index term. `accumulate` adds `weight` × the term's BM25 score to
 * `scores[doc]` for every live document of `collection` containing the term
 * whose article passes `filter`, pushes each document whose score was 0 onto
 * `touched`, and returns whether any document matched. `accumulateAt` does the
 * same for the listed documents only (`docs[0 … count-1]`, ascending, live, all
 * passing the filter). `documentCount` is the number of documents of
 * `collection` holding the term. A scorer is made for one state of the index.
 */
export interface TermScorer {
  accumulate(
    collection: Collection,
    term: string,
    weight: number,
    scores: Float64Array,
    touched: IdList,
    filter: Uint8Array | null,
  ): boolean;
  accumulateAt(
    collection: Collection,
    term: string,
    weight: number,
    scores: Float64Array,
    touched: IdList,
    docs: Int32Array,
    count: number,
  ): boolean;
  /**
   * `accumulate` for each of several terms in turn (`matched[i]` set for term i),
   * with the same sums; the fast scorer reads them together, one stretch of
   * documents at a time, so that many terms over a large index do not each sweep
   * the whole score array.
   */
  accumulateTerms(
    collection: Collection,
    terms: readonly { term: string; weight: number }[],
    scores: Float64Array,
    touched: IdList,
    filter: Uint8Array | null,
    matched: boolean[],
  ): void;
  documentCount(collection: Collection, term: string): number;
}

/** Documents per stretch in `accumulateTerms`: their scores and norms (2 × 128 KB) stay in the CPU's cache. */
const TERMS_BLOCK = 16_384;

/** Headline matches count this much more than the same match in a paragraph (1: as much; see `bench/RELEVANCE.md`). */
export const TITLE_BOOST = 1;
/** How much an article's other matching paragraphs add, on a log scale, beyond its best one. */
export const EXTRA_PARAGRAPHS_WEIGHT = 0.25;
/**
 * Passage bonus: an article gains this share of its best paragraph's score when
 * that paragraph holds several query clauses (scaled by how many): terms that
 * occur together in one paragraph say more than the same terms scattered.
 */
export const PASSAGE_WEIGHT = 0.5;
/**
 * Most documents whose text a query re-tokenizes to check its phrases, shared
 * among its phrases (best-scoring candidates first). Bounds a query of many
 * common phrases; past it, unchecked candidates are left out and the result
 * says so (`exhaustive: false`).
 */
export const MAX_PHRASE_CHECKS = 2_000;

// The index's BM25 parameters (the plain scorer gives MiniSearch the same), so both paths score alike.
const K = BM25.k;
const D = BM25.d;

/** One posting's BM25+ score: `idf` (already weighted) for a term `tf` times in a document of length norm `norm`. */
function bm25(idf: number, tf: number, norm: number): number {
  return idf * (D + (tf * (K + 1)) / (tf + norm));
}

function collectionTables(index: ArchiveIndex, collection: Collection) {
  return collection === 'paragraphs'
    ? { internals: index.paraInternals, live: index.paraArticle, norms: index.paraNorm }
    : { internals: index.titleInternals, live: index.titleArticle, norms: index.titleNorm };
}

/**
 * Above every document short id: the end of a scan with no block bound, and "no more postings" in a
 * merge. A small integer (V8 Smi, below 2^30): a double here would deoptimize the loops.
 */
const NO_DOC = (1 << 30) - 1;

/** Where `scanPostings` stopped and whether it scored a document (one object, reused). */
const scanned = { at: 0, matched: false };

/**
 * The scoring loop: from position `from` of `postings`, for each document below
 * `blockEnd` that is live (norm ≥ 0) and whose article passes `filter`, adds
 * its BM25+ to `scores` (pushing it onto `touched` when it was 0).
 */
function scanPostings(
  postings: PackedPostings,
  from: number,
  blockEnd: number,
  idf: number,
  norms: Float64Array,
  live: Int32Array,
  filter: Uint8Array | null,
  scores: Float64Array,
  touched: IdList,
): typeof scanned {
  const { docs, tfs, end } = postings;
  let matched = false;
  let i = from;
  for (; i < end; i++) {
    const doc = docs[i]!;
    if (doc >= blockEnd) break;
    // One read tells liveness (norm < 0: not a live document) and length.
    const norm = norms[doc]!;
    if (norm < 0 || (filter !== null && filter[live[doc]!] === 0)) continue;
    const tf = tfs[i]!;
    const before = scores[doc]!;
    if (before === 0) touched.push(doc);
    scores[doc] = before + bm25(idf, tf, norm);
    matched = true;
  }
  scanned.at = i;
  scanned.matched = matched;
  return scanned;
}

/** Postings of a term absent from a collection. */
const EMPTY = new PackedPostings(new Int32Array(0), new Uint16Array(0));

/** First position in `docs[from … end)` holding a value ≥ `doc` (`end` if none): galloping, then binary search. */
function seek(docs: Int32Array, from: number, end: number, doc: number): number {
  if (from >= end || docs[from]! >= doc) return from;
  let lo = from; // docs[lo] < doc
  let step = 1;
  let hi = from + 1;
  while (hi < end && docs[hi]! < doc) {
    lo = hi;
    step *= 2;
    hi = lo + step;
  }
  if (hi > end) hi = end;
  lo += 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (docs[mid]! < doc) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Terms already looked up in MiniSearch's radix tree (a walk of string slices
 * per lookup), kept across queries for one index until its generation changes:
 * every update of the index bumps it (`refresh()`), so a term's data is never stale.
 */
const termLookups = new WeakMap<ArchiveIndex, { generation: number; paragraphs: Map<string, TermData | null>; titles: Map<string, TermData | null> }>();
/** Most terms remembered per collection (then the memory starts over). */
const MAX_REMEMBERED_TERMS = 100_000;

/**
 * The fast scorer: reads MiniSearch's postings directly (packed arrays when
 * untouched, Maps otherwise) and computes the same BM25+ as MiniSearch's
 * `search()`, in a tight loop with no object per matching document.
 */
export function createFastScorer(index: ArchiveIndex): TermScorer {
  let found = termLookups.get(index);
  if (!found || found.generation !== index.generation) {
    found = { generation: index.generation, paragraphs: new Map(), titles: new Map() };
    termLookups.set(index, found);
  }
  const lookups = found;
  const dataOf = (collection: Collection, term: string): TermData | null => {
    const known = lookups[collection];
    let data = known.get(term);
    if (data === undefined) {
      data = collectionTables(index, collection).internals._index.get(term) ?? null;
      if (known.size >= MAX_REMEMBERED_TERMS) known.clear();
      known.set(term, data);
    }
    return data;
  };
  /** `weight` × the term's IDF in the collection. */
  const weightedIdf = (collection: Collection, data: TermData, weight: number) => {
    const n = collectionTables(index, collection).internals._documentCount;
    const df = postingCount(data, 0);
    return termIdf(n, df) * weight;
  };
  const scorer: TermScorer = {
    documentCount(collection, term) {
      const data = dataOf(collection, term);
      return data ? postingCount(data, 0) : 0;
    },

    accumulate(collection, term, weight, scores, touched, filter) {
      const data = dataOf(collection, term);
      if (!data) return false;
      const { live, norms } = collectionTables(index, collection);
      const idf = weightedIdf(collection, data, weight);
      let matched = false;
      const packed = pristinePostings(data, 0);
      if (packed) return scanPostings(packed, packed.start, NO_DOC, idf, norms, live, filter, scores, touched).matched;
      forEachPosting(data, 0, (doc, tf) => {
        const norm = norms[doc]!;
        if (!(norm >= 0) || (filter !== null && filter[live[doc]!] === 0)) return;
        const before = scores[doc]!;
        if (before === 0) touched.push(doc);
        scores[doc] = before + bm25(idf, tf, norm);
        matched = true;
      });
      return matched;
    },

    accumulateTerms(collection, terms, scores, touched, filter, matched) {
      const packed: PackedPostings[] = [];
      let postings = 0;
      for (const { term } of terms) {
        const data = dataOf(collection, term);
        const p = data ? pristinePostings(data, 0) : null;
        if (data && !p) break;
        if (p) postings += p.end - p.start;
        packed.push(p ?? EMPTY);
      }
      if (packed.length < terms.length || terms.length < 2) {
        terms.forEach(({ term, weight }, t) => {
          matched[t] = scorer.accumulate(collection, term, weight, scores, touched, filter);
        });
        return;
      }
      const { live, norms } = collectionTables(index, collection);
      const idfs = terms.map(({ term, weight }, t) => (packed[t] === EMPTY ? 0 : weightedIdf(collection, dataOf(collection, term)!, weight)));
      const cursors = packed.map((p) => p.start);
      for (let t = 0; t < terms.length; t++) matched[t] = false;
      const block = postings < TERMS_BLOCK ? NO_DOC : TERMS_BLOCK;
      for (let blockEnd = block; ; blockEnd += block) {
        // Terms 0 and 1 (a word's form and its stem term: nearly the same
        // documents) are merged by document, so a document holding both has its
        // score and norm read once. Per document the sums are made in term order.
        const a = packed[0]!;
        const b = packed[1]!;
        let i = cursors[0]!;
        let j = cursors[1]!;
        for (;;) {
          const da = i < a.end ? a.docs[i]! : NO_DOC;
          const db = j < b.end ? b.docs[j]! : NO_DOC;
          const doc = da < db ? da : db;
          if (doc === NO_DOC || doc >= blockEnd) break;
          const norm = norms[doc]!;
          const counts = !(norm < 0 || (filter !== null && filter[live[doc]!] === 0));
          const before = scores[doc]!;
          let sum = before;
          if (da === doc) {
            if (counts) {
              const tf = a.tfs[i]!;
              sum = sum + bm25(idfs[0]!, tf, norm);
              matched[0] = true;
            }
            i++;
          }
          if (db === doc) {
            if (counts) {
              const tf = b.tfs[j]!;
              sum = sum + bm25(idfs[1]!, tf, norm);
              matched[1] = true;
            }
            j++;
          }
          if (counts) {
            if (before === 0) touched.push(doc);
            scores[doc] = sum;
          }
        }
        cursors[0] = i;
        cursors[1] = j;
        let more = i < a.end || j < b.end;
        for (let t = 2; t < terms.length; t++) {
          const scan = scanPostings(packed[t]!, cursors[t]!, blockEnd, idfs[t]!, norms, live, filter, scores, touched);
          cursors[t] = scan.at;
          if (scan.matched) matched[t] = true;
          if (scan.at < packed[t]!.end) more = true;
        }
        if (!more) break;
      }
    },

    accumulateAt(collection, term, weight, scores, touched, docs, count) {
      const data = dataOf(collection, term);
      if (!data) return false;
      const { norms } = collectionTables(index, collection);
      const idf = weightedIdf(collection, data, weight);
      let matched = false;
      const add = (doc: number, tf: number) => {
        const norm = norms[doc]!;
        if (!(norm >= 0)) return;
        const before = scores[doc]!;
        if (before === 0) touched.push(doc);
        scores[doc] = before + bm25(idf, tf, norm);
        matched = true;
      };
      const packed = pristinePostings(data, 0);
      if (packed) {
        // Gallop through the postings from one listed document to the next.
        const { docs: postings, tfs, end } = packed;
        let at = packed.start;
        for (let i = 0; i < count && at < end; i++) {
          const doc = docs[i]!;
          at = seek(postings, at, end, doc);
          if (at < end && postings[at] === doc) add(doc, tfs[at]!);
        }
        return matched;
      }
      const postings = data.get(0);
      if (!postings) return false;
      for (let i = 0; i < count; i++) {
        const tf = postings.get(docs[i]!);
        if (tf !== undefined) add(docs[i]!, tf);
      }
      return matched;
    },
  };
  return scorer;
}

/**
 * The plain scorer: asks MiniSearch's own `search()` for the term. Slow (one
 * result object per match) but independent of MiniSearch's internals: the test
 * that both scorers give the same hits keeps the fast path honest.
 */
export function createPlainScorer(index: ArchiveIndex): TermScorer {
  const options = { tokenize: (s: string) => [s], processTerm: (t: string) => t, bm25: BM25 };
  const scorer: TermScorer = {
    documentCount(collection, term) {
      const data = collectionTables(index, collection).internals._index.get(term);
      return data ? postingCount(data, 0) : 0;
    },

    accumulate(collection, term, weight, scores, touched, filter) {
      const miniSearch = collection === 'paragraphs' ? index.paragraphs : index.titles;
      const { internals, live } = collectionTables(index, collection);
      let matched = false;
      // MiniSearch's IDF is Lucene's; rescaled to ours (one factor per term).
      const df = scorer.documentCount(collection, term);
      const rescale = df > 0 ? termIdf(internals._documentCount, df) / miniSearchIdf(internals._documentCount, df) : 1;
      for (const result of miniSearch.search(term, options)) {
        const doc = internals._idToShortId.get(result.id as string);
        if (doc === undefined) continue;
        const ord = live[doc]!;
        if (ord < 0 || (filter !== null && filter[ord] === 0)) continue;
        if (scores[doc] === 0) touched.push(doc);
        scores[doc] = scores[doc]! + result.score * rescale * weight;
        matched = true;
      }
      return matched;
    },

    accumulateTerms(collection, terms, scores, touched, filter, matched) {
      terms.forEach(({ term, weight }, t) => {
        matched[t] = scorer.accumulate(collection, term, weight, scores, touched, filter);
      });
    },

    accumulateAt(collection, term, weight, scores, touched, docs, count) {
      // Every match, then only the listed documents: slow and simple.
      const size = collection === 'paragraphs' ? index.paraArticle.length : index.titleArticle.length;
      const all = new Float64Array(size);
      const allTouched = new IdList();
      scorer.accumulate(collection, term, weight, all, allTouched, null);
      let matched = false;
      for (let i = 0; i < count; i++) {
        const doc = docs[i]!;
        if (all[doc] === 0) continue;
        if (scores[doc] === 0) touched.push(doc);
        scores[doc] = scores[doc]! + all[doc]!;
        matched = true;
      }
      return matched;
    },
  };
  return scorer;
}

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
  /** True when a phrase had more candidates than {@link MAX_PHRASE_CHECKS}; the rest were not checked. */
  phraseLimitReached: boolean;
}

/**
 * Clause indexes from the cheapest to the dearest, estimated by the postings
 * their terms would read (a phrase costs about its rarest word).
 */
function clauseOrder(scorer: TermScorer, plan: QueryPlan): number[] {
  const df = (term: string) => scorer.documentCount('paragraphs', term) + scorer.documentCount('titles', term);
  const cost = plan.clauses.map((clause) =>
    clause.reduce(
      (sum, item) =>
        sum + (item.type === 'word' ? item.expansions.reduce((n, e) => n + df(e.term), 0) : Math.min(...item.forms.map(df))),
      0,
    ),
  );
  return plan.clauses.map((_, c) => c).sort((a, b) => cost[a]! - cost[b]! || a - b);
}

/**
 * With requireAll, a term whose postings outnumber the candidate documents by
 * this factor is read by galloping from one candidate to the next instead of
 * in full: a rare word AND "the" then costs about the rare word's candidates.
 */
const PROBE_FACTOR = 16;

const matchesPool: QueryMatches[] = [];

/** A zeroed QueryMatches for an index of this size, from the pool when one fits. */
function acquireMatches(paraCount: number, articleCount: number, clauseCount: number): QueryMatches {
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
  if (matchesPool.length < 4) matchesPool.push(matches);
}

/** Zero-filled scratch arrays, reused across queries (one query runs at a time on a thread). */
class Scratch {
  private arrays = new Map<string, Float64Array | Uint8Array>();
  private lists = new Map<string, IdList>();

  /** An empty IdList for `name` (its capacity kept from earlier queries). */
  list(name: string): IdList {
    let list = this.lists.get(name);
    if (!list) this.lists.set(name, (list = new IdList()));
    list.clear();
    return list;
  }

  /** A zeroed array of at least `size` for `name`, made by `make` when missing or too small; the caller must zero what it touched before the next query. */
  private zeroed<T extends Float64Array | Uint8Array>(name: string, size: number, make: (size: number) => T): T {
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

  floats(name: string, size: number): Float64Array {
    return this.zeroed(name, size, (n) => new Float64Array(n));
  }
}

const scratch = new Scratch();

/** Fills `paras` and `titles` with the live paragraphs and the headlines of `articles`, each ascending. */
function listCandidateDocs(index: ArchiveIndex, articles: Int32Array, paras: IdList, titles: IdList): void {
  paras.clear();
  titles.clear();
  for (let i = 0; i < articles.length; i++) {
    const ord = articles[i]!;
    const docs = index.articleParagraphs[ord]!;
    for (let k = 0; k < docs.length; k++) if (docs[k]! >= 0 && index.paraNorm[docs[k]!]! >= 0) paras.push(docs[k]!);
    titles.push(index.articleTitle[ord]!);
  }
  paras.ids.subarray(0, paras.length).sort();
  titles.ids.subarray(0, titles.length).sort();
}

/** Sets `array[i]` back to 0 for each listed index. */
function clear(array: Float64Array, touched: IdList): void {
  for (let i = 0; i < touched.length; i++) array[touched.ids[i]!] = 0;
}

/**
 * Runs a plan over the index: scores every document that matches any clause,
 * folds paragraph scores into article scores, and marks excluded documents.
 * `articleFilter[ord]` = 0 leaves an article out (date, source, … filters).
 * Cost is linear in the postings of the plan's terms; nothing is sorted here.
 */
export function executeQuery(
  index: ArchiveIndex,
  plan: QueryPlan,
  scorer: TermScorer,
  articleFilter: Uint8Array | null,
  options: { requireAll?: boolean } = {},
): QueryMatches {
  const paraCount = index.paraArticle.length;
  const titleCount = index.titleArticle.length;
  const articleCount = index.articleList.length;
  const matches = acquireMatches(paraCount, articleCount, plan.clauses.length);
  const phraseCount = [...plan.clauses.flat(), ...plan.excluded].filter((item) => item.type === 'phrase').length;
  const phrases = new PhraseChecker(index, scorer, articleFilter, matches, phraseCount);

  // Per clause: paragraph and headline scores, then per article the best paragraph and the total.
  const clausePara = scratch.floats('clausePara', paraCount);
  const clauseTitle = scratch.floats('clauseTitle', titleCount);
  // Per article, side by side (one cache line): [best paragraph, all paragraphs, headline, unused].
  const clauseArticle = scratch.floats('clauseArticle', articleCount * 4);
  const paraTouched = scratch.list('paraTouched');
  const titleTouched = scratch.list('titleTouched');
  const clauseArticles = scratch.list('clauseArticles');

  // With requireAll, an article must match every clause: run the cheapest clause
  // first, then let only the articles that matched every clause so far through
  // (an AND that skips the work on postings of articles already out).
  const order = options.requireAll ? clauseOrder(scorer, plan) : plan.clauses.map((_, c) => c);
  let filter = articleFilter;
  let candidates: Int32Array | null = null;
  let candidateFilter: Uint8Array | null = null;

  // The live paragraphs and headlines of the candidate articles, ascending (made when a term is worth probing).
  const candidateParas = scratch.list('candidateParas');
  const candidateTitles = scratch.list('candidateTitles');
  let candidateDocsFresh = false;
  let candidateParaCount = -1; // at most this many candidate paragraphs (-1: not counted yet)
  const scoreTerm = (collection: Collection, term: string, weight: number, scores: Float64Array, touched: IdList): boolean => {
    if (candidates !== null) {
      if (candidateParaCount < 0) {
        candidateParaCount = 0;
        for (let i = 0; i < candidates.length; i++) candidateParaCount += index.articleParagraphs[candidates[i]!]!.length;
      }
      const most = collection === 'paragraphs' ? candidateParaCount : candidates.length;
      if (most * PROBE_FACTOR < scorer.documentCount(collection, term)) {
        if (!candidateDocsFresh) {
          listCandidateDocs(index, candidates, candidateParas, candidateTitles);
          candidateDocsFresh = true;
        }
        const list = collection === 'paragraphs' ? candidateParas : candidateTitles;
        return scorer.accumulateAt(collection, term, weight, scores, touched, list.ids, list.length);
      }
    }
    return scorer.accumulate(collection, term, weight, scores, touched, filter);
  };

  for (const c of order) {
    if (candidates !== null && candidates.length === 0) break;
    const clause = plan.clauses[c]!;
    const bit = 1 << c;
    // The first clause scores straight into the paragraph scores (all zero so far).
    const first = c === order[0];
    const paraTarget = first ? matches.paraScore : clausePara;
    phrases.filter = filter;
    for (const item of clause) {
      if (item.type === 'word' && candidates === null) {
        const inParagraphs: boolean[] = [];
        const inTitles: boolean[] = [];
        scorer.accumulateTerms('paragraphs', item.expansions, paraTarget, paraTouched, filter, inParagraphs);
        scorer.accumulateTerms('titles', item.expansions, clauseTitle, titleTouched, filter, inTitles);
        item.expansions.forEach((e, i) => {
          if (inParagraphs[i] || inTitles[i]) matches.matchedTerms.add(e.term);
        });
      } else if (item.type === 'word') {
        for (const e of item.expansions) {
          const inParagraphs = scoreTerm('paragraphs', e.term, e.weight, paraTarget, paraTouched);
          const inTitles = scoreTerm('titles', e.term, e.weight, clauseTitle, titleTouched);
          if (inParagraphs || inTitles) matches.matchedTerms.add(e.term);
        }
      } else {
        phrases.accumulate(item.forms, paraTarget, paraTouched, clauseTitle, titleTouched);
      }
    }
    const { paraScore, paraMask, articleScore, articleMask } = matches;
    const paraArticle = index.paraArticle;
    paraTouched.sortDistinct(paraCount);
    const docs = paraTouched.ids;
    // The first clause's paragraphs are all new: listed at once, masks set without reading them.
    if (first) matches.paraTouched.append(paraTouched);
    for (let i = 0; i < paraTouched.length; i++) {
      const doc = docs[i]!;
      const score = paraTarget[doc]!;
      if (first) paraMask[doc] = bit;
      else {
        clausePara[doc] = 0;
        paraScore[doc] = paraScore[doc]! + score;
        if (paraMask[doc] === 0) matches.paraTouched.push(doc);
        paraMask[doc] = paraMask[doc]! | bit;
      }
      const at = paraArticle[doc]! * 4;
      // Scores are positive: all zero means the article is new to this clause.
      const total = clauseArticle[at + 1]!;
      if (total === 0 && clauseArticle[at + 2] === 0) clauseArticles.push(at >> 2);
      if (score > clauseArticle[at]!) clauseArticle[at] = score;
      clauseArticle[at + 1] = total + score;
    }
    const titles = titleTouched.ids;
    for (let i = 0; i < titleTouched.length; i++) {
      const doc = titles[i]!;
      const at = index.titleArticle[doc]! * 4;
      const title = clauseArticle[at + 2]!;
      if (title === 0 && clauseArticle[at + 1] === 0) clauseArticles.push(at >> 2);
      clauseArticle[at + 2] = title + clauseTitle[doc]! * TITLE_BOOST;
      clauseTitle[doc] = 0;
    }
    paraTouched.clear();
    titleTouched.clear();
    const ords = clauseArticles.ids;
    for (let i = 0; i < clauseArticles.length; i++) {
      const ord = ords[i]!;
      const at = ord * 4;
      const best = clauseArticle[at]!;
      const score = clauseArticle[at + 2]! + best + EXTRA_PARAGRAPHS_WEIGHT * Math.log1p(clauseArticle[at + 1]! - best);
      if (articleMask[ord] === 0) matches.articleTouched.push(ord);
      articleScore[ord] = articleScore[ord]! + score;
      articleMask[ord] = articleMask[ord]! | bit;
      clauseArticle[at] = 0;
      clauseArticle[at + 1] = 0;
      clauseArticle[at + 2] = 0;
    }
    // Narrowed after every clause but the last, and after the last too when exclusions follow (they read `filter`,
    // and an excluded phrase must not spend its check budget on articles that are not hits).
    if (options.requireAll && (c !== order[order.length - 1] || plan.excluded.length > 0)) {
      if (candidates === null) {
        const list = scratch.list('candidates');
        for (let i = 0; i < clauseArticles.length; i++) list.push(clauseArticles.ids[i]!);
        candidates = list.ids.subarray(0, list.length);
        candidateFilter = scratch.bytes('candidateFilter', articleCount);
        for (let i = 0; i < candidates.length; i++) candidateFilter[candidates[i]!] = 1;
      } else {
        // Keep, in place, the candidates that matched this clause too.
        let kept = 0;
        for (let i = 0; i < candidates.length; i++) {
          const ord = candidates[i]!;
          if (matches.articleMask[ord]! & bit) candidates[kept++] = ord;
          else candidateFilter![ord] = 0;
        }
        candidates = candidates.subarray(0, kept);
      }
      candidateDocsFresh = false;
      candidateParaCount = -1;
      filter = candidateFilter;
    }
    clauseArticles.clear();
  }

  if (plan.clauses.length > 1) {
    const bonus = scratch.floats('bonus', articleCount);
    const scale = PASSAGE_WEIGHT / (plan.clauses.length - 1);
    for (let i = 0; i < matches.paraTouched.length; i++) {
      const doc = matches.paraTouched.ids[i]!;
      const together = popCount(matches.paraMask[doc]!);
      if (together < 2) continue;
      const ord = index.paraArticle[doc]!;
      const value = matches.paraScore[doc]! * (together - 1) * scale;
      if (value > bonus[ord]!) bonus[ord] = value;
    }
    for (let i = 0; i < matches.articleTouched.length; i++) {
      const ord = matches.articleTouched.ids[i]!;
      matches.articleScore[ord] = matches.articleScore[ord]! + bonus[ord]!;
      bonus[ord] = 0;
    }
  }

  // Exclusions: any document containing an excluded item (exact form or stem, or the phrase).
  phrases.filter = filter;
  if (plan.excluded.length > 0) matches.excludedAny = true;
  for (const item of plan.excluded) {
    if (item.type === 'phrase') phrases.accumulate(item.forms, clausePara, paraTouched, clauseTitle, titleTouched);
    else {
      for (const e of item.expansions) {
        scorer.accumulate('paragraphs', e.term, 1, clausePara, paraTouched, filter);
        scorer.accumulate('titles', e.term, 1, clauseTitle, titleTouched, filter);
      }
    }
    for (let i = 0; i < paraTouched.length; i++) {
      const doc = paraTouched.ids[i]!;
      matches.paraExcluded[doc] = 1;
      matches.articleExcluded[index.paraArticle[doc]!] = 1;
      matches.excludedTouched.push(doc);
    }
    for (let i = 0; i < titleTouched.length; i++) matches.articleExcluded[index.titleArticle[titleTouched.ids[i]!]!] = 1;
    clear(clausePara, paraTouched);
    clear(clauseTitle, titleTouched);
    paraTouched.clear();
    titleTouched.clear();
  }
  if (candidates !== null) for (let i = 0; i < candidates.length; i++) candidateFilter![candidates[i]!] = 0;
  return matches;
}

/** Sorted document ids with a score each. */
interface Postings {
  docs: Int32Array;
  scores: Float64Array;
}

/**
 * The documents in every list (each sorted ascending), with the sum of their
 * scores. Walks the shortest list and gallops through the others, so a rare
 * word intersected with a very common one costs about the rare word's length.
 */
export function intersect(lists: readonly Postings[]): Postings {
  if (lists.length === 0) return { docs: new Int32Array(0), scores: new Float64Array(0) };
  const sorted = [...lists].sort((a, b) => a.docs.length - b.docs.length);
  const first = sorted[0]!;
  let docs = first.docs;
  let scores = first.scores;
  for (let l = 1; l < sorted.length && docs.length > 0; l++) {
    const other = sorted[l]!;
    const outDocs = new Int32Array(docs.length);
    const outScores = new Float64Array(docs.length);
    let n = 0;
    let j = 0;
    for (let i = 0; i < docs.length; i++) {
      const doc = docs[i]!;
      // Gallop: double the step until past `doc`, then binary search back.
      let step = 1;
      let hi = j;
      while (hi < other.docs.length && other.docs[hi]! < doc) {
        j = hi + 1;
        hi += step;
        step *= 2;
      }
      hi = Math.min(hi, other.docs.length);
      let lo = j;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (other.docs[mid]! < doc) lo = mid + 1;
        else hi = mid;
      }
      j = lo;
      if (j < other.docs.length && other.docs[j] === doc) {
        outDocs[n] = doc;
        outScores[n] = scores[i]! + other.scores[j]!;
        n++;
      }
    }
    docs = outDocs.subarray(0, n);
    scores = outScores.subarray(0, n);
  }
  return { docs, scores };
}

/**
 * Scores phrases: candidates are the documents holding every form of the
 * phrase (exact forms); each candidate's text is re-tokenized (once per query)
 * to check the forms are adjacent and in order. The score is the forms' BM25.
 * The query's budget of checks is shared fairly among its phrases, best-scoring
 * candidates first, and each form's postings are read once per query.
 */
class PhraseChecker {
  private readonly tokens = new Map<string, Token[]>();
  private readonly postings = new Map<string, Postings>();
  private checks = 0;

  constructor(
    private readonly index: ArchiveIndex,
    private readonly scorer: TermScorer,
    /** Articles whose documents may match (null: all); updated between clauses. */
    public filter: Uint8Array | null,
    private readonly matches: QueryMatches,
    /** Phrases in the plan (positive and excluded), to share the budget among them. */
    private readonly phraseCount: number,
  ) {}

  private tokensOf(collection: Collection, doc: number): Token[] {
    const key = `${collection[0]}${doc}`;
    let tokens = this.tokens.get(key);
    if (!tokens) {
      this.checks++;
      const index = this.index;
      const text =
        collection === 'paragraphs'
          ? index.articleList[index.paraArticle[doc]!]!.paragraphs[index.paraIndex[doc]!]!
          : index.articleList[index.titleArticle[doc]!]!.title;
      tokens = tokenize(text);
      this.tokens.set(key, tokens);
    }
    return tokens;
  }

  /**
   * The live documents containing `form` (exact), ascending, with its unweighted
   * BM25 in each; read once per query.
   */
  private postingsOf(collection: Collection, form: string): Postings {
    const key = `${collection[0]}${form}`;
    let entry = this.postings.get(key);
    if (!entry) {
      const size = collection === 'paragraphs' ? this.index.paraArticle.length : this.index.titleArticle.length;
      const single = scratch.floats(`phrase-${collection}`, size);
      const touched = new IdList();
      this.scorer.accumulate(collection, form, 1, single, touched, this.filter);
      const docs = touched.ids.slice(0, touched.length).sort();
      const scores = new Float64Array(docs.length);
      docs.forEach((doc, i) => {
        scores[i] = single[doc]!;
        single[doc] = 0;
      });
      entry = { docs, scores };
      this.postings.set(key, entry);
    }
    return entry;
  }

  /** Adds the phrase's score to each document of each collection where it occurs. */
  accumulate(forms: string[], paraScores: Float64Array, paraTouched: IdList, titleScores: Float64Array, titleTouched: IdList): void {
    const distinct = [...new Set(forms)];
    let found = false;
    let allowance = Math.ceil(MAX_PHRASE_CHECKS / Math.max(1, this.phraseCount));
    // Headlines first: fewer, and boosted, so they get the check budget before paragraphs.
    for (const [collection, scores, touched] of [
      ['titles', titleScores, titleTouched],
      ['paragraphs', paraScores, paraTouched],
    ] as const) {
      // Candidates hold every form: intersect the forms' sorted postings, rarest first.
      const { docs: candidates, scores: candidateScores } = intersect(distinct.map((form) => this.postingsOf(collection, form)));
      const limited = candidates.length > allowance;
      if (limited) this.matches.phraseLimitReached = true;
      const order = limited ? topKByScore(candidateScores, allowance) : Array.from(candidates, (_, i) => i);
      const before = this.checks;
      for (const i of order) {
        const doc = candidates[i]!;
        if (findPhrase(this.tokensOf(collection, doc), forms).length === 0) continue;
        if (scores[doc] === 0) touched.push(doc);
        scores[doc] = scores[doc]! + candidateScores[i]!;
        found = true;
      }
      allowance = Math.max(0, allowance - (this.checks - before));
    }
    if (found) for (const form of distinct) this.matches.matchedTerms.add(form);
  }
}
