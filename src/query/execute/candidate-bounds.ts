/**
 * Pass 1 of the all-words top-k (`all-words-top-k.ts`): over the candidate articles, in
 * article order, the ones holding every clause and the bound of each, read from the
 * frequent terms' postings with a plain position per term and collection: the positions
 * only move forward, as the candidates do, galloping (`firstAtLeast`) over the decoded
 * postings of the articles between (through the skip data while a term has blocks not
 * decoded yet, decoding only those it lands in, as the cursors of `article-cursors.ts` do).
 * The same intersection and the same bound, summed in the same order, as seeking each
 * term's span in each article through its cursor, at a fraction of the cost per article.
 */
import { isStemTerm, stemTerm } from '../../analysis/index-terms.js';
import type { ArchiveIndex } from '../../index/archive-index.js';
import type { IdList } from '../../index/id-list.js';
import { firstAtLeast } from '../../index/term-postings.js';
import { TopScores } from '../../index/top-k.js';
import { type ClauseTerm, type Cursor, seek, span } from './article-cursors.js';
import type { Deadline } from './deadline.js';
import { withMargin } from './max-score.js';
import { scratch } from './query-matches.js';
import type { CandidateShares } from './candidate-shares.js';
import { bm25 } from './term-scorer.js';

/**
 * A frequent term's postings in one collection, its position in them, and its span in the article at
 * hand (`from … to`, for `article`). While blocks of the term are not decoded yet, its cursor moves through
 * the skip data and decodes only the blocks it lands in (`seek`, `span`); once all are, a plain gallop.
 */
interface Postings {
  cursor: Cursor;
  docs: Int32Array;
  tfs: Uint16Array;
  end: number;
  /** `weight` × the term's IDF in the collection. */
  idf: number;
  /** The first posting not yet passed. */
  at: number;
  article: number;
  from: number;
  to: number;
}

/** A term's postings in a collection (null when the collection lacks it), read from `cursor`'s position. */
function positioned(cursor: Cursor | null): Postings | null {
  if (!cursor) return null;
  const { docs, tfs, end } = cursor.postings;
  return { cursor, docs, tfs, end, idf: cursor.idf, at: cursor.at, article: -1, from: 0, to: 0 };
}

/** Sets `p`'s span to its postings in `[first, end)`, the paragraphs of article `ord` (once per article). */
function spanOf(p: Postings, ord: number, first: number, end: number): void {
  if (p.article === ord) return;
  p.article = ord;
  if (p.cursor.postings.blocks.pending > 0) {
    const cursor = p.cursor;
    cursor.at = p.at;
    span(cursor, first, end);
    p.from = cursor.from;
    p.to = cursor.to;
    p.at = cursor.at;
    return;
  }
  const docs = p.docs;
  let at = firstAtLeast(docs, p.at, p.end, first);
  p.from = at;
  while (at < p.end && docs[at]! < end) at++;
  p.to = at;
  p.at = at;
}

/** Whether `h`'s term is in the live headline of `ord` (its position moved to the first posting ≥ `ord`). */
function inHeadline(h: Postings, ord: number, titleArticle: Int32Array): boolean {
  if (titleArticle[ord]! < 0) return false;
  if (h.cursor.postings.blocks.pending > 0) {
    h.cursor.at = h.at;
    const found = seek(h.cursor, ord) === ord;
    h.at = h.cursor.at;
    return found;
  }
  h.at = firstAtLeast(h.docs, h.at, h.end, ord);
  return h.at < h.end && h.docs[h.at] === ord;
}

/** What pass 1 found: the matching articles' bounds (`bounds[m]` for `matching.ids[m]`) and the `k` highest. */
export interface CandidateBounds {
  bounds: Float64Array;
  byBound: TopScores;
}

/**
 * Lists in `matching` (ascending) the `candidates` (ascending live article ordinals holding the first
 * clause) whose every other clause is held by a frequent term (`frequent[j]`, in a live paragraph or the
 * live headline) or by a rare one (`rare.mask` of its slot), and bounds each as the file's comment says: per clause,
 * the rare terms' shares plus each frequent term's best paragraph score in the article and the sum of its
 * paragraph scores, `headline + min(best, total) + extra · ln(1 + total − min(best, total))`, plus the
 * passage bonus's bound, raised by the margins. Past `deadline`, the candidates not reached are left out.
 */
