/**
 * Top-k for the all-words mode (the default), article at a time: an exact
 * scheme in the family of MaxScore and block-max WAND (Turtle and Flood 1995;
 * Ding and Suel 2011), shaped by how an article's score is made here.
 *
 * An article's paragraphs are consecutive documents, and its headline is the
 * document of its ordinal, so every term's postings can be read article by
 * article with one cursor each, moving forward only (through the skip data:
 * `seekPosting` decodes the blocks it lands in and no other). For each article
 * holding a word of the cheapest clause (the candidates):
 *
 * 1. **intersect**: every clause must be held by a paragraph or the headline;
 *    the cursors seek to the article's first paragraph, and the first clause
 *    missing ends the article's turn;
 * 2. **bound**: per clause, each term's best paragraph score in the article
 *    and the sum of its paragraph scores (plain BM25 of each posting, no
 *    bookkeeping) bound the clause's article score
 *    (`headline + best + EXTRA · ln(1 + total − best)` grows with `best` and with
 *    `total`), and their sum bounds the passage bonus;
 * 3. **score**: only an article whose bound reaches the `k`-th best exact score
 *    so far is scored as the full evaluation scores it (`executeQuery`'s term at
 *    a time loops): its paragraphs' clause scores summed term by term in the
 *    plan's order, its clauses in the same order as there, the passage bonus
 *    last, so every sum is made in the same order and the scores are equal to
 *    the last bit.
 *
 * An article left out at step 3 cannot reach the top `k`: its score is at most
 * its bound (raised by a margin against rounding), below a score `k` articles
 * already have, and ties are kept (they rank by ordinal). It stays in the list of
 * matching articles with a score of 0, so the count of hits stays exact; its
 * paragraphs are not listed, so the count of matching paragraphs is a lower bound
 * (`matches.pruned`).
 */
import type { ArchiveIndex } from '../../index/archive-index.js';
import { decodeAllBlocks, type TermPostings } from '../../index/term-postings.js';
import { popCount } from '../../pop-count.js';
import type { Deadline } from './deadline.js';
import { withMargin } from './max-score.js';
import { type QueryMatches, scratch } from './query-matches.js';
import { termIdf } from './term-idf.js';
import { bm25, seekPosting } from './term-scorer.js';

/** An index term of a clause and the weight its BM25 score is multiplied by (a word's expansion). */
export interface WeightedTerm {
  term: string;
  weight: number;
}

/** The constants of an article's score (`executeQuery`'s `TITLE_BOOST`, `EXTRA_PARAGRAPHS_WEIGHT`, `PASSAGE_WEIGHT`). */
export interface ArticleScoreWeights {
  titleBoost: number;
  extraParagraphs: number;
  passage: number;
}

/** Above every document number: "no posting left". A small integer (V8 Smi). */
const NO_DOC = (1 << 30) - 1;

/** A term's postings in one collection, read forward: the position, its block, and a saved position to read an article again. */
interface Cursor {
  postings: TermPostings;
  /** `weight` × the term's IDF in the collection. */
  idf: number;
  at: number;
  block: number;
  markAt: number;
  markBlock: number;
}

/** One term of a clause: its paragraph and headline cursors (null when the collection lacks it). */
interface ClauseTerm {
  term: string;
  paragraphs: Cursor | null;
  titles: Cursor | null;
  /** Set once the term is found in a live document of an article scored. */
  matched: boolean;
}

function cursorOf(index: ArchiveIndex, collection: 'paragraphs' | 'titles', term: WeightedTerm): Cursor | null {
  const postings = index.termPostings(collection, term.term);
  if (!postings || postings.end === postings.start) return null;
  const idf = termIdf(index.liveDocumentCount(collection), postings.df) * term.weight;
  return { postings, idf, at: postings.start, block: 0, markAt: postings.start, markBlock: 0 };
}

/** Moves `cursor` to its first posting ≥ `doc` and returns that posting's document (`NO_DOC` when none is left). */
function seek(cursor: Cursor, doc: number): number {
  const { postings } = cursor;
  if (cursor.at >= postings.end) return NO_DOC;
  const blocks = postings.blocks;
  if ((blocks.pending === 0 || blocks.decoded[cursor.block] === 1) && postings.docs[cursor.at]! >= doc)
    return postings.docs[cursor.at]!;
  let found = seekPosting(postings, cursor.at, cursor.block, doc);
  // Past a block's documents (its skip entry's last is only an upper bound): the next block's first is the one.
  while (!found.readable && found.at < postings.end) found = seekPosting(postings, found.at, found.block, doc);
  cursor.at = found.at;
  cursor.block = found.block;
  return found.readable ? postings.docs[found.at]! : NO_DOC;
}

