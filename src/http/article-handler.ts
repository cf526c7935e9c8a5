import type { RequestHandler } from 'express';
import { SearchError } from '../errors.js';
import { paragraphId } from '../index/archive-index.js';
import { articleEntities } from '../index/article-entities.js';
import { highlightArticle } from '../query/results/highlight-article.js';
import { articleMeta } from '../query/search-archive.js';
import { DEFAULT_SEARCH_PARAMS } from '../query/search-params.js';
import { escapeHtml } from '../snippet/render-html.js';
import type { Admission } from './admission.js';
import type { AppDeps } from './app-deps.js';
import { articleIdOf } from './article-id.js';
import { parseQueryString } from './parse-query-string.js';
import { quoteValue } from './quote-value.js';
import { readArticleParams } from './read-article-params.js';
import { requireIndex } from './require-index.js';
import { unpublishedMark, wantsUnpublished } from './unpublished.js';

/**
 * `GET /articles/{articleId}`: the article's metadata, its `entities` (people, orgs, places), `titleHtml`, and every
 * paragraph as `{paragraphId, paragraphIndex, text}`; with `q`, each paragraph
 * also has `html` and `highlights` for that query (prefix and typo fallback as
 * a search's defaults). 404 `article_not_found` for an unknown id; 413
 * `article_too_large` when its paragraphs hold more than `maxChars` characters
 * (the response and its highlighting would be several times that). Highlighting
 * waits for its turn in `admission`, as a search does.
 */
export function articleHandler(deps: AppDeps, admission: Admission, maxChars: number): RequestHandler {
  return async (req, res) => {
    const query = parseQueryString(req.originalUrl);
    const { q } = readArticleParams(query);
    const preview = wantsUnpublished(query, req, deps.keys);
    let index = requireIndex(deps);
    const id = articleIdOf(req.params['articleId']);
    const live = deps.live?.archive() ?? null;
    const mark = preview && live ? unpublishedMark(live, id) : null;
    if (mark && live) index = live.previewIndex();
    const article = index.getArticle(id);
    if (!article) throw new SearchError('article_not_found', `No article has the id \`${quoteValue(id)}\`.`);
    const chars = article.paragraphs.reduce((sum, text) => sum + text.length, 0);
    if (chars > maxChars) {
      throw new SearchError(
        'article_too_large',
        `The article \`${quoteValue(id)}\` has ${chars} characters of text, over this service's limit of ${maxChars} for one response.`,
      );
    }
    const paragraphs = article.paragraphs.map((text, i) => ({
      paragraphId: paragraphId(article.id, i),
      paragraphIndex: i,
      text,
    }));
    const entities = articleEntities(index, article);
    if (q === null) {
      res.json({
        ...articleMeta(article),
        ...mark,
        entities,
        titleHtml: escapeHtml(article.title),
        query: null,
        typoTolerance: false,
        paragraphs,
      });
      return;
    }
    const marked = await admission.run(
      () => highlightArticle(index, article, q, DEFAULT_SEARCH_PARAMS),
      () => req.socket.destroyed,
    );
    res.json({
      ...articleMeta(article),
      ...mark,
      entities,
      titleHtml: marked.title.html,
      query: q,
      typoTolerance: marked.typoTolerance,
      paragraphs: paragraphs.map((p, i) => ({
        ...p,
        html: marked.paragraphs[i]!.html,
        highlights: marked.paragraphs[i]!.highlights,
      })),
    });
  };
}
