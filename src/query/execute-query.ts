import { tokenize, type Token } from '../analysis/tokenize.js';
import { findPhrase } from '../analysis/find-phrase.js';
import type { ArchiveIndex } from '../index/archive-index.js';
import type { TermExpansion } from './expand-terms.js';
import { forEachPosting, PackedTermData, postingCount } from '../index/packed-term-data.js';

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
 * `touched`, and returns whether any document matched.
 */
export interface TermScorer {
  accumulate(
    collection: Collection,
    term: string,
    weight: number,
    scores: Float64Array,
    touched: number[],
    filter: Uint8Array | null,
  ): boolean;
}

/** Headline matches count this much more than the same match in a paragraph. */
export const TITLE_BOOST = 2;
/** How much an article's other matching paragraphs add, on a log scale, beyond its best one. */
export const EXTRA_PARAGRAPHS_WEIGHT = 0.25;
/**
 * Passage bonus: an article gains this share of its best paragraph's score when
 * that paragraph holds several query clauses (scaled by how many): terms that
 * occur together in one paragraph say more than the same terms scattered.
 */
export const PASSAGE_WEIGHT = 0.5;
/**
 * Most documents whose text a query re-tokenizes to check its phrases, over all
 * its phrases (each document once). Bounds a query of many common phrases; past
 * it, unchecked candidates are left out and the result says so.
 */
export const MAX_PHRASE_CHECKS = 5_000;

// MiniSearch's BM25+ parameters (its defaults), so both paths score alike.
const K = 1.2;
const B = 0.7;
const D = 0.5;

function collectionTables(index: ArchiveIndex, collection: Collection) {
  return collection === 'paragraphs'
    ? { internals: index.paraInternals, live: index.paraArticle, lengths: index.paraLength }
    : { internals: index.titleInternals, live: index.titleArticle, lengths: index.titleLength };
}

/**
 * The fast scorer: reads MiniSearch's postings directly (packed arrays when
 * untouched, Maps otherwise) and computes the same BM25+ as MiniSearch's
 * `search()`, in a tight loop with no object per matching document.
 */
export function createFastScorer(index: ArchiveIndex): TermScorer {
  return {
    accumulate(collection, term, weight, scores, touched, filter) {
      const { internals, live, lengths } = collectionTables(index, collection);
      const data = internals._index.get(term);
      if (!data) return false;
      const n = internals._documentCount;
      const df = postingCount(data, 0);
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5)) * weight;
      const avg = internals._avgFieldLength[0] ?? 1;
      const norm = K * (1 - B);
      const slope = (K * B) / avg;
      let matched = false;
      if (data instanceof PackedTermData && data.docs && data.tfs) {
        const { docs, tfs } = data;
        for (let i = 0; i < docs.length; i++) {
          const doc = docs[i]!;
          const ord = live[doc]!;
          if (ord < 0 || (filter !== null && filter[ord] === 0)) continue;
          const tf = tfs[i]!;
          const before = scores[doc]!;
          if (before === 0) touched.push(doc);
          scores[doc] = before + idf * (D + (tf * (K + 1)) / (tf + norm + slope * lengths[doc]!));
          matched = true;
        }
        return matched;
      }
      forEachPosting(data, 0, (doc, tf) => {
        const ord = live[doc]!;
        if (ord < 0 || (filter !== null && filter[ord] === 0)) return;
        const before = scores[doc]!;
        if (before === 0) touched.push(doc);
        scores[doc] = before + idf * (D + (tf * (K + 1)) / (tf + norm + slope * lengths[doc]!));
        matched = true;
      });
      return matched;
    },
  };
}

/**
 * The plain scorer: asks MiniSearch's own `search()` for the term. Slow (one
 * result object per match) but independent of MiniSearch's internals: the test
 * that both scorers give the same hits keeps the fast path honest.
 */
export function createPlainScorer(index: ArchiveIndex): TermScorer {
  const options = { tokenize: (s: string) => [s], processTerm: (t: string) => t };
  return {
    accumulate(collection, term, weight, scores, touched, filter) {
      const miniSearch = collection === 'paragraphs' ? index.paragraphs : index.titles;
      const { internals, live } = collectionTables(index, collection);
      let matched = false;
      for (const result of miniSearch.search(term, options)) {
        const doc = internals._idToShortId.get(result.id as string);
        if (doc === undefined) continue;
        const ord = live[doc]!;
        if (ord < 0 || (filter !== null && filter[ord] === 0)) continue;
        if (scores[doc] === 0) touched.push(doc);
        scores[doc] = scores[doc]! + result.score * weight;
        matched = true;
      }
      return matched;
    },
  };
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
  paraTouched: number[];
  /** Article ordinal → score from its headline, its best paragraphs and the passage bonus (before the clause-count factor). */
  articleScore: Float64Array;
  /** Article ordinal → bit i set when clause i matched in the headline or any paragraph. */
  articleMask: Uint32Array;
  articleTouched: number[];
  /** Paragraph short id → 1 when it contains an excluded item. */
  paraExcluded: Uint8Array;
  /** Article ordinal → 1 when its headline or a paragraph contains an excluded item. */
  articleExcluded: Uint8Array;
  /** Index terms that matched at least one live document (for highlighting). */
  matchedTerms: Set<string>;
  /** True when a phrase had more candidates than {@link MAX_PHRASE_CHECKS}; the rest were not checked. */
  phraseLimitReached: boolean;
}

