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
 * 1. **intersect**: every clause must be held by a live paragraph or the
 *    headline; each cursor seeks to the article's first paragraph and past its
 *    last (the span between is the term's postings in the article), and the first
 *    clause missing ends the article's turn;
 * 2. **bound**: per clause, each term's best paragraph score in the article
 *    and the sum of its paragraph scores (plain BM25 of each posting, no
 *    bookkeeping) bound the clause's article score
 *    (`headline + best + EXTRA · ln(1 + total − best)` grows with `best` and with
 *    `total`), and their sum bounds the passage bonus.
 *
 * Then the articles with the `k` highest bounds are scored exactly, and after
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
import type { ArchiveIndex } from '../../index/archive-index.js';
import { decodeAllBlocks, decodeBlockAt, type TermPostings } from '../../index/term-postings.js';
import { TopScores } from '../../index/top-k.js';
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

/** A term in fewer than one candidate article in this many is rare (see `rareShares`). */
const RARE_SHARE = 4;

/** Above every document number: "no posting left". A small integer (V8 Smi). */
const NO_DOC = (1 << 30) - 1;

/**
 * A term's postings in one collection, read forward: the position and its block;
 * `from … to` the positions of the postings in the article at hand (decoded).
 */
interface Cursor {
  postings: TermPostings;
  /** `weight` × the term's IDF in the collection. */
  idf: number;
  at: number;
  block: number;
  from: number;
  to: number;
}

/** One term of a clause: its paragraph and headline cursors (null when the collection lacks it). */
interface ClauseTerm {
  term: string;
  paragraphs: Cursor | null;
  titles: Cursor | null;
  /** The article its spans and `inTitle` are for (-1: none yet). */
  article: number;
  /** Whether that article's headline holds the term. */
  inTitle: boolean;
  /** Set once the term is found in a live document of an article scored. */
  matched: boolean;
}

function cursorOf(index: ArchiveIndex, collection: 'paragraphs' | 'titles', term: WeightedTerm): Cursor | null {
  const postings = index.termPostings(collection, term.term);
  if (!postings || postings.end === postings.start) return null;
  const idf = termIdf(index.liveDocumentCount(collection), postings.df) * term.weight;
  const at = postings.start;
  return { postings, idf, at, block: 0, from: at, to: at };
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

/** Sets `cursor.from … cursor.to` to the positions of its documents in `[first, end)`, every block among them decoded. */
function span(cursor: Cursor, first: number, end: number): void {
  const doc = seek(cursor, first);
  const from = cursor.at;
  cursor.from = from;
  if (doc >= end) {
    cursor.to = from;
    return;
  }
  // An article holds a few postings of a term: read on within the block, and seek only past its end.
  const { postings } = cursor;
  const blocks = postings.blocks;
  const blockEnd = blocks.pending === 0 ? postings.end : blocks.first[cursor.block + 1]!;
  let i = from + 1;
  while (i < blockEnd && postings.docs[i]! < end) i++;
  if (i < blockEnd || i >= postings.end) {
    cursor.at = i;
    cursor.to = i;
    return;
  }
  const fromBlock = cursor.block;
  seek(cursor, end);
  // The seek may have jumped over blocks through the skip data: those in the span are decoded here.
  for (let b = fromBlock; b < blocks.count && blocks.first[b]! < cursor.at; b++) decodeBlockAt(postings, b);
  cursor.to = cursor.at;
}

/**
 * Sets the term's spans and `inTitle` for article `ord` (once per article) and
 * returns whether a live paragraph of `[first, end)` or the live headline holds it.
 */
function prepare(index: ArchiveIndex, t: ClauseTerm, ord: number, first: number, end: number): boolean {
  if (t.article !== ord) {
    t.article = ord;
    t.inTitle = t.titles !== null && index.titleArticle[ord]! >= 0 && seek(t.titles, ord) === ord;
    if (t.paragraphs) span(t.paragraphs, first, end);
  }
  if (t.inTitle) return true;
  const cursor = t.paragraphs;
  if (!cursor) return false;
  const docs = cursor.postings.docs;
  for (let i = cursor.from; i < cursor.to; i++) if (index.paraNorm[docs[i]!]! >= 0) return true;
  return false;
}

/** Whether a term of the clause is in a live paragraph of `[first, end)` or the live headline of `ord` (its terms prepared up to the first that is). */
function holds(index: ArchiveIndex, terms: readonly ClauseTerm[], ord: number, first: number, end: number): boolean {
  for (const t of terms) if (prepare(index, t, ord, first, end)) return true;
  return false;
}

/** Prepares every term of every clause for article `ord` (see {@link prepare}). */
function prepareAll(index: ArchiveIndex, ordered: readonly (readonly ClauseTerm[])[], ord: number): void {
  const first = index.articleFirstPara[ord]!;
  const end = index.articleFirstPara[ord + 1]!;
  for (const clause of ordered) for (const t of clause) prepare(index, t, ord, first, end);
}

/** The headline's score for a clause (spans set): its terms' BM25 in the plan's order, summed as `scanPostings` sums them. */
function titleScore(index: ArchiveIndex, terms: readonly ClauseTerm[], ord: number): number {
  let sum = 0;
  for (const t of terms) {
    if (!t.inTitle) continue;
    const cursor = t.titles!;
    sum = sum + bm25(cursor.idf, cursor.postings.tfs[cursor.at]!, index.titleNorm[ord]!);
  }
  return sum;
}

/**
 * The bound of an article (spans of `terms`' terms set; see the file's comment), the
 * rare terms' shares added, raised by the margins against sums made in another order.
 */
function articleBound(
  index: ArchiveIndex,
  terms: readonly (readonly ClauseTerm[])[],
  ord: number,
  weights: ArticleScoreWeights,
  rare: RareShares,
): number {
  const norms = index.paraNorm;
  const clauses = terms.length;
  let bound = 0;
  let bestSum = 0;
  for (let j = 0; j < clauses; j++) {
    const clause = terms[j]!;
    const at = (rare.slotOf[ord]! - 1) * clauses + j;
    let best = at >= 0 ? rare.best[at]! : 0;
    let total = at >= 0 ? rare.total[at]! : 0;
    for (const t of clause) {
      const cursor = t.paragraphs;
      if (!cursor) continue;
      const { docs, tfs } = cursor.postings;
      let termBest = 0;
      for (let i = cursor.from; i < cursor.to; i++) {
        const norm = norms[docs[i]!]!;
        if (!(norm >= 0)) continue;
        const score = bm25(cursor.idf, tfs[i]!, norm);
        if (score > termBest) termBest = score;
        total += score;
      }
      best += termBest;
    }
    // The clause's best paragraph scores at most the sum of its terms' bests, and at most the total.
    const top = Math.min(best, total);
    const title = titleScore(index, clause, ord) + (at >= 0 ? rare.title[at]! : 0);
    bound += title * weights.titleBoost + top;
    bound += weights.extraParagraphs * Math.log1p(Math.max(0, total - top));
    bestSum += top;
  }
  return withMargin(bound + weights.passage * bestSum);
}

/**
 * The rare terms' shares of the articles' bounds (a rare term is in few candidate
 * articles: seeking it in each would cost more than reading its postings once). An
 * article holding a rare term has a slot (`slotOf[ord]` − 1; −1: none), and per slot
 * and clause `j`, at `[slot · clauses + j]`: the sum of the rare terms' best paragraph
 * scores in the article, of all their paragraph scores, and of their headline scores;
 * `mask[slot]` has bit `j` when a rare term of clause `j` is in a live paragraph or the
 * live headline. Slots keep the arrays as small as the rare postings (a dense table per
 * clause would be 8 bytes × articles × clauses). `clear()` zeroes `slotOf` again.
 */
interface RareShares {
  slotOf: Int32Array;
  best: Float64Array;
  total: Float64Array;
  title: Float64Array;
  mask: Uint32Array;
  clear: () => void;
}

function rareShares(index: ArchiveIndex, rare: readonly (readonly ClauseTerm[])[]): RareShares {
  const clauses = rare.length;
  const slotOf = scratch.ints('allWordsRareSlot', index.articleSlots);
  const ords = scratch.list('allWordsRareOrds');
  let best = new Float64Array(64 * clauses);
  let total = new Float64Array(64 * clauses);
  let title = new Float64Array(64 * clauses);
  let mask = new Uint32Array(64);
  const grow = (array: Float64Array) => {
    const grown = new Float64Array(array.length * 2);
    grown.set(array);
    return grown;
  };
  /** The article's slot, made on first use (with clause `j`'s bit set). */
  const slot = (ord: number, j: number): number => {
    let at = slotOf[ord]! - 1;
    if (at < 0) {
      at = ords.length;
      ords.push(ord);
      slotOf[ord] = at + 1;
      if (at >= mask.length) {
        best = grow(best);
        total = grow(total);
        title = grow(title);
        const grownMask = new Uint32Array(mask.length * 2);
        grownMask.set(mask);
        mask = grownMask;
      }
    }
    mask[at] = mask[at]! | (1 << j);
    return at * clauses + j;
  };
  /** Adds a term's best paragraph score in article `ord` (its slot exists: made at its first posting). */
  const addBest = (ord: number, j: number, termBest: number) => {
    const at = (slotOf[ord]! - 1) * clauses + j;
    best[at] = best[at]! + termBest;
  };
  for (let j = 0; j < clauses; j++) {
    for (const t of rare[j]!) {
      const paragraphs = t.paragraphs;
      if (paragraphs) {
        const { docs, tfs, start, end } = decodeAllBlocks(paragraphs.postings);
        let current = -1;
        let termBest = 0;
        for (let i = start; i < end; i++) {
          const doc = docs[i]!;
          const ord = index.paraArticle[doc]!;
          const norm = index.paraNorm[doc]!;
          if (ord < 0 || !(norm >= 0)) continue;
          const at = slot(ord, j);
          if (ord !== current) {
            if (current >= 0) addBest(current, j, termBest);
            current = ord;
            termBest = 0;
          }
          const score = bm25(paragraphs.idf, tfs[i]!, norm);
          if (score > termBest) termBest = score;
          total[at] = total[at]! + score;
        }
        if (current >= 0) addBest(current, j, termBest);
      }
      const titles = t.titles;
      if (titles) {
        const { docs, tfs, start, end } = decodeAllBlocks(titles.postings);
        for (let i = start; i < end; i++) {
          const doc = docs[i]!;
          const ord = index.titleArticle[doc]!;
          if (ord < 0) continue;
          const at = slot(ord, j);
          title[at] = title[at]! + bm25(titles.idf, tfs[i]!, index.titleNorm[doc]!);
        }
      }
    }
  }
  const clear = () => {
    for (let i = 0; i < ords.length; i++) slotOf[ords.ids[i]!] = 0;
    ords.clear();
  };
  return { slotOf, best, total, title, mask, clear };
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

/** Puts every cursor back at the start of its postings (to seek an article out of order). */
function rewind(terms: readonly (readonly ClauseTerm[])[]): void {
  for (const clause of terms)
    for (const t of clause) {
      t.article = -1;
      for (const cursor of [t.paragraphs, t.titles]) {
        if (!cursor) continue;
        cursor.at = cursor.postings.start;
        cursor.block = 0;
      }
    }
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
  const { paraScore, paraMask, paraTouched } = matches;
  const norms = index.paraNorm;
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
        const norm = norms[doc]!;
        if (!(norm >= 0)) continue;
        const r = doc - first;
        local[r] = local[r]! + bm25(cursor.idf, tfs[i]!, norm);
        held[r] = 1;
        t.matched = true;
      }
      if (t.inTitle) t.matched = true;
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
  const scale = weights.passage / (ordered.length - 1);
  let bonus = 0;
  for (let doc = first; doc < end; doc++) {
    const together = popCount(paraMask[doc]! & matches.scoringBits);
    if (together < 2) continue;
    const value = paraScore[doc]! * (together - 1) * scale;
    if (value > bonus) bonus = value;
  }
  score = score + bonus;
  matches.articleScore[ord] = score;
  matches.articleMask[ord] = full;
  matches.articleTouched.push(ord);
  return score;
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
  const candidates = candidateArticles(index, ordered[0]!, articleFilter);
  const full = clauses.length >= 32 ? 0xffffffff : (1 << clauses.length) - 1;
  const firstPara = index.articleFirstPara;

  // A term in fewer than one candidate article in RARE_SHARE is read once for all (`rareShares`), not sought in each.
  const isRare = (t: ClauseTerm) =>
    ((t.paragraphs?.postings.df ?? 0) + (t.titles?.postings.df ?? 0)) * RARE_SHARE < candidates.length;
  const frequent = ordered.map((clause) => clause.filter((t) => !isRare(t)));
  const rare = rareShares(
    index,
    ordered.map((clause) => clause.filter(isRare)),
  );

  // Pass 1, in article order: the articles holding every clause, and their bounds.
  const matching = scratch.list('allWordsMatching');
  let bounds = scratch.floats('allWordsBounds', 1024);
  const byBound = new TopScores(k);
  for (let i = 0; i < candidates.length; i++) {
    if ((i & 255) === 255 && deadline?.expired()) break;
    const ord = candidates[i]!;
    const first = firstPara[ord]!;
    const end = firstPara[ord + 1]!;
    let all = true;
    const rareMask = rare.slotOf[ord] === 0 ? 0 : rare.mask[rare.slotOf[ord]! - 1]!;
    for (let j = 0; j < frequent.length; j++)
      if (((rareMask >>> j) & 1) === 0 && !holds(index, frequent[j]!, ord, first, end)) {
        all = false;
        break;
      }
    if (!all) continue;
    prepareAll(index, frequent, ord);
    const bound = articleBound(index, frequent, ord, weights, rare);
    if (bounds.length <= matching.length) {
      const grown = new Float64Array(bounds.length * 2);
      grown.set(bounds);
      bounds = grown;
    }
    bounds[matching.length] = bound;
    byBound.offer(matching.length, bound, ord);
    matching.push(ord);
  }

  rare.clear();

  // Pass 2: the k highest bounds scored first, then any other article whose bound reaches the k-th best score.
  const exact = new TopScores(k);
  const scored = scratch.bytes('allWordsScored', matching.length);
  const score = (m: number) => {
    const ord = matching.ids[m]!;
    rewind(ordered);
    prepareAll(index, ordered, ord);
    exact.offer(ord, scoreArticle(index, ordered, order, ord, matches, weights, full), ord);
    scored[m] = 1;
  };
  for (const m of byBound.best()) score(m);
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
