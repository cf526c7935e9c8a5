/**
 * Top-k for an any-word query (`matchingStrategy=any`) of plain words, with block-max
 * bounds (Ding and Suel 2011; Lucene's block-max MaxScore), shaped by how an article's
 * score is made here: per clause it holds, `headline + best + EXTRA · ln(1 + total − best)`
 * over its paragraphs' clause scores, summed, plus the passage bonus (`PASSAGE · (held − 1) /
 * (clauses − 1)` times a paragraph's score, the best over the paragraphs holding two clauses
 * or more). The one-word top-k (`one-word-top-k.ts`) is this with one clause.
 *
 * The terms are split in two. A **dense** term (paragraph postings in at least
 * {@link DENSE_BLOCKS} blocks and {@link DENSE_SHARE} of the blocks of the query's largest
 * term: the common words) is bounded by its blocks, window by window (`block-windows.ts`:
 * windows of whole articles cut at the dense terms' block ends, each clause's `Bd_c` the
 * sum of its dense terms' largest block bounds there, an article of the window at most
 * `Σ_c (Bd_c + EXTRA · ln(1 + (n − 1) · Bd_c)) + PASSAGE · Σ_c Bd_c`). Every other term's
 * paragraph postings (the rare words), and every term's headline postings, are read once
 * into per-article, per-clause shares (`rareShares`); the articles holding one of them are
 * **special**, bounded one by one (their window's bounds plus their shares, then, if that
 * could reach the page, their own postings of the dense terms plus their shares).
 *
 * The items (windows, special articles) of the `k` highest bounds are scored first, then
 * the special articles (a rare word or a headline makes most of the best scores: the `k`-th
 * best rises early), then the windows, each only if its bound reaches the `k`-th best score
 * so far (a lower bound of the final one; ties are scored, as they rank by ordinal). A window
 * is scored by streaming its dense terms' postings (`any-word-windows.ts`), a special article
 * through forward cursors (`any-word-articles.ts`); both sum every score in the full
 * evaluation's order, so the best `k`, their scores and order are the full evaluation's to
 * the last bit. Only the articles scored are listed; those left out are counted
 * (`matches.unlistedArticles`, `unlistedParagraphs`: a window left out is read for its
 * articles and paragraphs, no score computed) until `countTo` matching articles are known,
 * as the one-word top-k counts them: below it the counts are exact, past it the windows left
 * out are not read and the counts are lower bounds (`matches.pruned`).
 */
import type { ArchiveIndex } from '../../index/archive-index.js';
import { TopScores } from '../../index/top-k.js';
import { countUnlistedParagraphs } from './unlisted-paragraphs.js';
import { type ClauseTerm, cursorOf, rewind, type WeightedTerm } from './article-cursors.js';
import { type AnyWordWeights, scoreAnyWordArticle, specialArticleBound } from './any-word-articles.js';
import { anyWordWindowScorer, type DenseTerm } from './any-word-windows.js';
import { windowsOf } from './block-windows.js';
import type { Deadline } from './deadline.js';
import { withMargin } from './max-score.js';
import { DENSE_BLOCKS, DENSE_SHARE } from './one-word-terms.js';
import { type QueryMatches, scratch } from './query-matches.js';
import { rareShares } from './rare-term-shares.js';

export type { AnyWordWeights };

/**
 * The any-word top-k gives way to the term-at-a-time evaluation when the special articles' postings
 * (the sparse terms' paragraphs, every headline) times the number of terms exceed all the paragraph
 * postings times this (as `SPECIAL_COST` of the one-word top-k).
 */
export const ANY_WORD_SPECIAL_COST = 8;

/** A term's cursors (null when a collection lacks it) and whether it is dense. */
interface QueryTerm extends ClauseTerm {
  dense: boolean;
}

