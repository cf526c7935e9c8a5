/**
 * Article ids are unique across the corpus: the first article with an id wins.
 */

import type { Article, Problem } from './article.js';

/**
 * The articles with every repeated id removed except its first occurrence (in
 * the given order: the reader passes them in sorted path order, then file order),
 * and one problem per removed article:
 * `duplicate article id "x" (first seen in a.txt)`, on the file of the removed one.
 */
export function dropDuplicateArticles(articles: readonly Article[]): {
  articles: Article[];
  problems: Problem[];
} {
  const firstFile = new Map<string, string>();
  const kept: Article[] = [];
  const problems: Problem[] = [];
  for (const article of articles) {
    const seenIn = firstFile.get(article.id);
    if (seenIn === undefined) {
      firstFile.set(article.id, article.file);
      kept.push(article);
    } else {
      problems.push({
        kind: 'duplicate_id',
        file: article.file,
        message: `duplicate article id "${article.id}" (first seen in ${seenIn})`,
      });
    }
  }
  return { articles: kept, problems };
}
