/**
 * Newline-delimited JSON article files (`.ndjson`, `.jsonl`): one article object
 * a line; blank lines are ignored. Reuters-21578 comes in this form.
 */

import type { Article, Problem, ProblemKind } from './article.js';
import { articleFromRecord } from './article-from-record.js';
import { articleIdFromPath } from './build-article.js';
import { normalizeLineEnds } from './split-paragraphs.js';

/**
 * The articles of an NDJSON file and the problems found, each with its 1-based
 * line. A bad line (invalid JSON, not an object, no body) is reported and
 * skipped; the other lines still load.
 *
 * Ids: the object's `id`; else the path without extension, `#`, and the 1-based
 * line number (`wires/feed#12`): stable while lines above it are not added or
 * removed; give objects an `id` when they may be.
 */
export function parseNdjsonArticles(relPath: string, text: string): { articles: Article[]; problems: Problem[] } {
  const articles: Article[] = [];
  const problems: Problem[] = [];
  const baseId = articleIdFromPath(relPath);
  const lines = normalizeLineEnds(text).split('\n');

  lines.forEach((lineText, index) => {
    if (lineText.trim() === '') return;
    const line = index + 1;
    const report = (kind: ProblemKind, message: string): void => {
      problems.push({ kind, file: relPath, line, message });
    };
    let record: unknown;
    try {
      record = JSON.parse(lineText);
    } catch (error) {
      report('invalid_json', `invalid JSON: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    const article = articleFromRecord(relPath, record, `${baseId}#${line}`, report);
    if (article) articles.push(article);
  });
  return { articles, problems };
}
