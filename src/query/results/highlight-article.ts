import type { Article } from '../../corpus/article.js';
import type { ArchiveIndex } from '../../index/archive-index.js';
import type { Highlighter } from '../../snippet/find-highlights.js';
import { buildSnippet, type Snippet } from '../../snippet/build-snippet.js';
import { parseQuery } from '../parse/parse-query.js';
import { compilePlan, planHighlighter } from '../plan/compile-plan.js';
import type { SearchParams } from '../search-params.js';

/** A whole article's headline and paragraphs highlighted for one query. */
export interface HighlightedArticle {
  /** The whole headline: `text` = the title. */
  title: Snippet;
  /** One per paragraph, in order; each `text` is the whole paragraph (never cropped). */
  paragraphs: Snippet[];
  /** True when the marks come from typo tolerance. */
  typoTolerance: boolean;
}

function render(article: Article, highlighter: Highlighter): Omit<HighlightedArticle, 'typoTolerance'> {
  return {
    title: buildSnippet(article.title, highlighter, Infinity),
    paragraphs: article.paragraphs.map((p) => buildSnippet(p, highlighter.paragraphHighlighter(), Infinity)),
  };
}

/**
 * An indexed article with every word that matches `query` highlighted, as
 * escaped HTML with `<mark>` tags plus offsets (UTF-16 units into each text),
 * with the same parser, term expansion and highlighter as a search.
 * Excluded words (`-word`) are not marked. With `typos` = `fallback` (the
 * search default), typo matches are marked only when nothing in this article
 * matches without them; `auto` always allows them, `off` never.
 */
export function highlightArticle(
  index: ArchiveIndex,
  article: Article,
  query: string,
  options: Pick<SearchParams, 'prefix' | 'typos'>,
): HighlightedArticle {
  const prefix = options.prefix === 'last';
  const parsed = parseQuery(query, { prefixLast: prefix });
  const plain = render(
    article,
    planHighlighter(compilePlan(index, parsed, { typos: options.typos === 'auto', prefix }), null),
  );
  const found = [plain.title, ...plain.paragraphs].some((s) => s.highlights.length > 0);
  if (found || options.typos !== 'fallback' || parsed.clauses.length === 0) {
    return { ...plain, typoTolerance: options.typos === 'auto' && usesTypos(plain) };
  }
  const typo = render(article, planHighlighter(compilePlan(index, parsed, { typos: true, prefix }), null));
  return { ...typo, typoTolerance: usesTypos(typo) };
}

function usesTypos(article: Omit<HighlightedArticle, 'typoTolerance'>): boolean {
  return [article.title, ...article.paragraphs].some((s) => s.highlights.some((h) => h.kind === 'typo'));
}
