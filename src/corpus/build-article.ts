/**
 * The one place where metadata is normalized, whatever format it came from:
 * every parser collects raw fields and hands them to {@link buildArticle}.
 */

import type { Article } from './article.js';
import type { RawArticleFields, ReportProblem } from './raw-article-fields.js';
import { deriveTitle } from './derive-title.js';
import { normalizeDate } from './normalize-date.js';
import { readPublication } from './publication.js';
import { parseAuthors, parseByline } from './parse-byline.js';
import { parseDateline } from './parse-dateline.js';
import { collapseWhitespace, splitLongParagraph } from './split-paragraphs.js';
import { stripBoilerplate } from './strip-boilerplate.js';

/** The raw fields type lives in a leaf module (publication.ts reads it too); parsers import it from here. */
export type { RawArticleFields, ReportProblem };

/**
 * The article id a file gives its articles when the file itself has none: the
 * corpus-relative posix path without its last extension (`bbc/business/001.txt` → `bbc/business/001`).
 */
export function articleIdFromPath(relPath: string): string {
  return relPath.replace(/\.[^./]*$/, '');
}

/** The name of the folder holding the file (`bbc/business/001.txt` → `business`), or null at the corpus root. */
export function sectionFromPath(relPath: string): string | null {
  const parts = relPath.split('/');
  return parts.length >= 2 ? (parts[parts.length - 2] ?? null) : null;
}

/** A trimmed, whitespace-collapsed string, or null when absent or blank. */
function cleanText(value: string | undefined): string | null {
  if (value === undefined) return null;
  const text = collapseWhitespace(value);
  return text === '' ? null : text;
}

function normalizeTags(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  const items = typeof value === 'string' ? value.split(',') : value;
  const tags: string[] = [];
  for (const item of items) {
    const tag = collapseWhitespace(item);
    if (tag !== '' && !tags.includes(tag)) tags.push(tag);
  }
  return tags;
}

/**
 * The normalized article, or null (after reporting "missing body") when no
 * paragraph is left once blanks and trailing wire boilerplate are removed.
 *
 * - paragraphs: collapsed with `collapseWhitespace`, empties dropped, `stripBoilerplate` applied,
 *   paragraphs over 4,000 characters (`MAX_PARAGRAPH_LENGTH`) split with `splitLongParagraph`;
 * - title: the given one collapsed, else derived from the first paragraph
 *   (`deriveTitle`), else the file name: never empty;
 * - date: `normalizeDate`; unparseable → null and a problem `unparseable date "…"`;
 * - authors: `authors`, else `byline`, via `parseAuthors` / `parseByline`;
 * - source: the given one, else the first paragraph's dateline (`(CNN) —` → `CNN`),
 *   else the `dateline` field's; the dateline stays in the paragraph text;
 * - section: the given one, else the folder holding the file, else null;
 * - tags: trimmed, blanks and repeats dropped, first spelling kept.
 */
export function buildArticle(relPath: string, fields: RawArticleFields, report: ReportProblem): Article | null {
  const paragraphs = stripBoilerplate(
    fields.paragraphs.map(collapseWhitespace).filter((paragraph) => paragraph !== ''),
  ).flatMap((paragraph) => splitLongParagraph(paragraph));
  const firstParagraph = paragraphs[0];
  if (firstParagraph === undefined) {
    report('missing_body', 'missing body');
    return null;
  }

  let date: string | null = null;
  const rawDate = cleanText(fields.date);
  if (rawDate !== null) {
    date = normalizeDate(rawDate);
    if (date === null) report('bad_field', `unparseable date "${rawDate}"`, 'date');
  }

  let authors: string[] = [];
  if (fields.authors !== undefined) authors = parseAuthors(fields.authors);
  else if (fields.byline !== undefined) authors = parseByline(fields.byline);

  const datelineField = cleanText(fields.dateline);
  const source =
    cleanText(fields.source) ??
    parseDateline(firstParagraph)?.source ??
    (datelineField === null ? null : (parseDateline(`${datelineField} - `)?.source ?? null));

  const fileName = relPath.slice(relPath.lastIndexOf('/') + 1);
  const title = cleanText(fields.title) ?? (deriveTitle(firstParagraph) || fileName);

  const publication = readPublication(fields, report);
  return {
    id: fields.id,
    title,
    date,
    authors,
    source,
    section: cleanText(fields.section) ?? sectionFromPath(relPath),
    url: cleanText(fields.url),
    tags: normalizeTags(fields.tags),
    paragraphs,
    file: relPath,
    ...publication,
  };
}