/** Whether a live paragraph of `[first, end)` or the live headline of `ord` holds a term of the clause. */
function holds(
  index: ArchiveIndex,
  terms: readonly ClauseTerm[],
  ord: number,
  first: number,
  end: number,
): boolean {
  const norms = index.paraNorm;
  for (const t of terms) {
    if (t.titles && seek(t.titles, ord) === ord && index.titleArticle[ord]! >= 0) return true;
    if (!t.paragraphs) continue;
    for (let doc = seek(t.paragraphs, first); doc < end; doc = seek(t.paragraphs, doc + 1))
      if (norms[doc]! >= 0) return true;
  }
  return false;
}

/** The headline's score for a clause: its terms' BM25 in the plan's order, summed as `scanPostings` sums them. */
function titleScore(index: ArchiveIndex, terms: readonly ClauseTerm[], ord: number): number {
  let sum = 0;
  if (!(index.titleArticle[ord]! >= 0)) return 0;
  const norm = index.titleNorm[ord]!;
  for (const t of terms) {
    const cursor = t.titles;
    if (cursor && seek(cursor, ord) === ord) {
      sum = sum + bm25(cursor.idf, cursor.postings.tfs[cursor.at]!, norm);
      t.matched = true;
    }
  }
  return sum;
}

/** The bound's two numbers for one clause and article (one object, reused). */
const clauseStats = { best: 0, total: 0 };

/**
 * The sum over the clause's terms of each term's best paragraph score in the
 * article (`best`, at least the best paragraph's clause score) and the sum of
 * every paragraph score of every term (`total`, the clause's total there, summed
 * in another order). Leaves each paragraph cursor marked at the article's first posting.
 */
function paragraphStats(index: ArchiveIndex, terms: readonly ClauseTerm[], first: number, end: number) {
  const norms = index.paraNorm;
  let best = 0;
  let total = 0;
  for (const t of terms) {
    const cursor = t.paragraphs;
    if (!cursor) continue;
    let termBest = 0;
    let doc = seek(cursor, first);
    cursor.markAt = cursor.at;
    cursor.markBlock = cursor.block;
    for (; doc < end; doc = seek(cursor, doc + 1)) {
      const norm = norms[doc]!;
      if (!(norm >= 0)) continue;
      const score = bm25(cursor.idf, cursor.postings.tfs[cursor.at]!, norm);
      if (score > termBest) termBest = score;
      total += score;
    }
    best += termBest;
  }
  clauseStats.best = best;
  clauseStats.total = total;
  return clauseStats;
}

/** Marks and lists (ascending) the live articles passing `filter` whose headline or a live paragraph holds a term; marks each term found. */
function candidateArticles(index: ArchiveIndex, terms: readonly ClauseTerm[], filter: Uint8Array | null): Int32Array {
  const marks = scratch.bytes('allWordsMarks', index.articleSlots);
  const list = scratch.list('allWordsCandidates');
  const collect = (postings: TermPostings, articleOf: Int32Array, norms: Float64Array): boolean => {
    const { docs, start, end } = decodeAllBlocks(postings);
    let found = false;
    for (let i = start; i < end; i++) {
      const doc = docs[i]!;
      const ord = articleOf[doc]!;
      if (ord < 0 || !(norms[doc]! >= 0) || (filter !== null && filter[ord] === 0)) continue;
      found = true;
      if (marks[ord] === 1) continue;
      marks[ord] = 1;
      list.push(ord);
    }
    return found;
  };
  for (const t of terms) {
    if (t.paragraphs && collect(t.paragraphs.postings, index.paraArticle, index.paraNorm)) t.matched = true;
    if (t.titles && collect(t.titles.postings, index.titleArticle, index.titleNorm)) t.matched = true;
  }
  for (let i = 0; i < list.length; i++) marks[list.ids[i]!] = 0;
  list.sortDistinct(index.articleSlots);
  return list.ids.subarray(0, list.length);
}

/**
 * Scores the all-words plan whose clauses are `clauses` (each the weighted terms
 * of its words, in the plan's order) into `matches`, keeping exact the best `k`
 * articles (see the file's comment): `order` is the order in which the full
 * evaluation runs the clauses (cheapest first), `articleFilter[ord]` = 0 leaves
 * an article out. Sets `matches.pruned` when an article was left out of the
 * scoring. Past `deadline`, the articles not reached yet are left out.
 */
