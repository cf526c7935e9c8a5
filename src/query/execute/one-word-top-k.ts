/**
 * Top-k for a one-word query (its form, stem, prefix completions and one-word
 * synonyms: one clause of OR-ed terms), with block-max bounds (Ding and Suel
 * 2011) shaped by how an article's score is made here: `headline + best +
 * EXTRA · ln(1 + total − best)` over its paragraphs' scores, each paragraph's
 * score the sum of its terms' BM25.
 *
 * The terms are split in two. A **dense** term (its paragraph postings in
 * {@link DENSE_BLOCKS} blocks or more) is bounded by its blocks: a block's
 * largest term frequency in a document of the block's shortest length, with the
 * day's BM25 constants. Every other term's paragraph postings, and every term's
 * headline postings, are read once into per-article shares (`rareShares`); the
 * articles holding one of them are **special**, bounded one by one.
 *
 * The paragraphs are cut into **windows** that never split an article: from the
 * previous window's end to the end of the article holding the first block end
 * among the dense terms. In a window, a paragraph scores at most `Bd`, the sum
 * over the dense terms of their largest bound among the blocks the window
 * overlaps; so an article of `n` paragraphs that is not special scores at most
 * `Bd + EXTRA · ln(1 + (n − 1) · Bd)`, its best paragraph at most `Bd` and its
 * total at most `n · Bd` (the score grows with both). A special article adds its
 * shares: headline, best and total. Bounds are raised by a margin against sums
 * made in another order.
 *
 * Exactness (`exactness.ts`): the articles holding the typed form rank above
 * the others, so the best `k` are the best of that group, then, if it has fewer
 * than `k`, the best of the others. Each group is evaluated in turn: first the
 * items (windows, special articles) of the `k` highest bounds, scored exactly,
 * then every other item whose bound reaches the group's `k`-th best exact score
 * so far. A window's item scores its articles of the group that are not special.
 * An article is scored as the full evaluation scores it (`executeQuery`'s term
 * at a time loops): its paragraphs' scores summed term by term in the plan's
 * order, its total in paragraph order, so the scores are equal to the last bit;
 * ties (which rank by ordinal) are scored too.
 *
 * Only the articles scored are listed (`matches.pruned` when an item was left
 * out): the count of matching articles and paragraphs is then a lower bound.
 */
import type { ArchiveIndex } from '../../index/archive-index.js';
import {
  decodeAllBlocks,
  decodeBlockAt,
  firstAtLeast,
  seekBlock,
  type TermPostings,
} from '../../index/term-postings.js';
import { TopScores } from '../../index/top-k.js';
import { type ClauseTerm, cursorOf, type Cursor, type WeightedTerm } from './article-cursors.js';
import type { Deadline } from './deadline.js';
import { withMargin } from './max-score.js';
import { type QueryMatches, scratch } from './query-matches.js';
import { rareShares } from './rare-term-shares.js';
import { bm25 } from './term-scorer.js';

/**
 * A term whose paragraph postings fill at least this many blocks is bounded block
 * by block; a sparser one is read once into per-article shares (one block of a rare
 * completion spans most of the archive: its bound would weigh on every window).
 */
export const DENSE_BLOCKS = 4;

/** The constants of an article's score (`executeQuery`'s `TITLE_BOOST` and `EXTRA_PARAGRAPHS_WEIGHT`). */
export interface OneWordWeights {
  titleBoost: number;
  extraParagraphs: number;
}

/** Grows a typed array to twice its length, keeping its values. */
function grown<T extends Float64Array | Int32Array | Uint8Array>(array: T): T {
  const copy = new (array.constructor as new (n: number) => T)(array.length * 2);
  copy.set(array);
  return copy;
}

/** The windows of the dense terms' blocks (see the file's comment), in document order. */
interface Windows {
  count: number;
  /** First paragraph and the end (exclusive) of each window. */
  start: Int32Array;
  end: Int32Array;
  /** First article and the end (exclusive) of each window. */
  firstArticle: Int32Array;
  endArticle: Int32Array;
  /** `Bd`: the most the dense terms can give one paragraph of the window. */
  paragraph: Float64Array;
  /** The bound of an article of the window that is not special (margin included). */
  article: Float64Array;
  /** 1 when the typed form (a dense term) has a block overlapping the window. */
  exact: Uint8Array;
}

/** The score bound of a block of a dense term: its largest frequency in its shortest paragraph. */
function blockBound(index: ArchiveIndex, cursor: Cursor, b: number): number {
  const { maxTf, minLength } = cursor.postings.blocks;
  return bm25(cursor.idf, maxTf[b]!, index.lengthNorm('paragraphs', minLength[b]!));
}

