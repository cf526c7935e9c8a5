import { tokenize } from '../analysis/tokenize.js';
import { findPhrase } from '../analysis/find-phrase.js';
import type { ArchiveIndex } from '../index/archive-index.js';
import type { TermExpansion } from './expand-terms.js';
import { forEachPosting, postingCount } from '../index/packed-term-data.js';

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
 * Calls `visit(shortId, bm25)` for every live document of `collection` containing
 * the index term `term`, with the term's unweighted BM25 score in that document.
 */
export type TermScorer = (collection: Collection, term: string, visit: (shortId: number, score: number) => void) => void;

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
/** Most candidate documents a phrase is checked in (each check re-tokenizes the text). */
export const MAX_PHRASE_CHECKS = 20_000;

// MiniSearch's BM25+ parameters (its defaults), so both paths score alike.
const K = 1.2;
const B = 0.7;
const D = 0.5;

/**
 * The fast scorer: reads MiniSearch's postings directly and computes the same
 * BM25+ as MiniSearch's `search()` would, without building a result object per
 * matching document.
 */
export function createFastScorer(index: ArchiveIndex): TermScorer {
  return (collection, term, visit) => {
    const internals = collection === 'paragraphs' ? index.paraInternals : index.titleInternals;
    const live = collection === 'paragraphs' ? index.paraArticle : index.titleArticle;
    const lengths = collection === 'paragraphs' ? index.paraLength : index.titleLength;
    const data = internals._index.get(term);
    if (!data) return;
    const n = internals._documentCount;
    const df = postingCount(data, 0);
    const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
    const avg = internals._avgFieldLength[0] ?? 1;
    const norm = K * (1 - B);
    const slope = (K * B) / avg;
    forEachPosting(data, 0, (doc, tf) => {
      if (live[doc]! < 0) return;
      visit(doc, idf * (D + (tf * (K + 1)) / (tf + norm + slope * lengths[doc]!)));
    });
  };
}

/**
 * The plain scorer: asks MiniSearch's own `search()` for the term. Slow (one
 * result object per match) but independent of MiniSearch's internals: the test
 * that both scorers give the same hits keeps the fast path honest.
 */
