import type { ArchiveIndex } from '../../index/archive-index.js';
import { popCount } from '../../pop-count.js';
import type { Cursor } from './article-cursors.js';
import { windowSpan, type Windows } from './block-windows.js';
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
}

/**
 * Scores the articles of window `i` that are not special (they hold no headline match and no
 * sparse term: only the dense terms' postings make their scores), streaming the dense terms'
 * postings of the window into a small array per clause, and lists them and their paragraphs in
 * `matches`: each paragraph's score summed clause by clause (each clause term by term, in the
 * plan's order), per clause its best paragraph and total (in paragraph order), then the passage
 * bonus, as the full evaluation sums them, so the scores are equal to the last bit.
 */
export function anyWordWindowScorer(ctx: AnyWordWindowContext): (i: number) => void {
  const { index, windows, dense, bits, articleFilter, slotOf, matches, extra, passage, scored } = ctx;
  const clauses = dense.length;
  const norms = index.paraNorm;
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

  let current = -1;
  let mask = 0;
  let bonus = 0;
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
    articleScore[current] = score;
    articleMask[current] = mask;
    articleTouched.push(current);
    scored(current, score);
  };

  return (i: number) => {
    const start = windows.start[i]!;
    const end = windows.end[i]!;
    const length = end - start;
    if (held.length < length) {
      local = scratch.floats('anyWordWindowLocal', length * clauses);
      held = scratch.ints('anyWordWindowHeld', length);
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
          const norm = norms[doc]!;
          if (!(norm >= 0)) continue;
          const ord = articleOf[doc]!;
          if (slotOf[ord] !== 0 || (articleFilter !== null && articleFilter[ord] === 0)) continue;
          const r = doc - start;
          const was = held[r]!;
          if (was === 0) set[r >>> 5] = set[r >>> 5]! | (1 << (r & 31));
          held[r] = was | bit;
          local[base + r] = local[base + r]! + bm25(idf, tfs[at]!, norm);
          matched = true;
        }
        if (matched) term.matched = true;
      }
    }
    // In document order: each paragraph's score and bits, each article's clauses and bonus.
    current = -1;
    const words32 = (length + 31) >>> 5;
    for (let w = 0; w < words32; w++) {
      let word = set[w]!;
      if (word === 0) continue;
      set[w] = 0;
      while (word !== 0) {
        const low = word & -word;
        word ^= low;
        const r = (w << 5) + 31 - Math.clz32(low);
        const doc = start + r;
        const ord = articleOf[doc]!;
        if (ord !== current) {
          if (current >= 0) finish();
          current = ord;
          mask = 0;
          bonus = 0;
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
        paraScore[doc] = value;
        paraMask[doc] = paraBits;
        paraTouched.push(doc);
        mask |= paraBits;
        const together = popCount(paraBits & matches.scoringBits);
        if (together >= 2) {
          const b = value * (together - 1) * scale;
          if (b > bonus) bonus = b;
        }
      }
    }
    if (current >= 0) finish();
  };
}
