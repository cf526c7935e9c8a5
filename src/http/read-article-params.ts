import { MAX_QUERY_LENGTH } from '../query/search-params.js';
import { ParamReader, type ParamSpec, type StringParam } from './param-reader.js';
import type { QueryParams } from './parse-query-string.js';
import { INCLUDE_UNPUBLISHED } from './unpublished.js';

/** Validated `GET /articles/{articleId}` parameters. */
export interface ArticleParams {
  /** The query to highlight, or null when `q` is absent (then paragraphs carry no `html`/`highlights`). */
  q: string | null;
}

const Q: StringParam = {
  kind: 'string',
  name: 'q',
  code: 'invalid_article_q',
  maxLength: MAX_QUERY_LENGTH,
  default: '',
};

/** Every query parameter `GET /articles/{articleId}` reads; the OpenAPI document is tested against this list. */
export const ARTICLE_PARAMETERS: readonly ParamSpec[] = [Q, INCLUDE_UNPUBLISHED];

/** The validated parameters of a `GET /articles/{articleId}` query string; throws `SearchError` (`invalid_article_q`). */
export function readArticleParams(query: QueryParams): ArticleParams {
  const r = new ParamReader(query, ARTICLE_PARAMETERS);
  return { q: query.has(Q.name) ? r.string(Q) : null };
}
