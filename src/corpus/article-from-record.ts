/**
 * One JSON article object (from `.json` or `.ndjson`) into an Article.
 *
 * Fields read: `id` (string or number), `title`, `date`, `authors` (list or
 * string) or `byline`, `source`, `section`, `url`, `dateline`, `tags` (list or
 * comma-separated string) plus Reuters' `topics` and `places` lists (all three
 * merged into tags, in that order), and `body` (paragraphs separated by blank
 * lines) or `paragraphs` (a list of strings; wins over `body`), `status`
 * (`published` or `draft`) and `publishAt` (an embargo time). Other fields are ignored.
 */

import type { Article } from './article.js';
import { buildArticle, type RawArticleFields, type ReportProblem } from './build-article.js';
import { splitParagraphs } from './split-paragraphs.js';

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The article for one parsed JSON value, or null when it cannot be one (not an
 * object, or no body); every field of the wrong type is reported and ignored.
 * `fallbackId` is used when the object has no usable `id`.
 */
export function articleFromRecord(
  relPath: string,
  record: unknown,
  fallbackId: string,
  report: ReportProblem,
): Article | null {
  if (!isObject(record)) {
    report(
      'not_an_article',
      `not an article: expected a JSON object, got ${Array.isArray(record) ? 'an array' : record === null ? 'null' : typeof record}`,
    );
    return null;
  }

  const text = (key: string): string | undefined => {
    const value = record[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    report('bad_field', `ignored field "${key}": expected a string`);
    return undefined;
  };
  const list = (key: string): string[] | undefined => {
    const value = record[key];
    if (value === undefined || value === null) return undefined;
    if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value as string[];
    report('bad_field', `ignored field "${key}": expected a list of strings`);
    return undefined;
  };
  const textOrList = (key: string): string | string[] | undefined =>
    typeof record[key] === 'string' ? (record[key] as string) : list(key);

  let id = fallbackId;
  const rawId = record['id'];
  if (typeof rawId === 'string' && rawId.trim() !== '') id = rawId.trim();
  else if (typeof rawId === 'number' && Number.isFinite(rawId)) id = String(rawId);
  else if (rawId !== undefined && rawId !== null)
    report('bad_field', `ignored field "id": expected a string or number; using "${fallbackId}"`);

  const listed = list('paragraphs');
  const body = text('body');
  const tagSources = [textOrList('tags'), list('topics'), list('places')];
  const tags = tagSources.flatMap((value) =>
    value === undefined ? [] : typeof value === 'string' ? value.split(',') : value,
  );

  const fields: RawArticleFields = {
    id,
    title: text('title'),
    date: text('date'),
    authors: textOrList('authors'),
    byline: text('byline'),
    source: text('source'),
    dateline: text('dateline'),
    section: text('section'),
    url: text('url'),
    tags,
    status: text('status'),
    publishAt: text('publishAt'),
    paragraphs: listed !== undefined && listed.length > 0 ? listed : splitParagraphs(body ?? ''),
  };
  return buildArticle(relPath, fields, report);
}
