import type { ArchiveIndex } from '../../index/archive-index.js';
import { windowArticleCounter, windowSpan, type Windows } from './block-windows.js';
import type { WordTerm } from './one-word-terms.js';
import { scratch } from './query-matches.js';
import { bm25 } from './term-scorer.js';

/** What the windows of a one-word top-k are scored and counted with (see `scoreOneWordTopK`). */
export interface WindowContext {
  index: ArchiveIndex;
  windows: Windows;
  /** The dense terms, in the plan's order. */
  dense: readonly WordTerm[];
  /** The typed form's term, if the word has one. */
  exactWord: WordTerm | undefined;
  articleFilter: Uint8Array | null;
  /** The special articles' slots in the rare terms' shares (0: not special). */
  slotOf: Int32Array;
  /** A bit per paragraph matched but not listed (counted apart). */
  unlisted: Int32Array;
  /** The weight of an article's other paragraphs (`EXTRA_PARAGRAPHS_WEIGHT`). */
  extra: number;
  /** The paragraph scores to set (`matches.paraScore`). */
  paraScore: Float64Array;
  /** Lists a paragraph of an article scored (once). */
  listParagraph: (doc: number) => void;
  /** Lists an article scored, with its score and whether it holds the typed form. */
  list: (ord: number, score: number, holdsExact: boolean) => void;
}

/**
 * The windows of a one-word top-k, over the dense terms' postings: `score(i)` scores
 * the articles of window `i` that are not special, from the dense terms' postings,
 * and lists them (their paragraphs summed term by term in the plan's order, each
 * article's total in paragraph order, as the full evaluation sums them); `count(i)`
 * counts, without scoring, the articles of window `i` that are not special and hold
 * a dense term in a live paragraph (returned), and marks all those paragraphs unlisted.
 */
export function oneWordWindows(ctx: WindowContext): { score: (i: number) => void; count: (i: number) => number } {
  const { index, windows, dense, exactWord, articleFilter, slotOf, unlisted, extra, paraScore, listParagraph, list } =
    ctx;
  // A window's paragraph sums (by document − start), the ones set (a bitmap), and those holding the typed form.
  let local = scratch.floats('oneWordLocal', 4096);
  let set = scratch.ints('oneWordSet', 128);
  let typed = scratch.bytes('oneWordTyped', 4096);
  const norms = index.paraNorms;
  const articleOf = index.paraArticle;

  /** Scores the articles of window `i` that are not special, from the dense terms' postings, and lists them. */
  const score = (i: number) => {
    const start = windows.start[i]!;
    const end = windows.end[i]!;
    const length = end - start;
    if (local.length < length) {
      local = scratch.floats('oneWordLocal', length);
      typed = scratch.bytes('oneWordTyped', length);
    }
    if (set.length * 32 < length) set = scratch.ints('oneWordSet', (length >>> 5) + 1);
    for (const word of dense) {
      const cursor = word.paragraphs!;
      const postings = cursor.postings;
      const isTyped = word === exactWord;
      const idf = cursor.idf;
      let matched = false;
      const { from, to } = windowSpan(postings, start, end);
      const { docs, tfs } = postings;
      for (let at = from; at < to; at++) {
        const doc = docs[at]!;
        const ord = articleOf[doc]!;
        if (ord < 0) continue;
        if (articleFilter !== null && articleFilter[ord] === 0) continue;
        if (slotOf[ord] !== 0) {
          // A special article's: counted here, scored (or not) apart.
          unlisted[doc >>> 5] = unlisted[doc >>> 5]! | (1 << (doc & 31));
          continue;
        }
        const r = doc - start;
        const before = local[r]!;
        if (before === 0) set[r >>> 5] = set[r >>> 5]! | (1 << (r & 31));
        local[r] = before + bm25(idf, tfs[at]!, norms.of(doc));
        if (isTyped) typed[r] = 1;
        matched = true;
      }
      if (matched) word.matched = true;
    }
    // In document order: each article's best paragraph, total and whether a paragraph holds the typed form.
    let current = -1;
    let top = 0;
    let total = 0;
    let holds = false;
    const words32 = (length + 31) >>> 5;
    for (let j = 0; j < words32; j++) {
      let bits = set[j]!;
      if (bits === 0) continue;
      set[j] = 0;
      while (bits !== 0) {
        const low = bits & -bits;
        bits ^= low;
        const r = (j << 5) + 31 - Math.clz32(low);
        const ord = articleOf[start + r]!;
        if (ord !== current) {
          if (current >= 0) list(current, 0 + top + extra * Math.log1p(total - top), holds);
          current = ord;
          top = 0;
          total = 0;
          holds = false;
        }
        const value = local[r]!;
        local[r] = 0;
        paraScore[start + r] = value;
        listParagraph(start + r);
        if (typed[r] === 1) {
          typed[r] = 0;
          holds = true;
        }
        if (value > top) top = value;
        total = total + value;
      }
    }
    if (current >= 0) list(current, 0 + top + extra * Math.log1p(total - top), holds);
  };

  const countArticles = windowArticleCounter(index, slotOf, articleFilter, unlisted);
  /** Counts the articles of window `i` that are not special and hold a dense term in a live paragraph, and (all) those paragraphs. */
  const count = (i: number): number =>
    countArticles(
      dense.map((word) => word.paragraphs!.postings),
      windows.start[i]!,
      windows.end[i]!,
    );
  return { score, count };
}
