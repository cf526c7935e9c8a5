/**
 * The windows of a one-word query's dense terms (`one-word-top-k.ts`): the paragraphs
 * cut into spans of whole articles at the blocks' ends, each bounded from the skip
 * data alone (each block's largest term frequency in its shortest paragraph, with the
 * day's BM25 constants), and the positions of a term's postings in a window.
 *
 * A window runs from the previous window's end to the end of the article holding the
 * first block end among the dense terms, so that no article is split. In it a paragraph
 * scores at most `Bd`, the sum over the dense terms of their largest bound among the
 * blocks the window overlaps, and an article of `n` paragraphs (no headline, no other
 * term) at most `Bd + EXTRA · ln(1 + (n − 1) · Bd)`, `n` the window's longest article.
 */
import type { ArchiveIndex } from '../../index/archive-index.js';
import { decodeBlockAt, firstAtLeast, seekBlock, type TermPostings } from '../../index/term-postings.js';
import type { Cursor } from './article-cursors.js';
import { withMargin } from './max-score.js';
import { scratch } from './query-matches.js';
import { bm25 } from './term-scorer.js';

/** Grows a typed array to twice its length, keeping its values. */
function grown<T extends Float64Array | Int32Array | Uint8Array>(array: T): T {
  const copy = new (array.constructor as new (n: number) => T)(array.length * 2);
  copy.set(array);
  return copy;
}

/** The windows of the dense terms' blocks (see the file's comment), in document order. */
export interface Windows {
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
  /** With clauses (`ClauseGroups`): `Bd` of each clause's dense terms, at `[window · clauses + clause]`. */
  clause: Float64Array;
}

/**
 * The dense terms' clauses, for an any-word query (`any-word-top-k.ts`): `clauseOf[t]` is the
 * clause of `dense[t]`; an article's bound is then the sum of its clauses' bounds plus the
 * passage bonus's (`passage` times the paragraph bound).
 */
export interface ClauseGroups {
  clauseOf: Int32Array;
  clauses: number;
  passage: number;
}

/** The score bound of a block of a dense term: its largest frequency in its shortest paragraph. */
function blockBound(index: ArchiveIndex, cursor: Cursor, b: number): number {
  const { maxTf, minLength } = cursor.postings.blocks;
  return bm25(cursor.idf, maxTf[b]!, index.lengthNorm('paragraphs', minLength[b]!));
}

/** Articles per chunk of {@link longest}'s table. */
const CHUNK = 64;

/** Per index (its article table and article count): the most paragraphs of an article, chunk by chunk. */
const chunkTables = new WeakMap<Int32Array, { slots: number; most: Int32Array }>();

/** The most paragraphs one of the articles `from … to − 1` has (its chunks' table made once per index). */
function longest(index: ArchiveIndex, from: number, to: number): number {
  const firstPara = index.articleFirstPara;
  const slots = index.articleSlots;
  let table = chunkTables.get(firstPara);
  if (!table || table.slots !== slots) {
    const most = new Int32Array(Math.ceil(slots / CHUNK));
    for (let ord = 0; ord < slots; ord++) {
      const n = firstPara[ord + 1]! - firstPara[ord]!;
      if (n > most[(ord / CHUNK) | 0]!) most[(ord / CHUNK) | 0] = n;
    }
    table = { slots, most };
    chunkTables.set(firstPara, table);
  }
  let most = 0;
  let ord = from;
  // Whole chunks from their maxima, the ends article by article.
  for (; ord < to && ord % CHUNK !== 0; ord++) most = Math.max(most, firstPara[ord + 1]! - firstPara[ord]!);
  for (; ord + CHUNK <= to; ord += CHUNK) most = Math.max(most, table.most[ord / CHUNK]!);
  for (; ord < to; ord++) most = Math.max(most, firstPara[ord + 1]! - firstPara[ord]!);
  return most;
}

/**
 * Cuts the paragraphs into windows over the blocks of `dense` and bounds them (see the
 * file's comment); `exactCursor`: the typed form's, when it is dense (marks the windows
 * it may be in); `extra`: the weight of an article's other paragraphs (`EXTRA_PARAGRAPHS_WEIGHT`).
 * With `groups` (several clauses), an article's bound is the sum over the clauses of
 * `Bd_c + EXTRA · ln(1 + (n − 1) · Bd_c)` plus the passage bonus's, `passage · Bd`.
 */