export function scoreAllWordsTopK(
  index: ArchiveIndex,
  clauses: readonly (readonly WeightedTerm[])[],
  order: readonly number[],
  articleFilter: Uint8Array | null,
  matches: QueryMatches,
  k: number,
  weights: ArticleScoreWeights,
  deadline?: Deadline,
): void {
  const terms: ClauseTerm[][] = clauses.map((clause) =>
    clause.map((t) => ({
      term: t.term,
      paragraphs: cursorOf(index, 'paragraphs', t),
      titles: cursorOf(index, 'titles', t),
      matched: false,
    })),
  );
  const ordered = order.map((c) => terms[c]!);
  const candidates = candidateArticles(index, ordered[0]!, articleFilter);
  const full = clauses.length >= 32 ? 0xffffffff : (1 << clauses.length) - 1;
  const { paraScore, paraMask, articleScore, articleMask, paraTouched, articleTouched } = matches;
  const firstPara = index.articleFirstPara;
  const norms = index.paraNorm;
  const scale = weights.passage / (clauses.length - 1);
  // The `k` best exact scores so far, a min-heap: heap[0] is the bar an article's bound must reach.
  const heap = scratch.floats('allWordsHeap', k);
  let size = 0;
  // One article's paragraph scores for the clause being scored (and which paragraphs hold it), zeroed after each.
  let local = scratch.floats('allWordsLocal', 64);
  let held = scratch.bytes('allWordsHeld', 64);
  let pruned = 0;

  for (let i = 0; i < candidates.length; i++) {
    if ((i & 255) === 255 && deadline?.expired()) break;
    const ord = candidates[i]!;
    const first = firstPara[ord]!;
    const end = firstPara[ord + 1]!;
    let all = true;
    for (const clause of ordered)
      if (!holds(index, clause, ord, first, end)) {
        all = false;
        break;
      }
    if (!all) continue;

    // The bound (see the file's comment); margins against sums made in another order.
    let bound = 0;
    let bestSum = 0;
    for (const clause of ordered) {
      const title = titleScore(index, clause, ord) * weights.titleBoost;
      const { best, total } = paragraphStats(index, clause, first, end);
      const top = Math.min(best, total);
      bound += title + top + weights.extraParagraphs * Math.log1p(Math.max(0, total - top));
      bestSum += top;
    }
    if (size === k && withMargin(bound + weights.passage * bestSum) < heap[0]!) {
      articleTouched.push(ord);
      articleMask[ord] = full;
      pruned++;
      continue;
    }

    // The exact score, summed as executeQuery sums it.
    const n = end - first;
    if (local.length < n) {
      local = scratch.floats('allWordsLocal', n);
      held = scratch.bytes('allWordsHeld', n);
    }
    let score = 0;
    for (let j = 0; j < ordered.length; j++) {
      const clause = ordered[j]!;
      const bit = 1 << order[j]!;
      for (const t of clause) {
        const cursor = t.paragraphs;
        if (!cursor) continue;
        cursor.at = cursor.markAt;
        cursor.block = cursor.markBlock;
        for (let doc = seek(cursor, first); doc < end; doc = seek(cursor, doc + 1)) {
          const norm = norms[doc]!;
          if (!(norm >= 0)) continue;
          const r = doc - first;
          local[r] = local[r]! + bm25(cursor.idf, cursor.postings.tfs[cursor.at]!, norm);
          held[r] = 1;
          t.matched = true;
        }
      }
      let best = 0;
      let total = 0;
      for (let r = 0; r < n; r++) {
        if (held[r] === 0) continue;
        const doc = first + r;
        const value = local[r]!;
        local[r] = 0;
        held[r] = 0;
        paraScore[doc] = paraScore[doc]! + value;
        if (paraMask[doc] === 0) paraTouched.push(doc);
        paraMask[doc] = paraMask[doc]! | bit;
        if (value > best) best = value;
        total = total + value;
      }
      const title = 0 + titleScore(index, clause, ord) * weights.titleBoost;
      score = score + (title + best + weights.extraParagraphs * Math.log1p(total - best));
    }
    let bonus = 0;
    for (let doc = first; doc < end; doc++) {
      const together = popCount(paraMask[doc]! & matches.scoringBits);
      if (together < 2) continue;
      const value = paraScore[doc]! * (together - 1) * scale;
      if (value > bonus) bonus = value;
    }
    score = score + bonus;
    articleScore[ord] = score;
    articleMask[ord] = full;
    articleTouched.push(ord);

    // Into the heap of the k best.
    if (size < k) {
      let j = size++;
      heap[j] = score;
      while (j > 0) {
        const parent = (j - 1) >> 1;
        if (heap[parent]! <= heap[j]!) break;
        const swap = heap[parent]!;
        heap[parent] = heap[j]!;
        heap[j] = swap;
        j = parent;
      }
    } else if (score > heap[0]!) {
      heap[0] = score;
      for (let j = 0; ; ) {
        const l = 2 * j + 1;
        const r = l + 1;
        let least = j;
        if (l < size && heap[l]! < heap[least]!) least = l;
        if (r < size && heap[r]! < heap[least]!) least = r;
        if (least === j) break;
        const swap = heap[least]!;
        heap[least] = heap[j]!;
        heap[j] = swap;
        j = least;
      }
    }
  }
  for (const clause of terms) for (const t of clause) if (t.matched) matches.matchedTerms.add(t.term);
  if (pruned > 0) matches.pruned = true;
}
