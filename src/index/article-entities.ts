import type { Article } from '../corpus/article.js';
import { extractEntities, type ArticleEntities } from '../analysis/extract-entities.js';
import type { ArchiveIndex } from './archive-index.js';

/**
 * The people, organisations and places of `article` (as `index.getArticle` gave it):
 * read from its segment's entity columns, the ones facets and filters count; extracted
 * from its text when it is not in a segment yet (a write still in the buffer) or when the
 * segment holds another version of it (a rewrite not flushed yet).
 */
export function articleEntities(index: ArchiveIndex, article: Article): ArticleEntities {
  const ord = index.ordOf(article.id);
  if (ord >= 0 && index.isLive(ord)) {
    const s = index.segmentOf(ord);
    const local = ord - index.articleBase[s]!;
    const stored = index.article(ord);
    if (
      stored.paragraphs.length === article.paragraphs.length &&
      stored.paragraphs.every((p, k) => p === article.paragraphs[k])
    ) {
      return index.segments[s]!.entitiesOf(local);
    }
  }
  return extractEntities(article);
}
