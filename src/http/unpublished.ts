import type { Request } from 'express';
import { SearchError } from '../errors.js';
import type { LiveArchive } from '../live/live-archive.js';
import type { SearchResponse } from '../query/results/build-hits.js';
import { hasAdminKey, type ApiKeys } from './api-keys.js';
import { ParamReader, type EnumParam } from './param-reader.js';
import type { QueryParams } from './parse-query-string.js';

/** `includeUnpublished=true`: an editor's preview, with drafts and embargoed articles (admin key only). */
export const INCLUDE_UNPUBLISHED: EnumParam<'true' | 'false'> = {
  kind: 'enum',
  name: 'includeUnpublished',
  code: 'invalid_include_unpublished',
  values: ['true', 'false'],
  default: 'false',
};

/** True for an editor's preview; 401 when asked without the admin key. */
export function wantsUnpublished(query: QueryParams, req: Request, keys: ApiKeys | undefined): boolean {
  const asked = new ParamReader(query, [INCLUDE_UNPUBLISHED]).enumValue(INCLUDE_UNPUBLISHED) === 'true';
  if (asked && !hasAdminKey(req, keys ?? { admin: null, search: null })) {
    throw new SearchError(
      'unauthorized',
      '`includeUnpublished=true` shows drafts and embargoed articles: it needs the admin key (`Authorization: Bearer <ADMIN_API_KEY>`).',
    );
  }
  return asked;
}

/** The publication fields an unpublished article shows in a preview. */
export function unpublishedMark(
  live: LiveArchive,
  id: string,
): { unpublished: true; status: 'draft' | 'published'; publishAt: string | null } | null {
  const held = live.heldArticle(id);
  return held ? { unpublished: true, status: held.status ?? 'published', publishAt: held.publishAt ?? null } : null;
}

/** A preview's response with each hit of an unpublished article marked (`unpublished: true`, `status`, `publishAt`). */
export function markUnpublished(response: SearchResponse, live: LiveArchive): SearchResponse {
  return { ...response, hits: response.hits.map((hit) => ({ ...hit, ...unpublishedMark(live, hit.articleId) })) };
}
