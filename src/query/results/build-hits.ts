import type { AppliedSynonym } from '../plan/expand-synonyms.js';
import type { HitDuplicates } from './collapse-duplicates.js';
import type { ArchiveIndex, ArticleRecord, MetaField } from '../../index/archive-index.js';
import { countValues } from '../../index/metadata-columns.js';
import type { Highlighter } from '../../snippet/find-highlights.js';
import { buildSnippet, type Snippet } from '../../snippet/build-snippet.js';
import { popCount, type QueryMatches } from '../execute/execute-query.js';
import type { FacetName, SearchParams } from '../search-params.js';
import type { Deadline } from '../execute/deadline.js';
import type { QueryNode } from '../parse/query-tree.js';

/**
 * The parts of a search response that show articles: hits with their metadata,
 * highlighted headline and snippets (read from the segments for the page's hits
 * only), and facet counts over all results.
 */

/** Article metadata as every hit and the article endpoint return it. */
export interface ArticleMeta {
  articleId: string;
  title: string;
  date: string | null;
  authors: string[];
  source: string | null;
  section: string | null;
  url: string | null;
  tags: string[];
}

export interface SnippetHit extends Snippet {
  paragraphId: string;
  paragraphIndex: number;
  score: number;
}

export interface ArticleHit extends ArticleMeta {
  titleHtml: string;
  score: number;
  matchingParagraphs: number;
  snippets: SnippetHit[];
  /** With `duplicates=group`: the other members of the hit's group of near-duplicates. */
  duplicates?: HitDuplicates;
  /** When the article's current version replaced an earlier one (ISO 8601); absent when it never changed (added by the HTTP layer). */
  correctedAt?: string;
}

export interface SearchResponse {
  query: string;
  /** `tree`: the query tree that ran, when the query used syntax beyond words, phrases, `-` and `OR`. */
  /** `synonyms`: the synonym rules the query used (present only when it used some). */
  parsedQuery: {
    terms: string[];
    phrases: string[];
    excluded: string[];
    ignored: string[];
    tree?: QueryNode | null;
    synonyms?: AppliedSynonym[];
  };
  hits: ArticleHit[];
  page: number;
  hitsPerPage: number;
  totalHits: number;
  /** `eq`: `totalHits` (and `totalPages`, `totalParagraphs`) are exact; `gte`: lower bounds (top-k evaluation; `totals=exact` counts every hit). */
  totalHitsRelation: 'eq' | 'gte';
  totalPages: number;
  totalParagraphs: number;
  maxTotalHits: number;
  /** True when typo tolerance found (some of) these hits. */
  typoTolerance: boolean;
  /** With the typo fallback: the query with each word replaced by the correction that matched best. */
  correctedQuery: string | null;
  /** False when a bound on query cost (phrase checks, or the time budget) cut the work short: the hits are then a subset, or have fewer snippets or facets. */
  exhaustive: boolean;
  facetDistribution: Partial<Record<FacetName, Record<string, number>>>;
  processingTimeMs: number;
  /** With `duplicates=group`: the matching articles (`totalHits` then counts groups; facets count articles). */
  totalArticles?: number;
}

/** The metadata of an article in API shape. */
export function articleMeta(article: ArticleRecord): ArticleMeta {
  return {
    articleId: article.id,
    title: article.title,
    date: article.date,
    authors: article.authors,
    source: article.source,
    section: article.section,
    url: article.url,
    tags: article.tags,
  };
}

function round(score: number): number {
  return Math.round(score * 1e4) / 1e4;
}

/** The snippet of paragraph `doc` of `article`, whose text is `text`. */
function snippetHit(
  index: ArchiveIndex,
  article: ArticleRecord,
  doc: number,
  text: string,
  score: number,
  highlighter: Highlighter | null,
  cropLength: number,
): SnippetHit {
  const paragraphIndex = index.paragraphIndex(doc);
  const snippet = buildSnippet(text, highlighter?.paragraphHighlighter() ?? null, cropLength);
  // Written out, not spread: one object shape for every hit (the keys in the order the API has always sent).
  return {
    paragraphId: `${article.id}#p${paragraphIndex}`,
    paragraphIndex,
    score: round(score),
    text: snippet.text,
    html: snippet.html,
    highlights: snippet.highlights,
    croppedStart: snippet.croppedStart,
    croppedEnd: snippet.croppedEnd,
  };
}

function titleHtmlOf(article: ArticleRecord, highlighter: Highlighter | null): string {
  return buildSnippet(article.title, highlighter, Infinity).html;
}

/** A hit as the API sends it: the metadata, then the fields added one by one (not spread: one object shape for every hit, keys in the API's order). */
function hitOf(
  article: ArticleRecord,
  titleHtml: string,
  score: number,
  matchingParagraphs: number,
  snippets: SnippetHit[],
): ArticleHit {
  const hit = articleMeta(article) as ArticleHit;
  hit.titleHtml = titleHtml;
  hit.score = score;
  hit.matchingParagraphs = matchingParagraphs;
  hit.snippets = snippets;
  return hit;
}

