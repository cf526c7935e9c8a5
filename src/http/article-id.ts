/**
 * The article id of a request to `/articles/*articleId`: ids are corpus paths and
 * may contain `/`, written as is (`/articles/bbc/tech/windows-notes`) or as `%2F`.
 */
export function articleIdOf(param: unknown): string {
  return Array.isArray(param) ? param.join('/') : String(param);
}
