/**
 * Drafts and embargoes: whether an article may be seen by readers yet.
 */

import type { Article } from './article.js';
import type { RawArticleFields, ReportProblem } from './raw-article-fields.js';

/** An article's publication fields, as `Article` carries them (absent = published, no embargo). */
export type Publication = Pick<Article, 'status' | 'publishAt'>;

const ISO_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * An embargo time as an ISO 8601 UTC string (`2026-12-01T09:00:00.000Z`), or
 * null when it is not one. A date alone means midnight UTC; a time without a zone is UTC.
 */
export function normalizePublishAt(value: string): string | null {
  const text = value.trim();
  if (!ISO_TIME.test(text)) return null;
  const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(text) || text.length === 10 ? text : `${text}Z`;
  const ms = Date.parse(zoned.replace(' ', 'T'));
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

/** The publication fields of raw article fields; a bad value is reported (naming the field) and ignored. */
export function readPublication(fields: RawArticleFields, report: ReportProblem): Publication {
  const out: Publication = {};
  const status = fields.status?.trim().toLowerCase();
  if (status === 'draft') out.status = 'draft';
  else if (status !== undefined && status !== '' && status !== 'published')
    report('bad_field', `ignored field "status": expected "published" or "draft", got "${fields.status}"`, 'status');
  if (fields.publishAt !== undefined && fields.publishAt.trim() !== '') {
    const at = normalizePublishAt(fields.publishAt);
    if (at === null)
      report(
        'bad_field',
        `ignored field "publishAt": expected an ISO 8601 time such as 2026-12-01T09:00:00Z, got "${fields.publishAt}"`,
        'publishAt',
      );
    else out.publishAt = at;
  }
  return out;
}

/** True when readers may see the article at `nowMs`: not a draft, and its embargo (if any) has passed. */
export function isPublished(article: Publication, nowMs: number): boolean {
  if (article.status === 'draft') return false;
  return article.publishAt === undefined || Date.parse(article.publishAt) <= nowMs;
}
