import type { ArchiveIndex } from '../../index/archive-index.js';
import { popCount } from '../../pop-count.js';
import type { Cursor } from './article-cursors.js';
import { windowArticleCounter, windowSpan, type Windows } from './block-windows.js';
import type { QueryMatches } from './query-matches.js';
import { scratch } from './query-matches.js';
import { bm25 } from './term-scorer.js';

/** A dense term of an any-word top-k: its paragraph cursor, and whether an article scored holds it. */
export interface DenseTerm {
  term: string;
  paragraphs: Cursor;
  matched: boolean;
}

/** What the windows of an any-word top-k are scored with (see `scoreAnyWordTopK`). */
export interface AnyWordWindowContext {
  index: ArchiveIndex;
  windows: Windows;
  /** Per clause, in the order the full evaluation runs them: its dense terms, in the plan's order. */
  dense: readonly (readonly DenseTerm[])[];
  /** The bit of each clause of `dense` (`1 << clause`). */
  bits: readonly number[];
  articleFilter: Uint8Array | null;
  /** The special articles' slots (0: not special: scored here). */
  slotOf: Int32Array;
  matches: QueryMatches;
  /** The weight of an article's other paragraphs (`EXTRA_PARAGRAPHS_WEIGHT`) and of the passage bonus (`PASSAGE_WEIGHT`). */
  extra: number;
  passage: number;
  /** Called with each article scored and its score. */
  scored: (ord: number, score: number) => void;
  /** The `k`-th best score so far: an article whose bound is below it is left out. */
  threshold: () => number;
  /** A bit per matching paragraph read here (listed or not: those listed are cleared by the caller). */
  unlisted: Int32Array;
}

/**
 * Scores the articles of window `i` that are not special (they hold no headline match and no
 * sparse term: only the dense terms' postings make their scores), streaming the dense terms'
 * postings of the window into a small array per clause: each paragraph's score summed clause by
 * clause (each clause term by term, in the plan's order), per clause its best paragraph and total
 * (in paragraph order), then the passage bonus, as the full evaluation sums them, so the scores are
 * equal to the last bit. An article is listed in `matches` with its paragraphs (scores and masks)
 * only when its score reaches the `k`-th best so far (`threshold`): one below it cannot reach the
 * page, and is counted only (most articles of a window hold one common word of the query). Returns
 * how many articles were counted and not listed.
 */
