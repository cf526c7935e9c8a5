import { performance } from 'node:perf_hooks';
import { stemTerm } from '../analysis/index-terms.js';
import type { Article } from '../corpus/article.js';
import type { ArchiveIndex } from '../index/archive-index.js';
import { tokenForms } from '../index/segments/build-segment.js';
import { TopScores } from '../index/top-k.js';
import { popCount } from '../pop-count.js';
import { Deadline } from './execute/deadline.js';
import {
  createFastScorer,
  executeQuery,
  releaseMatches,
  type CompiledWord,
  type TermScorer,
} from './execute/execute-query.js';
import { articleMeta, type ArticleMeta } from './search-archive.js';
import { buildArticleFilter } from './execute/article-filter.js';
import { withDefaults } from './search-params.js';
import { termIdf } from './execute/term-idf.js';

/** Options of {@link relatedArticles}. */
export interface RelatedParams {
  /** Most related articles returned, 1–20. */
  limit: number;
  /** Inclusive publication-time bounds of the related articles, ms since the epoch; null for none. */
  from: number | null;
  to: number | null;
  /**
   * Preference for nearby dates: a related article this many days before or after the article
   * scores half, twice as far a quarter (exponential decay); null for none. Ignored when the article is undated;
   * an undated candidate scores a quarter (as if two half-lives away).
   */
  halfLifeDays: number | null;
}

/** A related article: its metadata, its score, and the chosen words it shares with the article. */
export interface RelatedHit extends ArticleMeta {
  score: number;
  sharedTerms: string[];
}

export interface RelatedResponse {
  articleId: string;
  /** The article's most distinctive words, most distinctive first: the query that was run. */
  terms: string[];
  hits: RelatedHit[];
  processingTimeMs: number;
}

/** Most words taken from the article (Elasticsearch's more-like-this `max_query_terms`, 25; at most 32 query clauses). */
export const MAX_RELATED_TERMS = 25;
/** Shortest word taken, in characters: shorter ones are mostly function words and initials. */
const MIN_WORD_LENGTH = 3;

/**
 * The article's words scored by tf·idf (tf in the article; idf over paragraphs and headlines), as
 * `[form, stem term, score]`, best first. Document frequencies come from the segments' dictionaries
 * (no postings decoded for the article's hundreds of words; deleted documents still counted until a merge).
 */
export function distinctiveTerms(
  index: ArchiveIndex,
  article: Article,
  most = MAX_RELATED_TERMS,
): [string, string, number][] {
  // Per stem: how often it occurs, and its most frequent form (the word shown and highlighted).
  const stems = new Map<string, { tf: number; forms: Map<string, number> }>();
  for (const text of [article.title, ...article.paragraphs]) {
    for (const form of tokenForms(text)) {
      if (form.length < MIN_WORD_LENGTH || !/\p{L}/u.test(form)) continue;
      const stem = stemTerm(form);
      let entry = stems.get(stem);
      if (!entry) stems.set(stem, (entry = { tf: 0, forms: new Map() }));
      entry.tf++;
      entry.forms.set(form, (entry.forms.get(form) ?? 0) + 1);
    }
  }
  const documents = index.liveDocumentCount('paragraphs') + index.liveDocumentCount('titles');
  const scored: [string, string, number][] = [];
  for (const [stem, { tf, forms }] of stems) {
    const df = index.storedDocumentFrequency('paragraphs', stem) + index.storedDocumentFrequency('titles', stem);
    // A word in this article alone (df counts its own paragraphs) still cannot find another: the query just skips it.
    if (df < 2) continue;
    const form = [...forms].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0];
    scored.push([form, stem, tf * termIdf(documents, df)]);
  }
  return scored.sort((a, b) => b[2] - a[2] || (a[1] < b[1] ? -1 : 1)).slice(0, most);
}

/** Matched words an article needs to count as related: a fifth of the query's words, at least two (or all, when fewer). */
export function minimumShared(terms: number): number {
  return Math.min(terms, Math.max(2, Math.ceil(terms / 5)));
}

/**
 * The articles most like article `articleId` (more-like-this, as Elasticsearch's): its
 * {@link MAX_RELATED_TERMS} most distinctive words by tf·idf become one query clause each,
 * weighted by their tf·idf relative to the best (so the article's central words count most),
 * scored with BM25 as a search (`matchingStrategy=any`), never the article itself, keeping
 * articles that share at least {@link minimumShared} of the words, then multiplied by the date
 * decay when `halfLifeDays` is set. Ties by article number. Null when the id is not a live article.
 */
export function relatedArticles(
  index: ArchiveIndex,
  articleId: string,
  params: RelatedParams,
  scorer: TermScorer = createFastScorer(index),
  deadline: Deadline = Deadline.none(),
): RelatedResponse | null {
  const started = performance.now();
  const article = index.getArticle(articleId);
  if (!article) return null;
  const self = index.ordOf(articleId);
  const terms = distinctiveTerms(index, article);
  const hits: RelatedHit[] = [];
  if (terms.length > 0) {
    const best = terms[0]![2];
    const clauses: CompiledWord[][] = terms.map(([form, stem, score]) => [
      { type: 'word', form, expansions: [{ term: stem, kind: 'stem', weight: score / best }] },
    ]);
    const filter = buildArticleFilter(index, withDefaults({ from: params.from, to: params.to })) ?? liveFilter(index);
    if (self >= 0) filter[self] = 0;
    const matches = executeQuery(index, { clauses, excluded: [] }, scorer, filter, { requireAll: false, deadline });
    try {
      const needed = minimumShared(terms.length);
      const origin = self >= 0 ? index.articleTime[self]! : Date.parse(article.date ?? '');
      const decay = dateDecay(origin, params.halfLifeDays);
      const top = new TopScores(params.limit);
      const touched = matches.articleTouched;
      for (let i = 0; i < touched.length; i++) {
        const ord = touched.ids[i]!;
        if (popCount(matches.articleMask[ord]!) < needed) continue;
        top.offer(ord, matches.articleScore[ord]! * decay(index.articleTime[ord]!), ord);
      }
      for (const ord of top.best()) {
        const mask = matches.articleMask[ord]!;
        hits.push({
          ...articleMeta(index.articleMeta(ord)),
          score: Math.round(matches.articleScore[ord]! * decay(index.articleTime[ord]!) * 1e4) / 1e4,
          sharedTerms: terms.filter((_, c) => mask & (1 << c)).map(([form]) => form),
        });
      }
    } finally {
      releaseMatches(matches);
    }
  }
  return {
    articleId: article.id,
    terms: terms.map(([form]) => form),
    hits,
    processingTimeMs: Math.round((performance.now() - started) * 100) / 100,
  };
}

/** 1 for every live article. */
function liveFilter(index: ArchiveIndex): Uint8Array {
  const filter = new Uint8Array(index.articleSlots);
  for (let ord = 0; ord < filter.length; ord++) if (index.isLive(ord)) filter[ord] = 1;
  return filter;
}

const DAY_MS = 86_400_000;

/** The score factor of a candidate published at `time`: `0.5^(|days apart| / halfLifeDays)`; 1 without a half-life or an origin date, ¼ for an undated candidate. */
export function dateDecay(origin: number, halfLifeDays: number | null): (time: number) => number {
  if (halfLifeDays === null || Number.isNaN(origin)) return () => 1;
  return (time) => (Number.isNaN(time) ? 0.25 : 0.5 ** (Math.abs(time - origin) / DAY_MS / halfLifeDays));
}
