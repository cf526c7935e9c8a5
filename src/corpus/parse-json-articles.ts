/**
 * JSON article files (`.json`): one article object, or an array of them.
 */

import type { Article, Problem, ProblemKind } from './article.js';
import { articleFromRecord } from './article-from-record.js';
import { articleIdFromPath } from './build-article.js';

/**
 * The 1-based line of a `JSON.parse` error, when its message gives a position
 * (V8: "… at position 42" or "… (line 3 column 7)").
 */
export function jsonErrorLine(text: string, error: unknown): number | undefined {
  const message = error instanceof Error ? error.message : String(error);
  const lineColumn = /\(line (\d+) column \d+\)/.exec(message);
  if (lineColumn) return Number(lineColumn[1]);
  const position = /at position (\d+)/.exec(message);
  if (!position) return undefined;
  const offset = Math.min(Number(position[1]), text.length);
  let line = 1;
  for (let index = text.indexOf('\n'); index >= 0 && index < offset; index = text.indexOf('\n', index + 1)) line++;
  return line;
}

/**
 * The articles of a `.json` file and the problems found.
 *
 * Ids: the object's `id`; else, for a single object, the path without extension
 * (`wires/story.json` → `wires/story`); for an array, the path without extension,
 * `#`, and the item's 1-based position (`wires/items#2`). Positions are stable as
 * long as items are not reordered or removed; give items an `id` when they may be.
 * Problems about an array item say `item N:`; invalid JSON loads nothing and
 * reports the error with its line when the parser gives one.
 */
export function parseJsonArticles(relPath: string, text: string): { articles: Article[]; problems: Problem[] } {
  const problems: Problem[] = [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const line = jsonErrorLine(text, error);
    const message = `invalid JSON: ${error instanceof Error ? error.message : String(error)}`;
    problems.push(
      line === undefined
        ? { kind: 'invalid_json', file: relPath, message }
        : { kind: 'invalid_json', file: relPath, line, message },
    );
    return { articles: [], problems };
  }

  const baseId = articleIdFromPath(relPath);
  const articles: Article[] = [];
  if (Array.isArray(value)) {
    value.forEach((item: unknown, index) => {
      const position = index + 1;
      const report = (kind: ProblemKind, message: string): void => {
        problems.push({ kind, file: relPath, message: `item ${position}: ${message}` });
      };
      const article = articleFromRecord(relPath, item, `${baseId}#${position}`, report);
      if (article) articles.push(article);
    });
  } else {
    const report = (kind: ProblemKind, message: string): void => {
      problems.push({ kind, file: relPath, message });
    };
    const article = articleFromRecord(relPath, value, baseId, report);
    if (article) articles.push(article);
  }
  return { articles, problems };
}