/**
 * Scores the any-word plan whose clauses are `clauses` (each the weighted terms of its words, in
 * the plan's order) into `matches`, keeping exact the best `k` articles (see the file's comment):
 * `order` is the order in which the full evaluation runs the clauses, `articleFilter[ord]` = 0
 * leaves an article out. The articles left out are counted up to `countTo` (default all) matching
 * articles; past it, or past `deadline` (the items not reached yet are then left out), `matches.pruned`
 * says the counts are lower bounds. Returns false, having done nothing, when the special articles
 * would cost more than the term-at-a-time evaluation (see {@link ANY_WORD_SPECIAL_COST}).
 */
export function scoreAnyWordTopK(
  index: ArchiveIndex,
  clauses: readonly (readonly WeightedTerm[])[],
  order: readonly number[],
  articleFilter: Uint8Array | null,
  matches: QueryMatches,
  k: number,
  weights: AnyWordWeights,
  deadline?: Deadline,
  countTo = Number.POSITIVE_INFINITY,
): boolean {
  const ordered: QueryTerm[][] = order.map((c) =>
    clauses[c]!.map((t) => ({
      term: t.term,
      paragraphs: cursorOf(index, 'paragraphs', t),
      titles: cursorOf(index, 'titles', t),
      article: -1,
      inTitle: false,
      matched: false,
      dense: false,
    })),
  );
  const bits = order.map((c) => 1 << c);
  const all = ordered.flat();
  let most = 0;
  for (const t of all) if (t.paragraphs) most = Math.max(most, t.paragraphs.postings.blocks.count);
  let postings = 0;
  let specialPostings = 0;
  for (const t of all) {
    const blocks = t.paragraphs?.postings.blocks.count ?? 0;
    t.dense = blocks >= DENSE_BLOCKS && blocks >= DENSE_SHARE * most;
    const df = t.paragraphs?.postings.df ?? 0;
    postings += df;
    if (!t.dense) specialPostings += df;
    specialPostings += t.titles?.postings.df ?? 0;
  }
  if (specialPostings * all.length > postings * ANY_WORD_SPECIAL_COST) return false;

  const extra = weights.extraParagraphs;
  const clauseCount = ordered.length;
  const denseCursors = all.filter((t) => t.dense).map((t) => t.paragraphs!);
  const clauseOf = Int32Array.from(all.filter((t) => t.dense).map((t) => ordered.findIndex((c) => c.includes(t))));
  const windows = windowsOf(index, denseCursors, null, extra, {
    clauseOf,
    clauses: clauseCount,
    passage: weights.passage,
  });

  // The paragraphs of the articles scored are listed with their scores; every other matching paragraph is
  // only counted: a bit each in `unlisted` (those of the articles scored are cleared at the end).
  const unlisted = scratch.ints('anyWordUnlisted', (index.paraArticle.length >>> 5) + 1);
  // The sparse terms' paragraphs (marked in `unlisted`) and every term's headlines, read once: the special articles' shares.
  const shares = rareShares(
    index,
    ordered.map((clause) =>
      clause.map((t) => ({ ...t, paragraphs: t.dense ? null : t.paragraphs, article: -1, inTitle: false })),
    ),
    { bits: unlisted, filter: articleFilter },
  );
  const slotOf = shares.slotOf;
  const firstPara = index.articleFirstPara;

  // The special articles passing the filter, ascending, each with its bound from its window and its shares.
  const special = Int32Array.from(shares.articles).sort();
  const specialBound = new Float64Array(special.length);
  let specials = 0;
  let w = 0;
  for (let i = 0; i < special.length; i++) {
    const ord = special[i]!;
    if (articleFilter !== null && articleFilter[ord] === 0) continue;
    while (w < windows.count && windows.endArticle[w]! <= ord) w++;
    const inWindow = w < windows.count && windows.firstArticle[w]! <= ord;
    const at = (slotOf[ord]! - 1) * clauseCount;
    const n = firstPara[ord + 1]! - firstPara[ord]!;
    let bound = 0;
    let bestSum = 0;
    for (let j = 0; j < clauseCount; j++) {
      const bd = inWindow ? windows.clause[w * clauseCount + j]! : 0;
      const best = bd + shares.best[at + j]!;
      const total = n * bd + shares.total[at + j]!;
      const top = Math.min(best, total);
      bound += shares.title[at + j]! * weights.titleBoost + top + extra * Math.log1p(Math.max(0, total - top));
      bestSum += top;
    }
    special[specials] = ord;
    specialBound[specials++] = withMargin(bound + weights.passage * bestSum);
  }

  const top = new TopScores(k);
  const windowScorer = anyWordWindowScorer({
    index,
    windows,
    dense: ordered.map((clause) => clause.filter((t) => t.dense) as DenseTerm[]),
    bits,
    articleFilter,
    slotOf,
    matches,
    extra,
    passage: weights.passage,
    scored: (ord, score) => top.offer(ord, score, ord),
    threshold: () => top.threshold(),
    unlisted,
  });
  const scoreWindow = windowScorer.score;
  const scoreSpecial = (s: number) => {
    const ord = special[s]!;
    top.offer(ord, scoreAnyWordArticle(index, ordered, bits, ord, matches, weights), ord);
  };
  // The dense terms' own cursors (moving forward apart from the others'), for a special article's tighter bound.
  const denseOwn: ClauseTerm[][] = ordered.map((clause) =>
    clause
      .filter((t) => t.dense)
      .map((t) => ({ ...t, paragraphs: { ...t.paragraphs!, at: t.paragraphs!.postings.start, block: 0 } })),
  );
  for (const clause of denseOwn) for (const t of clause) t.titles = null;
  rewind(denseOwn);

  // The items: windows (ids ≥ 0) and special articles (ids −1 − s); the k highest bounds first.
  const seeds = new TopScores(k);
  for (let i = 0; i < windows.count; i++) seeds.offer(i, windows.article[i]!, i);
  for (let s = 0; s < specials; s++) seeds.offer(-1 - s, specialBound[s]!, -1 - s);
  const done = scratch.bytes('anyWordDone', windows.count + specials);
  const seeded = seeds.best().sort((x, y) => x - y);
  // Matching articles left out of the scoring, counted (not listed): `totalHits` stays exact up to `countTo`.
  let leftOut = 0;
  // The seeds' special articles in ascending order (ids −1 − s: the most negative first is the last article).
  const negative = seeded.filter((id) => id < 0).length;
  rewind(ordered);
  for (let i = negative - 1; i >= 0; i--) {
    const s = -1 - seeded[i]!;
    done[windows.count + s] = 1;
    scoreSpecial(s);
  }
  for (const id of seeded) {
    if (id < 0) continue;
    done[id] = 1;
    leftOut += scoreWindow(id);
  }
  let uncounted = false;
  let stopped = false;
  // The special articles first (a rare word or a headline makes most of the best scores), then the windows.
  rewind(ordered);
  for (let s = 0; s < specials; s++) {
    if (done[windows.count + s] === 1) continue;
    if ((s & 63) === 63 && deadline?.expired()) {
      stopped = true;
      break;
    }
    const threshold = top.threshold();
    if (specialBound[s]! < threshold || specialArticleBound(index, denseOwn, shares, special[s]!, weights) < threshold)
      leftOut++;
    else scoreSpecial(s);
  }
  for (let i = 0; i < windows.count && !stopped; i++) {
    if (done[i] === 1) continue;
    if ((i & 63) === 63 && deadline?.expired()) {
      stopped = true;
      break;
    }
    if (windows.article[i]! >= top.threshold()) leftOut += scoreWindow(i);
    // Counted while fewer than `countTo` matching articles are known (listed or counted); past that, not read.
    else if (matches.articleTouched.length + leftOut < countTo) leftOut += windowScorer.count(i);
    else uncounted = true;
  }
  done.fill(0, 0, windows.count + specials);
  for (const t of all) if (t.matched) matches.matchedTerms.add(t.term);
  // The paragraphs counted and not listed.
  matches.unlistedParagraphs = countUnlistedParagraphs(unlisted, matches.paraTouched);
  matches.unlistedArticles = leftOut;
  // Past the deadline, the articles not reached are not listed; past `countTo`, not counted: the counts are then lower bounds.
  if (uncounted || stopped || deadline?.reached) matches.pruned = true;
  shares.clear();
  return true;
}
