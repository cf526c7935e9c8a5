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
 * more pass over the typed form's postings (paragraphs and headlines).
 */
import type { ArchiveIndex } from '../../index/archive-index.js';
import { TopScores } from '../../index/top-k.js';
import type { CompiledWord, QueryPlan } from './execute-query.js';
import { scratch } from './query-matches.js';
import type { TermScorer } from './term-scorer.js';

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
 */
function articlesWithTerm(
  index: ArchiveIndex,
  scorer: TermScorer,
  term: string,
  filter: Uint8Array | null,
): { marks: Uint8Array; clear: () => void } {
  const marks = scratch.bytes('exactArticles', index.articleSlots);
  const paraScores = scratch.floats('exactParas', index.paraArticle.length);
  const titleScores = scratch.floats('exactTitles', index.titleArticle.length);
  const paras = scratch.list('exactParaList');
  const titles = scratch.list('exactTitleList');
  scorer.accumulate('paragraphs', term, 1, paraScores, paras, filter);
  scorer.accumulate('titles', term, 1, titleScores, titles, filter);
  for (let i = 0; i < paras.length; i++) {
    const doc = paras.ids[i]!;
    paraScores[doc] = 0;
    marks[index.paraArticle[doc]!] = 1;
  }
  for (let i = 0; i < titles.length; i++) {
    const doc = titles.ids[i]!;
    titleScores[doc] = 0;
    marks[index.titleArticle[doc]!] = 1;
  }
  const clear = () => {
    for (let i = 0; i < paras.length; i++) marks[index.paraArticle[paras.ids[i]!]!] = 0;
    for (let i = 0; i < titles.length; i++) marks[index.titleArticle[titles.ids[i]!]!] = 0;
  };
  return { marks, clear };
}

/**
 * The best `limit` of `ids` (matching article ordinals), best first: those holding
 * `term` (the typed form, see {@link exactTerm}) first, each group by `score`
 * (higher first), then ordinal. Ties and order within a group are as without exactness.
 */
export function rankExactFirst(
  index: ArchiveIndex,
  scorer: TermScorer,
  term: string,
  filter: Uint8Array | null,
  ids: ArrayLike<number>,
  score: (ord: number) => number,
  limit: number,
): number[] {
  const { marks, clear } = articlesWithTerm(index, scorer, term, filter);
  const exact = new TopScores(limit);
  const other = new TopScores(limit);
  for (let i = 0; i < ids.length; i++) {
    const ord = ids[i]!;
    (marks[ord] ? exact : other).offer(ord, score(ord), ord);
  }
  clear();
  const first = exact.best();
  return first.length >= limit ? first : [...first, ...other.best().slice(0, limit - first.length)];
}