/** Cuts the paragraphs into windows over the blocks of `dense` and bounds them (see the file's comment). */
function windowsOf(index: ArchiveIndex, dense: readonly Cursor[], exactCursor: Cursor | null, extra: number): Windows {
  const firstPara = index.articleFirstPara;
  const slots = index.articleSlots;
  const paraCount = index.paraArticle.length;
  let size = 256;
  const w: Windows = {
    count: 0,
    start: new Int32Array(size),
    end: new Int32Array(size),
    firstArticle: new Int32Array(size),
    endArticle: new Int32Array(size),
    paragraph: new Float64Array(size),
    article: new Float64Array(size),
    exact: new Uint8Array(size),
  };
  const at = new Int32Array(dense.length);
  let cur = 0;
  let ord = 0;
  while (ord < slots) {
    let e = paraCount;
    for (let t = 0; t < dense.length; t++) {
      const { count, last } = dense[t]!.postings.blocks;
      let b = at[t]!;
      while (b < count && last[b]! < cur) b++;
      at[t] = b;
      if (b < count && last[b]! < e) e = last[b]!;
    }
    if (e >= paraCount) break;
    // The article holding paragraph `e` ends the window; the longest article on the way bounds `n`.
    let most = 0;
    let o = ord;
    while (o < slots && firstPara[o + 1]! <= e) {
      const n = firstPara[o + 1]! - firstPara[o]!;
      if (n > most) most = n;
      o++;
    }
    if (o < slots) {
      const n = firstPara[o + 1]! - firstPara[o]!;
      if (n > most) most = n;
      o++;
    }
    const end = firstPara[o]!;
    let bd = 0;
    let exact = 0;
    for (let t = 0; t < dense.length; t++) {
      const cursor = dense[t]!;
      const { count, last } = cursor.postings.blocks;
      let best = 0;
      // Block b holds documents in (last[b − 1], last[b]]: it may overlap [cur, end) while last[b − 1] + 1 < end.
      for (let b = at[t]!; b < count && (b === at[t] || last[b - 1]! + 1 < end); b++) {
        const bound = blockBound(index, cursor, b);
        if (bound > best) best = bound;
      }
      bd += best;
      if (cursor === exactCursor && best > 0) exact = 1;
    }
    if (w.count === size) {
      size *= 2;
      w.start = grown(w.start);
      w.end = grown(w.end);
      w.firstArticle = grown(w.firstArticle);
      w.endArticle = grown(w.endArticle);
      w.paragraph = grown(w.paragraph);
      w.article = grown(w.article);
      w.exact = grown(w.exact);
    }
    const i = w.count++;
    w.start[i] = cur;
    w.end[i] = end;
    w.firstArticle[i] = ord;
    w.endArticle[i] = o;
    w.paragraph[i] = bd;
    w.article[i] = withMargin(bd + extra * Math.log1p(Math.max(0, most - 1) * bd));
    w.exact[i] = exact;
    cur = end;
    ord = o;
  }
  return w;
}

/** Article ordinal → 1 for the articles passing `filter` whose headline or a paragraph holds the term (see `exactness.ts`). */
function markExact(
  index: ArchiveIndex,
  paragraphs: TermPostings | null,
  titles: TermPostings | null,
  filter: Uint8Array | null,
): { marks: Uint8Array; clear: () => void } {
  const marks = scratch.bytes('oneWordExact', index.articleSlots);
  const marked = scratch.list('oneWordExactList');
  const mark = (postings: TermPostings | null, articleOf: Int32Array) => {
    if (!postings) return;
    const { docs, start, end } = decodeAllBlocks(postings);
    for (let i = start; i < end; i++) {
      const ord = articleOf[docs[i]!]!;
      if (ord < 0 || marks[ord] === 1 || (filter !== null && filter[ord] === 0)) continue;
      marks[ord] = 1;
      marked.push(ord);
    }
  };
  mark(paragraphs, index.paraArticle);
  mark(titles, index.titleArticle);
  return {
    marks,
    clear: () => {
      for (let i = 0; i < marked.length; i++) marks[marked.ids[i]!] = 0;
    },
  };
}

/** One term of the word: its cursors (null when a collection lacks it) and whether an article scored holds it. */
interface WordTerm {
  term: string;
  paragraphs: Cursor | null;
  titles: Cursor | null;
  dense: boolean;
  matched: boolean;
}

/**
 * Adds `cursor`'s BM25 of each live paragraph in `[first, end)` that `accept`s
 * its article to `local`, pushing each paragraph whose sum was 0 onto `touched`;
 * decodes only the blocks the span is in. Returns whether a paragraph counted.
 */
