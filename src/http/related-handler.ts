import type { RequestHandler } from 'express';
import { SearchError } from '../errors.js';
import { Deadline } from '../query/execute/deadline.js';
import { relatedArticles } from '../query/related-articles.js';
import type { Admission } from './admission.js';
import type { AppDeps } from './app-deps.js';
import { parseQueryString } from './parse-query-string.js';
import { quoteValue } from './quote-value.js';
import { readRelatedParams } from './read-related-params.js';
import { requireIndex } from './require-index.js';
import { duplicatesHandler } from './duplicates-handler.js';
import { versionHandler, versionsHandler } from './versions-handler.js';

/** The path segment that asks for an article's related articles: `/articles/{articleId}/related`. */
const RELATED = 'related';

/**
 * `GET /articles/{articleId}/related`: the articles most like this one (see
 * `relatedArticles`), waiting for their turn in `admission` and run within
 * `budgetMs` as a search is. 404 `article_not_found` for an unknown id.
 */
export function relatedHandler(
  deps: AppDeps,
  admission: Admission,
  budgetMs: number,
  articleId: (req: Parameters<RequestHandler>[0]) => string,
): RequestHandler {
  return async (req, res) => {
    const params = readRelatedParams(parseQueryString(req.originalUrl));
    const index = requireIndex(deps);
    const id = articleId(req);
    const response = await admission.run(
      () => relatedArticles(index, id, params, undefined, Deadline.after(budgetMs)),
      () => req.socket.destroyed,
    );
    if (!response) throw new SearchError('article_not_found', `No article has the id \`${quoteValue(id)}\`.`);
    res.json(response);
  };
}

/**
 * The handler of `/articles/*articleId`: ids are corpus paths and may contain `/`,
 * so one pattern serves every article route, by this rule: the whole path names an
 * article when one has that id (as before the sub-routes existed, so no existing link
 * changes meaning); otherwise, after a `/` written as is, a last segment `related`
 * asks for the related articles of the id before it, `duplicates` for its group of
 * near-duplicates, `versions` for its versions, and `versions/{n}` for one of them.
 * (`/articles/a%2Frelated` is always the article `a/related`. Only when both `a` and
 * `a/related` are articles is the related list of `a` out of reach; the corpus reader
 * makes neither id from the other.)
 */
export function articleRoute(
  deps: AppDeps,
  article: RequestHandler,
  budgetMs: number,
  admission: Admission,
): RequestHandler {
  const segmentsOf = (param: unknown): string[] => (Array.isArray(param) ? param.map(String) : [String(param)]);
  const idWithout = (tail: number) => (req: Parameters<RequestHandler>[0]) =>
    segmentsOf(req.params['articleId']).slice(0, -tail).join('/');
  const versionOf = (req: Parameters<RequestHandler>[0]) => Number(segmentsOf(req.params['articleId']).at(-1));
  const sub: Record<string, { route: string; handler: RequestHandler }> = {
    [RELATED]: {
      route: '/articles/{articleId}/related',
      handler: relatedHandler(deps, admission, budgetMs, idWithout(1)),
    },
    duplicates: { route: '/articles/{articleId}/duplicates', handler: duplicatesHandler(deps, idWithout(1)) },
    versions: { route: '/articles/{articleId}/versions', handler: versionsHandler(deps, idWithout(1)) },
  };
  const oneVersion = {
    route: '/articles/{articleId}/versions/{n}',
    handler: versionHandler(deps, idWithout(2), versionOf),
  };
  return (req, res, next) => {
    const segments = segmentsOf(req.params['articleId']);
    const last = segments.at(-1)!;
    const chosen =
      segments.length >= 2 && Object.hasOwn(sub, last)
        ? sub[last]
        : segments.length >= 3 && segments.at(-2) === 'versions' && /^[1-9]\d{0,6}$/.test(last)
          ? oneVersion
          : null;
    if (chosen && !deps.getIndex()?.getArticle(segments.join('/'))) {
      res.locals['route'] = chosen.route;
      return chosen.handler(req, res, next);
    }
    return article(req, res, next);
  };
}
