import type { ArticleHit } from '../../query/search-archive.js';

/** How much of the query an attribute's highlight covers, as Algolia says it. */
export type MatchLevel = 'none' | 'partial' | 'full';

/** One attribute of `_highlightResult`. */
export interface HighlightResult {
  value: string;
  matchLevel: MatchLevel;
  matchedWords: string[];
  fullyHighlighted?: boolean;
}

/** One attribute of `_snippetResult`. */
export interface SnippetResult {
  value: string;
  matchLevel: MatchLevel;
}

/**
 * A hit as Algolia returns it. On the `articles` index `objectID` is the article id and `text` the
 * window of its best paragraph; on `paragraphs` `objectID` is the paragraph id (`articleId#pN`) and
 * `text` the window of that paragraph. `timestamp` is the publication time in seconds since 1970 and
 * `year` its year (both null when undated).
 */
export interface AlgoliaHit {
  objectID: string;
  articleId: string;
  paragraphId: string | null;
  paragraphIndex: number | null;
  title: string;
  text: string;
  date: string | null;
  timestamp: number | null;
  year: number | null;
  author: string[];
  source: string | null;
  section: string | null;
  tag: string[];
  url: string | null;
  matchingParagraphs: number;
  _highlightResult: Record<string, HighlightResult>;
  _snippetResult?: Record<string, SnippetResult>;
}

/** How highlights are written into a value. */
export interface HighlightTags {
  pre: string;
  post: string;
}

/** Attributes a hit can highlight or snippet. */
export const HIGHLIGHTABLE = ['title', 'text'] as const;

/** A text and the spans of it to mark (sorted, disjoint, UTF-16 offsets). */
interface Marked {
  /** `text` escaped with each span in `<mark>`, as the search rendered it. */
  html: string;
  text: string;
  spans: { start: number; length: number }[];
  /** The query word each span matched (normalized), or the span's text lowercased when unknown. */
  words: string[];
}

const UNESCAPES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/** The text and marks of HTML from `renderHtml` (escaped text, `<mark>` the only tag). */
export function marksOfHtml(html: string): Marked {
  const unescapeHtml = (s: string) =>
    s.includes('&') ? s.replace(/&(amp|lt|gt|quot|#39);/g, (e) => UNESCAPES[e]!) : s;
  const marked: Marked = { html, text: '', spans: [], words: [] };
  let at = 0;
  for (let open = html.indexOf('<mark>'); open !== -1; open = html.indexOf('<mark>', at)) {
    const close = html.indexOf('</mark>', open);
    marked.text += unescapeHtml(html.slice(at, open));
    const word = unescapeHtml(html.slice(open + 6, close));
    marked.spans.push({ start: marked.text.length, length: word.length });
    marked.words.push(word.toLowerCase());
    marked.text += word;
    at = close + 7;
  }
  marked.text += unescapeHtml(html.slice(at));
  return marked;
}

/**
 * Whether the tags are HTML (`<em>`, Algolia's default): the value is then escaped before it is
 * marked, as every highlight of this service. Other tags are placeholders (InstantSearch asks for
 * `__ais-highlight__` and escapes the value itself before turning them into `<mark>`): the value is
 * then sent as plain text, since escaping it here too would show `&amp;` on the page.
 */
export function tagsAreHtml(tags: HighlightTags): boolean {
  return /[<>&]/.test(tags.pre + tags.post);
}

/**
 * `marked.text` with each span wrapped in the tags; escaped first when the tags are HTML (then the
 * search's own escaped HTML is reused, its `<mark>` tags swapped for these).
 */
export function renderWithTags(marked: Marked, tags: HighlightTags): string {
  if (tagsAreHtml(tags))
    return tags.pre === '<mark>' && tags.post === '</mark>'
      ? marked.html
      : marked.html.replaceAll('<mark>', tags.pre).replaceAll('</mark>', tags.post);
  let out = '';
  let at = 0;
  for (const span of marked.spans) {
    out +=
      marked.text.slice(at, span.start) +
      tags.pre +
      marked.text.slice(span.start, span.start + span.length) +
      tags.post;
    at = span.start + span.length;
  }
  return out + marked.text.slice(at);
}

function matchLevelOf(words: string[], queryWords: readonly string[]): MatchLevel {
  if (words.length === 0) return 'none';
  return queryWords.every((w) => words.includes(w)) ? 'full' : 'partial';
}

function highlightOf(marked: Marked, tags: HighlightTags, queryWords: readonly string[]): HighlightResult {
  const words = [...new Set(marked.words)];
  const only = marked.spans[0];
  return {
    value: renderWithTags(marked, tags),
    matchLevel: matchLevelOf(words, queryWords),
    matchedWords: words,
    fullyHighlighted:
      marked.spans.length === 1 && only !== undefined && only.start === 0 && only.length === marked.text.length,
  };
}

/** What an Algolia hit is built with beside the hit. */
export interface HitOptions {
  tags: HighlightTags;
  /** The query's words, normalized (`parsedQuery.terms`): `matchLevel` is `full` when all are marked. */
  queryWords: readonly string[];
  /** Attributes of `_highlightResult`. */
  highlight: readonly string[];
  /** Attributes of `_snippetResult` (none: the field is left out). */
  snippet: readonly string[];
  /** True for the `paragraphs` index: the hit is its one paragraph. */
  byParagraph: boolean;
}

/** The Algolia hit of a `/search` hit. */
export function algoliaHit(hit: ArticleHit, options: HitOptions): AlgoliaHit {
  const snippet = hit.snippets[0];
  const time = hit.date === null ? NaN : Date.parse(hit.date);
  const title = marksOfHtml(hit.titleHtml);
  const text: Marked = snippet
    ? {
        html: snippet.html,
        text: snippet.text,
        spans: snippet.highlights,
        words: snippet.highlights.map((h) => h.term),
      }
    : { html: '', text: '', spans: [], words: [] };
  const byAttribute: Record<(typeof HIGHLIGHTABLE)[number], Marked> = { title, text };
  const _highlightResult: Record<string, HighlightResult> = {};
  for (const attribute of HIGHLIGHTABLE) {
    if (options.highlight.includes(attribute))
      _highlightResult[attribute] = highlightOf(byAttribute[attribute], options.tags, options.queryWords);
  }
  const out: AlgoliaHit = {
    objectID: options.byParagraph && snippet ? snippet.paragraphId : hit.articleId,
    articleId: hit.articleId,
    paragraphId: snippet?.paragraphId ?? null,
    paragraphIndex: snippet?.paragraphIndex ?? null,
    title: hit.title,
    text: text.text,
    date: hit.date,
    timestamp: Number.isNaN(time) ? null : Math.floor(time / 1000),
    year: Number.isNaN(time) ? null : new Date(time).getUTCFullYear(),
    author: hit.authors,
    source: hit.source,
    section: hit.section,
    tag: hit.tags,
    url: hit.url,
    matchingParagraphs: hit.matchingParagraphs,
    _highlightResult,
  };
  const snippets = HIGHLIGHTABLE.filter((a) => options.snippet.includes(a));
  if (snippets.length > 0) {
    out._snippetResult = {};
    for (const attribute of snippets) {
      // The snippet is the same window as the highlight (a hit's `text` is already a window).
      const { value, matchLevel } =
        _highlightResult[attribute] ?? highlightOf(byAttribute[attribute], options.tags, options.queryWords);
      out._snippetResult[attribute] = { value, matchLevel };
    }
  }
  return out;
}
