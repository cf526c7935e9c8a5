/**
 * Top-k for the all-words mode (the default), article at a time: an exact
 * scheme in the family of MaxScore and block-max WAND (Turtle and Flood 1995;
 * Ding and Suel 2011), shaped by how an article's score is made here.
 *
 * An article's paragraphs are consecutive documents, and its headline is the
 * document of its ordinal, so every term's postings can be read article by
 * article with one forward position each. For each article holding a word of
 * the cheapest clause (the candidates), pass 1 (`candidate-bounds.ts`, over the
 * frequent terms' decoded postings; the rare terms read once, `candidate-shares.ts`;
 * postings that several terms of a clause share, a form and its stem, read once):
 *
 * 1. **intersect**: every other clause must be held by a live paragraph or the
 *    headline; each position gallops to the article's first paragraph and past its
 *    last (the span between is the term's postings in the article), and the first
 *    clause missing ends the article's turn;
 * 2. **bound**: per clause, each term's best paragraph score in the article
 *    and the sum of its paragraph scores (plain BM25 of each posting, no
 *    bookkeeping) bound the clause's article score
 *    (`headline + best + EXTRA · ln(1 + total − best)` grows with `best` and with
 *    `total`), and their sum bounds the passage bonus.
 *
 * Then the articles with the `k` highest bounds are scored exactly (pass 2, with
 * cursors through the skip data: `seekPosting` decodes the blocks it lands in), and after
 * them every other article whose bound reaches the `k`-th best exact score so far
 * (a lower bound of the final `k`-th best). An article is scored as the full
 * evaluation scores it (`executeQuery`'s term-at-a-time loops): its paragraphs'
 * clause scores summed term by term in the plan's order, its clauses in the
 * same order as there, the passage bonus last; every sum is made in the same
 * order, so the scores are equal to the last bit.
 *
 * An article not scored cannot reach the top `k`: its score is at most its bound
 * (raised by a margin against rounding), below a score `k` articles have, and
 * ties are scored (they rank by ordinal). It stays in the list of matching
 * articles with a score of 0, so the count of hits stays exact; its paragraphs
 * are not listed, so the count of matching paragraphs is then a lower bound
 * (`matches.pruned`).
 */
import { isStemTerm, stemTerm } from '../../analysis/index-terms.js';
import type { ArchiveIndex } from '../../index/archive-index.js';
import { decodeAllBlocks, type TermPostings } from '../../index/term-postings.js';
import { TopScores } from '../../index/top-k.js';
import { boundCandidates } from './candidate-bounds.js';
import { candidateShares } from './candidate-shares.js';
import { type ArticleScoreWeights, clausePart, recordArticle } from './article-score.js';
import { type ClauseTerm, type Cursor, cursorOf, prepareAll, rewind, type WeightedTerm } from './article-cursors.js';
import type { Deadline } from './deadline.js';
import { type QueryMatches, scratch } from './query-matches.js';
import { RARE_SHARE } from './rare-term-shares.js';
import { bm25 } from './term-scorer.js';

export type { WeightedTerm };

/** The constants of an article's score (`TITLE_BOOST`, `EXTRA_PARAGRAPHS_WEIGHT`, `PASSAGE_WEIGHT` of `score-weights.ts`). */

/**
 * A clause's terms as pass 1 reads them: a term's postings in a collection that an earlier term of the
 * clause reads too (a stem sharing its form's lists) are read once, by a cursor of their summed weighted
 * IDF. A posting's BM25 is linear in that IDF, so the merged cursor's best and total in an article are the
 * sums of the terms' (up to rounding, which the bound's margin covers), and it holds where they do.
 */
function mergeShared(clause: readonly ClauseTerm[]): ClauseTerm[] {
  const merged: ClauseTerm[] = [];
  const firstOf = new Map<TermPostings, Cursor>();
  const share = (cursor: Cursor | null): Cursor | null => {
    if (!cursor) return null;
    const first = firstOf.get(cursor.postings);
    if (first) {
      first.idf += cursor.idf;
      return null;
    }
    const at = cursor.postings.start;
    const own = { postings: cursor.postings, idf: cursor.idf, at, block: 0, from: at, to: at };
    firstOf.set(cursor.postings, own);
    return own;
  };
  for (const t of clause) {
    const paragraphs = share(t.paragraphs);
    const titles = share(t.titles);
    if (paragraphs || titles)
      merged.push({ term: t.term, paragraphs, titles, article: -1, inTitle: false, matched: false });
  }
  return merged;
}

