import type { Article } from '../../src/corpus/article.js';
import { IndexWriter } from '../../src/index/index-writer.js';

/**
 * An index writer in memory holding `articles` (ids unique), refreshed, cut into
 * segments of at most `segmentArticles` articles (default: one segment): for tests
 * that change an index after building it.
 */
export function memoryWriter(
  articles: readonly Article[],
  segmentArticles = Math.max(1, articles.length),
): IndexWriter {
  const writer = new IndexWriter();
  for (let i = 0; i < articles.length; i += segmentArticles) {
    writer.addNewArticles(articles.slice(i, i + segmentArticles));
    writer.flush();
  }
  writer.refresh();
  return writer;
}