export function createPlainScorer(index: ArchiveIndex): TermScorer {
  const options = { tokenize: (s: string) => [s], processTerm: (t: string) => t };
  return (collection, term, visit) => {
    const miniSearch = collection === 'paragraphs' ? index.paragraphs : index.titles;
    const ids = (collection === 'paragraphs' ? index.paraInternals : index.titleInternals)._idToShortId;
    for (const result of miniSearch.search(term, options)) {
      const shortId = ids.get(result.id as string);
      if (shortId !== undefined) visit(shortId, result.score);
    }
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

  // Scratch arrays for one clause, reset through their touched lists.
  const clausePara = new Float64Array(paraCount);
  const clauseParaTouched: number[] = [];
  const clauseTitle = new Float64Array(articleCount);
  const bestPara = new Float64Array(articleCount);
  const totalPara = new Float64Array(articleCount);
  const clauseArticleSeen = new Uint8Array(articleCount);
  const clauseArticles: number[] = [];

  const visitArticle = (ord: number) => {
    if (!clauseArticleSeen[ord]) {
      clauseArticleSeen[ord] = 1;
      clauseArticles.push(ord);
    }
  };
  const addParagraph = (doc: number, score: number) => {
    const ord = index.paraArticle[doc]!;
    if (articleFilter && !articleFilter[ord]) return;
    if (clausePara[doc] === 0) clauseParaTouched.push(doc);
    clausePara[doc] = clausePara[doc]! + score;
  };
  const addTitle = (doc: number, score: number) => {
    const ord = index.titleArticle[doc]!;
    if (articleFilter && !articleFilter[ord]) return;
    visitArticle(ord);
    clauseTitle[ord] = clauseTitle[ord]! + score * TITLE_BOOST;
  };

  plan.clauses.forEach((clause, c) => {
    const bit = 1 << c;
    for (const item of clause) {
      scoreItem(index, item, scorer, addParagraph, addTitle, matches);
    }
    for (const doc of clauseParaTouched) {
      const s = clausePara[doc]!;
      clausePara[doc] = 0;
      if (matches.paraMask[doc] === 0) matches.paraTouched.push(doc);
      matches.paraScore[doc] = matches.paraScore[doc]! + s;
      matches.paraMask[doc] = matches.paraMask[doc]! | bit;
      const ord = index.paraArticle[doc]!;
      visitArticle(ord);
      if (s > bestPara[ord]!) bestPara[ord] = s;
      totalPara[ord] = totalPara[ord]! + s;
    }
    clauseParaTouched.length = 0;
    for (const ord of clauseArticles) {
      const best = bestPara[ord]!;
      const score = clauseTitle[ord]! + best + EXTRA_PARAGRAPHS_WEIGHT * Math.log1p(totalPara[ord]! - best);
      if (matches.articleMask[ord] === 0) matches.articleTouched.push(ord);
      matches.articleScore[ord] = matches.articleScore[ord]! + score;
      matches.articleMask[ord] = matches.articleMask[ord]! | bit;
      clauseTitle[ord] = 0;
      bestPara[ord] = 0;
      totalPara[ord] = 0;
      clauseArticleSeen[ord] = 0;
    }
    clauseArticles.length = 0;
  });

  if (plan.clauses.length > 1) {
    const bonus = new Float64Array(articleCount);
    const scale = PASSAGE_WEIGHT / (plan.clauses.length - 1);
    for (const doc of matches.paraTouched) {
      const together = popCount(matches.paraMask[doc]!);
      if (together < 2) continue;
      const ord = index.paraArticle[doc]!;
      const value = matches.paraScore[doc]! * (together - 1) * scale;
      if (value > bonus[ord]!) bonus[ord] = value;
    }
    for (const ord of matches.articleTouched) matches.articleScore[ord] = matches.articleScore[ord]! + bonus[ord]!;
  }

  const ignoreScores = { ...matches, matchedTerms: new Set<string>() };
  for (const item of plan.excluded) {
    scoreItem(
      index,
      item,
      scorer,
      (doc) => {
        matches.paraExcluded[doc] = 1;
        matches.articleExcluded[index.paraArticle[doc]!] = 1;
      },
      (doc) => {
        matches.articleExcluded[index.titleArticle[doc]!] = 1;
      },
      ignoreScores,
    );
  }
  return matches;
}

type Visit = (shortId: number, score: number) => void;

function scoreItem(
  index: ArchiveIndex,
  item: CompiledItem,
  scorer: TermScorer,
  addParagraph: Visit,
  addTitle: Visit,
  matches: QueryMatches,
): void {
  if (item.type === 'word') {
    for (const expansion of item.expansions) {
      let matched = false;
      const weight = expansion.weight;
      scorer('paragraphs', expansion.term, (doc, score) => {
        matched = true;
        addParagraph(doc, score * weight);
      });
      scorer('titles', expansion.term, (doc, score) => {
        matched = true;
        addTitle(doc, score * weight);
      });
      if (matched) matches.matchedTerms.add(expansion.term);
    }
    return;
  }
  const texts = {
    paragraphs: (doc: number) => index.articleList[index.paraArticle[doc]!]!.paragraphs[index.paraIndex[doc]!]!,
    titles: (doc: number) => index.articleList[index.titleArticle[doc]!]!.title,
  };
  const forms = [...new Set(item.forms)];
  for (const collection of ['paragraphs', 'titles'] as const) {
    // Candidates contain every form of the phrase; the score is their exact-form BM25.
    const scores = new Map<number, number>();
    const counts = new Map<number, number>();
    for (const form of forms) {
      scorer(collection, form, (doc, score) => {
        counts.set(doc, (counts.get(doc) ?? 0) + 1);
        scores.set(doc, (scores.get(doc) ?? 0) + score);
      });
    }
    let checks = 0;
    let found = false;
    for (const [doc, count] of counts) {
      if (count !== forms.length) continue;
      if (++checks > MAX_PHRASE_CHECKS) {
        matches.phraseLimitReached = true;
        break;
      }
      if (findPhrase(tokenize(texts[collection](doc)), item.forms).length === 0) continue;
      found = true;
      (collection === 'paragraphs' ? addParagraph : addTitle)(doc, scores.get(doc)!);
    }
    if (found) for (const form of forms) matches.matchedTerms.add(form);
  }
}