/** Marks and lists (ascending) the live articles passing `filter` whose headline or a live paragraph holds a term; marks each term found. */
function candidateArticles(index: ArchiveIndex, terms: readonly ClauseTerm[], filter: Uint8Array | null): Int32Array {
  const marks = scratch.bytes('allWordsMarks', index.articleSlots);
  const list = scratch.list('allWordsCandidates');
  /** Lists the articles of `postings`' live documents passing `filter` (or, with `list` false, looks for one); whether one was found. */
  const collect = (postings: TermPostings, articleOf: Int32Array, listing: boolean): boolean => {
    const { docs, start, end } = decodeAllBlocks(postings);
    let found = false;
    for (let i = start; i < end; i++) {
      const doc = docs[i]!;
      const ord = articleOf[doc]!;
      if (ord < 0 || (filter !== null && filter[ord] === 0)) continue;
      found = true;
      if (!listing) break;
      if (marks[ord] === 1) continue;
      marks[ord] = 1;
      list.push(ord);
    }
    return found;
  };
  // A stem sharing its form's postings (the same lists) lists the same articles: each list is read once.
  const found = new Map<TermPostings, boolean>();
  const read = (cursor: Cursor | null, articleOf: Int32Array, listing: boolean): boolean => {
    if (!cursor) return false;
    let held = found.get(cursor.postings);
    if (held === undefined) {
      held = collect(cursor.postings, articleOf, listing);
      if (listing) found.set(cursor.postings, held);
    }
    return held;
  };
  // A form whose stem term is in the clause lists no article its stem does not (each token is indexed as
  // both): its lists are only looked into for a live document (whether the term matched).
  const names = new Set(terms.map((t) => t.term));
  for (const t of terms) {
    const listing = isStemTerm(t.term) || !names.has(stemTerm(t.term));
    if (read(t.paragraphs, index.paraArticle, listing)) t.matched = true;
    if (read(t.titles, index.titleArticle, listing)) t.matched = true;
  }
  for (let i = 0; i < list.length; i++) marks[list.ids[i]!] = 0;
  list.sortDistinct(index.articleSlots);
  return list.ids.subarray(0, list.length);
}

/**
 * Scores one article (spans set) exactly as `executeQuery` does, into `matches`:
 * paragraph scores and masks, the article's score and mask; returns the score.
 */
function scoreArticle(
  index: ArchiveIndex,
  ordered: readonly (readonly ClauseTerm[])[],
  order: readonly number[],
  ord: number,
  matches: QueryMatches,
  weights: ArticleScoreWeights,
  full: number,
): number {
  const norms = index.paraNorms;
  const articleOf = index.paraArticle;
  const first = index.articleFirstPara[ord]!;
  const end = index.articleFirstPara[ord + 1]!;
  const n = end - first;
  // The article's paragraph scores for the clause being scored (and which paragraphs hold it), zeroed after each.
  const local = scratch.floats('allWordsLocal', n);
  const held = scratch.bytes('allWordsHeld', n);
  let score = 0;
  for (let j = 0; j < ordered.length; j++) {
    const clause = ordered[j]!;
    const bit = 1 << order[j]!;
    for (const t of clause) {
      const cursor = t.paragraphs;
      if (!cursor) continue;
      const { docs, tfs } = cursor.postings;
      for (let i = cursor.from; i < cursor.to; i++) {
        const doc = docs[i]!;
        if (articleOf[doc]! < 0) continue;
        const norm = norms.of(doc);
        const r = doc - first;
        local[r] = local[r]! + bm25(cursor.idf, tfs[i]!, norm);
        held[r] = 1;
        t.matched = true;
      }
      if (t.inTitle) t.matched = true;
    }
    score = score + clausePart(index, matches, clause, ord, first, local, held, bit, weights);
  }
  return recordArticle(matches, ord, first, end, score, full, ordered.length, weights);
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
      article: -1,
      inTitle: false,
      matched: false,
    })),
  );
  const ordered = order.map((c) => terms[c]!);
  // Pass 1 reads the terms sharing their postings (a form and its stem) as one, of their summed weight.
  const bounded = ordered.map(mergeShared);
  const candidates = candidateArticles(index, ordered[0]!, articleFilter);
  const full = clauses.length >= 32 ? 0xffffffff : (1 << clauses.length) - 1;
  const _firstPara = index.articleFirstPara;

  // A term in fewer than one candidate article in RARE_SHARE is read once for all (`candidateShares`), not sought in each.
  const isRare = (t: ClauseTerm) =>
    ((t.paragraphs?.postings.df ?? 0) + (t.titles?.postings.df ?? 0)) * RARE_SHARE < candidates.length;
  const frequent = bounded.map((clause) => clause.filter((t) => !isRare(t)));
  const rare = candidateShares(
    index,
    candidates,
    bounded.map((clause) => clause.filter(isRare)),
  );

  // Pass 1, in article order: the articles holding every clause, and their bounds.
  const matching = scratch.list('allWordsMatching');
  const { bounds, byBound } = boundCandidates(index, frequent, candidates, rare, weights, k, matching, deadline);

  rare.clear();

  // Pass 2: the k highest bounds scored first, then any other article whose bound reaches the k-th best score.
  const exact = new TopScores(k);
  const scored = scratch.bytes('allWordsScored', matching.length);
  // The cursors move forward only: put back at the start only when an article comes before the last one scored.
  let last = -1;
  const score = (m: number) => {
    const ord = matching.ids[m]!;
    if (ord < last) rewind(ordered);
    last = ord;
    prepareAll(index, ordered, ord);
    exact.offer(ord, scoreArticle(index, ordered, order, ord, matches, weights, full), ord);
    scored[m] = 1;
  };
  // The k highest bounds in article order (the same articles, so the same k-th best score after them).
  for (const m of byBound.best().sort((a, b) => a - b)) score(m);
  let pruned = 0;
  for (let m = 0; m < matching.length; m++) {
    if (scored[m] === 1) {
      scored[m] = 0;
      continue;
    }
    if (bounds[m]! >= exact.threshold()) score(m);
    else {
      const ord = matching.ids[m]!;
      matches.articleTouched.push(ord);
      matches.articleMask[ord] = full;
      pruned++;
    }
    scored[m] = 0;
  }
  for (const clause of terms) for (const t of clause) if (t.matched) matches.matchedTerms.add(t.term);
  if (pruned > 0) matches.pruned = true;
}