/** Number of set bits. */
export function popCount(mask: number): number {
  let m = mask - ((mask >>> 1) & 0x55555555);
  m = (m & 0x33333333) + ((m >>> 2) & 0x33333333);
  return (((m + (m >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Zero-filled scratch arrays, reused across queries (one query runs at a time on a thread). */
class Scratch {
  private cache = new Map<string, Float64Array>();

  /** A zeroed Float64Array of `size` for `name`; the caller must zero what it touched before the next query. */
  floats(name: string, size: number): Float64Array {
    let array = this.cache.get(name);
    if (!array || array.length < size) {
      array = new Float64Array(size);
      this.cache.set(name, array);
    }
    return array;
  }
}

const scratch = new Scratch();

/** Sets `array[i]` back to 0 for each listed index. */
function clear(array: Float64Array, touched: readonly number[]): void {
  for (const i of touched) array[i] = 0;
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
): QueryMatches {
  const paraCount = index.paraArticle.length;
  const titleCount = index.titleArticle.length;
  const articleCount = index.articleList.length;
  const matches: QueryMatches = {
    clauseCount: plan.clauses.length,
    paraScore: new Float64Array(paraCount),
    paraMask: new Uint32Array(paraCount),
    paraTouched: [],
    articleScore: new Float64Array(articleCount),
    articleMask: new Uint32Array(articleCount),
    articleTouched: [],
    paraExcluded: new Uint8Array(paraCount),
    articleExcluded: new Uint8Array(articleCount),
    matchedTerms: new Set(),
    phraseLimitReached: false,
  };
  const phrases = new PhraseChecker(index, scorer, articleFilter, matches);

  // Per clause: paragraph and headline scores, then per article the best paragraph and the total.
  const clausePara = scratch.floats('clausePara', paraCount);
  const clauseTitle = scratch.floats('clauseTitle', titleCount);
  const bestPara = scratch.floats('bestPara', articleCount);
  const totalPara = scratch.floats('totalPara', articleCount);
  const titleScore = scratch.floats('titleScore', articleCount);
  const paraTouched: number[] = [];
  const titleTouched: number[] = [];
  const clauseArticles: number[] = [];

  plan.clauses.forEach((clause, c) => {
    const bit = 1 << c;
    for (const item of clause) {
      if (item.type === 'word') {
        for (const e of item.expansions) {
          const inParagraphs = scorer.accumulate('paragraphs', e.term, e.weight, clausePara, paraTouched, articleFilter);
          const inTitles = scorer.accumulate('titles', e.term, e.weight, clauseTitle, titleTouched, articleFilter);
          if (inParagraphs || inTitles) matches.matchedTerms.add(e.term);
        }
      } else {
        phrases.accumulate(item.forms, clausePara, paraTouched, clauseTitle, titleTouched);
      }
    }
    for (const doc of paraTouched) {
      const score = clausePara[doc]!;
      clausePara[doc] = 0;
      if (matches.paraMask[doc] === 0) matches.paraTouched.push(doc);
      matches.paraScore[doc] = matches.paraScore[doc]! + score;
      matches.paraMask[doc] = matches.paraMask[doc]! | bit;
      const ord = index.paraArticle[doc]!;
      if (bestPara[ord] === 0 && totalPara[ord] === 0 && titleScore[ord] === 0) clauseArticles.push(ord);
      if (score > bestPara[ord]!) bestPara[ord] = score;
      totalPara[ord] = totalPara[ord]! + score;
    }
    for (const doc of titleTouched) {
      const ord = index.titleArticle[doc]!;
      if (bestPara[ord] === 0 && totalPara[ord] === 0 && titleScore[ord] === 0) clauseArticles.push(ord);
      titleScore[ord] = titleScore[ord]! + clauseTitle[doc]! * TITLE_BOOST;
      clauseTitle[doc] = 0;
    }
    paraTouched.length = 0;
    titleTouched.length = 0;
    for (const ord of clauseArticles) {
      const best = bestPara[ord]!;
      const score = titleScore[ord]! + best + EXTRA_PARAGRAPHS_WEIGHT * Math.log1p(totalPara[ord]! - best);
      if (matches.articleMask[ord] === 0) matches.articleTouched.push(ord);
      matches.articleScore[ord] = matches.articleScore[ord]! + score;
      matches.articleMask[ord] = matches.articleMask[ord]! | bit;
      titleScore[ord] = 0;
      bestPara[ord] = 0;
      totalPara[ord] = 0;
    }
    clauseArticles.length = 0;
  });

  if (plan.clauses.length > 1) {
    const bonus = scratch.floats('bonus', articleCount);
    const scale = PASSAGE_WEIGHT / (plan.clauses.length - 1);
    for (const doc of matches.paraTouched) {
      const together = popCount(matches.paraMask[doc]!);
      if (together < 2) continue;
      const ord = index.paraArticle[doc]!;
      const value = matches.paraScore[doc]! * (together - 1) * scale;
      if (value > bonus[ord]!) bonus[ord] = value;
    }
    for (const ord of matches.articleTouched) {
      matches.articleScore[ord] = matches.articleScore[ord]! + bonus[ord]!;
      bonus[ord] = 0;
    }
  }

  // Exclusions: any document containing an excluded item (exact form or stem, or the phrase).
  for (const item of plan.excluded) {
    if (item.type === 'phrase') phrases.accumulate(item.forms, clausePara, paraTouched, clauseTitle, titleTouched);
    else {
      for (const e of item.expansions) {
        scorer.accumulate('paragraphs', e.term, 1, clausePara, paraTouched, articleFilter);
        scorer.accumulate('titles', e.term, 1, clauseTitle, titleTouched, articleFilter);
      }
    }
    for (const doc of paraTouched) {
      matches.paraExcluded[doc] = 1;
      matches.articleExcluded[index.paraArticle[doc]!] = 1;
    }
    for (const doc of titleTouched) matches.articleExcluded[index.titleArticle[doc]!] = 1;
    clear(clausePara, paraTouched);
    clear(clauseTitle, titleTouched);
    paraTouched.length = 0;
    titleTouched.length = 0;
  }
  return matches;
}

/**
 * Scores phrases: candidates are the documents holding every form of the
 * phrase (exact forms); each candidate's text is re-tokenized (once per query)
 * to check the forms are adjacent and in order. The score is the forms' BM25.
 */
class PhraseChecker {
  private readonly tokens = new Map<string, Token[]>();
  private checks = 0;

  constructor(
    private readonly index: ArchiveIndex,
    private readonly scorer: TermScorer,
    private readonly filter: Uint8Array | null,
    private readonly matches: QueryMatches,
  ) {}

  private tokensOf(collection: Collection, doc: number): Token[] | null {
    const key = `${collection[0]}${doc}`;
    let tokens = this.tokens.get(key);
    if (tokens) return tokens;
    if (this.checks >= MAX_PHRASE_CHECKS) {
      this.matches.phraseLimitReached = true;
      return null;
    }
    this.checks++;
    const index = this.index;
    const text =
      collection === 'paragraphs'
        ? index.articleList[index.paraArticle[doc]!]!.paragraphs[index.paraIndex[doc]!]!
        : index.articleList[index.titleArticle[doc]!]!.title;
    tokens = tokenize(text);
    this.tokens.set(key, tokens);
    return tokens;
  }

  /** Adds the phrase's score to each document of each collection where it occurs. */
  accumulate(forms: string[], paraScores: Float64Array, paraTouched: number[], titleScores: Float64Array, titleTouched: number[]): void {
    const distinct = [...new Set(forms)];
    let found = false;
    for (const [collection, scores, touched] of [
      ['paragraphs', paraScores, paraTouched],
      ['titles', titleScores, titleTouched],
    ] as const) {
      const size = collection === 'paragraphs' ? this.index.paraArticle.length : this.index.titleArticle.length;
      // Sum of the forms' scores per document, and how many forms each holds.
      const sums = scratch.floats(`phrase-sums-${collection}`, size);
      const counts = scratch.floats(`phrase-counts-${collection}`, size);
      const single = scratch.floats(`phrase-${collection}`, size);
      const singleTouched: number[] = [];
      const seen: number[] = [];
      for (const form of distinct) {
        this.scorer.accumulate(collection, form, 1, single, singleTouched, this.filter);
        for (const doc of singleTouched) {
          if (counts[doc] === 0) seen.push(doc);
          counts[doc] = counts[doc]! + 1;
          sums[doc] = sums[doc]! + single[doc]!;
          single[doc] = 0;
        }
        singleTouched.length = 0;
      }
      for (const doc of seen) {
        const complete = counts[doc] === distinct.length;
        const sum = sums[doc]!;
        counts[doc] = 0;
        sums[doc] = 0;
        if (!complete) continue;
        const tokens = this.tokensOf(collection, doc);
        if (!tokens || findPhrase(tokens, forms).length === 0) continue;
        if (scores[doc] === 0) touched.push(doc);
        scores[doc] = scores[doc]! + sum;
        found = true;
      }
    }
    if (found) for (const form of distinct) this.matches.matchedTerms.add(form);
  }
}
