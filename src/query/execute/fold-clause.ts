import type { ArchiveIndex } from '../../index/archive-index.js';
import type { IdList } from '../../index/id-list.js';
import type { QueryMatches } from './query-matches.js';
import { EXTRA_PARAGRAPHS_WEIGHT, TITLE_BOOST } from './score-weights.js';

/** The per-clause scratch of `executeQuery`, each array of zeros between clauses. */
export interface ClauseScratch {
  /** A clause's paragraph scores (but the first clause's, scored straight into `matches.paraScore`). */
  clausePara: Float64Array;
  /** A clause's headline scores. */
  clauseTitle: Float64Array;
  /** Per article, side by side (one cache line): [best paragraph, all paragraphs, headline, listed for the clause]. */
  clauseArticle: Float64Array;
  /** The paragraphs and headlines the clause scored. */
  paraTouched: IdList;
  titleTouched: IdList;
  /** The articles the clause matched (cleared by the caller, which reads them first). */
  clauseArticles: IdList;
}

/**
 * Folds one clause's paragraph and headline scores into `matches`: each paragraph's
 * score and mask (`bit`), then each article's score for the clause (headline, best
 * paragraph and a log-damped share of the others), added to its total when the
 * clause is `scoring`. `first`: the clause ran first and scored straight into
 * `matches.paraScore` (`target`; else `target` is `s.clausePara`). Leaves the
 * scratch at zero but `s.clauseArticles`, listing the clause's articles.
 */
export function foldClause(
  index: ArchiveIndex,
  matches: QueryMatches,
  s: ClauseScratch,
  clauseParaTarget: Float64Array,
  bit: number,
  first: boolean,
  scoring: boolean,
): void {
  const { clausePara, clauseTitle, clauseArticle, paraTouched, titleTouched, clauseArticles } = s;
  const paraCount = index.paraArticle.length;
  const { paraScore, paraMask, articleScore, articleMask } = matches;
  const paraArticle = index.paraArticle;
  paraTouched.sortDistinct(paraCount);
  const docs = paraTouched.ids;
  // The first clause's paragraphs are all new: listed at once, masks set without reading them.
  if (first) matches.paraTouched.append(paraTouched);
  for (let i = 0; i < paraTouched.length; i++) {
    const doc = docs[i]!;
    const score = clauseParaTarget[doc]!;
    if (first) paraMask[doc] = bit;
    else {
      clausePara[doc] = 0;
      if (scoring) paraScore[doc] = paraScore[doc]! + score;
      if (paraMask[doc] === 0) matches.paraTouched.push(doc);
      paraMask[doc] = paraMask[doc]! | bit;
    }
    const at = paraArticle[doc]! * 4;
    // Slot 3 marks the article as listed for this clause.
    const total = clauseArticle[at + 1]!;
    if (clauseArticle[at + 3] === 0) {
      clauseArticle[at + 3] = 1;
      clauseArticles.push(at >> 2);
    }
    if (score > clauseArticle[at]!) clauseArticle[at] = score;
    clauseArticle[at + 1] = total + score;
  }
  const titles = titleTouched.ids;
  for (let i = 0; i < titleTouched.length; i++) {
    const doc = titles[i]!;
    const at = index.titleArticle[doc]! * 4;
    const title = clauseArticle[at + 2]!;
    if (clauseArticle[at + 3] === 0) {
      clauseArticle[at + 3] = 1;
      clauseArticles.push(at >> 2);
    }
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
    if (scoring) articleScore[ord] = articleScore[ord]! + score;
    articleMask[ord] = articleMask[ord]! | bit;
    clauseArticle[at] = 0;
    clauseArticle[at + 1] = 0;
    clauseArticle[at + 2] = 0;
    clauseArticle[at + 3] = 0;
  }
}
