/**
 * Exactness for a one-word query (Meilisearch's ranking rule of that name; an
 * Elasticsearch user gets it by querying an exact sub-field beside the stemmed
 * one): the articles that hold the word as it was typed rank above the articles
 * that hold only other words of its stem, each group by score. `displaced` then
 * lists the articles about displaced people before those that only mention a
 * displacing or a displace, however short their paragraphs.
 *
 * With several words, the typed form only adds its own small weight
 * (`WEIGHTS.exact` in `expand-terms.ts`): a tier per word would let one word's form
 * outweigh another word altogether.
 *
 * Runs after per-paragraph scoring, over the matching articles' ordinals; one
 * more pass over the typed form's postings (paragraphs and headlines), reading no score.
 */
import type { ArchiveIndex, Collection } from '../../index/archive-index.js';
import { decodeAllBlocks } from '../../index/term-postings.js';
import { TopScores } from '../../index/top-k.js';
import type { CompiledWord, QueryPlan } from './execute-query.js';
import { scratch } from './query-matches.js';
import { cursorOf, seek, span } from './article-cursors.js';

/**
 * Below one listed article per this many postings of the typed form, the articles are looked up in its
 * postings one by one (through the skip data) instead of marking every article the postings hold: after a
 * top-k evaluation a common word lists a few hundred articles of its tens of thousands.
 */
const SEEK_SHARE = 8;

/** The word of a one-word query (one clause of one word, no query tree); null for any other plan. */
export function singleWord(plan: QueryPlan): CompiledWord | null {
  if (plan.match || plan.clauses.length !== 1 || plan.clauses[0]!.length !== 1) return null;
  const item = plan.clauses[0]![0]!;
  return item.type === 'word' ? item : null;
}

/**
 * The typed form of a one-word query whose word also matches other forms (of its
 * stem, by prefix or with typos): the index term that ranks first. Null for any other
 * plan (several words or clauses, a phrase, a query tree, or a word with no other form).
 */
export function exactTerm(plan: QueryPlan): string | null {
  const item = singleWord(plan);
  if (item === null || item.expansions.length < 2) return null;
  return item.expansions.find((e) => e.kind === 'exact')?.term ?? null;
}

/**
 * Article ordinal → 1 for each article whose headline or a live paragraph holds
 * `term` and that passes `filter`; `clear()` zeroes the marks again (a scratch array).
 * Read straight from the term's postings: no score is computed. With `ids` (articles passing
 * `filter`) only those need marking: when they are few beside the postings, each is sought in them.
 */
export function articlesWithTerm(
  index: ArchiveIndex,
  term: string,
  filter: Uint8Array | null,
  ids: ArrayLike<number> | null,
): { marks: Uint8Array; clear: () => void } {
  const marks = scratch.bytes('exactArticles', index.articleSlots);
  const marked = scratch.list('exactArticleList');
  const mark = (collection: Collection, articleOf: Int32Array) => {
    const postings = index.termPostings(collection, term);
    if (!postings) return;
    const { docs, start, end } = decodeAllBlocks(postings);
    for (let i = start; i < end; i++) {
      const ord = articleOf[docs[i]!]!;
      // Deleted documents stay in the postings until a merge: their article is -1.
      if (ord < 0 || marks[ord] === 1 || (filter !== null && filter[ord] === 0)) continue;
      marks[ord] = 1;
      marked.push(ord);
    }
  };
  const paragraphs = index.termPostings('paragraphs', term);
  const titles = index.termPostings('titles', term);
  if (ids !== null && ids.length * SEEK_SHARE < (paragraphs?.df ?? 0) + (titles?.df ?? 0))
    markAmong(index, term, filter, ids, marks, marked);
  else {
    mark('paragraphs', index.paraArticle);
    mark('titles', index.titleArticle);
  }
  const clear = () => {
    for (let i = 0; i < marked.length; i++) marks[marked.ids[i]!] = 0;
    marked.clear();
  };
  return { marks, clear };
}

/**
 * Marks (in `marks`, listing them in `marked`) the articles of `ids` passing `filter` whose live headline or a live
 * paragraph holds `term`, seeking each in the term's postings through the skip data (in ascending
 * order, so each cursor moves forward only): the marks `articlesWithTerm` would set on them.
 */
function markAmong(
  index: ArchiveIndex,
  term: string,
  filter: Uint8Array | null,
  ids: ArrayLike<number>,
  marks: Uint8Array,
  marked: { push(id: number): void },
): void {
  const sorted = Int32Array.from(ids).sort();
  const paragraphs = cursorOf(index, 'paragraphs', { term, weight: 1 });
  const titles = cursorOf(index, 'titles', { term, weight: 1 });
  for (let i = 0; i < sorted.length; i++) {
    const ord = sorted[i]!;
    if (filter !== null && filter[ord] === 0) continue;
    let holds = titles !== null && index.titleArticle[ord]! >= 0 && seek(titles, ord) === ord;
    if (!holds && paragraphs !== null) {
      span(paragraphs, index.articleFirstPara[ord]!, index.articleFirstPara[ord + 1]!);
      const docs = paragraphs.postings.docs;
      // Deleted documents stay in the postings until a merge: their article is -1.
      for (let at = paragraphs.from; at < paragraphs.to && !holds; at++) holds = index.paraArticle[docs[at]!]! >= 0;
    }
    if (holds && marks[ord] === 0) {
      marks[ord] = 1;
      marked.push(ord);
    }
  }
}

/**
 * The best `limit` of `ids` (matching article ordinals), best first: those holding
 * `term` (the typed form, see {@link exactTerm}) first, each group by `score`
 * (higher first), then ordinal. Ties and order within a group are as without exactness.
 */
export function rankExactFirst(
  index: ArchiveIndex,
  term: string,
  filter: Uint8Array | null,
  ids: ArrayLike<number>,
  scores: Float64Array,
  limit: number,
): number[] {
  const { marks, clear } = articlesWithTerm(index, term, filter, ids);
  const exact = new TopScores(limit);
  const other = new TopScores(limit);
  for (let i = 0; i < ids.length; i++) {
    const ord = ids[i]!;
    if (marks[ord]) exact.offer(ord, scores[ord]!, ord);
    else other.offer(ord, scores[ord]!, ord);
  }
  clear();
  const first = exact.best();
  return first.length >= limit ? first : [...first, ...other.best().slice(0, limit - first.length)];
}