function addSpan(
  index: ArchiveIndex,
  cursor: Cursor,
  first: number,
  end: number,
  accept: (ord: number) => boolean,
  local: Float64Array,
  touched: { push(doc: number): void },
): boolean {
  const postings = cursor.postings;
  const { blocks } = postings;
  const norms = index.paraNorm;
  const articleOf = index.paraArticle;
  let matched = false;
  for (let b = seekBlock(blocks, 0, first); b < blocks.count; b++) {
    if (b > 0 && blocks.last[b - 1]! + 1 >= end) break;
    decodeBlockAt(postings, b);
    const { docs, tfs } = postings;
    const blockEnd = blocks.first[b + 1]!;
    for (let i = firstAtLeast(docs, blocks.first[b]!, blockEnd, first); i < blockEnd; i++) {
      const doc = docs[i]!;
      if (doc >= end) return matched;
      const norm = norms[doc]!;
      if (!(norm >= 0) || !accept(articleOf[doc]!)) continue;
      const before = local[doc]!;
      if (before === 0) touched.push(doc);
      local[doc] = before + bm25(cursor.idf, tfs[i]!, norm);
      matched = true;
    }
  }
  return matched;
}

/** The term's headline score in article `ord` (0 when its live headline lacks it). */
function titleOf(index: ArchiveIndex, cursor: Cursor, ord: number): number {
  if (index.titleArticle[ord]! < 0) return 0;
  const postings = cursor.postings;
  const { blocks } = postings;
  const b = seekBlock(blocks, 0, ord);
  if (b >= blocks.count) return 0;
  decodeBlockAt(postings, b);
  const i = firstAtLeast(postings.docs, blocks.first[b]!, blocks.first[b + 1]!, ord);
  if (i >= blocks.first[b + 1]! || postings.docs[i] !== ord) return 0;
  return bm25(cursor.idf, postings.tfs[i]!, index.titleNorm[ord]!);
}

