import type { RequestHandler } from 'express';
import { SearchError } from '../errors.js';
import { paragraphId } from '../index/archive-index.js';
import { highlightArticle } from '../query/highlight-article.js';
import { articleMeta } from '../query/search-archive.js';
import { DEFAULT_SEARCH_PARAMS } from '../query/search-params.js';
import { escapeHtml } from '../snippet/render-html.js';
import type { AppDeps } from './app-deps.js';
import { parseQueryString } from './parse-query-string.js';
import { quoteValue } from './quote-value.js';
import { readArticleParams } from './read-article-params.js';
import { requireIndex } from './require-index.js';

/**
 * The article id of a request to `/articles/*articleId`: ids are corpus paths and
 * may contain `/`, written as is (`/articles/bbc/tech/windows-notes`) or as `%2F`.
 */
function articleIdOf(param: unknown): string {
  return Array.isArray(param) ? param.join('/') : String(param);
}

/**
 * `GET /articles/{articleId}`: the article's metadata, `titleHtml`, and every
 * paragraph as `{paragraphId, paragraphIndex, text}`; with `q`, each paragraph
 * also has `html` and `highlights` for that query (prefix and typo fallback as
 * a search's defaults). 404 `article_not_found` for an unknown id.
 */
export function articleHandler(deps: AppDeps): RequestHandler {
  return async (req, res) => {
    const { q } = readArticleParams(parseQueryString(req.originalUrl));
    const index = requireIndex(deps);
    const id = articleIdOf(req.params['articleId']);
    const article = index.getArticle(id);
    if (!article) throw new SearchError('article_not_found', `No article has the id \`${quoteValue(id)}\`.`);
    const paragraphs = article.paragraphs.map((text, i) => ({ paragraphId: paragraphId(article.id, i), paragraphIndex: i, text }));
    if (q === null) {
      res.json({ ...articleMeta(article), titleHtml: escapeHtml(article.title), query: null, typoTolerance: false, paragraphs });
      return;
    }
    const marked = highlightArticle(index, article, q, DEFAULT_SEARCH_PARAMS);
    res.json({
      ...articleMeta(article),
      titleHtml: marked.title.html,
      query: q,
      typoTolerance: marked.typoTolerance,
      paragraphs: paragraphs.map((p, i) => ({ ...p, html: marked.paragraphs[i]!.html, highlights: marked.paragraphs[i]!.highlights })),
    });
  };
}
