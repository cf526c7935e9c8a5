import type { ArchiveIndex } from '../../index/archive-index.js';
import { type ClauseTerm, prepare, titleScore } from './article-cursors.js';
import type { WordTerm } from './one-word-terms.js';
import { scratch } from './query-matches.js';
import { bm25 } from './term-scorer.js';

/** What whole articles of a one-word top-k are scored with (see `scoreOneWordTopK`). */
export interface ArticleScoringContext {
  index: ArchiveIndex;
  /** The word's terms, in the plan's order (each marked `matched` when an article scored holds it). */
  words: readonly WordTerm[];
  /** The typed form's term, if the word has one. */
  exactWord: WordTerm | undefined;
  /** The paragraph scores to set (`matches.paraScore`). */
  paraScore: Float64Array;
  /** Lists a paragraph of an article scored (once). */
  listParagraph: (doc: number) => void;
  /** The score's constants: the headline's weight and that of an article's other paragraphs. */
  titleBoost: number;
  extra: number;
}

/**
 * Forward cursors over every term of a one-word query, paragraphs and headlines, and
 * `score(ord)`, which scores article `ord` from them as the full evaluation does
 * (see the comment inside). `cursors` are to be rewound (`rewind`) before a pass
 * over articles in ascending order.
 */
export function oneWordArticleScorer(ctx: ArticleScoringContext): {
  cursors: ClauseTerm[];
  score: (ord: number) => { score: number; holds: boolean };
} {
  const { index, words, exactWord, paraScore, listParagraph, titleBoost, extra } = ctx;
  const firstPara = index.articleFirstPara;
  const norms = index.paraNorms;
  const articleOf = index.paraArticle;
  // Forward cursors over every term, paragraphs and headlines, to score whole articles in ascending order.
  const cursors: ClauseTerm[] = words.map((w) => ({
    term: w.term,
    paragraphs: w.paragraphs,
    titles: w.titles,
    article: -1,
    inTitle: false,
    matched: false,
  }));
  const touched = scratch.list('oneWordTouched');
  /**
   * Scores article `ord` from every term (paragraphs and headline) as the full evaluation does,
   * setting its paragraphs' scores and masks in `matches`. Returns the score, and sets
   * `scored.holds` to whether the article holds the typed form. Articles are scored in ascending
   * order between two `rewind`s (the cursors move forward only).
   */
  const scored = { score: 0, holds: false };
  const scoreArticle = (ord: number): typeof scored => {
    const first = firstPara[ord]!;
    const end = firstPara[ord + 1]!;
    const sums = scratch.floats('oneWordParagraphs', end - first);
    let holds = false;
    for (let t = 0; t < cursors.length; t++) {
      const term = cursors[t]!;
      prepare(index, term, ord, first, end);
      const cursor = term.paragraphs;
      if (cursor) {
        const { docs, tfs } = cursor.postings;
        for (let i = cursor.from; i < cursor.to; i++) {
          const doc = docs[i]!;
          if (articleOf[doc]! < 0) continue;
          const norm = norms.of(doc);
          const before = sums[doc - first]!;
          if (before === 0) touched.push(doc - first);
          sums[doc - first] = before + bm25(cursor.idf, tfs[i]!, norm);
          words[t]!.matched = true;
          if (words[t] === exactWord) holds = true;
        }
      }
      if (term.inTitle) {
        words[t]!.matched = true;
        if (words[t] === exactWord) holds = true;
      }
    }
    touched.sortDistinct(end - first);
    let top = 0;
    let total = 0;
    for (let i = 0; i < touched.length; i++) {
      const r = touched.ids[i]!;
      const value = sums[r]!;
      sums[r] = 0;
      paraScore[first + r] = value;
      listParagraph(first + r);
      if (value > top) top = value;
      total = total + value;
    }
    touched.clear();
    scored.score = 0 + titleScore(index, cursors, ord) * titleBoost + top + extra * Math.log1p(total - top);
    scored.holds = holds;
    return scored;
  };
  return { cursors, score: scoreArticle };
}
