/**
 * Whole-article evidence beside the best passage (Callan, "Passage-level evidence
 * in document retrieval", SIGIR 1994; Kaszkiel and Zobel's passage studies): the
 * engine scores paragraphs, and an article first ranks by its best paragraph (plus
 * its headline and a little for its other paragraphs); here the best of those
 * articles are scored again as one document — BM25 over the headline and every
 * paragraph together, its term frequencies summed and its length normalised by the
 * average article — and that score is added to theirs. A long article that
 * speaks of the query's subject all along then outranks one with a single short
 * paragraph that names it, as a document-level engine (SQLite FTS5) would rank them.
 *
 * Runs after per-paragraph scoring, on the first {@link ARTICLE_EVIDENCE_DEPTH}
 * articles only. The added score is never negative, so every rescored article
 * stays above the articles past the depth (scored by their passages alone, which
 * were already lower): pages stay consistent.
 */
import type { ArchiveIndex } from '../../index/archive-index.js';
import { BM25 } from '../../index/bm25.js';
import type { QueryPlan } from './execute-query.js';
import { termIdf } from './term-idf.js';
import type { TermScorer } from './term-scorer.js';

/**
 * Articles rescored with their whole-article evidence (the best by passage score). 30 rather than 100: the
 * same nDCG@10 (GM 1.064 against 1.062) for a p99 a fifth lower at 1× (`bench/results/RELEVANCE.md`, row 28).
 */
export const ARTICLE_EVIDENCE_DEPTH = 30;
/**
 * Weight of the whole-article BM25 score added to the passage-based one: the article as a whole counts twice
 * its best passage (1 and 4 measured too: `bench/RELEVANCE.md`).
 */
export const ARTICLE_EVIDENCE_WEIGHT = 2;

/** One index term of the plan and the weight its BM25 score is multiplied by. */
interface WeightedTerm {
  term: string;
  weight: number;
}

/** The plan's word terms (every expansion of every positive word; phrases and proximity left to the passages), merged by term. */
function planTerms(plan: QueryPlan, scoringBits: number): WeightedTerm[] {
  const weights = new Map<string, number>();
  plan.clauses.forEach((clause, c) => {
    if (((scoringBits >>> c) & 1) === 0) return;
    for (const item of clause) {
      if (item.type !== 'word') continue;
      for (const e of item.expansions) weights.set(e.term, (weights.get(e.term) ?? 0) + e.weight);
    }
  });
  return [...weights].map(([term, weight]) => ({ term, weight }));
}

/**
 * The whole-article BM25 score of each of `ords` (article ordinals) for the plan's
 * word terms: per term, `weight · idf · tf (k1 + 1) / (tf + k1 (1 − b + b · length / average))`
 * with `tf` summed over the headline and the live paragraphs, `length` the article's
 * tokens, and the IDF of the paragraph collection (an article's document frequency
 * is not kept; a term's spread over paragraphs ranks terms nearly alike).
 * Returns one score per ordinal, in order (0 for an article with none of the terms).
 */
export function articleScores(
  index: ArchiveIndex,
  plan: QueryPlan,
  scorer: TermScorer,
  ords: readonly number[],
  scoringBits = 0xffffffff,
): Float64Array {
  const scores = new Float64Array(ords.length);
  const terms = planTerms(plan, scoringBits);
  if (terms.length === 0 || ords.length === 0) return scores;
  // The candidates' paragraphs and headlines, ascending (as `frequenciesAt` wants), with the slot of their article.
  const byOrd = ords.map((ord, slot) => ({ ord, slot })).sort((a, b) => a.ord - b.ord);
  const titles = new Int32Array(byOrd.map((e) => e.ord));
  const titleSlot = byOrd.map((e) => e.slot);
  const paras: number[] = [];
  const paraSlot: number[] = [];
  const lengths = new Float64Array(ords.length);
  for (const { ord, slot } of byOrd) {
    let length = index.titleLength[ord] ?? 0;
    for (let doc = index.articleFirstPara[ord]!; doc < index.articleFirstPara[ord + 1]!; doc++) {
      if (index.paraArticle[doc]! < 0) continue;
      paras.push(doc);
      paraSlot.push(slot);
      length += index.paraLength[doc]!;
    }
    lengths[slot] = length;
  }
  const paraDocs = Int32Array.from(paras);
  const average = index.averageArticleLength > 0 ? index.averageArticleLength : 1;
  const norms = lengths.map((length) => BM25.k * (1 - BM25.b + (BM25.b * length) / average));
  const paraTf = new Float64Array(paraDocs.length);
  const titleTf = new Float64Array(titles.length);
  const articleTf = new Float64Array(ords.length);
  const paragraphCount = index.liveDocumentCount('paragraphs');
  const articleCount = index.liveDocumentCount('titles');
  for (const { term, weight } of terms) {
    paraTf.fill(0);
    titleTf.fill(0);
    articleTf.fill(0);
    scorer.frequenciesAt('paragraphs', term, paraDocs, paraDocs.length, paraTf);
    scorer.frequenciesAt('titles', term, titles, titles.length, titleTf);
    for (let i = 0; i < paraTf.length; i++) articleTf[paraSlot[i]!] = articleTf[paraSlot[i]!]! + paraTf[i]!;
    for (let i = 0; i < titleTf.length; i++) articleTf[titleSlot[i]!] = articleTf[titleSlot[i]!]! + titleTf[i]!;
    const df = scorer.documentCount('paragraphs', term);
    const idf =
      df > 0 ? termIdf(paragraphCount, df) : termIdf(articleCount, Math.max(1, scorer.documentCount('titles', term)));
    for (let slot = 0; slot < ords.length; slot++) {
      const tf = articleTf[slot]!;
      if (tf > 0) scores[slot] = scores[slot]! + weight * idf * ((tf * (BM25.k + 1)) / (tf + norms[slot]!));
    }
  }
  return scores;
}

/**
 * Reorders the best articles with their whole-article evidence: the first
 * {@link ARTICLE_EVIDENCE_DEPTH} of `top` (best first by `articleScore`) each gain
 * {@link ARTICLE_EVIDENCE_WEIGHT} × their {@link articleScores}, written into
 * `articleScore`, and are sorted again (ties by ordinal); the rest follow unchanged.
 * `recency`, when given, scales the evidence by the article's age factor as its other scores were (`recency.ts`).
 */
export function rescoreWithArticleEvidence(
  index: ArchiveIndex,
  plan: QueryPlan,
  scorer: TermScorer,
  top: readonly number[],
  articleScore: Float64Array,
  scoringBits = 0xffffffff,
  recency: ((time: number) => number) | null = null,
): number[] {
  const head = top.slice(0, ARTICLE_EVIDENCE_DEPTH);
  const evidence = articleScores(index, plan, scorer, head, scoringBits);
  head.forEach((ord, i) => {
    const factor = recency ? recency(index.articleTime[ord]!) : 1;
    articleScore[ord] = articleScore[ord]! + ARTICLE_EVIDENCE_WEIGHT * evidence[i]! * factor;
  });
  head.sort((a, b) => articleScore[b]! - articleScore[a]! || a - b);
  return [...head, ...top.slice(ARTICLE_EVIDENCE_DEPTH)];
}