export function windowsOf(
  index: ArchiveIndex,
  dense: readonly Cursor[],
  exactCursor: Cursor | null,
  extra: number,
  groups?: ClauseGroups,
): Windows {
  const clauses = groups?.clauses ?? 0;
  const clauseBd = new Float64Array(clauses);
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
    clause: new Float64Array(size * clauses),
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
    // The article holding paragraph `e` ends the window; the longest article in it bounds `n`.
    const o = Math.min(slots, firstAtLeast(firstPara, ord + 1, slots + 1, e + 1));
    const end = firstPara[o]!;
    const most = longest(index, ord, o);
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
      if (groups) clauseBd[groups.clauseOf[t]!] = clauseBd[groups.clauseOf[t]!]! + best;
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
      w.clause = grown(w.clause);
    }
    const i = w.count++;
    w.start[i] = cur;
    w.end[i] = end;
    w.firstArticle[i] = ord;
    w.endArticle[i] = o;
    w.paragraph[i] = bd;
    if (groups) {
      let bound = groups.passage * bd;
      for (let c = 0; c < clauses; c++) {
        const b = clauseBd[c]!;
        bound += b + extra * Math.log1p(Math.max(0, most - 1) * b);
        w.clause[i * clauses + c] = b;
        clauseBd[c] = 0;
      }
      w.article[i] = withMargin(bound);
    } else w.article[i] = withMargin(bd + extra * Math.log1p(Math.max(0, most - 1) * bd));
    w.exact[i] = exact;
    cur = end;
    ord = o;
  }
  return w;
}

/** Where `windowSpan` found a window's postings (one object, reused). */
const span = { from: 0, to: 0 };

/**
 * Decodes the blocks of `postings` that may hold documents of `[start, end)` (found through the
 * skip data; no other is decoded) and returns the positions of those documents, `span.from … span.to`.
 */
export function windowSpan(postings: TermPostings, start: number, end: number): typeof span {
  const { blocks } = postings;
  const first = seekBlock(blocks, 0, start);
  let b = first;
  // Block b holds documents in (last[b − 1], last[b]]: it may hold some below `end` while last[b − 1] + 1 < end.
  for (; b < blocks.count && (b === first || blocks.last[b - 1]! + 1 < end); b++) decodeBlockAt(postings, b);
  const limit = blocks.first[b]!;
  span.from = first < blocks.count ? firstAtLeast(postings.docs, blocks.first[first]!, limit, start) : limit;
  span.to = firstAtLeast(postings.docs, span.from, limit, end);
  return span;
}

/**
 * What counts a window's articles without scoring them: called with a window's postings (`lists`, each
 * read over documents `[start, end)`), it returns how many articles not special (`slotOf[ord]` 0) and
 * passing `articleFilter` hold one of them in a live paragraph, each once, and marks every such paragraph
 * (special articles' too) in `unlisted` (a bit a paragraph), for the counts of the one-word and any-word top-k.
 */
export function windowArticleCounter(
  index: ArchiveIndex,
  slotOf: Int32Array,
  articleFilter: Uint8Array | null,
  unlisted: Int32Array,
): (lists: readonly TermPostings[], start: number, end: number) => number {
  const articleOf = index.paraArticle;
  const counted = scratch.bytes('windowCounted', index.articleSlots);
  const found = scratch.list('windowFound');
  return (lists, start, end) => {
    for (const postings of lists) {
      const { from, to } = windowSpan(postings, start, end);
      const docs = postings.docs;
      for (let at = from; at < to; at++) {
        const doc = docs[at]!;
        const ord = articleOf[doc]!;
        if (ord < 0 || (articleFilter !== null && articleFilter[ord] === 0)) continue;
        unlisted[doc >>> 5] = unlisted[doc >>> 5]! | (1 << (doc & 31));
        if (counted[ord] === 1 || slotOf[ord] !== 0) continue;
        counted[ord] = 1;
        found.push(ord);
      }
    }
    for (let j = 0; j < found.length; j++) counted[found.ids[j]!] = 0;
    const n = found.length;
    found.clear();
    return n;
  };
}
