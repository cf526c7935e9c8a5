/**
 * Top-k for a one-word query (its form, stem, prefix completions and one-word
 * synonyms: one clause of OR-ed terms), with block-max bounds (Ding and Suel
 * 2011) shaped by how an article's score is made here: `headline + best +
 * EXTRA · ln(1 + total − best)` over its paragraphs' scores, each paragraph's
 * score the sum of its terms' BM25.
 *
 * The terms are split in two. A **dense** term (paragraph postings in at least
 * {@link DENSE_BLOCKS} blocks and {@link DENSE_SHARE} of the blocks of the word's
 * largest term: the form and the stem, mostly) is bounded by its blocks, window by
 * window (`block-windows.ts`). Every other term's paragraph postings, and every
 * term's headline postings, are read once into per-article shares (`rareShares`);
 * the articles holding one of them are **special**, bounded one by one: their
 * window's `Bd` plus their shares, then, if that could reach the page, their own
 * postings of the dense terms (each term's best paragraph and their total, as the
 * all-words top-k bounds an article) plus their shares. Bounds are raised by a
 * margin against sums made in another order.
 *
 * Exactness (`exactness.ts`): the articles holding the typed form rank above the
 * others, so the best `k` are the best of that group, then, if it has fewer than
 * `k`, the best of the others. An item (a window, a special article) is left out
 * when nothing in it can enter the best `k` of the typed form's articles nor,
 * while fewer than `k` of those are known, the best `k` of the others. The items
 * of the `k` highest bounds are scored first, then the special articles (their
 * headlines make most of the best scores), then the windows, each only if its
 * bound reaches the `k`-th best so far. A window is scored by streaming its dense
 * terms' postings into a small array by paragraph; a special article through
 * forward cursors. An article is scored as the full evaluation scores it
 * (`executeQuery`'s term at a time loops): its paragraphs' scores summed term by
 * term in the plan's order, its total in paragraph order, so the scores are equal
 * to the last bit; ties (which rank by ordinal) are scored too.
 *
 * The articles scored are listed with their paragraphs; those left out are only
 * counted (`matches.unlistedArticles`, `unlistedParagraphs`: a window left out is
 * read for its articles and paragraphs, no score computed), so the counts of hits
 * and paragraphs stay exact and the response is the full evaluation's, whatever
 * the segments. Counting is bounded as Elasticsearch's `track_total_hits` bounds
 * it: once `countTo` matching articles are known (listed or counted), the windows
 * left out after are not read at all, and the counts are lower bounds
 * (`matches.pruned`); a search counts to the paging depth (`MAX_TOTAL_HITS`), so
 * its number of pages stays exact.
 */
import type { ArchiveIndex } from '../../index/archive-index.js';
import { TopScores } from '../../index/top-k.js';
import { countUnlistedParagraphs } from './unlisted-paragraphs.js';
import { type ClauseTerm, cursorOf, prepare, rewind, spanScores, type WeightedTerm } from './article-cursors.js';
import type { Deadline } from './deadline.js';
import { windowsOf } from './block-windows.js';
import { withMargin } from './max-score.js';
import { oneWordTerms } from './one-word-terms.js';
import { oneWordWindows } from './one-word-windows.js';
import { oneWordArticleScorer } from './one-word-articles.js';
import { type QueryMatches, scratch } from './query-matches.js';
import { rareShares } from './rare-term-shares.js';

export { DENSE_BLOCKS, DENSE_SHARE } from './one-word-terms.js';

/**
 * The one-word top-k gives way to the term-at-a-time evaluation when the special articles' postings
 * (the sparse terms' paragraphs, every headline) times the number of terms exceed the word's
 * paragraph postings times this.
 */
export const SPECIAL_COST = 8;

/** The constants of an article's score (`TITLE_BOOST` and `EXTRA_PARAGRAPHS_WEIGHT` of `score-weights.ts`). */
export interface OneWordWeights {
  titleBoost: number;
  extraParagraphs: number;
}

/**
 * Scores the one-word plan whose terms are `terms` (its expansions, in the plan's
 * order) into `matches`, keeping exact the best `k` articles as `rankExactFirst`
 * ranks them with `exactTerm` (the typed form; null: by score alone), see the file's
 * comment. `articleFilter[ord]` = 0 leaves an article out. Every matching article
 * and paragraph is listed; those left out of the scoring have a score of 0. Past
 * `deadline`, the items not reached yet are left out (`matches.pruned` then says
 * the counts are lower bounds); so are the windows left out once `countTo` (default
 * no limit) matching articles are known. Returns false, having done nothing, when the
 * special articles would cost more than the term-at-a-time evaluation (see {@link SPECIAL_COST}).
 */
