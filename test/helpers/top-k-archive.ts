import type { Article } from '../../src/corpus/article.js';
import type { ArchiveIndex } from '../../src/index/archive-index.js';
import { buildIndex } from '../../src/index/index-writer.js';
import { memoryWriter } from './memory-writer.js';
import { syntheticArticles } from './synthetic-articles.js';

/**
 * An archive of `size` synthetic articles (seeded by `seed`) for the top-k property tests, in one
 * segment or in segments of `segmentArticles`; with `deleted`, every seventh article deleted and
 * every 21st added again with a new paragraph; with `long`, every ninth article given twelve more
 * paragraphs (so that the bound on an article's other paragraphs has work to do).
 */
export function topKArchive(
  size: number,
  seed: number,
  segmentArticles: number | undefined,
  deleted: boolean,
  long = false,
): ArchiveIndex {
  let articles: Article[] = syntheticArticles(size, seed);
  if (long)
    articles = articles.map((a, i) =>
      i % 9 === 4
        ? {
            ...a,
            paragraphs: [
              ...a.paragraphs,
              ...Array.from({ length: 12 }, (_, j) => a.paragraphs[j % a.paragraphs.length]!),
            ],
          }
        : a,
    );
  if (!deleted) return buildIndex(articles, { segmentArticles });
  const writer = memoryWriter(articles, segmentArticles);
  const gone = articles.filter((_, i) => i % 7 === 0);
  writer.deleteArticles(gone.map((a) => a.id));
  writer.flush();
  writer.addArticles(
    gone
      .filter((_, i) => i % 3 === 0)
      .map((a) => ({ ...a, paragraphs: [...a.paragraphs, 'The displaced voters said the government met.'] })),
  );
  return writer.refresh();
}
