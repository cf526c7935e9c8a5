/**
 * Plain-text articles (`.txt`), in the two shapes the archive holds:
 *
 * - the seed shape: a header line `date YYYY-MM-DD By NAME[ and NAME…], SOURCE`,
 *   then paragraphs; no headline (one is derived from the first sentence);
 * - the BBC shape: a headline line, a blank line, then paragraphs.
 *
 * Paragraphs are separated by blank lines; CRLF, a BOM and trailing whitespace are fine.
 */

import type { Article, Problem, ProblemKind } from './article.js';
import { articleIdFromPath, buildArticle, type RawArticleFields } from './build-article.js';
import { normalizeLineEnds, splitParagraphs } from './split-paragraphs.js';

/** Longest first line taken as a headline, in UTF-16 units. */
export const MAX_HEADLINE_LENGTH = 200;

// Lower case "date", then something that starts like a date: a headline such as
// "Date set for Blair visit" must not be read as a header.
const SEED_HEADER = /^date\s+(\d\S*)(?:\s+(.*))?$/;

// A sentence end followed by more text: ". The", "? He". The word before a '.'
// needs two lower-case letters so that "U.S. firm" or "Mr. Smith" do not count.
const SENTENCE_THEN_MORE = /(?:[a-z]{2}\.|[!?])["'”’)]*\s+\S/;

/**
 * Whether a first line reads as a headline: at most {@link MAX_HEADLINE_LENGTH}
 * units, no sentence end followed by more text, and not ending in a single
 * period (headlines don't; an ellipsis is fine). This is stricter than length
 * alone because a one-line lead paragraph is also "short".
 */
function looksLikeHeadline(line: string): boolean {
  const text = line.trim();
  if (text.length === 0 || text.length > MAX_HEADLINE_LENGTH) return false;
  if (SENTENCE_THEN_MORE.test(text)) return false;
  const unquoted = text.replace(/["'”’)]+$/, '');
  return !(unquoted.endsWith('.') && !unquoted.endsWith('...'));
}

/**
 * Names and source from what follows the header's date: `By A and B, CNN`. The
 * source is after the last comma; text that does not start with "By" is all source.
 */
function parseHeaderByline(byline: string): { byline?: string; source?: string } {
  if (!/^by\b/i.test(byline)) return { source: byline };
  const lastComma = byline.lastIndexOf(',');
  if (lastComma < 0) return { byline };
  return { byline: byline.slice(0, lastComma), source: byline.slice(lastComma + 1) };
}

/**
 * The article in a `.txt` file (at most one), and the problems found. The id is
 * the path without extension; the section is the folder holding the file; a
 * text without a recognizable headline gets a derived title (see `deriveTitle`).
 * Problems carry line 1 for header issues; a file with no body reports "missing body".
 */
export function parseTextArticle(relPath: string, text: string): { articles: Article[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const lines = normalizeLineEnds(text).split('\n');
  const firstIndex = lines.findIndex((line) => line.trim() !== '');
  const firstLine = (lines[firstIndex] ?? '').trim();
  const fields: RawArticleFields = { id: articleIdFromPath(relPath), paragraphs: [] };
  let headerLine: number | undefined;

  const header = SEED_HEADER.exec(firstLine);
  let bodyLines: string[];
  if (header) {
    headerLine = firstIndex + 1;
    fields.date = header[1];
    const rest = header[2]?.trim() ?? '';
    if (rest !== '') Object.assign(fields, parseHeaderByline(rest));
    bodyLines = lines.slice(firstIndex + 1);
  } else {
    const next = lines[firstIndex + 1];
    const hasMoreText = lines.slice(firstIndex + 2).some((line) => line.trim() !== '');
    if (next !== undefined && next.trim() === '' && hasMoreText && looksLikeHeadline(firstLine)) {
      fields.title = firstLine;
      bodyLines = lines.slice(firstIndex + 2);
    } else {
      bodyLines = lines.slice(Math.max(firstIndex, 0));
    }
  }
  fields.paragraphs = splitParagraphs(bodyLines.join('\n'));

  const report = (kind: ProblemKind, message: string, field?: keyof RawArticleFields): void => {
    // Field problems come from the header line; "missing body" belongs to the whole file.
    const line = field === undefined ? undefined : headerLine;
    problems.push(line === undefined ? { kind, file: relPath, message } : { kind, file: relPath, line, message });
  };
  const article = buildArticle(relPath, fields, report);
  return { articles: article ? [article] : [], problems };
}