export function scoreOneWordTopK(
  index: ArchiveIndex,
  terms: readonly WeightedTerm[],
  exactTerm: string | null,
  articleFilter: Uint8Array | null,
  matches: QueryMatches,
  k: number,
  weights: OneWordWeights,
  deadline?: Deadline,
  countTo = Number.POSITIVE_INFINITY,
): boolean {
  const words = oneWordTerms(index, terms);
  // Each special article is scored (or bounded) from every term in turn: when they would cost more than
  // the word's postings read once, the term-at-a-time evaluation is cheaper.
  let postings = 0;
  let specialPostings = 0;
  for (const w of words) {
    const df = w.paragraphs?.postings.df ?? 0;
    postings += df;
    if (!w.dense) specialPostings += df;
    specialPostings += w.titles?.postings.df ?? 0;
  }
  if (specialPostings * words.length > postings * SPECIAL_COST) return false;
  const exactWord = exactTerm === null ? undefined : words.find((w) => w.term === exactTerm);
  const dense = words.filter((w) => w.dense);
  const extra = weights.extraParagraphs;
  const firstPara = index.articleFirstPara;
  const windows = windowsOf(
    index,
    dense.map((w) => w.paragraphs!),
    exactWord?.dense ? exactWord.paragraphs : null,
    extra,
  );

  // The sparse terms' paragraphs and every term's headlines, read once: the special articles' shares.
  const shared: ClauseTerm[] = words.map((w) => ({
    term: w.term,
    paragraphs: w.dense ? null : w.paragraphs,
    titles: w.titles,
    article: -1,
    inTitle: false,
    matched: false,
  }));
  const shares = rareShares(index, [shared]);
  const slotOf = shares.slotOf;

  // The special articles passing the filter, ascending, each with its bound.
  const special = Int32Array.from(shares.articles).sort();
  const specialBound = new Float64Array(special.length);
  let specials = 0;
  let w = 0;
  for (let i = 0; i < special.length; i++) {
    const ord = special[i]!;
    if (articleFilter !== null && articleFilter[ord] === 0) continue;
    while (w < windows.count && windows.endArticle[w]! <= ord) w++;
    const bd = w < windows.count && windows.firstArticle[w]! <= ord ? windows.paragraph[w]! : 0;
    const slot = slotOf[ord]! - 1;
    const n = firstPara[ord + 1]! - firstPara[ord]!;
    const best = bd + shares.best[slot]!;
    const total = n * bd + shares.total[slot]!;
    const top = Math.min(best, total);
    const bound = shares.title[slot]! * weights.titleBoost + top + extra * Math.log1p(Math.max(0, total - top));
    special[specials] = ord;
    specialBound[specials++] = withMargin(bound);
  }

  // The paragraphs of the articles scored are listed with their scores (once each); every other matching
  // paragraph is only counted: a bit each in `unlisted` (those of the articles scored are cleared at the end).
  const { paraScore, paraMask, paraTouched } = matches;
  const listParagraph = (doc: number) => {
    if (paraMask[doc] === 0) {
      paraMask[doc] = 1;
      paraTouched.push(doc);
    }
  };
  const unlisted = scratch.ints('oneWordUnlisted', (index.paraArticle.length >>> 5) + 1);
  for (const w of words) {
    if (w.dense || !w.paragraphs) continue;
    const { docs, start, end } = w.paragraphs.postings;
    for (let i = start; i < end; i++) {
      const doc = docs[i]!;
      const ord = index.paraArticle[doc]!;
      if (ord < 0 || (articleFilter !== null && articleFilter[ord] === 0)) continue;
      unlisted[doc >>> 5] = unlisted[doc >>> 5]! | (1 << (doc & 31));
    }
  }

  // The best k articles holding the typed form, and the best k of the others.
  const exactTop = new TopScores(k);
  const otherTop = new TopScores(k);
  const list = (ord: number, score: number, holdsExact: boolean) => {
    matches.articleScore[ord] = score;
    matches.articleMask[ord] = 1;
    matches.articleTouched.push(ord);
    if (holdsExact) {
      exactTop.offer(ord, score, ord);
    } else otherTop.offer(ord, score, ord);
  };

  const byWindow = oneWordWindows({
    index,
    windows,
    dense,
    exactWord,
    articleFilter,
    slotOf,
    unlisted,
    extra,
    paraScore,
    listParagraph,
    list,
  });

  const articles = oneWordArticleScorer({
    index,
    words,
    exactWord,
    paraScore,
    listParagraph,
    titleBoost: weights.titleBoost,
    extra,
  });
  const cursors = articles.cursors;
  const scoreArticle = articles.score;
  // The dense terms' own cursors (moving forward apart from the others'), for a special article's tighter bound.
  const denseCursors: ClauseTerm[] = words.flatMap((w, i) =>
    w.dense
      ? [
          {
            term: w.term,
            paragraphs: cursorOf(index, 'paragraphs', terms[i]!),
            titles: null,
            article: -1,
            inTitle: false,
            matched: false,
          },
        ]
      : [],
  );
  /**
   * A special article's bound from its own postings of the dense terms (each term's best paragraph
   * score and their sum, as the all-words top-k bounds an article) and its shares. Articles in ascending order.
   */
  const tighterBound = (s: number): number => {
    const ord = special[s]!;
    const first = firstPara[ord]!;
    const end = firstPara[ord + 1]!;
    const slot = slotOf[ord]! - 1;
    let best = shares.best[slot]!;
    let total = shares.total[slot]!;
    for (const term of denseCursors) {
      prepare(index, term, ord, first, end);
      const scores = spanScores(index, term.paragraphs!);
      best += scores.best;
      total += scores.total;
    }
    const top = Math.min(best, total);
    return withMargin(shares.title[slot]! * weights.titleBoost + top + extra * Math.log1p(Math.max(0, total - top)));
  };
  const scoreSpecial = (s: number) => {
    const ord = special[s]!;
    const { score, holds } = scoreArticle(ord);
    list(ord, score, holds);
  };

  /** Whether nothing that an item of this bound holds can reach the best k (`typed`: it may hold the typed form). */
  const cannotReach = (bound: number, mayHoldTyped: boolean): boolean => {
    const exactFull = exactTop.threshold() > -Infinity;
    const typedOut = !mayHoldTyped || (exactFull && bound < exactTop.threshold());
    const othersOut = exactFull || bound < otherTop.threshold();
    return typedOut && othersOut;
  };

  // An article left out of the scoring is counted, not listed: `totalHits` stays exact.
  let unlistedArticles = 0;

  // The items: windows (ids ≥ 0) and special articles (ids −1 − s); the k highest bounds first.
  const seeds = new TopScores(k);
  for (let i = 0; i < windows.count; i++) seeds.offer(i, windows.article[i]!, i);
  for (let s = 0; s < specials; s++) seeds.offer(-1 - s, specialBound[s]!, -1 - s);
  const done = scratch.bytes('oneWordDone', windows.count + specials);
  const seeded = seeds.best().sort((x, y) => x - y);
  // The seeds' special articles in ascending order (ids −1 − s: the most negative first is the last article).
  const negative = seeded.filter((id) => id < 0).length;
  for (let i = negative - 1; i >= 0; i--) {
    const s = -1 - seeded[i]!;
    done[windows.count + s] = 1;
    scoreSpecial(s);
  }
  for (const id of seeded) {
    if (id < 0) continue;
    done[id] = 1;
    byWindow.score(id);
  }
  let stopped = false;
  let uncounted = false;
  const mayHoldTyped = exactWord !== undefined;
  // The special articles first (their headlines make most of the best scores), then the windows.
  rewind([cursors]);
  for (let s = 0; s < specials && !deadline?.reached; s++) {
    if (done[windows.count + s] === 1) continue;
    if ((s & 63) === 63 && deadline?.expired()) {
      stopped = true;
      break;
    }
    if (cannotReach(specialBound[s]!, mayHoldTyped) || cannotReach(tighterBound(s), mayHoldTyped)) {
      unlistedArticles++;
    } else scoreSpecial(s);
  }
  for (let i = 0; i < windows.count; i++) {
    if (done[i] === 1) continue;
    if ((i & 63) === 63 && deadline?.expired()) {
      stopped = true;
      break;
    }
    if (!cannotReach(windows.article[i]!, windows.exact[i] === 1)) byWindow.score(i);
    // Counted while fewer than `countTo` matching articles are known (listed or counted); past that, not read.
    else if (matches.articleTouched.length + unlistedArticles < countTo) unlistedArticles += byWindow.count(i);
    else uncounted = true;
  }
  done.fill(0, 0, windows.count + specials);
  for (const word of words) if (word.matched) matches.matchedTerms.add(word.term);
  // The paragraphs counted and not listed.
  matches.unlistedParagraphs = countUnlistedParagraphs(unlisted, paraTouched);
  matches.unlistedArticles = unlistedArticles;
  // Past the deadline, the articles not reached are not listed; past `countTo`, not counted: the counts are then lower bounds.
  if (stopped || uncounted || deadline?.reached) matches.pruned = true;
  shares.clear();
  return true;
}