/** The hit of article `ord`: its best matching paragraphs as snippets (the lead paragraph when only the headline matched, or in browse mode). */
export function articleHit(
  index: ArchiveIndex,
  params: SearchParams,
  matches: QueryMatches,
  highlighter: Highlighter,
  ord: number,
  browse: boolean,
): ArticleHit {
  const article = index.articleMeta(ord);
  const docs = paragraphsOf(index, ord);
  if (browse) {
    const lead = docs.find((d) => d >= 0 && !matches.paraExcluded[d]);
    return hitOf(
      article,
      titleHtmlOf(article, null),
      0,
      0,
      lead === undefined
        ? []
        : [snippetHit(index, article, lead, index.paragraphText(lead), 0, null, params.cropLength)],
    );
  }
  // The best-scoring matching paragraphs (earlier first on a tie), kept in order as they are found.
  const paraScore = (d: number) => matches.paraScore[d]! * popCount(matches.paraMask[d]!);
  const chosen: number[] = [];
  const chosenScores: number[] = [];
  let matching = 0;
  for (let i = 0; i < docs.length; i++) {
    const d = docs[i]!;
    if (d < 0 || matches.paraMask[d] === 0 || matches.paraExcluded[d]) continue;
    matching++;
    const score = paraScore(d);
    let at = chosen.length;
    // `docs` is in paragraph order, so a later paragraph goes after an equal score.
    while (at > 0 && chosenScores[at - 1]! < score) at--;
    if (at >= params.snippetsPerArticle) continue;
    chosen.splice(at, 0, d);
    chosenScores.splice(at, 0, score);
    if (chosen.length > params.snippetsPerArticle) {
      chosen.pop();
      chosenScores.pop();
    }
  }
  // A match only in the headline: show the lead paragraph.
  if (chosen.length === 0) {
    const lead = docs.find((d) => d >= 0);
    if (lead !== undefined) chosen.push(lead);
  }
  // The chosen paragraphs' texts in one read of the article's stored text where they are near each other.
  const texts = index.paragraphTexts(chosen);
  return hitOf(
    article,
    titleHtmlOf(article, highlighter),
    round(matches.articleScore[ord]!),
    matching,
    chosen.map((d, i) =>
      snippetHit(index, article, d, texts[i]!, chosenScores[i] ?? 0, highlighter, params.cropLength),
    ),
  );
}

/** The hit of paragraph `doc` (groupBy=none). */
export function paragraphHit(
  index: ArchiveIndex,
  params: SearchParams,
  matches: QueryMatches,
  highlighter: Highlighter,
  doc: number,
  browse: boolean,
): ArticleHit {
  const article = index.articleMeta(index.paraArticle[doc]!);
  const score = browse ? 0 : matches.paraScore[doc]!;
  return hitOf(article, titleHtmlOf(article, browse ? null : highlighter), round(score), 1, [
    snippetHit(index, article, doc, index.paragraphText(doc), score, browse ? null : highlighter, params.cropLength),
  ]);
}

/** The metadata field each facet counts. */
const FACET_FIELDS = {
  source: 'source',
  section: 'section',
  author: 'authors',
  tag: 'tags',
  person: 'people',
  org: 'orgs',
  place: 'places',
} as const satisfies Record<string, MetaField>;

/** Paragraph numbers of article `ord`, in order. */
function paragraphsOf(index: ArchiveIndex, ord: number): Int32Array {
  const from = index.articleFirstPara[ord]!;
  const to = index.articleFirstPara[ord + 1]!;
  const docs = new Int32Array(to - from);
  for (let k = 0; k < docs.length; k++) docs[k] = from + k;
  return docs;
}

/**
 * Facet counts over all results (articles, or paragraphs with groupBy=none). A metadata facet or `year`
 * gives at most 100 values, most frequent first; `month` gives every month with hits, in date order
 * (a timeline: an archive spans at most a few hundred months). Facets left when `deadline` expires are not counted.
 */
export function facets(
  index: ArchiveIndex,
  params: SearchParams,
  ids: ArrayLike<number>,
  deadline: Deadline,
): SearchResponse['facetDistribution'] {
  const distribution: SearchResponse['facetDistribution'] = {};
  const byParagraph = params.groupBy !== 'article';
  const ordAt = (i: number) => (byParagraph ? index.paraArticle[ids[i]!]! : ids[i]!);
  for (const facet of params.facets) {
    if (deadline.expired()) break;
    if (facet === 'year' || facet === 'month') {
      const counts = countByDate(index, ids.length, ordAt, facet === 'year' ? 4 : 7);
      const sorted = [...counts].sort(facet === 'year' ? byCount : (a, b) => (a[0] < b[0] ? -1 : 1));
      distribution[facet] = Object.fromEntries(facet === 'year' ? sorted.slice(0, 100) : sorted);
      continue;
    }
    const sorted = [...countValues(index, FACET_FIELDS[facet], ids, ordAt)].sort(byCount).slice(0, 100);
    distribution[facet] = Object.fromEntries(sorted);
  }
  return distribution;
}

/** Most frequent first, then by value. */
const byCount = (a: [string, number], b: [string, number]) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1);

/**
 * Hits per period of publication (UTC): `chars` 4 counts by year (`2024`), 7 by month (`2024-03`).
 * Undated articles are not counted.
 */
function countByDate(
  index: ArchiveIndex,
  count: number,
  ordAt: (i: number) => number,
  chars: 4 | 7,
): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const time = index.articleTime[ordAt(i)]!;
    if (Number.isNaN(time)) continue;
    const key = new Date(time).toISOString().slice(0, chars);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}
