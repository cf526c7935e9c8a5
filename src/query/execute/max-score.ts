/**
 * MaxScore for an any-word query (Turtle and Flood, "Query evaluation:
 * strategies and optimizations", 1995), term at a time: the clauses run in the
 * query's order (as the full evaluation runs them); after each, the `k`-th best article score so far
 * (a lower bound of the final one: scores only grow) is compared with the most
 * the clauses left could still give an article. Once that is less, no article
 * outside those already seen can reach the top `k`: the clauses left are scored
 * on the seen articles alone (by galloping through their skip data), and seen
 * articles that cannot reach the top `k` either are dropped. The top `k`, their
 * scores and their order are those of the full evaluation; only the count of
 * matching articles is then a lower bound.
 *
 * The bounds are computed at query time from what each block of postings
 * stores (its largest term frequency and shortest field length), so they hold
 * whatever the BM25 constants: an article's score for a clause is at most its
 * headline's bound, plus its best paragraph's bound, plus the share of its other
 * paragraphs (`EXTRA_PARAGRAPHS_WEIGHT · ln(1 + others)`, others at most the
 * paragraph bound times the most paragraphs an article has); the passage bonus
 * adds at most `PASSAGE_WEIGHT` times the sum of the paragraph bounds. Headlines
 * are few: an article whose headline holds a clause left is kept as a candidate,
 * so that the bound for the articles not seen leaves the headline's share out.
 */
import type { ArchiveIndex, Collection } from '../../index/archive-index.js';
import { termIdf } from './term-idf.js';
import { bm25 } from './term-scorer.js';

/** Bounds are raised by this relative margin (and {@link ABSOLUTE_MARGIN}) against rounding in sums made in another order. */
const RELATIVE_MARGIN = 1e-9;
const ABSOLUTE_MARGIN = 1e-12;

/** `value` raised by the margins: a bound that rounding cannot put below the score it bounds. */
export function withMargin(value: number): number {
  return value * (1 + RELATIVE_MARGIN) + ABSOLUTE_MARGIN;
}

/**
 * The largest score `weight` × BM25 of `term` can give one document of
 * `collection`: the largest over its blocks of the score of the block's largest
 * term frequency in a document of the block's shortest length. 0 when absent.
 */
export function termBound(index: ArchiveIndex, collection: Collection, term: string, weight: number): number {
  const postings = index.termPostings(collection, term);
  if (!postings || postings.df === 0) return 0;
  const idf = termIdf(index.liveDocumentCount(collection), postings.df) * weight;
  const { count, maxTf, minLength } = postings.blocks;
  let best = 0;
  for (let b = 0; b < count; b++) {
    const score = bm25(idf, maxTf[b]!, index.lengthNorm(collection, minLength[b]!));
    if (score > best) best = score;
  }
  return best;
}

/** Most paragraphs one article has, per index (computed once). */
const mostParagraphs = new WeakMap<ArchiveIndex, number>();

function maxParagraphsOf(index: ArchiveIndex): number {
  let most = mostParagraphs.get(index);
  if (most === undefined) {
    most = 0;
    const first = index.articleFirstPara;
    for (let ord = 0; ord + 1 < first.length; ord++) most = Math.max(most, first[ord + 1]! - first[ord]!);
    mostParagraphs.set(index, most);
  }
  return most;
}

/** An item of a clause as the bounds read it: a word's expansions (any other item has no bound). */
export type BoundItem =
  | { type: 'word'; expansions: readonly { term: string; weight: number }[]; field?: 'title' | 'lead' }
  | { type: 'phrase' | 'proximity' | 'meta' };

/**
 * A clause's bounds: on one paragraph's score for it, on what it adds to one
 * article's score, and on what it adds to an article whose headline does not hold it.
 */
export interface ClauseBound {
  paragraph: number;
  article: number;
  untitled: number;
}

/**
 * The bounds of a clause of word items (see the file's comment); `titleBoost` and
 * `extraWeight` are the article score's constants (`TITLE_BOOST`, `EXTRA_PARAGRAPHS_WEIGHT`).
 */
export function clauseBound(
  index: ArchiveIndex,
  clause: readonly BoundItem[],
  titleBoost: number,
  extraWeight: number,
): ClauseBound {
  let paragraph = 0;
  let title = 0;
  let df = 0;
  for (const item of clause) {
    if (item.type !== 'word') return { paragraph: Infinity, article: Infinity, untitled: Infinity };
    for (const e of item.expansions) {
      if (item.field !== 'title') {
        paragraph += termBound(index, 'paragraphs', e.term, e.weight);
        df += index.termPostings('paragraphs', e.term)?.df ?? 0;
      }
      title += termBound(index, 'titles', e.term, e.weight);
    }
  }
  const others = Math.max(0, Math.min(maxParagraphsOf(index), df) - 1) * paragraph;
  const paragraphs = paragraph + extraWeight * Math.log1p(others);
  return { paragraph, article: withMargin(title * titleBoost + paragraphs), untitled: withMargin(paragraphs) };
}

/**
 * The `k`-th largest of `scores[ids[i]]` (`-Infinity` when there are fewer than
 * `k`): a bounded min-heap in `heap` (at least `k` long, reused).
 */
export function kthLargest(
  scores: Float64Array,
  ids: Int32Array,
  count: number,
  k: number,
  heap: Float64Array,
): number {
  if (k <= 0 || count < k) return -Infinity;
  let size = 0;
  for (let i = 0; i < count; i++) {
    const score = scores[ids[i]!]!;
    if (size < k) {
      let j = size++;
      heap[j] = score;
      while (j > 0) {
        const parent = (j - 1) >> 1;
        if (heap[parent]! <= heap[j]!) break;
        const t = heap[parent]!;
        heap[parent] = heap[j]!;
        heap[j] = t;
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
        const t = heap[least]!;
        heap[least] = heap[j]!;
        heap[j] = t;
        j = least;
      }
    }
  }
  return heap[0]!;
}