export function boundCandidates(
  index: ArchiveIndex,
  frequent: readonly (readonly ClauseTerm[])[],
  candidates: Int32Array,
  rare: CandidateShares,
  weights: { titleBoost: number; extraParagraphs: number; passage: number },
  k: number,
  matching: IdList,
  deadline?: Deadline,
): CandidateBounds {
  const clauses = frequent.length;
  const paragraphs = frequent.map((clause) => clause.map((t) => positioned(t.paragraphs)));
  const titles = frequent.map((clause) => clause.map((t) => positioned(t.titles)));
  const { paraArticle, paraNorms, titleArticle, titleNorms, articleFirstPara } = index;
  // The intersection tries a clause's terms commonest first, and no form whose stem term is among them with
  // its own lists (each token is indexed as both: the stem holds wherever the form does).
  const tries = frequent.map((clause) => {
    const byName = new Map(clause.map((t) => [t.term, t]));
    const covered = (t: ClauseTerm) => {
      const stem = isStemTerm(t.term) ? undefined : byName.get(stemTerm(t.term));
      return stem !== undefined && (!t.paragraphs || !!stem.paragraphs) && (!t.titles || !!stem.titles);
    };
    const df = (t: number) => clause[t]!.paragraphs?.postings.df ?? 0;
    return clause
      .map((_, t) => t)
      .filter((t) => !covered(clause[t]!))
      .sort((a, b) => df(b) - df(a));
  });
  let bounds = scratch.floats('allWordsBounds', 1024);
  const byBound = new TopScores(k);

  /** Whether `p`'s term is in a live paragraph of article `ord` (`[first, end)`; its span set). */
  const inParagraphs = (p: Postings, ord: number, first: number, end: number): boolean => {
    spanOf(p, ord, first, end);
    const docs = p.docs;
    for (let at = p.from; at < p.to; at++) if (paraArticle[docs[at]!]! >= 0) return true;
    return false;
  };

  for (let i = 0; i < candidates.length; i++) {
    if ((i & 255) === 255 && deadline?.expired()) break;
    const ord = candidates[i]!;
    const first = articleFirstPara[ord]!;
    const end = articleFirstPara[ord + 1]!;
    const slot = rare.slotOf[ord]! - 1;
    const rareMask = slot < 0 ? 0 : rare.mask[slot]!;
    // A candidate holds the first clause (it is listed for that): the other clauses decide.
    let all = true;
    for (let j = 1; j < clauses && all; j++) {
      if (((rareMask >>> j) & 1) === 1) continue;
      const ps = paragraphs[j]!;
      const hs = titles[j]!;
      const order = tries[j]!;
      let held = false;
      for (let n = 0; n < order.length && !held; n++) {
        const p = ps[order[n]!]!;
        const h = hs[order[n]!]!;
        held = (p !== null && inParagraphs(p, ord, first, end)) || (h !== null && inHeadline(h, ord, titleArticle));
      }
      all = held;
    }
    if (!all) continue;

    let bound = 0;
    let bestSum = 0;
    for (let j = 0; j < clauses; j++) {
      const at = slot * clauses + j;
      let best = slot >= 0 ? rare.best[at]! : 0;
      let total = slot >= 0 ? rare.total[at]! : 0;
      const ps = paragraphs[j]!;
      for (let t = 0; t < ps.length; t++) {
        const p = ps[t]!;
        if (p === null) continue;
        spanOf(p, ord, first, end);
        const { docs, tfs, idf } = p;
        let termBest = 0;
        let termTotal = 0;
        for (let q = p.from; q < p.to; q++) {
          const doc = docs[q]!;
          if (paraArticle[doc]! < 0) continue;
          const norm = paraNorms.of(doc);
          const score = bm25(idf, tfs[q]!, norm);
          if (score > termBest) termBest = score;
          termTotal += score;
        }
        best += termBest;
        total += termTotal;
      }
      // The clause's best paragraph scores at most the sum of its terms' bests, and at most the total.
      const top = Math.min(best, total);
      // The headline's score as `titleScore` sums it: the terms in the plan's order, then the rare terms' share.
      let title = 0;
      const hs = titles[j]!;
      for (let t = 0; t < hs.length; t++) {
        const h = hs[t]!;
        if (h !== null && inHeadline(h, ord, titleArticle))
          title = title + bm25(h.idf, h.tfs[h.at]!, titleNorms.of(ord));
      }
      title += slot >= 0 ? rare.title[at]! : 0;
      bound += title * weights.titleBoost + top;
      bound += weights.extraParagraphs * Math.log1p(Math.max(0, total - top));
      bestSum += top;
    }
    bound = withMargin(bound + weights.passage * bestSum);
    if (bounds.length <= matching.length) {
      const grown = new Float64Array(bounds.length * 2);
      grown.set(bounds);
      bounds = grown;
    }
    bounds[matching.length] = bound;
    byBound.offer(matching.length, bound, ord);
    matching.push(ord);
  }
  return { bounds, byBound };
}