export function anyWordWindowScorer(ctx: AnyWordWindowContext): {
  score: (i: number) => number;
  count: (i: number) => number;
} {
  const { index, windows, dense, bits, articleFilter, slotOf, matches, extra, passage, scored, threshold, unlisted } =
    ctx;
  const clauses = dense.length;
  const norms = index.paraNorms;
  const articleOf = index.paraArticle;
  const { paraScore, paraMask, paraTouched, articleScore, articleMask, articleTouched } = matches;
  const scale = passage / (clauses - 1);
  const best = new Float64Array(clauses);
  const total = new Float64Array(clauses);
  // Per clause, a window's paragraph sums (at clause · length + document − start); the paragraphs'
  // clause bits; the paragraphs set (a bitmap).
  let local = scratch.floats('anyWordWindowLocal', 4096 * clauses);
  let held = scratch.ints('anyWordWindowHeld', 4096);
  let set = scratch.ints('anyWordWindowSet', 128);
  // The current article's paragraphs (document − start), their scores and clause bits, until it is listed or not.
  let paragraphs = scratch.ints('anyWordWindowParagraphs', 4096);
  let values = scratch.floats('anyWordWindowValues', 4096);
  let masks = scratch.ints('anyWordWindowMasks', 4096);

  let start = 0;
  let current = -1;
  let mask = 0;
  let bonus = 0;
  let kept = 0;
  let left = 0;
  /** Ends the current article: its score, then its listing if the score reaches the k-th best. */
  const finish = () => {
    let score = 0;
    for (let j = 0; j < clauses; j++) {
      const bit = bits[j]!;
      if ((mask & bit) === 0) continue;
      const top = best[j]!;
      score = score + (0 + top + extra * Math.log1p(total[j]! - top));
      best[j] = 0;
      total[j] = 0;
    }
    score = score + bonus;
    if (score < threshold()) {
      left++;
      return;
    }
    for (let q = 0; q < kept; q++) {
      const doc = start + paragraphs[q]!;
      paraScore[doc] = values[q]!;
      paraMask[doc] = masks[q]!;
      paraTouched.push(doc);
    }
    articleScore[current] = score;
    articleMask[current] = mask;
    articleTouched.push(current);
    scored(current, score);
  };

  const score = (i: number): number => {
    start = windows.start[i]!;
    const end = windows.end[i]!;
    const length = end - start;
    if (held.length < length) {
      local = scratch.floats('anyWordWindowLocal', length * clauses);
      held = scratch.ints('anyWordWindowHeld', length);
      paragraphs = scratch.ints('anyWordWindowParagraphs', length);
      values = scratch.floats('anyWordWindowValues', length);
      masks = scratch.ints('anyWordWindowMasks', length);
    }
    if (local.length < length * clauses) local = scratch.floats('anyWordWindowLocal', length * clauses);
    if (set.length * 32 < length) set = scratch.ints('anyWordWindowSet', (length >>> 5) + 1);
    for (let j = 0; j < clauses; j++) {
      const bit = bits[j]!;
      const base = j * length;
      for (const term of dense[j]!) {
        const cursor = term.paragraphs;
        const postings = cursor.postings;
        const idf = cursor.idf;
        let matched = false;
        const { from, to } = windowSpan(postings, start, end);
        const { docs, tfs } = postings;
        for (let at = from; at < to; at++) {
          const doc = docs[at]!;
          const ord = articleOf[doc]!;
          if (ord < 0) continue;
          if (articleFilter !== null && articleFilter[ord] === 0) continue;
          // Every matching paragraph is marked; those listed are cleared at the end. A special article's is scored (or not) apart.
          unlisted[doc >>> 5] = unlisted[doc >>> 5]! | (1 << (doc & 31));
          if (slotOf[ord] !== 0) continue;
          const r = doc - start;
          const was = held[r]!;
          if (was === 0) set[r >>> 5] = set[r >>> 5]! | (1 << (r & 31));
          held[r] = was | bit;
          local[base + r] = local[base + r]! + bm25(idf, tfs[at]!, norms.of(doc));
          matched = true;
        }
        if (matched) term.matched = true;
      }
    }
    // In document order: each paragraph's score and bits, each article's clauses and bonus.
    current = -1;
    left = 0;
    const words32 = (length + 31) >>> 5;
    for (let w = 0; w < words32; w++) {
      let word = set[w]!;
      if (word === 0) continue;
      set[w] = 0;
      while (word !== 0) {
        const low = word & -word;
        word ^= low;
        const r = (w << 5) + 31 - Math.clz32(low);
        const ord = articleOf[start + r]!;
        if (ord !== current) {
          if (current >= 0) finish();
          current = ord;
          mask = 0;
          bonus = 0;
          kept = 0;
        }
        const paraBits = held[r]!;
        held[r] = 0;
        let value = 0;
        for (let j = 0; j < clauses; j++) {
          if ((paraBits & bits[j]!) === 0) continue;
          const v = local[j * length + r]!;
          local[j * length + r] = 0;
          value = value + v;
          if (v > best[j]!) best[j] = v;
          total[j] = total[j]! + v;
        }
        paragraphs[kept] = r;
        values[kept] = value;
        masks[kept++] = paraBits;
        mask |= paraBits;
        const together = popCount(paraBits & matches.scoringBits);
        if (together >= 2) {
          const b = value * (together - 1) * scale;
          if (b > bonus) bonus = b;
        }
      }
    }
    if (current >= 0) finish();
    return left;
  };

  const countArticles = windowArticleCounter(index, slotOf, articleFilter, unlisted);
  /** Counts, without scoring, the articles of window `i` that are not special and hold a dense term in a live paragraph (returned), and marks all those paragraphs in `unlisted`. */
  const count = (i: number): number =>
    countArticles(
      dense.flatMap((clause) => clause.map((term) => term.paragraphs.postings)),
      windows.start[i]!,
      windows.end[i]!,
    );
  return { score, count };
}