/**
 * Scores the one-word plan whose terms are `terms` (its expansions, in the plan's
 * order) into `matches`, keeping exact the best `k` articles as `rankExactFirst`
 * ranks them with `exactTerm` (the typed form; null: by score alone), see the file's
 * comment. `articleFilter[ord]` = 0 leaves an article out. Sets `matches.pruned`
 * when articles were left out of the scoring; past `deadline`, the items not
 * reached yet are left out.
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
): void {
  const words: WordTerm[] = terms.map((t) => {
    const paragraphs = cursorOf(index, 'paragraphs', t);
    return {
      term: t.term,
      paragraphs,
      titles: cursorOf(index, 'titles', t),
      dense: paragraphs !== null && paragraphs.postings.blocks.count >= DENSE_BLOCKS,
      matched: false,
    };
  });
  const exactWord = exactTerm === null ? undefined : words.find((w) => w.term === exactTerm);
  const dense = words.filter((w) => w.dense).map((w) => w.paragraphs!);
  const extra = weights.extraParagraphs;
  const firstPara = index.articleFirstPara;
  const windows = windowsOf(index, dense, exactWord?.dense ? exactWord.paragraphs : null, extra);

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
  const exact = exactWord
    ? markExact(index, exactWord.paragraphs?.postings ?? null, exactWord.titles?.postings ?? null, articleFilter)
    : null;
  const group = (ord: number) => (exact === null ? 0 : exact.marks[ord]!);

  // The special articles passing the filter, ascending, each with its bound and group.
  const special = Int32Array.from(shares.articles).sort();
  const specialBound = new Float64Array(special.length);
  let specials = 0;
  let w = 0;
  for (let i = 0; i < special.length; i++) {
    const ord = special[i]!;
    if (articleFilter !== null && articleFilter[ord] === 0) continue;
    while (w < windows.count && windows.endArticle[w]! <= ord) w++;
    const bd = w < windows.count && windows.firstArticle[w]! <= ord ? windows.paragraph[w]! : 0;
    const slot = shares.slotOf[ord]! - 1;
    const n = firstPara[ord + 1]! - firstPara[ord]!;
    const best = bd + shares.best[slot]!;
    const total = n * bd + shares.total[slot]!;
    const top = Math.min(best, total);
    const bound = shares.title[slot]! * weights.titleBoost + top + extra * Math.log1p(Math.max(0, total - top));
    special[specials] = ord;
    specialBound[specials++] = withMargin(bound);
  }

  const { paraScore, paraMask, paraTouched } = matches;
  const local = scratch.floats('oneWordLocal', index.paraArticle.length);
  const touched = scratch.list('oneWordTouched');
  const best = { exact: new TopScores(k), other: new TopScores(k) };
  let exactScored = 0;

  /** Lists and ranks the articles of the paragraph sums in `local` (`touched`), adding `titles[ord]` headline scores. */
  const settle = (title: (ord: number) => number) => {
    touched.sortDistinct(index.paraArticle.length);
    const docs = touched.ids;
    let current = -1;
    let top = 0;
    let total = 0;
    const finish = () => {
      if (current < 0) return;
      const score = title(current) + top + extra * Math.log1p(total - top);
      record(current, score);
    };
    for (let i = 0; i < touched.length; i++) {
      const doc = docs[i]!;
      const ord = index.paraArticle[doc]!;
      if (ord !== current) {
        finish();
        current = ord;
        top = 0;
        total = 0;
      }
      const value = local[doc]!;
      local[doc] = 0;
      paraScore[doc] = value;
      paraMask[doc] = 1;
      paraTouched.push(doc);
      if (value > top) top = value;
      total = total + value;
    }
    finish();
    touched.clear();
  };
  const record = (ord: number, score: number) => {
    matches.articleScore[ord] = score;
    matches.articleMask[ord] = 1;
    matches.articleTouched.push(ord);
    if (group(ord) === 1) {
      best.exact.offer(ord, score, ord);
      exactScored++;
    } else best.other.offer(ord, score, ord);
  };

  /** Scores the articles of window `i` of group `g` that are not special. */
  const scoreWindow = (i: number, g: number) => {
    const accept = (ord: number) =>
      shares.slotOf[ord] === 0 && (articleFilter === null || articleFilter[ord] === 1) && group(ord) === g;
    for (const word of words)
      if (word.dense && addSpan(index, word.paragraphs!, windows.start[i]!, windows.end[i]!, accept, local, touched))
        word.matched = true;
    settle(() => 0);
  };
  /** Scores special article `ord`: every term's paragraphs and headline. */
  const scoreSpecial = (ord: number) => {
    const first = firstPara[ord]!;
    const end = firstPara[ord + 1]!;
    let title = 0;
    for (const word of words) {
      if (word.paragraphs && addSpan(index, word.paragraphs, first, end, () => true, local, touched))
        word.matched = true;
      const score = word.titles ? titleOf(index, word.titles, ord) : 0;
      if (score > 0) word.matched = true;
      title = title + score;
    }
    const headline = 0 + title * weights.titleBoost;
    if (touched.length === 0) record(ord, headline + 0 + extra * Math.log1p(0));
    else settle(() => headline);
  };

  /**
   * Evaluates group `g`'s items: windows (ids ≥ 0) and special articles (ids −1 − s), the
   * `need` highest bounds first, then every other one whose bound reaches the group's `need`-th best so far.
   */
  let pruned = false;
  let stopped = false;
  const evaluate = (g: number, top: TopScores) => {
    const windowHas = (i: number) => (g === 1 ? windows.exact[i] === 1 : true);
    const specialHas = (s: number) => group(special[s]!) === g;
    const seeds = new TopScores(k);
    for (let i = 0; i < windows.count; i++) if (windowHas(i)) seeds.offer(i, windows.article[i]!, i);
    for (let s = 0; s < specials; s++) if (specialHas(s)) seeds.offer(-1 - s, specialBound[s]!, -1 - s);
    const done = new Set<number>();
    const run = (id: number) => {
      done.add(id);
      if (id >= 0) scoreWindow(id, g);
      else scoreSpecial(special[-1 - id]!);
    };
    for (const id of seeds.best()) run(id);
    let steps = 0;
    const visit = (id: number, bound: number) => {
      if (stopped || done.has(id)) return;
      if ((++steps & 63) === 0 && deadline?.expired()) {
        stopped = true;
        pruned = true;
        return;
      }
      if (bound < top.threshold()) pruned = true;
      else run(id);
    };
    for (let i = 0; i < windows.count; i++) if (windowHas(i)) visit(i, windows.article[i]!);
    for (let s = 0; s < specials; s++) if (specialHas(s)) visit(-1 - s, specialBound[s]!);
  };

  if (exact !== null) evaluate(1, best.exact);
  if (exactScored >= k) {
    // Every article of the other group ranks below the k articles holding the typed form.
    let others = windows.count;
    for (let s = 0; s < specials && others === 0; s++) if (group(special[s]!) === 0) others++;
    if (others > 0) pruned = true;
  } else {
    // Every article holding the typed form is scored (none was left out below k): the others fill the rest.
    best.other = new TopScores(k - exactScored);
    evaluate(0, best.other);
  }
  for (const word of words) if (word.matched) matches.matchedTerms.add(word.term);
  if (pruned) matches.pruned = true;
  shares.clear();
  exact?.clear();
}
